// Issue 21, point 4 (and point 6 below): onError is a log sink, and a sink that is down must not end the backend. An async
// onError that rejects, or one that throws, is ignored; Node never sees an unhandled rejection. The
// trigger is one an unauthenticated browser has: a request body that never ends.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { API_KEY } from '../support/fetch.js';
import { root, run } from '../support/run.js';
import { secretLeaks } from '../support/secrets.js';
import {
  BACKEND_MFA,
  forwarderOver,
  inbound,
  MFA_SESSION,
  MFA_TOKEN,
  NEW_PIN,
  revealQuery,
  SECRETS,
  sandboxUpstream,
} from './harness.js';

/**
 * A backend in a child Node (the one running the tests), whose forwarder gets an endless body; Node's
 * default for an unhandled rejection is to end the process, so the child only prints `alive` if none came.
 */
const backend = (onError: string) => `
import { createPinForwarder } from ${JSON.stringify(join(root, 'dist/src/forward.mjs'))};
const forward = createPinForwarder({
  apiKey: 'server-key',
  baseUrl: 'https://api-sandbox.equalsmoney.com',
  authorize: () => true,
  verification: () => ({ method: 'LOGIN' }),
  timeoutMs: 100,
  onError: ${onError},
});
const endless = new ReadableStream({ start() {} });
const request = new Request('https://app.example/v2/cards/c-1/pin?accountId=F1&personId=p-1', {
  method: 'PUT',
  body: endless,
  duplex: 'half',
  headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
});
const answer = await forward(request);
console.log('status', answer.status);
await new Promise((resolve) => setTimeout(resolve, 300));
console.log('alive');
`;

describe('an onError that fails never ends the backend', () => {
  test.each([
    ['an async onError that rejects', "async () => { throw new Error('log sink down'); }"],
    ['an onError that returns a rejected promise', "() => Promise.reject(new Error('log sink down'))"],
    ['an onError that throws', "() => { throw new Error('logger down'); }"],
    ['an onError returning a thenable whose then throws', "() => ({ then() { throw new Error('odd'); } })"],
  ])('%s: the endless body is answered 500 and Node goes on', async (_, onError) => {
    const { status, stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', backend(onError)]);
    expect(stderr).not.toMatch(/unhandled|log sink down|logger down/i);
    expect(stdout).toBe('status 500\nalive\n');
    expect(status).toBe(0);
  });
});

// Issue 21, point 6: what onError is told holds no MFA value, key or PIN, however the upstream fetch words
// its failures (node-fetch quotes the URL, with the GET's MFA query; others quote headers or the body).
describe('onError hears no secret from an upstream fetch that quotes its request', () => {
  const FN_KEY = 'server-key-from-vault-8e7d';

  const quotingFetch = async (request: Request): Promise<Response> => {
    const body = await request.clone().text();
    const headers = JSON.stringify(Object.fromEntries(request.headers));
    const socket = Object.assign(new Error(`connect ECONNREFUSED ${request.url} ${headers} ${body}`), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
    });
    throw Object.assign(new Error(`request to ${request.url} failed, reason: ${body}`, { cause: socket }), {
      name: 'FetchError',
      code: 'ECONNREFUSED',
      headers,
    });
  };

  const requests = {
    "a GET with the browser's MFA query": () =>
      inbound({ query: revealQuery({ sessionId: MFA_SESSION, token: MFA_TOKEN }) }),
    "a PUT with a PIN and the browser's MFA": () =>
      inbound({ method: 'PUT', body: { pin: NEW_PIN, mfa: { sessionId: MFA_SESSION, token: MFA_TOKEN } } }),
  };

  test.each([
    ['a key', API_KEY, () => ({ method: 'LOGIN' as const })],
    ['an apiKey function', async () => FN_KEY, () => ({ method: 'OTP' as const, ...BACKEND_MFA })],
  ])('with %s', async (_, apiKey, verification) => {
    for (const [name, request] of Object.entries(requests)) {
      const errors: unknown[] = [];
      const forward = forwarderOver(sandboxUpstream(), {
        apiKey,
        verification,
        fetch: quotingFetch,
        retry: false,
        onError: (error) => void errors.push(error),
      });
      expect((await forward(request())).status, name).toBe(502);
      expect(errors, name).toHaveLength(1);
      expect(secretLeaks(errors[0], [...SECRETS, FN_KEY]), name).toEqual([]);
      expect((errors[0] as Error).cause, name).toEqual({
        name: 'FetchError',
        code: 'ECONNREFUSED',
        cause: { name: 'Error', code: 'ECONNREFUSED', syscall: 'connect' },
      });
    }
  });
});
