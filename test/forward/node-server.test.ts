// Review F5: served through @hono/node-server, whose overrideGlobalObjects (on by default) swaps the global
// Response for its own class, a Response that `authorize` made with Response.json was not taken for one
// (`instanceof` the swapped class failed), and a step-up 401 reached the page as `403 authorize`. Each
// major of the peer range, through a real listener with its defaults.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { servers } from '../../generated/pin-constraints.js';
import { exampleCard } from '../../generated/pin-examples.js';
import { createPinForwarder } from '../../src/forward.js';
import { sendRaw } from '../mock/raw.js';

const { cardId, accountId, personId } = exampleCard;
const path = `/api/equals/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}&cardholderVerificationMethod=OTP`;
const STEP_UP = { message: 'Confirm it is you', code: 'step_up' };

// The adapter swaps these process-wide: put Node's back after each test, for the tests that follow.
const { Request: nodeRequest, Response: nodeResponse } = globalThis;
let server: Server | undefined;
afterEach(async () => {
  globalThis.Request = nodeRequest;
  globalThis.Response = nodeResponse;
  await new Promise((closed) => (server ? server.close(closed) : closed(undefined)));
  server = undefined;
});

describe.each([
  ['@hono/node-server 1', () => import('@hono/node-server')],
  ['@hono/node-server 2', () => import('hono-node-server-2')],
])('%s, getRequestListener with its defaults', (_, load) => {
  test.each([
    ['Response.json', () => Response.json(STEP_UP, { status: 401 })],
    ['new Response', () => new Response(JSON.stringify(STEP_UP), { status: 401 })],
  ])('a Response from authorize made with %s reaches the page as it is', async (_, refuse) => {
    const upstream: string[] = [];
    const forward = createPinForwarder({
      apiKey: 'node-server-key-1f',
      baseUrl: servers.sandbox,
      authorize: refuse,
      verification: () => ({ method: 'OTP' }),
      fetch: async (request: Request) => {
        upstream.push(request.url);
        return new Response(null, { status: 500 });
      },
    });
    const { getRequestListener } = await load();
    server = createServer(getRequestListener(forward));
    await new Promise<void>((listening) => server!.listen(0, '127.0.0.1', listening));
    const answer = await sendRaw(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'GET', path, {});
    expect([answer.status, JSON.parse(answer.body)]).toEqual([401, STEP_UP]);
    expect(globalThis.Response).not.toBe(nodeResponse);
    expect(upstream).toEqual([]);
  });
});
