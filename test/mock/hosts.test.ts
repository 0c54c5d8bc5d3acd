// Issue 17, item 5: the mock answers loopback host names only. A DNS-rebinding page reaches 127.0.0.1
// under its own name, so raw requests here carry `Host: evil.example`, to the sandbox port (control API
// and API) and to the API port in front of Prism: each is refused with 403, and no state changes.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { startPinMock, type StatefulPinMock } from '../../mock/start.js';
import { isAllowedHost } from '../../src/sandbox/hosts.js';
import { root, run } from '../support/run.js';
import { listeningPorts, prismOwnPort } from './ports.js';
import { sendRaw } from './raw.js';

const KEY = 'host-check-key-2b7';
const { cardId, accountId, personId } = exampleCard;
const pinPath = `/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}`;

/** One raw HTTP/1.1 request with the Host header as given (fetch would set its own), and the key. */
const raw = (base: string, method: string, path: string, host: string, body?: string, extra = {}) =>
  sendRaw(
    base,
    method,
    path,
    { host, authorization: `ApiKey ${KEY}`, ...(body && { 'content-type': 'application/json' }), ...extra },
    body,
  );

let mock: StatefulPinMock;
beforeAll(async () => {
  mock = await startPinMock({ apiKeys: [KEY], allowHosts: ['pin-mock.internal'] });
}, 60_000);
afterAll(() => mock?.stop());

describe('a foreign Host is refused with 403, and nothing changes', () => {
  const evil = 'evil.example';
  test('control API: POST /__sandbox/reset', async () => {
    mock.sandbox.setPin(cardId, '1111');
    const answer = await raw(mock.sandboxUrl, 'POST', '/__sandbox/reset', evil);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'host' });
    expect(mock.sandbox.pinOf(cardId)).toBe('1111');
  });

  test('control API: GET /__sandbox/requests', async () => {
    const answer = await raw(mock.sandboxUrl, 'GET', '/__sandbox/requests', `${evil}:80`);
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('[');
  });

  test('the sandbox port: a PUT of the PIN', async () => {
    mock.sandbox.setPin(cardId, '2222');
    const answer = await raw(mock.sandboxUrl, 'PUT', pinPath, evil, '{"pin":"6666"}');
    expect(answer.status).toBe(403);
    expect(mock.sandbox.pinOf(cardId)).toBe('2222');
  });

  test('the API port, in front of Prism: a PUT and a GET of the PIN', async () => {
    mock.sandbox.setPin(cardId, '3333');
    const before = mock.sandbox.requests.length;
    const put = await raw(mock.url, 'PUT', pinPath, evil, '{"pin":"6666"}');
    const get = await raw(mock.url, 'GET', `${pinPath}&cardholderVerificationMethod=LOGIN`, evil);
    expect([put.status, get.status]).toEqual([403, 403]);
    expect(get.body).not.toContain('3333');
    expect(mock.sandbox.pinOf(cardId)).toBe('3333');
    expect(mock.sandbox.requests).toHaveLength(before);
  });
});

describe('loopback names, on any port, and the names added are served', () => {
  test.each(['127.0.0.1:4010', 'localhost', 'LOCALHOST', 'localhost:1', '[::1]:9', 'pin-mock.internal:4010'])(
    'Host: %s',
    async (host) => {
      mock.sandbox.setPin(cardId, '4444');
      const get = await raw(mock.url, 'GET', `${pinPath}&cardholderVerificationMethod=LOGIN`, host);
      expect([get.status, JSON.parse(get.body)]).toEqual([200, { pin: '4444' }]);
      expect((await raw(mock.sandboxUrl, 'POST', '/__sandbox/reset', host)).status).toBe(204);
    },
  );
});

describe("a page of an added name's own origin (through a dev proxy, say) is same-origin, not another site", () => {
  const host = 'pin-mock.internal:4010';
  test('its PUT is served', async () => {
    const origin = { origin: `http://${host}` };
    const put = await raw(mock.url, 'PUT', pinPath, host, '{"pin":"5555"}', origin);
    expect(put.status).toBe(200);
    expect(mock.sandbox.pinOf(cardId)).toBe('5555');
  });

  test('another port of that name is another origin, and refused', async () => {
    mock.sandbox.setPin(cardId, '4444');
    const put = await raw(mock.url, 'PUT', pinPath, host, '{"pin":"5555"}', {
      origin: 'http://pin-mock.internal:3000',
    });
    expect([put.status, JSON.parse(put.body).code]).toEqual([403, 'origin']);
    expect(mock.sandbox.pinOf(cardId)).toBe('4444');
  });
});

