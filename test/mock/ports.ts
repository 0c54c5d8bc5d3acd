// Where a mock's Prism listens, found from its process: the guard's port is the one the mock hands out,
// and Prism's own is the one a page could find by scanning. Linux only (/proc).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The loopback ports a process listens on, read from /proc: its socket inodes, then the TCP table. */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? ''];
      } catch {
        return [];
      }
    }),
  );
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A' && inodes.has(fields[9] ?? ''))
    .map((fields) => Number.parseInt(fields[1]!.split(':')[1]!, 16));
}

/** The one port Prism itself listens on, behind the mock's guard. */
export function prismOwnPort(mock: { pid: number; url: string }): number {
  const [port, ...more] = listeningPorts(mock.pid);
  if (port === undefined || more.length) throw new Error(`Prism (pid ${mock.pid}) listens on ${[port, ...more]}`);
  if (port === Number(new URL(mock.url).port)) throw new Error("Prism's own port is the guard's");
  return port;
}
