// A server example run as its own process: started, read until it prints the address it listens on,
// and stopped by its PID. The docs' server examples all print `PIN forwarder on http://127.0.0.1:<port>`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface Started {
  origin: string;
  /** Sends SIGTERM to the PID and waits for the exit. */
  stop(): Promise<void>;
}

/** Starts `command` and resolves once it prints `PIN forwarder on http://127.0.0.1:<port>`; rejects if it exits first. */
export function startPrintedServer(
  command: string,
  args: string[],
  { cwd, env }: { cwd?: string; env: NodeJS.ProcessEnv },
): Promise<Started> {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(child.pid!, 'SIGTERM');
    await exited;
  };
  let out = '';
  return new Promise((resolve, reject) => {
    // Both streams are read to the end, so that a chatty server never blocks on a full pipe.
    child.stderr!.on('data', (chunk) => {
      out += chunk;
    });
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const origin = /PIN forwarder on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (origin) resolve({ origin, stop });
    });
    child.once('exit', () =>
      reject(new Error(`${command} ${args.join(' ')} exited before printing its address:\n${out}`)),
    );
  });
}
