// Process trees on Linux, read from /proc: what `npm start` started, so a test can check none of it is left.
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  command: string;
}

function table(): Proc[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.replace(/^.*\) /s, '').split(' ')[1]);
        const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
        return [{ pid: Number(name), ppid, command }];
      } catch {
        return []; // gone while we looked
      }
    });
}

/** Every process below `pid`, children first. */
export function descendants(pid: number): Proc[] {
  const all = table();
  const found: Proc[] = [];
  const walk = (parent: number) => {
    for (const proc of all.filter((p) => p.ppid === parent)) {
      found.push(proc);
      walk(proc.pid);
    }
  };
  walk(pid);
  return found;
}
