// The README's "Browser apps: through your own backend" examples: all type-checked against the built
// package, the node:http example run as its own process on a real socket, the Next.js route handlers
// called as Next calls them. Upstream is the sandbox over HTTP on loopback. (The browser example runs in
// Chromium: browser.test.ts.)
import { getRequestListener } from '@hono/node-server';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { createPinForwarder } from '../../src/forward.js';
import { typeCheck } from '../support/readme.js';
import { root } from '../support/run.js';
import { SESSION, startUpstream, writeExamples, type Upstream } from './helpers.js';

const KEY = 'server-side-key-c41d9e';
const NODE_24 = join(root, 'node_modules/node/bin/node');
const { cardId, accountId, personId } = exampleCard;
const pinPath = `/api/equals/v2/cards/${cardId}/pin`;
const getQuery = `?accountId=${accountId}&personId=${personId}&cardholderVerificationMethod=LOGIN`;
const putQuery = `?accountId=${accountId}&personId=${personId}`;

// Express is not a dependency of this repository: its example is checked against the few declarations it
// uses, an ambient module (so that any program taking in this folder, test/tsconfig.json's too, resolves it).
const expressStub = `declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  export interface Request extends IncomingMessage { originalUrl: string }
  export interface Response extends ServerResponse {}
  export type RequestHandler = (req: Request, res: Response, next: (error?: unknown) => void) => void;
  interface Application {
    use(path: string, ...handlers: RequestHandler[]): this;
    use(...handlers: RequestHandler[]): this;
    listen(port: number): unknown;
  }
  function express(): Application;
  namespace express { function json(): RequestHandler; }
  export default express;
}
`;

let dir: string;
let upstream: Upstream;
const env = () => ({ ...process.env, EQUALS_API_KEY: KEY, EQUALS_BASE_URL: upstream.url });

beforeAll(async () => {
  dir = writeExamples();
  upstream = await startUpstream(KEY);
});
afterAll(() => upstream.close());
beforeEach(() => {
  upstream.sandbox.reset();
  upstream.headers.length = 0;
});

test('every example type-checks against the built package (Express against a stub of its types)', async () => {
  writeFileSync(join(dir, 'express-stub.d.ts'), expressStub);
  const { status, output } = await typeCheck(dir, [
    'express-stub.d.ts',
    'browser.ts',
    'next.ts',
    'node-http.ts',
    'express.ts',
  ]);
  expect(output).toBe('');
  expect(status).toBe(0);
}, 60_000);

describe('the node:http example, run', () => {
  let child: ChildProcess;
  let origin: string;

  beforeAll(async () => {
    child = spawn(NODE_24, [join(dir, 'node-http.ts')], {
      env: { ...env(), PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    for await (const chunk of child.stdout!) {
      out += chunk;
      const url = /PIN forwarder on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) {
        origin = url;
        break;
      }
    }
    if (!origin) throw new Error(`the example printed no address: ${out}`);
  }, 30_000);
  afterAll(async () => {
    if (child.exitCode !== null) return;
    child.kill();
    await once(child, 'exit');
  });

  test('changes and reveals the PIN for the signed-in owner, adding the key upstream and nothing of the browser', async () => {
    const headers = { cookie: SESSION, authorization: 'Bearer browser-token' };
    const put = await fetch(`${origin}${pinPath}${putQuery}`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{"pin":"3907"}',
    });
    expect([put.status, await put.json()]).toEqual([200, { success: true, pin: '3907' }]);
    const got = await fetch(`${origin}${pinPath}${getQuery}`, { headers });
    expect([got.status, await got.json()]).toEqual([200, { pin: '3907' }]);
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(upstream.sandbox.pinOf(cardId)).toBe('3907');
    expect(upstream.headers.map((h) => [h.get('authorization'), h.get('cookie')])).toEqual([
      [`ApiKey ${KEY}`, null],
      [`ApiKey ${KEY}`, null],
    ]);
  });

  test('refuses without the session, and nothing reaches upstream', async () => {
    const put = await fetch(`${origin}${pinPath}${putQuery}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"pin":"3907"}',
    });
    expect(put.status).toBe(403);
    expect(await put.text()).not.toContain(KEY);
    expect(upstream.sandbox.requests).toEqual([]);
  });

  test('another path is a 404, another method a 405, over the socket too', async () => {
    expect((await fetch(`${origin}/api/equals/v2/cards`, { headers: { cookie: SESSION } })).status).toBe(404);
    const post = await fetch(`${origin}${pinPath}${getQuery}`, { method: 'DELETE', headers: { cookie: SESSION } });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, PUT']);
    expect(upstream.sandbox.requests).toEqual([]);
  });
});

describe('the Next.js example, called as Next calls route handlers', () => {
  let route: {
    GET: (request: Request) => Promise<Response>;
    PUT: (request: Request) => Promise<Response>;
    dynamic: string;
  };

  beforeAll(async () => {
    // Read at module load, as Next does: the environment has to be there first, and only then.
    vi.stubEnv('EQUALS_API_KEY', KEY);
    vi.stubEnv('EQUALS_BASE_URL', upstream.url);
    route = await import(pathToFileURL(join(dir, 'next.ts')).href);
  });
  afterAll(() => vi.unstubAllEnvs());

  test('exports GET and PUT, never cached by Next', () => {
    expect(route.dynamic).toBe('force-dynamic');
    expect(route.GET).toBe(route.PUT);
  });

  test('the owner gets the PIN; anyone else gets 403 and nothing is sent upstream', async () => {
    const app = 'https://app.example';
    const own = await route.GET(new Request(`${app}${pinPath}${getQuery}`, { headers: { cookie: SESSION } }));
    expect([own.status, await own.json()]).toEqual([200, { pin: exampleCard.pin }]);
    upstream.sandbox.reset();
    const other = await route.PUT(
      new Request(`${app}${pinPath}${putQuery}`, { method: 'PUT', headers: { cookie: 'session=mallory' } }),
    );
    expect(other.status).toBe(403);
    expect(upstream.sandbox.requests).toEqual([]);
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
