// docs/msw.md's msw 3 examples as a project with msw 3 installed has them: the package (dist and
// package.json, as npm lays it out) beside msw 3 (the `msw-3` alias devDependency, linked in as `msw`), so
// both the examples and the package's own `import 'msw'` get msw 3. Type-checked against msw 3's types, and
// the Vitest one run by Vitest. (The setupWorker one runs in Chromium: browser.test.ts.)
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { typeCheck, writeDocExample } from '../support/docs.js';
import { root, run } from '../support/run.js';

const EXAMPLES = ['msw3-vitest', 'msw3-browser'];
const FOLDER = 'docs-msw-3';
let dir: string;

beforeAll(() => {
  dir = join(root, 'test-results', FOLDER);
  rmSync(dir, { recursive: true, force: true });
  for (const name of EXAMPLES) writeDocExample('docs/msw.md', FOLDER, name);
  // A project of its own: without it, `equals-card-pin` would be this repository by self-reference, and
  // its `import 'msw'` msw 2.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'docs-msw-3', private: true, type: 'module' }));
  const own = join(dir, 'node_modules/equals-card-pin');
  mkdirSync(own, { recursive: true });
  cpSync(join(root, 'dist'), join(own, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(own, 'package.json'));
  // Everything else (openapi-fetch, vitest, @types/node) resolves from this repository's node_modules.
  symlinkSync(join(root, 'node_modules/msw-3'), join(dir, 'node_modules/msw'), 'dir');
});

test('every example type-checks against the built package and msw 3', async () => {
  const { status, output } = await typeCheck(
    dir,
    EXAMPLES.map((name) => `${name}.ts`),
  );
  expect(output).toBe('');
  expect(status).toBe(0);
}, 60_000);

test('the Vitest example passes under Vitest with msw 3', async () => {
  const vitest = join(root, 'node_modules/vitest/vitest.mjs');
  writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['msw3-vitest.ts'] } };\n");
  const config = join(dir, 'vitest.config.mjs');
  const result = await run(process.execPath, [vitest, 'run', '--root', dir, '--config', config], { cwd: dir });
  expect(result.status, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toMatch(/Tests\s+.*2 passed/);
}, 60_000);
