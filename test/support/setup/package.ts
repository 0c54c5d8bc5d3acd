// Done once per run, for every test that needs it: the package packed as npm publishes it, and the Node
// builds of the consumer matrix. Each test used to pack its own tarball and to wrap every command in
// `npm exec --package=node@<version>`; on a 2-core runner those repeats cost seconds of CPU each run.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { pack, type PackReport } from '../../../bench/tarball.mjs';
import { root, scratchRoot } from '../run.js';

/** Node versions the package supports (engines: >=22.12), newest first as the docs list them. */
export const NODE_VERSIONS = ['26', '24', '22'] as const;

declare module 'vitest' {
  export interface ProvidedContext {
    /** `npm pack`'s report on the package, and the tarball's path. */
    packed: PackReport & { tarball: string };
    /** Per Node version: the folder `npm exec --package=node@<version>` puts first on PATH (it holds only `node`). */
    nodeBinDirs: Record<string, string>;
  }
}

/**
 * The folder npm exec puts first on PATH for `node@<version>`: fetched from the npm registry on first use
 * and cached by npm (~/.npm/_npx), as `npm exec` does for every test that asks. Resolved from a scratch
 * folder, so the project's own `node` devDependency (Node 24) does not stand in for the registry's.
 */
async function nodeBinDir(version: string, cwd: string) {
  const args = [
    'exec',
    '--yes',
    '--prefer-offline',
    `--package=node@${version}`,
    '--',
    'node',
    '-p',
    'process.execPath + " " + process.version',
  ];
  const { stdout } = await promisify(execFile)('npm', args, { cwd });
  const [execPath, actual] = stdout.trim().split(' ') as [string, string];
  if (!actual.startsWith(`v${version}.`)) throw new Error(`npm exec --package=node@${version} ran Node ${actual}`);
  // <npx cache>/node_modules/node/bin/node, linked from <npx cache>/node_modules/.bin/node
  const bin = join(dirname(execPath), '../../.bin');
  return existsSync(join(bin, 'node')) ? bin : dirname(execPath);
}

export default async function setup(project: TestProject) {
  const work = mkdtempSync(join(scratchRoot(), 'pin-packed-'));
  const scratch = join(work, 'scratch');
  mkdirSync(scratch);
  const remove = () => rmSync(work, { recursive: true, force: true });
  // A failed pack (dist/ not built, say) must not leave its folder behind in a tmpfs.
  const [packed, ...dirs] = await Promise.all([
    pack(root, work),
    ...NODE_VERSIONS.map((version) => nodeBinDir(version, scratch)),
  ]).catch((error) => {
    remove();
    throw error;
  });
  project.provide('packed', { ...packed, tarball: join(work, packed.filename) });
  project.provide('nodeBinDirs', Object.fromEntries(NODE_VERSIONS.map((version, i) => [version, dirs[i]!])));
  return remove;
}
