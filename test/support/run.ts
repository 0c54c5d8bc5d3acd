import { execFile } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';

export const root = resolve(import.meta.dirname, '../..');
export const bin = (name: string) => join(root, 'node_modules/.bin', name);

const TMPFS_MAGIC = 0x01021994;
/**
 * Where scratch projects go: /dev/shm when it is a tmpfs with room to spare, else the system's temp folder.
 * The package tests install real projects (tens of thousands of files); on this runner's disk writing them
 * costs several seconds of system CPU per run, in memory a fraction of that. Nothing tested depends on where.
 */
export function scratchRoot(): string {
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.type === TMPFS_MAGIC && fs.bavail * fs.bsize >= 4 * 1024 ** 3) return '/dev/shm';
  } catch {
    // no /dev/shm (not Linux): the temp folder
  }
  return tmpdir();
}

/**
 * `PATH` as `npm exec --package=node@<version>` sets it: that Node from the npm registry first. The folder
 * is looked up once per run (test/support/setup/package.ts), so a test need not start npm for every command.
 */
export function pathWithNode(version: string, rest = process.env.PATH) {
  const dir = inject('nodeBinDirs')[version];
  if (!dir) throw new Error(`Node ${version} is not in the run's matrix (test/support/setup/package.ts NODE_VERSIONS)`);
  return `${dir}:${rest}`;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the worker, so tests in one file can overlap. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  const env = {
    ...process.env,
    REDOCLY_TELEMETRY: 'off',
    PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}`,
    ...options.env,
  };
  return new Promise((done) => {
    execFile(command, args, { cwd: options.cwd ?? root, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
