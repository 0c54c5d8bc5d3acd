// docs/forwarder.md's module and docs/client.md's browser example: type-checked against the built package,
// and the forwarder module called as a Fetch runtime calls it (Workers, Deno, Bun, Hono and Next.js route
// handlers all do), with the sandbox over HTTP on loopback as the API. (The browser example runs in
// Chromium: browser.test.ts. The framework recipes have their own guide, docs/frameworks.md.)
import { getRequestListener } from '@hono/node-server';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { createPinForwarder } from '../../src/forward.js';
import { typeCheck } from '../support/docs.js';
import { SESSION, startUpstream, writeExamples, type Upstream } from './helpers.js';

const KEY = 'server-side-key-c41d9e';
const { cardId, accountId, personId } = exampleCard;
const app = 'https://app.example';
const pinPath = `/api/equals/v2/cards/${cardId}/pin`;
const getQuery = `?accountId=${accountId}&personId=${personId}&cardholderVerificationMethod=LOGIN`;
const putQuery = `?accountId=${accountId}&personId=${personId}`;

let dir: string;
let upstream: Upstream;
let moduleUrl: string;

beforeAll(async () => {
  dir = writeExamples();
  moduleUrl = pathToFileURL(join(dir, 'forwarder.ts')).href;
  upstream = await startUpstream(KEY);
});
afterAll(() => upstream.close());
beforeEach(() => {
  upstream.sandbox.reset();
  upstream.headers.length = 0;
});

test('both examples type-check against the built package', async () => {
  const { status, output } = await typeCheck(dir, ['session.d.ts', 'browser.ts', 'forwarder.ts']);
  expect(output).toBe('');
  expect(status).toBe(0);
}, 60_000);

describe('the forwarder module, called as a Fetch runtime calls it', () => {
  let forward: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    // Read at module load: the environment has to be there first.
    vi.stubEnv('EQUALS_API_KEY', KEY);
    vi.stubEnv('EQUALS_BASE_URL', upstream.url);
    ({ forward } = await import(moduleUrl));
  });
  afterAll(() => vi.unstubAllEnvs());

  test('changes and reveals the PIN for the signed-in owner, adding the key upstream and nothing of the browser', async () => {
    const headers = { cookie: SESSION, authorization: 'Bearer browser-token' };
    const put = await forward(
      new Request(`${app}${pinPath}${putQuery}`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{"pin":"3907"}',
      }),
    );
    expect([put.status, await put.json()]).toEqual([200, { success: true, pin: '3907' }]);
    const got = await forward(new Request(`${app}${pinPath}${getQuery}`, { headers }));
    expect([got.status, await got.json()]).toEqual([200, { pin: '3907' }]);
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(upstream.sandbox.pinOf(cardId)).toBe('3907');
    expect(upstream.headers.map((h) => [h.get('authorization'), h.get('cookie')])).toEqual([
      [`ApiKey ${KEY}`, null],
      [`ApiKey ${KEY}`, null],
    ]);
  });

  test('refuses anyone else with 403, and nothing reaches upstream', async () => {
    const put = await forward(
      new Request(`${app}${pinPath}${putQuery}`, {
        method: 'PUT',
        headers: { cookie: 'session=mallory', 'content-type': 'application/json' },
        body: '{"pin":"3907"}',
      }),
    );
    expect(put.status).toBe(403);
    expect(await put.text()).not.toContain(KEY);
    expect(upstream.sandbox.requests).toEqual([]);
  });

  test('another path is a 404, another method a 405', async () => {
    expect((await forward(new Request(`${app}/api/equals/v2/cards`, { headers: { cookie: SESSION } }))).status).toBe(
      404,
    );
    const other = await forward(
      new Request(`${app}${pinPath}${getQuery}`, { method: 'DELETE', headers: { cookie: SESSION } }),
    );
    expect([other.status, other.headers.get('allow')]).toEqual([405, 'GET, PUT']);
    expect(upstream.sandbox.requests).toEqual([]);
  });

  test('a failure upstream is logged through onError, with no key and no PIN in the log', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      upstream.sandbox.failNext({ status: 500 });
      const got = await forward(new Request(`${app}${pinPath}${getQuery}`, { headers: { cookie: SESSION } }));
      expect(got.status).toBe(502);
      expect(logged).toHaveBeenCalledTimes(1);
      const line = String(logged.mock.calls[0]![0]);
      expect(line).toMatch(/500/);
      expect(line).not.toContain(KEY);
      expect(line).not.toContain(exampleCard.pin);
    } finally {
      logged.mockRestore();
    }
  });

  test('without EQUALS_API_KEY, the module stops at load with a message naming it', async () => {
    vi.stubEnv('EQUALS_API_KEY', undefined);
    try {
      await expect(import(`${moduleUrl}?without-key`)).rejects.toThrow(/EQUALS_API_KEY/);
    } finally {
      vi.stubEnv('EQUALS_API_KEY', KEY);
    }
  });
});

describe('the Express caveat, over a real socket', () => {
  test('behind a body parser that ran first, a PUT is refused with 500 instead of reaching upstream PIN-less', async () => {
    const errors: unknown[] = [];
    const forward = createPinForwarder({
      apiKey: KEY,
      baseUrl: upstream.url,
      authorize: () => true,
      verification: () => ({ method: 'LOGIN' }),
      onError: (error) => errors.push(error),
    });
    const listener = getRequestListener(forward);
    // What express.json() does: read the whole body and keep it on req.body.
    const server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      Object.assign(req, { body: JSON.parse(body) });
      await listener(req, res);
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    try {
      const { port } = server.address() as { port: number };
      const put = await fetch(`http://127.0.0.1:${port}${pinPath}${putQuery}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{"pin":"3907"}',
      });
      expect(put.status).toBe(500);
      expect(String(errors[0])).toMatch(/mount it before any body parser/);
      expect(upstream.sandbox.requests).toEqual([]);
      expect(upstream.sandbox.pinOf(cardId)).toBe(exampleCard.pin);
    } finally {
      await new Promise((closed) => server.close(closed));
    }
  });
});
