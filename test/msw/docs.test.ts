// docs/testing.md's examples: all type-checked against the built package; the
// Vitest one run by Vitest and the sandbox-as-fetch one run by Node, as a consumer's files, against this
// package by its own name; and that one's claim of working in CommonJS Jest, run by Jest. (The setupWorker
// example runs in Chromium: msw-browser.test.ts.)
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { typeCheck, writeDocExamples } from '../support/docs.js';
import { root, run } from '../support/run.js';

const EXAMPLES = ['msw-vitest', 'msw-browser', 'sandbox-fetch'];
let dir: string;

beforeAll(() => {
  rmSync(join(root, 'test-results/docs-msw'), { recursive: true, force: true });
  dir = writeDocExamples('docs-msw', 'docs/testing.md', EXAMPLES);
});

test('every example type-checks against the built package', async () => {
  const { status, output } = await typeCheck(
    dir,
    EXAMPLES.map((name) => `${name}.ts`),
  );
  expect(output).toBe('');
  expect(status).toBe(0);
}, 60_000);

test('the Vitest example passes under Vitest', async () => {
  writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['msw-vitest.ts'] } };\n");
  const vitest = join(root, 'node_modules/vitest/vitest.mjs');
  const result = await run(
    process.execPath,
    [vitest, 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs')],
    { cwd: dir },
  );
  expect(result.status, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toMatch(/Tests\s+.*2 passed/);
}, 60_000);

test('the sandbox-as-fetch example runs and prints true', async () => {
  // Node 24 runs the TypeScript file as it is (type stripping), as the other guides' examples are run.
  const result = await run(join(root, 'node_modules/node/bin/node'), [join(dir, 'sandbox-fetch.ts')], { cwd: dir });
  expect(result.stderr).toBe('');
  expect(result.stdout.trim()).toBe('true');
});

test('the sandbox as the client fetch works in CommonJS Jest', async () => {
  const project = join(dir, 'jest');
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  // As an installed dependency: Jest resolves `equals-card-pin` through node_modules, not by self-reference.
  symlinkSync(root, join(project, 'node_modules/equals-card-pin'), 'dir');
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ private: true, jest: { testEnvironment: 'node', transform: {} } }),
  );
  cpSync(
    join(import.meta.dirname, '../support/flows/jest/sandbox-fetch.test.cjs'),
    join(project, 'sandbox-fetch.test.cjs'),
  );
  const jest = join(root, 'node_modules/jest/bin/jest.js');
  const result = await run(process.execPath, [jest, '--ci', '--rootDir', project, 'sandbox-fetch.test.cjs'], {
    cwd: project,
  });
  expect(result.status, result.stdout + result.stderr).toBe(0);
  expect(result.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
}, 60_000);
