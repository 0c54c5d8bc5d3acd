// Notices when the processes that started this one are gone. npm forwards SIGINT and SIGTERM to the
// process running a script but not SIGHUP, and a /bin/sh (dash) between npm and the script dies of
// SIGTERM without passing it on: either way the script would be left running. Polling the parent (and
// npm's PID, when a shell sits between) closes that gap.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/** A field of `ps` for `pid` (`ppid`, `comm`): from /proc on Linux, from ps elsewhere; undefined when neither answers. */
function psField(pid, field) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return field === 'ppid' ? stat.replace(/^.*\) /s, '').split(' ')[1] : /\((.*)\)/s.exec(stat)[1];
  } catch {
    try {
      return execFileSync('ps', ['-o', `${field}=`, '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      return undefined;
    }
  }
}

/** Calls `gone` once when this process's parent, or (run by npm) npm itself, has exited. */
export function watchAncestors(gone, everyMs = 250) {
  const parent = process.ppid;
  // Under npm the parent may be the shell running the script line; npm is then the shell's parent.
  const shell =
    process.env.npm_lifecycle_event &&
    /^(sh|dash|bash|zsh|ash)$/.test(psField(parent, 'comm')?.replace(/^.*\//, '') ?? '');
  const npm = shell ? Number(psField(parent, 'ppid')) : undefined;
  const watched = [parent, ...(npm && npm > 1 ? [npm] : [])];
  const timer = setInterval(() => {
    if (process.ppid === parent && watched.every(alive)) return;
    clearInterval(timer);
    gone();
  }, everyMs);
  return () => clearInterval(timer);
}
