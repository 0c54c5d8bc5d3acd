// The guide's React 19 example (docs/elements.md), type-checked as written against React 19's types and the
// built package, beside a copy that leaves out the ids: that one must not compile, so the check has teeth.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { root, run } from '../support/run.js';
import { docExample } from './docs.js';

test('the React example type-checks against React 19, and a tag without its ids does not', async () => {
  const dir = join(root, 'test-results', 'elements-react');
  mkdirSync(dir, { recursive: true });
  const example = docExample('react', 'tsx');
  writeFileSync(join(dir, 'card-pin.tsx'), example);
  // The same module with one tag missing its ids: an app's typo the JSX typing must catch.
  writeFileSync(
    join(dir, 'no-ids.tsx'),
    example.replace(
      '<equals-pin-change base-url="/api/equals" {...ids} />',
      '<equals-pin-change base-url="/api/equals" />',
    ),
  );
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    jsx: 'react-jsx',
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['card-pin.tsx', 'no-ids.tsx'] }));
  const { stdout, stderr } = await run(process.execPath, [
    join(root, 'node_modules/typescript/bin/tsc'),
    '-p',
    join(dir, 'tsconfig.json'),
  ]);
  const errors = `${stdout}${stderr}`.split('\n').filter((line) => /error TS/.test(line));
  expect(
    errors.filter((line) => line.includes('card-pin.tsx')),
    'the example as written',
  ).toEqual([]);
  expect(errors.length, errors.join('\n')).toBe(1);
  expect(errors[0]).toMatch(
    /no-ids\.tsx\(\d+,\d+\): error TS2322: .*'\{ "base-url": string; \}' is not assignable to type 'PinAttributes<EqualsPinChangeElement>'/,
  );
}, 60_000);
