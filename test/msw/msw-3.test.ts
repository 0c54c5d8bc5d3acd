// msw 3 (the `msw-3` alias devDependency) in Node: every import of `msw` in this file's module graph, the
// handlers' own included, is msw 3, and the same suites as setup-server.test.ts run through it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { setupServer } from 'msw/node';
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

// What docs/msw.md warns of: the msw 2 name is ignored, so an unhandled request goes out to the network.
test('msw 3 ignores onUnhandledRequest: an unhandled request is let through, and fails only with onUnhandledFrame', async () => {
  const network = createServer((_, response) => response.end('from the network'));
  await new Promise<void>((listening) => network.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${(network.address() as AddressInfo).port}/`;
  const server = setupServer();
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    server.listen({ onUnhandledRequest: 'error' } as never);
    expect(await (await fetch(url)).text()).toBe('from the network');
    server.close();
    // Typed through the alias, msw 3's declarations name msw 2's ListenOptions; the option is msw 3's own.
    server.listen({ onUnhandledFrame: 'error' } as never);
    await expect(fetch(url)).rejects.toThrow(TypeError);
  } finally {
    server.close();
    warn.mockRestore();
    error.mockRestore();
    await new Promise((closed) => network.close(closed));
  }
});

handlersSuite('msw 3');
flowTableSuite('msw 3');
