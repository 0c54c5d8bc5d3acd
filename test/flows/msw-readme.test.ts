// The README's MSW examples ("For integration tests"): both type-checked against the built package, and
// the Vitest one run by Vitest itself, as a consumer's test file, against this package by its own name.
import { writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { readmeExample } from '../forward/helpers.js';
import { root, run } from '../helpers/run.js';

// Inside the repository (gitignored test-results/) so that `equals-card-pin` resolves to this package.
const dir = join(root, 'test-results/readme-msw');
const files = { 'msw-vitest': 'pin.test.ts', 'msw-browser': 'pin-mocks.ts' };

beforeAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const [name, file] of Object.entries(files)) writeFileSync(join(dir, file), readmeExample(name));
});

test('both examples type-check against the built package', async () => {
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    types: ['node'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: Object.values(files) }));
  const result = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')]);
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
}, 60_000);

test('the Vitest example passes under Vitest', async () => {
  writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['pin.test.ts'] } };\n");
  const vitest = join(root, 'node_modules/vitest/vitest.mjs');
  const result = await run(process.execPath, [vitest, 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs')], { cwd: dir });
  expect(result.status, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toMatch(/Tests\s+.*2 passed/);
}, 60_000);
