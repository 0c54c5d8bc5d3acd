// Issue 21, point 4: onError is a log sink, and a sink that is down must not end the backend. An async
// onError that rejects, or one that throws, is ignored; Node never sees an unhandled rejection. The
// trigger is one an unauthenticated browser has: a request body that never ends.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { root, run } from '../support/run.js';

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
