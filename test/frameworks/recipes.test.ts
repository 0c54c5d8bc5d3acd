// docs/frameworks.md's recipes: all type-checked against the built package and each framework's own
// types (Next's included), and each server recipe run by Node 24 as its own process on 127.0.0.1 with the
// real framework, against the sandbox over HTTP on loopback, and stopped by its PID. The Next.js route is
// called with Next's own NextRequest. (A body parser in front: body-parsers.test.ts.)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { SESSION, startUpstream, type Upstream } from '../forward/helpers.js';
import { docExample } from '../support/docs.js';
import { type Started, startPrintedServer } from '../support/listening.js';
import { typeCheck } from '../support/docs.js';
import { root } from '../support/run.js';

const KEY = 'server-side-key-7d04aa';
const NODE_24 = join(root, 'node_modules/node/bin/node');
const SERVERS = ['express', 'fastify', 'hono', 'node-http'];
const { cardId, accountId, personId } = exampleCard;
const pinPath = `/api/equals/v2/cards/${cardId}/pin`;
const ids = `?accountId=${accountId}&personId=${personId}`;

// Next's own types of a route module's handlers and `dynamic`, and the handler type its generated route types hold a catch-all
// route's exports to (next/dist/server/lib/router-utils/typegen.js): checked here without `next build`.
const nextCheck = `import type { AppRouteHandlers, AppRouteUserlandModule } from 'next/dist/server/route-modules/app-route/module.js';
import type { NextRequest } from 'next/server.js';
import * as route from './next.js';

type Handler = (request: NextRequest, context: { params: Promise<{ path: string[] }> }) => Promise<Response | void> | Response | void;
export const asNextLoadsIt: AppRouteHandlers & Pick<AppRouteUserlandModule, 'dynamic'> = route;
export const handlers: { GET: Handler; PUT: Handler; dynamic: 'force-dynamic' } = route;
`;

/**
 * The recipes as files in test-results/ (inside the repository, so that `equals-card-pin` resolves to
 * this package by its own name), with the `./session.js` they import: the example card for SESSION.
 */
function writeRecipes(): string {
  const dir = join(root, 'test-results/frameworks');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const name of [...SERVERS, 'next'])
    writeFileSync(join(dir, `${name}.ts`), docExample('docs/frameworks.md', name));
  writeFileSync(join(dir, 'next-check.ts'), nextCheck);
  writeFileSync(
    join(dir, 'session.js'),
    `export const cardsOfSession = async (request) => ((request.headers.get('cookie') ?? '').split(/; */).includes(${JSON.stringify(SESSION)}) ? [${JSON.stringify(cardId)}] : []);\n`,
  );
  writeFileSync(
    join(dir, 'session.d.ts'),
    'export declare const cardsOfSession: (request: Request) => Promise<string[]>;\n',
  );
  return dir;
}

let dir: string;
let upstream: Upstream;

beforeAll(async () => {
  dir = writeRecipes();
  upstream = await startUpstream(KEY);
});
afterAll(() => upstream?.close());
beforeEach(() => {
  upstream.sandbox.reset();
  upstream.headers.length = 0;
});

test("every recipe type-checks against the built package and its framework's own types", async () => {
  const files = [...SERVERS, 'next', 'next-check'].map((name) => `${name}.ts`);
  const { status, output } = await typeCheck(dir, ['session.d.ts', ...files]);
  expect(output).toBe('');
  expect(status).toBe(0);
}, 90_000);

describe.each(SERVERS)('the %s recipe, run', (name) => {
  let server: Started | undefined;
  beforeAll(async () => {
    const env = { EQUALS_API_KEY: KEY, EQUALS_BASE_URL: upstream.url, PORT: '0' };
    server = await startPrintedServer(NODE_24, [join(dir, `${name}.ts`)], { env });
  }, 30_000);
  afterAll(() => server?.stop());

  test('changes and reveals the PIN for the signed-in owner, with the key upstream and nothing of the browser', async () => {
    const headers = { cookie: SESSION, authorization: 'Bearer browser-token' };
    const put = await fetch(`${server!.origin}${pinPath}${ids}`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{"pin":"3907"}',
    });
    expect([put.status, await put.json()]).toEqual([200, { success: true, pin: '3907' }]);
    const got = await fetch(`${server!.origin}${pinPath}${ids}&cardholderVerificationMethod=LOGIN`, { headers });
    expect([got.status, await got.json()]).toEqual([200, { pin: '3907' }]);
    expect([got.headers.get('cache-control'), got.headers.get('x-frame-options')]).toEqual(['no-store', 'DENY']);
    expect(upstream.sandbox.pinOf(cardId)).toBe('3907');
    expect(upstream.headers.map((h) => [h.get('authorization'), h.get('cookie')])).toEqual([
      [`ApiKey ${KEY}`, null],
      [`ApiKey ${KEY}`, null],
    ]);
  });

  test('refuses a stranger and a page of another site; nothing reaches upstream', async () => {
    const stranger = await fetch(`${server!.origin}${pinPath}${ids}`, {
      method: 'PUT',
      headers: { cookie: 'session=mallory', 'content-type': 'application/json' },
      body: '{"pin":"3907"}',
    });
    expect([stranger.status, (await stranger.json()).code]).toEqual([403, 'authorize']);
    const crossSite = await fetch(`${server!.origin}${pinPath}${ids}`, {
      headers: { cookie: SESSION, 'sec-fetch-site': 'cross-site' },
    });
    expect([crossSite.status, (await crossSite.json()).code]).toEqual([403, 'cross-site']);
    expect(upstream.sandbox.requests).toEqual([]);
  });
});

describe("the Next.js route handler, called with Next's own NextRequest", () => {
  let route: { GET: (request: Request) => Promise<Response>; PUT: (request: Request) => Promise<Response> };
  let NextRequest: typeof import('next/server.js').NextRequest;

  beforeAll(async () => {
    // Read at module load, as Next does: the environment has to be there first.
    vi.stubEnv('EQUALS_API_KEY', KEY);
    vi.stubEnv('EQUALS_BASE_URL', upstream.url);
    route = await import(pathToFileURL(join(dir, 'next.ts')).href);
    ({ NextRequest } = await import('next/server.js'));
  });
  afterAll(() => vi.unstubAllEnvs());

  test('the owner changes and reveals the PIN; a stranger gets 403 and nothing goes upstream', async () => {
    const app = 'https://app.example';
    const put = await route.PUT(
      new NextRequest(`${app}${pinPath}${ids}`, {
        method: 'PUT',
        headers: { cookie: SESSION, 'content-type': 'application/json' },
        body: '{"pin":"3907"}',
      }),
    );
    expect([put.status, await put.json()]).toEqual([200, { success: true, pin: '3907' }]);
    const got = await route.GET(new NextRequest(`${app}${pinPath}${ids}`, { headers: { cookie: SESSION } }));
    expect([got.status, await got.json()]).toEqual([200, { pin: '3907' }]);
    upstream.sandbox.reset();
    const other = await route.GET(
      new NextRequest(`${app}${pinPath}${ids}`, { headers: { cookie: 'session=mallory' } }),
    );
    expect(other.status).toBe(403);
    expect(upstream.sandbox.requests).toEqual([]);
  });
});
