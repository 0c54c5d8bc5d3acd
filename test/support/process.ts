/** Whether a process with this PID still exists (signal 0 probes without touching it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until the process is gone or `ms` have passed; resolves to whether it is gone. */
export async function waitUntilGone(pid: number, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (isAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return !isAlive(pid);
}

/** Waits for each process to go, kills the ones that do not (so that a failing test leaves nothing behind), and returns their PIDs. */
export async function killLeftovers(pids: number[], ms = 8000): Promise<number[]> {
  const left = [];
  for (const pid of pids) if (!(await waitUntilGone(pid, ms))) left.push(pid);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  return left;
}
