// docs/client.md's examples (the server one, and the TanStack Query recipes that tanstack.test.ts runs),
// and the TypeScript x-codeSamples the spec carries for the docs portal,
// type-checked as written against the built package, in one compiler run. (They call the provider with a
// key of yours, so they are not run here; the same calls run against Prism in test/mock/api.test.ts, and
// the browser example runs in Chromium in test/forward/browser.test.ts.)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { typeCheck, writeDocExamples } from '../support/docs.js';
import { root } from '../support/run.js';

const EXAMPLES = ['client', 'tanstack', 'tanstack-retries'];

/** Each operation's TypeScript x-codeSample in openapi/pin.yaml, by operationId. */
function specSamples(): Record<string, string> {
  const spec = parse(readFileSync(join(root, 'openapi/pin.yaml'), 'utf8'));
  const samples: Record<string, string> = {};
  for (const item of Object.values<
    Record<string, { operationId?: string; 'x-codeSamples'?: { lang: string; source: string }[] }>
  >(spec.paths))
    for (const operation of Object.values(item))
      for (const sample of operation['x-codeSamples'] ?? [])
        if (sample.lang === 'TypeScript') samples[operation.operationId!] = sample.source;
  return samples;
}

test('the client guide’s examples and the spec’s TypeScript code samples type-check against the built package', async () => {
  const dir = writeDocExamples('docs-client', 'docs/client.md', EXAMPLES);
  const samples = specSamples();
  expect(Object.keys(samples).sort()).toEqual(['getPin', 'updatePin']);
  for (const [operation, source] of Object.entries(samples)) writeFileSync(join(dir, `sample-${operation}.ts`), source);
  const files = [
    ...EXAMPLES.map((name) => `${name}.ts`),
    ...Object.keys(samples).map((operation) => `sample-${operation}.ts`),
  ];
  const { status, output } = await typeCheck(dir, files);
  expect(output).toBe('');
  expect(status).toBe(0);
}, 60_000);
