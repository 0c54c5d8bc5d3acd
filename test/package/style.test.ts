// The formatter and the linter (Biome, biome.json) over the whole tree, as `npm run check` runs them: a
// misformatted file, a comma operator, an inherited-property lookup pattern or a function over 70 lines fails here.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { bin, root, run, scratchRoot } from '../support/run.js';

const biome = (cwd: string, ...paths: string[]) => run(bin('biome'), ['ci', '--colors=off', ...paths], { cwd });
const scratch = mkdtempSync(join(scratchRoot(), 'style-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('formatter and linter', () => {
  test('the tree passes `biome ci`', async () => {
    const { status, stdout, stderr } = await biome(root, '.');
    expect(status, `${stdout}${stderr}`).toBe(0);
  });

  // The same configuration on planted files, so the check above is known to be able to fail.
  test.each([
    ['a comma operator', 'export const f = (a: number[]) => (a.push(1), a);\n', 'noCommaOperator'],
    [
      'a for-in without an own-property guard',
      'export function f(o: object) {\n  for (const k in o) console.log(k);\n}\n',
      'useGuardForIn',
    ],
    ['a prototype builtin', "export const f = (o: object) => o.hasOwnProperty('x');\n", 'noPrototypeBuiltins'],
    [
      'a function of 71 lines',
      `export function f() {\n${'  console.log(1);\n'.repeat(71)}}\n`,
      'noExcessiveLinesPerFunction',
    ],
    ['a misformatted line', 'export const f = ( a:number )=>a\n', 'differs from formatting output'],
  ])('refuses %s', async (_, source, rule) => {
    const dir = mkdtempSync(join(scratch, 'case-'));
    // The project's configuration, less what needs a repository around it (the schema path, git's ignore file).
    const { $schema, vcs, ...config } = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'));
    writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'planted.ts'), source);
    const { status, stdout, stderr } = await biome(dir, 'planted.ts');
    expect(status).not.toBe(0);
    expect(`${stdout}${stderr}`).toContain(rule);
  });
});
