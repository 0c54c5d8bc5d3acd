// The README's client example, type-checked as written against the built package. (It calls the
// provider's sandbox, so it is not run here; the same calls run against Prism in test/integration.)
import { expect, test } from 'vitest';
import { typeCheck, writeReadmeExamples } from '../support/readme.js';

test('the README client example type-checks against the built package', async () => {
  const dir = writeReadmeExamples('readme-client', ['client']);
  const { status, output } = await typeCheck(dir, ['client.ts']);
  expect(output).toBe('');
  expect(status).toBe(0);
}, 60_000);
