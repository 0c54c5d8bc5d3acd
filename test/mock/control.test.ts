// The sandbox server's control API (/__sandbox), and docs/testing.md's examples of the server: the
// TypeScript one type-checked and run, the curl one run by bash against a real control API.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { serveSandbox, type SandboxServer } from '../../mock/server.js';
import { createPinSandbox } from '../../src/sandbox.js';
import { docExample, typeCheck, writeDocExamples } from '../support/docs.js';
import { run } from '../support/run.js';

const sandbox = createPinSandbox();
let server: SandboxServer;
let control: string;
beforeAll(async () => {
  server = await serveSandbox(sandbox);
  control = `${server.url}/__sandbox`;
});
afterAll(() => server?.close());
beforeEach(() => sandbox.reset());

const call = async (method: string, path: string, body?: string) => {
  const response = await fetch(`${control}${path}`, {
    method,
    ...(body !== undefined && { body, headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
};
const pinPath = `/cards/${exampleCard.cardId}/pin`;

describe('the control API', () => {
  test('sets and reads a PIN, scripts a fault, reads the log and resets', async () => {
    expect(await call('PUT', pinPath, '{"pin":"1234"}')).toMatchObject({ status: 204 });
    expect(sandbox.pinOf(exampleCard.cardId)).toBe('1234');
    expect((await call('GET', pinPath)).json).toEqual({ pin: '1234' });
    expect((await call('POST', '/faults', '{"status":503,"times":2,"operation":"getPin"}')).status).toBe(204);
    const api = await fetch(
      `${server.url}/v2/cards/${exampleCard.cardId}/pin?accountId=${exampleCard.accountId}&personId=${exampleCard.personId}`,
      {
        method: 'PUT',
        headers: { authorization: 'ApiKey k', 'content-type': 'application/json' },
        body: '{"pin":"4826"}',
      },
    );
    expect(api.status).toBe(200); // the fault was aimed at getPin
    const log = (await call('GET', '/requests')).text;
    expect(JSON.parse(log)).toEqual([
      {
        method: 'PUT',
        path: `/v2/cards/${exampleCard.cardId}/pin`,
        status: 200,
        operation: 'updatePin',
        faulted: false,
      },
    ]);
    expect(log).not.toContain('4826');
    expect((await call('POST', '/reset')).status).toBe(204);
    expect(sandbox.pinOf(exampleCard.cardId)).toBe(exampleCard.pin);
    expect(sandbox.requests).toEqual([]);
  });

  test('a browser page of another site cannot drive it, even with a simple POST', async () => {
    sandbox.setPin(exampleCard.cardId, '4444');
    const response = await fetch(`${control}/reset`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(403);
    expect(sandbox.pinOf(exampleCard.cardId)).toBe('4444');
    sandbox.reset();
  });

  test.each([
    ['a PIN that breaks the rule', 400, 'pin', 'PUT', pinPath, '{"pin":"12a4"}'],
    ['a PIN that is a number', 400, 'pin', 'PUT', pinPath, '{"pin":1234}'],
    ['no PIN', 400, 'pin', 'PUT', pinPath, '{}'],
    ['a body that is not JSON', 400, 'body', 'PUT', pinPath, 'not json'],
    ['a body over 4 kB', 400, 'body', 'PUT', pinPath, `{"pin":"${'1'.repeat(5000)}"}`],
    ['a PIN for an unknown card', 404, 'cardId', 'PUT', '/cards/no-such-card/pin', '{"pin":"1234"}'],
    ['the PIN of an unknown card', 404, 'cardId', 'GET', '/cards/no-such-card/pin', undefined],
    ['a card id with broken percent-encoding', 400, 'cardId', 'GET', '/cards/%E0/pin', undefined],
    ['an undocumented status', 400, 'status', 'POST', '/faults', '{"status":418}'],
    ['a status that is a string', 400, 'status', 'POST', '/faults', '{"status":"503"}'],
    ['times 0', 400, 'times', 'POST', '/faults', '{"status":503,"times":0}'],
    ['a fractional retryAfter', 400, 'retryAfter', 'POST', '/faults', '{"status":429,"retryAfter":1.5}'],
    ['an unknown operation', 400, 'operation', 'POST', '/faults', '{"status":503,"operation":"deletePin"}'],
    ['a network error with a status', 400, 'network', 'POST', '/faults', '{"network":true,"status":503}'],
    ['a __proto__ key', 400, '__proto__', 'POST', '/faults', '{"status":503,"__proto__":{"times":5}}'],
    ['an empty fault', 400, 'status', 'POST', '/faults', '{}'],
    ['an array', 400, 'body', 'POST', '/faults', '[]'],
  ] as const)('%s → %i naming %s, and nothing changes', async (_, status, field, method, path, body) => {
    const answer = await call(method, path, body);
    expect(answer.status).toBe(status);
    expect(answer.json.field).toBe(field);
    expect(answer.json.message).toEqual(expect.any(String));
    // The refused value is never echoed back.
    if (body && /"pin":"12a4"/.test(body)) expect(answer.text).not.toContain('12a4');
    expect(sandbox.pinOf(exampleCard.cardId)).toBe(exampleCard.pin);
    const next = await fetch(
      `${server.url}/v2/cards/${exampleCard.cardId}/pin?accountId=${exampleCard.accountId}&personId=${exampleCard.personId}&cardholderVerificationMethod=LOGIN`,
      {
        headers: { authorization: 'ApiKey k' },
      },
    );
    expect(next.status, 'no fault was queued').toBe(200);
  });

  test('an unknown control call is a 404 that names it', async () => {
    const answer = await call('DELETE', '/reset');
    expect(answer.status).toBe(404);
    expect(answer.json.message).toContain('DELETE /reset');
  });
});

describe('the testing guide', () => {
  test('its server example type-checks and runs: a PUT, the GET that reveals it, the same sandbox in-process', async () => {
    const dir = writeDocExamples('docs-mock', 'docs/testing.md', ['mock-server']);
    const checked = await typeCheck(dir, ['mock-server.ts']);
    expect(checked.status, checked.output).toBe(0);
    const ran = await run(process.execPath, [join(dir, 'mock-server.ts')]);
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout.trim().split('\n')).toEqual(["{ pin: '4826' }", '4826']);
  }, 60_000);

  test('its curl example of the control API runs as printed', async () => {
    const script = docExample('docs/testing.md', 'mock-control', 'sh');
    expect(script).toContain('CONTROL=http://127.0.0.1:4011/__sandbox');
    const { stdout } = await promisify(execFile)('bash', [
      '-euo',
      'pipefail',
      '-c',
      script.replace('http://127.0.0.1:4011/__sandbox', control),
    ]);
    // Only the two GETs print: every other call answers 204, with no body.
    expect(stdout).toBe('{"pin":"1234"}[]');
    expect(sandbox.pinOf(exampleCard.cardId)).toBe(exampleCard.pin); // the last line reset it
  });
});
