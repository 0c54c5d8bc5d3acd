// Issue 21, point 1 (and issue 22): the mock grants CORS to loopback origins and to the origins named
// with allowOrigins only, never to another site. A request from another site's page (an Origin neither
// loopback nor allowed, `Origin: null`, or `Sec-Fetch-Site: cross-site` without an allowed Origin) gets a
// 403 that names its rule, before Prism, and changes nothing. Tools (no Origin) and local pages keep working.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { startPinMock, type StatefulPinMock } from '../../mock/start.js';
import { root, run } from '../support/run.js';
import { prismOwnPort } from './ports.js';
import { sendRaw } from './raw.js';

const KEY = 'guard-key-4f1';
const { cardId, accountId, personId } = exampleCard;
const pinPath = `/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}`;
const getPath = `${pinPath}&cardholderVerificationMethod=LOGIN`;
const evil = 'https://evil.example';

/** A raw request with the mock's key (and JSON's content type, with a body), and exactly these headers besides. */
const send = (base: string, method: string, path: string, headers: Record<string, string>, body?: string) =>
  sendRaw(
    base,
    method,
    path,
    { authorization: `ApiKey ${KEY}`, ...(body && { 'content-type': 'application/json' }), ...headers },
    body,
  );

const preflight = (base: string, origin: string, extra: Record<string, string> = {}) =>
  send(base, 'OPTIONS', pinPath, {
    origin,
    'access-control-request-method': 'PUT',
    'access-control-request-headers': 'authorization, content-type',
    ...extra,
  });

let mock: StatefulPinMock;
beforeAll(async () => {
  mock = await startPinMock({ apiKeys: [KEY], allowOrigins: ['https://dev.example'] });
}, 60_000);
afterAll(() => mock?.stop());

describe("another site's page is refused with 403 before Prism, and nothing changes", () => {
  test('a preflight from another site gets no CORS grant', async () => {
    const answer = await preflight(mock.url, evil, { 'sec-fetch-site': 'cross-site' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'origin' });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });

  test.each([
    ['an Origin of another site', { origin: evil, 'sec-fetch-site': 'cross-site' }, 'origin'],
    ['an Origin of another site, from an older browser (no Sec-Fetch-Site)', { origin: evil }, 'origin'],
    ['Origin: null (a sandboxed frame)', { origin: 'null' }, 'origin'],
    ['a loopback name on another scheme', { origin: 'chrome-extension://localhost' }, 'origin'],
    ['Sec-Fetch-Site: cross-site without an Origin', { 'sec-fetch-site': 'cross-site' }, 'cross-site'],
  ])('a PUT and a GET with %s', async (_, headers, code) => {
    mock.sandbox.setPin(cardId, '3141');
    const before = mock.sandbox.requests.length;
    const put = await send(mock.url, 'PUT', pinPath, headers, '{"pin":"0000"}');
    const get = await send(mock.url, 'GET', getPath, headers);
    for (const answer of [put, get]) {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ message: expect.any(String), code });
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(get.body).not.toContain('3141');
    expect(mock.sandbox.pinOf(cardId)).toBe('3141');
    expect(mock.sandbox.requests).toHaveLength(before);
  });

  test('the sandbox port refuses them too (control API and API)', async () => {
    mock.sandbox.setPin(cardId, '2718');
    const put = await send(mock.sandboxUrl, 'PUT', pinPath, { origin: evil }, '{"pin":"0000"}');
    const reset = await send(mock.sandboxUrl, 'POST', '/__sandbox/reset', { origin: evil });
    expect([put.status, reset.status]).toEqual([403, 403]);
    expect(JSON.parse(put.body)).toMatchObject({ code: 'origin' });
    expect(mock.sandbox.pinOf(cardId)).toBe('2718');
  });

  test("Prism's own port grants no CORS either", async () => {
    const answer = await preflight(`http://127.0.0.1:${prismOwnPort(mock)}`, evil);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('local pages, the named origins and tools keep working', () => {
  test.each([
    ['http://localhost:6006', 'same-site'],
    ['http://127.0.0.1:6006', 'cross-site'],
    ['http://[::1]:3000', 'cross-site'],
    ['https://localhost:8443', 'same-site'],
    ['https://dev.example', 'cross-site'],
  ])('%s (Sec-Fetch-Site: %s): preflight granted, then the PUT and GET answered', async (origin, site) => {
    const granted = await preflight(mock.url, origin, { 'sec-fetch-site': site });
    expect(granted.status).toBe(204);
    expect(granted.headers['access-control-allow-origin']).toBe(origin);
    expect(String(granted.headers['access-control-allow-methods']).split(/,\s*/).sort()).toEqual(['GET', 'PUT']);
    expect(String(granted.headers['access-control-allow-headers'])).toMatch(/authorization/);
    expect(granted.headers.vary).toMatch(/origin/i);
    // No cookies have any part in the mock: credentials are never granted.
    expect(granted.headers['access-control-allow-credentials']).toBeUndefined();
    const headers = { origin, 'sec-fetch-site': site };
    const put = await send(mock.url, 'PUT', pinPath, headers, '{"pin":"1357"}');
    const get = await send(mock.url, 'GET', getPath, headers);
    expect([put.status, get.status, JSON.parse(get.body)]).toEqual([200, 200, { pin: '1357' }]);
    expect(get.headers['access-control-allow-origin']).toBe(origin);
    expect(String(get.headers['access-control-expose-headers'])).toMatch(/retry-after/i);
  });

  test.each([
    ['a tool such as curl (no Origin, no Sec-Fetch-Site)', {}],
    ['a same-origin page', { 'sec-fetch-site': 'same-origin' }],
    ['a typed-in URL', { 'sec-fetch-site': 'none' }],
  ])('%s', async (_, headers) => {
    mock.sandbox.setPin(cardId, '2468');
    const get = await send(mock.url, 'GET', getPath, headers);
    expect([get.status, JSON.parse(get.body)]).toEqual([200, { pin: '2468' }]);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('each refusal names its rule (issue 22)', () => {
  test("Prism's own port, asked with a loopback Host, says the request did not come through the mock's port", async () => {
    mock.sandbox.setPin(cardId, '9753');
    const answer = await send(`http://127.0.0.1:${prismOwnPort(mock)}`, 'GET', getPath, { host: '127.0.0.1' });
    expect(answer.status).toBe(403);
    const body = JSON.parse(answer.body);
    expect(body.code).toBe('pass');
    expect(body.message).not.toMatch(/host name/);
    expect(body.message).toContain(mock.url.replace('http://127.0.0.1', ''));
  });

  test('a foreign Host is still refused as a host', async () => {
    const answer = await send(mock.url, 'GET', getPath, { host: 'evil.example' });
    expect([answer.status, JSON.parse(answer.body).code]).toEqual([403, 'host']);
  });
});

describe('allowOrigins and --allow-origin take origins only', () => {
  test.each([['dev.example'], ['https://dev.example/app'], ['*'], ['null'], ['https://user@dev.example']])(
    'startPinMock refuses %s',
    async (origin) => {
      await expect(startPinMock({ allowOrigins: [origin] })).rejects.toThrow(/allowOrigins must be origins/);
    },
  );

  test('the bin refuses a bad --allow-origin with its usage', async () => {
    const cli = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin['equals-card-pin']);
    const result = await run(process.execPath, [cli, 'mock', '--port', '0', '--allow-origin', 'dev.example']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--allow-origin takes an origin/);
    expect(result.stderr).toMatch(/--allow-origin ORIGIN/);
  });
});
