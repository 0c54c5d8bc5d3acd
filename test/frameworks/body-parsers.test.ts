// What docs/frameworks.md warns of, with the real frameworks on 127.0.0.1: a body parser that runs before
// the forwarder (express.json() mounted first, Fastify's own JSON parser) reads the PUT's body, and the
// forwarder refuses with 500 `body_consumed` instead of sending a PIN-less PUT, which would set a random PIN.
import { createServerAdapter } from '@whatwg-node/server';
import express from 'express';
import Fastify from 'fastify';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { createPinForwarder } from '../../src/forward.js';
import { startUpstream, type Upstream } from '../forward/helpers.js';

const KEY = 'server-side-key-3e19f0';
const { cardId, accountId, personId } = exampleCard;
const url = (origin: string) =>
  `${origin}/api/equals/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}`;

let upstream: Upstream;
const errors: unknown[] = [];
let adapter: ReturnType<typeof createServerAdapter>;

beforeAll(async () => {
  upstream = await startUpstream(KEY);
  const forward = createPinForwarder({
    apiKey: KEY,
    baseUrl: upstream.url,
    authorize: () => true,
    verification: () => ({ method: 'LOGIN' }),
    onError: (error) => errors.push(error),
  });
  adapter = createServerAdapter(forward);
});
afterAll(() => upstream?.close());
beforeEach(() => {
  upstream.sandbox.reset();
  errors.length = 0;
});

/** A PUT with a PIN, as the browser sends it: the refusal, what onError heard, and that nothing changed upstream. */
async function putThrough(origin: string) {
  const put = await fetch(url(origin), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: '{"pin":"3907"}',
  });
  expect([put.status, await put.json()]).toEqual([500, { message: 'Internal server error', code: 'body_consumed' }]);
  expect(errors.map(String)).toEqual([
    'Error: createPinForwarder: the request body was read before the forwarder; mount it before any body parser',
  ]);
  expect(upstream.sandbox.requests).toEqual([]);
  expect(upstream.sandbox.pinOf(cardId)).toBe(exampleCard.pin);
}

test('Express 5: express.json() mounted before the forwarder', async () => {
  const app = express();
  app.use(express.json());
  app.use('/api/equals', adapter);
  const server = await new Promise<Server>((listening) => {
    const started = app.listen(0, '127.0.0.1', () => listening(started));
  });
  try {
    await putThrough(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((closed) => server.close(closed));
  }
});

test("Fastify 5: the forwarder's route without a scope of its own, so Fastify's JSON parser runs first", async () => {
  const app = Fastify();
  app.all('/api/equals/*', async (request, reply) =>
    reply.send(await adapter.handleNodeRequestAndResponse(request.raw, reply.raw)),
  );
  try {
    await putThrough(await app.listen({ host: '127.0.0.1', port: 0 }));
  } finally {
    await app.close();
  }
});