describe('the check', () => {
  test.each([
    [undefined, false],
    ['', false],
    ['127.0.0.2', false],
    ['localhost.evil.example', false],
    ['evil.example:127.0.0.1', false],
    ['127.0.0.1.nip.io', false],
    ['user@localhost', false],
    ['localhost:80:80', false],
    ['[::1]', true],
    ['127.0.0.1', true],
  ])('%s → %s', (host, allowed) => {
    expect(isAllowedHost(host)).toBe(allowed);
  });

  test('startPinMock refuses an allowHosts entry that is not a host name', async () => {
    await expect(startPinMock({ allowHosts: ['http://pin-mock:4010'] })).rejects.toThrow(
      /allowHosts must be host names/,
    );
  });

  test('the bin refuses a bad --allow-host with its usage', async () => {
    const cli = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin['equals-card-pin']);
    const result = await run(process.execPath, [cli, 'mock', '--port', '0', '--allow-host', 'evil.example/x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--allow-host takes a host name/);
    expect(result.stderr).toMatch(/--allow-host NAME/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('mock --upstream: the relay in front of a real server', () => {
  test('refuses a foreign Host before anything reaches Prism or the server, and lets loopback through', async () => {
    const seen: string[] = [];
    const upstream = createServer((incoming, outgoing) => {
      seen.push(`${incoming.method} ${incoming.url}`);
      outgoing.writeHead(200, { 'content-type': 'application/json' }).end('{"pin":"7268"}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    const relay = await startPinMock({ upstream: `http://127.0.0.1:${port}`, onViolation: () => {} });
    try {
      const refused = await raw(relay.url, 'GET', `${pinPath}&cardholderVerificationMethod=LOGIN`, 'evil.example');
      expect(refused.status).toBe(403);
      expect(seen).toEqual([]);
      const allowed = await raw(relay.url, 'GET', `${pinPath}&cardholderVerificationMethod=LOGIN`, 'localhost');
      expect(allowed.status).toBe(200);
      expect(seen).toHaveLength(1);
      // Prism's own port, found from its process, is no way around the relay to the real server.
      const [prismPort, ...more] = listeningPorts(relay.pid);
      expect(more).toEqual([]);
      const direct = await raw(
        `http://127.0.0.1:${prismPort}`,
        'GET',
        `${pinPath}&cardholderVerificationMethod=LOGIN`,
        'evil.example',
      );
      expect([direct.status, JSON.parse(direct.body).code]).toEqual([403, 'pass']);
      expect(seen).toHaveLength(1);
    } finally {
      await relay.stop();
      upstream.close();
    }
  });
});

describe("Prism's own port, behind the guard", () => {
  test('reaches no sandbox: what Prism forwards without the guard’s pass is refused, and nothing changes', async () => {
    const prismPort = prismOwnPort(mock);
    mock.sandbox.setPin(cardId, '3333');
    const before = mock.sandbox.requests.length;
    const base = `http://127.0.0.1:${prismPort}`;
    const put = await raw(
      base,
      'PUT',
      pinPath,
      'evil.example',
      '{"pin":"6666","cardholderVerificationMethod":"LOGIN"}',
    );
    expect([put.status, JSON.parse(put.body).code]).toEqual([403, 'pass']);
    const get = await raw(base, 'GET', `${pinPath}&cardholderVerificationMethod=LOGIN`, 'evil.example');
    expect([get.status, JSON.parse(get.body).code]).toEqual([403, 'pass']);
    expect(mock.sandbox.pinOf(cardId)).toBe('3333');
    expect(mock.sandbox.requests.length).toBe(before);
    // Through the guard, with a loopback Host, the same request is answered by the sandbox.
    const guarded = await raw(mock.url, 'GET', `${pinPath}&cardholderVerificationMethod=LOGIN`, 'localhost');
    expect([guarded.status, JSON.parse(guarded.body)]).toEqual([200, { pin: '3333' }]);
  });
});
