// msw 3 (the `msw-3` alias devDependency) in Node: every import of `msw` in this file's module graph, the
// handlers' own included, is msw 3, and the same suites as setup-server.test.ts run through it.
import { createRequire } from 'node:module';
import { expect, test, vi } from 'vitest';
import { flowTableSuite } from './flows.suite.js';
import { handlersSuite } from './handlers.suite.js';

vi.mock('msw', () => import('msw-3'));
vi.mock('msw/node', () => import('msw-3/node'));

test('`msw` here is msw 3: the handlers are built on its `http`', async () => {
  const version = createRequire(import.meta.url)('msw-3/package.json').version as string;
  expect(version).toMatch(/^3\./);
  const [msw, msw3] = await Promise.all([import('msw'), import('msw-3')]);
  expect(msw.http).toBe(msw3.http);
  // msw 3 dropped handleRequest (what once told 2.x apart); the handlers never used it.
  expect('handleRequest' in msw3).toBe(false);
});

handlersSuite('msw 3');
flowTableSuite('msw 3');
