// The package as npm publishes it: `npm pack`'s own numbers, shared by `npm run bench` and the tarball budget test.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Packed size limit for the main tarball, bytes. Issue 12 set 150 kB. This round moved the README's guides
 * to docs/ (not shipped: the README links them) but added two entries, each built as ESM and CommonJS with
 * two declaration copies: `./elements` (56 kB unpacked) and `./otel` (22 kB): 160,370 B packed. 165 kB.
 */
export const TARBALL_BUDGET = 165_000;

/**
 * Packs the package in `dir` into `destination` (or only measures it, without one).
 * Returns npm's report: filename, size (packed bytes), unpackedSize, files.
 */
export async function pack(dir, destination) {
  const args = ['pack', '--json', ...(destination ? ['--pack-destination', destination] : ['--dry-run'])];
  // stderr is kept, not shown: npm repeats the machine's own config warnings there.
  const { stdout } = await promisify(execFile)('npm', args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout)[0];
}
