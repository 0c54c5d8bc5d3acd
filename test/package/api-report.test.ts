// The public API report (scripts/api-report.mjs, API Extractor): committed in api/, checked here,
// and shown failing on a changed exported type in a scratch copy.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { root, run, scratchRoot } from '../support/run.js';

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** What the report reads, copied to a scratch folder (node_modules linked), to break on purpose. */
function scratchCopy(prefix: string): string {
  const copy = mkdtempSync(join(scratchRoot(), prefix));
  copies.push(copy);
  for (const part of ['package.json', 'api', 'dist', 'scripts'])
    cpSync(join(root, part), join(copy, part), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

const report = (cwd: string, ...args: string[]) => run(process.execPath, ['scripts/api-report.mjs', ...args], { cwd });

describe.concurrent('public API report', () => {
  test('every entry matches its committed report in api/', async () => {
    const result = await report(root, '--check');
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const withTypes = Object.values<{ import?: { types?: string } }>(pkg.exports).filter(
      (target) => typeof target === 'object' && target.import?.types,
    );
    expect(result.stdout.match(/^✔ /gm)).toHaveLength(withTypes.length);
  }, 60_000); // API Extractor builds a program per entry: CPU-bound, slow on a busy runner

  test('a changed exported type fails until the report is updated, and the failure shows the change', async () => {
    const copy = scratchCopy('pin-api-');
    const errors = join(copy, 'dist/src/client/errors.d.mts');
    const before = readFileSync(errors, 'utf8');
    expect(before).toContain('readonly rule: string;');
    writeFileSync(errors, before.replace('readonly rule: string;', 'readonly rule: number;'));

    const failed = await report(copy, '--check', '--entry', '.');
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain("the public API of '.' differs from api/equals-card-pin.api.md");
    expect(failed.stderr).toMatch(/^- +readonly rule: string;$/m);
    expect(failed.stderr).toMatch(/^\+ +readonly rule: number;$/m);
    expect(failed.stderr).toContain('npm run api-report');

    // `npm run api-report` takes the change into the report, which is then what the check compares with.
    const updated = await report(copy, '--entry', '.');
    expect(updated.status, updated.stdout + updated.stderr).toBe(0);
    expect(readFileSync(join(copy, 'api/equals-card-pin.api.md'), 'utf8')).toMatch(/^ +readonly rule: number;$/m);
  }, 60_000);

  test('an exported declaration without TSDoc fails, naming it (ae-undocumented)', async () => {
    const copy = scratchCopy('pin-api-doc-');
    const declarations = join(copy, 'dist/src/sandbox/sandbox.d.mts');
    const before = readFileSync(declarations, 'utf8');
    const stripped = before.replace(/\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n(declare function createPinSandbox)/, '$1');
    expect(stripped).not.toBe(before);
    writeFileSync(declarations, stripped);

    const failed = await report(copy, '--check', '--entry', './sandbox');
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('ae-undocumented');
    expect(failed.stderr).toMatch(/\.\/sandbox: Missing documentation for "createPinSandbox"/);
  }, 60_000);
});
