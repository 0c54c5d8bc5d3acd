// Adapters hand the forwarder Requests of their own classes; docs/frameworks.md says any will do. Here the
// one the recipes do not cover: @hono/node-server without its global override, whose Request the
// runtime's own Request cannot copy. (@whatwg-node/server's own Request: recipes.test.ts.)
import { getRequestListener } from '@hono/node-server';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { createPinForwarder } from '../../src/forward.js';
import { createPinSandbox } from '../../src/sandbox.js';

const KEY = 'server-side-key-90ac52';
const { cardId, accountId, personId } = exampleCard;

// The sandbox as the forwarder's fetch: serving it through @hono/node-server's serve() would replace the
// global Request with Hono's, and hide what this test is about.
const sandbox = createPinSandbox({ apiKeys: [KEY] });

test('@hono/node-server with overrideGlobalObjects: false: a PUT reaches upstream with its PIN', async () => {
  const errors: unknown[] = [];
  const forward = createPinForwarder({
    apiKey: KEY,
    fetch: sandbox.fetch,
    authorize: () => true,
    verification: () => ({ method: 'LOGIN' }),
    onError: (error) => errors.push(error),
  });
  const server = createServer(getRequestListener(forward, { overrideGlobalObjects: false }));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  try {
    const { port } = server.address() as AddressInfo;
    const put = await fetch(
      `http://127.0.0.1:${port}/api/equals/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}`,
      { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"pin":"3907"}' },
    );
    expect([put.status, await put.json(), errors]).toEqual([200, { success: true, pin: '3907' }, []]);
    expect(sandbox.pinOf(cardId)).toBe('3907');
  } finally {
    await new Promise((closed) => server.close(closed));
  }
});
