// The forwarder with the sandbox as its upstream `fetch`: routing, validation, authorize, what reaches
// upstream, and every upstream failure mapped to the status and body the browser gets. Every answer is
// checked for the PIN and the API key (body and headers), for no-store, and against the spec's schemas.
import { Hono } from 'hono';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { operations, servers } from '../../generated/pin-constraints.js';
import { responses } from '../../generated/pin-examples.js';
import { PinValidationError } from '../../src/client/errors.js';
import { createPinForwarder, type Authorize, type PinForwarderOptions } from '../../src/forward.js';
import { createPinSandbox, type PinSandbox } from '../../src/sandbox.js';
import { API_KEY, seedPut } from '../support/fetch.js';
import { responseProblems } from '../support/spec-validator.js';

const { cardId, accountId, personId, pin: examplePin } = seedPut;
const ids = { cardId, accountId, personId };
const NEW_PIN = '5831';
const APP = 'https://app.example/api/equals';
const USER_TOKEN = 'Bearer user-session-token-91';
const COOKIE = 'session=alice-cookie-3c7';

let sandbox: PinSandbox;
let upstream: Request[];

beforeEach(() => {
  sandbox = createPinSandbox({ apiKeys: [API_KEY] });
  upstream = [];
});

/** The sandbox as upstream, recording each request the forwarder sends. A scripted network error rejects, as fetch does. */
const sandboxFetch = async (request: Request) => {
  upstream.push(request.clone());
  const response = await sandbox.handle(request);
  if (response.type === 'error') throw new TypeError('fetch failed');
  return response;
};

const allow: Authorize = () => true;
const vouch = () => ({ method: 'LOGIN' as const });
const forwarder = (options: Partial<PinForwarderOptions> = {}) =>
  createPinForwarder({
    apiKey: API_KEY,
    baseUrl: servers.sandbox,
    authorize: allow,
    verification: () => ({ method: 'LOGIN' }),
    fetch: sandboxFetch,
    retry: { baseDelayMs: 1 },
    ...options,
  });

interface Inbound {
  method?: string;
  path?: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request as the browser would send it to the backend: session cookie, a bearer token, JSON body. */
function inbound({ method = 'GET', path, query, body, headers = {} }: Inbound = {}): Request {
  const url = new URL(`${APP}${path ?? `/v2/cards/${cardId}/pin`}`);
  const params =
    query ??
    (method === 'GET' ? { accountId, personId, cardholderVerificationMethod: 'LOGIN' } : { accountId, personId });
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return new Request(url, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {
      cookie: COOKIE,
      authorization: USER_TOKEN,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
  });
}

/** Reads an answer and checks what every answer must hold; `secrets` must appear nowhere in it. */
async function read(response: Response, secrets: string[] = [NEW_PIN, examplePin]) {
  const text = await response.text();
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  for (const secret of [API_KEY, ...secrets]) {
    expect(text, 'body').not.toContain(secret);
    expect(headers, 'headers').not.toContain(secret);
  }
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('content-type')).toBe('application/json');
  return { status: response.status, json: JSON.parse(text), headers: response.headers };
}

/** The spec's own schemas: the browser side gets answers the spec describes. */
const expectDocumented = (operation: 'getPin' | 'updatePin', status: number, json: unknown) =>
  expect(responseProblems(operation, status, json), `${operation} ${status}`).toEqual([]);

describe('routing', () => {
  test('serves both operations under a mount prefix, with the upstream answer as JSON', async () => {
    const forward = forwarder();
    const put = await read(await forward(inbound({ method: 'PUT', body: { pin: NEW_PIN } })), []);
    expect(put).toMatchObject({ status: 200, json: { success: true, pin: NEW_PIN } });
    const got = await read(await forward(inbound()), []);
    expect(got).toMatchObject({ status: 200, json: { pin: NEW_PIN } });
    expect(sandbox.pinOf(cardId)).toBe(NEW_PIN);
    expect(upstream.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      `PUT /v2/cards/${cardId}/pin`,
      `GET /v2/cards/${cardId}/pin`,
    ]);
  });

  test('serves at the root and under a deeper prefix alike', async () => {
    const forward = forwarder();
    for (const prefix of ['https://app.example', 'https://app.example/a/b/c']) {
      const url = new URL(inbound().url);
      const request = new Request(`${prefix}${url.pathname.slice('/api/equals'.length)}${url.search}`);
      expect((await read(await forward(request), [])).json).toEqual({ pin: examplePin });
    }
  });

  test.each(['/v2/cards/x/pins', '/v2/cards/pin', '/v2/cards/a/b/pin', '/v1/cards/x/pin', '/'])(
    '404 for %s, nothing forwarded',
    async (path) => {
      const { status, json } = await read(await forwarder()(inbound({ path })));
      expect(status).toBe(404);
      expect(json.message).toMatch(/no operation/i);
      expect(upstream).toHaveLength(0);
    },
  );

  test.each(['DELETE', 'POST', 'PATCH', 'OPTIONS', 'HEAD'])(
    '405 for %s, with Allow naming the spec’s methods',
    async (method) => {
      const response = await forwarder()(inbound({ method }));
      const { status, headers } = await read(response);
      expect(status).toBe(405);
      expect(headers.get('allow')).toBe(
        Object.values(operations)
          .map((op) => op.method)
          .join(', '),
      );
      expect(upstream).toHaveLength(0);
    },
  );
});

describe('mounted in a Fetch runtime, as the README shows', () => {
  test('Hono: app.all(prefix, (c) => forward(c.req.raw)), the body read by the forwarder', async () => {
    const forward = forwarder();
    const app = new Hono();
    app.all('/api/equals/*', (c) => forward(c.req.raw));
    const request = inbound({ method: 'PUT', body: { pin: NEW_PIN } });
    const { status, json } = await read(
      await app.request(request.url, {
        method: 'PUT',
        body: JSON.stringify({ pin: NEW_PIN }),
        headers: request.headers,
      }),
      [],
    );
    expect([status, json]).toEqual([200, { success: true, pin: NEW_PIN }]);
    expect(sandbox.pinOf(cardId)).toBe(NEW_PIN);
  });

  test('a Worker: export default { fetch: forward }', async () => {
    const worker = { fetch: forwarder() };
    expect((await read(await worker.fetch(inbound()), [])).json).toEqual({ pin: examplePin });
  });
});

describe('requests from another origin’s page', () => {
  test.each(['cross-site', 'same-site'])(
    'Sec-Fetch-Site: %s is refused with 403 before authorize, nothing forwarded',
    async (site) => {
      const authorize = vi.fn(allow);
      const { status, json } = await read(
        await forwarder({ authorize })(
          inbound({ method: 'PUT', body: { pin: NEW_PIN }, headers: { 'sec-fetch-site': site } }),
        ),
      );
      expect([status, json.code]).toEqual([403, 'cross-site']);
      expectDocumented('updatePin', 403, json);
      expect(authorize).not.toHaveBeenCalled();
      expect(upstream).toHaveLength(0);
    },
  );

  test.each(['same-origin', 'none'])('Sec-Fetch-Site: %s is served', async (site) => {
    const { status } = await read(await forwarder()(inbound({ headers: { 'sec-fetch-site': site } })), []);
    expect(status).toBe(200);
  });
});

describe('validation: 400 naming the field and the rule, nothing forwarded', () => {
  test.each([
    ['a PIN that is not four digits', inbound({ method: 'PUT', body: { pin: '12a4' } }), 'pin', 'pattern'],
    [
      'a missing accountId',
      inbound({ query: { personId, cardholderVerificationMethod: 'LOGIN' } }),
      'accountId',
      'required',
    ],
    [
      'an unknown enum value',
      inbound({ query: { accountId, personId, cardholderVerificationMethod: 'PSYCHIC' } }),
      'cardholderVerificationMethod',
      'enum',
    ],
    [
      'an unknown query parameter',
      inbound({ query: { accountId, personId, cardholderVerificationMethod: 'LOGIN', debug: '1' } }),
      'debug',
      'additionalProperties',
    ],
    [
      'an unknown body field',
      inbound({ method: 'PUT', body: { pin: NEW_PIN, admin: true } }),
      'admin',
      'additionalProperties',
    ],
    [
      'a card id over 36 characters',
      inbound({ path: `/v2/cards/${'c'.repeat(operations.getPin.input.properties.cardId.maxLength + 1)}/pin` }),
      'cardId',
      'maxLength',
    ],
  ])('%s', async (_, request, field, rule) => {
    const authorize = vi.fn(allow);
    const { status, json } = await read(await forwarder({ authorize })(request), [NEW_PIN, examplePin, '12a4']);
    expect(status).toBe(400);
    expect(json).toEqual({ message: expect.stringContaining(`${field} fails ${rule}`), code: rule });
    expectDocumented(request.method === 'GET' ? 'getPin' : 'updatePin', 400, json);
    expect(authorize).not.toHaveBeenCalled();
    expect(upstream).toHaveLength(0);
  });

  test('415 for a body that is not JSON', async () => {
    const request = new Request(inbound({ method: 'PUT' }).url, {
      method: 'PUT',
      body: `pin=${NEW_PIN}`,
      headers: { 'content-type': 'text/plain' },
    });
    const { status, json } = await read(await forwarder()(request));
    expect(status).toBe(415);
    expectDocumented('updatePin', 415, json);
    expect(upstream).toHaveLength(0);
  });
});

describe('authorize', () => {
  test('gets the request and the operation with its ids, never the PIN', async () => {
    const authorize = vi.fn<Authorize>(() => true);
    await forwarder({ authorize })(
      inbound({ method: 'PUT', body: { pin: NEW_PIN, cardholderVerificationMethod: 'LOGIN' } }),
    );
    const [request, params] = authorize.mock.calls[0]!;
    expect(params).toEqual({ operation: 'updatePin', ...ids });
    expect(JSON.stringify(params)).not.toContain(NEW_PIN);
    expect(request.headers.get('cookie')).toBe(COOKIE);
  });

  test.each([
    ['false', false],
    ['undefined', undefined],
    ['a truthy non-true value', 'yes'],
    ['a promise of false', Promise.resolve(false)],
  ])('%s refuses with 403 and forwards nothing', async (_, verdict) => {
    const { status, json } = await read(
      await forwarder({ authorize: () => verdict as never })(inbound({ method: 'PUT', body: { pin: NEW_PIN } })),
    );
    expect(status).toBe(403);
    expectDocumented('updatePin', 403, json);
    expect(upstream).toHaveLength(0);
    expect(sandbox.pinOf(cardId)).toBe(examplePin);
  });

  test('a Response it returns is the answer, made no-store, and nothing is forwarded', async () => {
    const refusal = new Response('{"message":"Sign in first"}', {
      status: 401,
      headers: { 'content-type': 'application/json', 'cache-control': 'max-age=60', 'x-team': 'ours' },
    });
    const response = await forwarder({ authorize: async () => refusal })(inbound());
    const { status, json, headers } = await read(response);
    expect(status).toBe(401);
    expect(json).toEqual({ message: 'Sign in first' });
    expect(headers.get('x-team')).toBe('ours');
    expect(upstream).toHaveLength(0);
  });

  test('one that throws fails closed: 500, reported to onError, nothing forwarded', async () => {
    const onError = vi.fn();
    const broken = new Error('session store down');
    const { status, json } = await read(
      await forwarder({ authorize: () => Promise.reject(broken), onError })(inbound()),
    );
    expect(status).toBe(500);
    expectDocumented('getPin', 500, json);
    expect(JSON.stringify(json)).not.toContain('session store');
    expect(onError).toHaveBeenCalledWith(broken);
    expect(upstream).toHaveLength(0);
  });
});

describe('creation', () => {
  test.each([
    ['authorize', { apiKey: API_KEY, verification: vouch }],
    ['authorize', { apiKey: API_KEY, authorize: true, verification: vouch }],
    ['verification', { apiKey: API_KEY, authorize: allow }],
    ['verification', { apiKey: API_KEY, authorize: allow, verification: { method: 'LOGIN' } }],
    ['apiKey', { authorize: allow, verification: vouch }],
    ['apiKey', { apiKey: '', authorize: allow, verification: vouch }],
  ])('refuses without %s', (field, options) => {
    const create = () => createPinForwarder(options as never);
    expect(create).toThrow(PinValidationError);
    expect(create).toThrow(expect.objectContaining({ field, rule: 'required' }));
  });

  test.each([
    'https://user:pass@api-sandbox.equalsmoney.com',
    'https://api-sandbox.equalsmoney.com?',
    'https://api-sandbox.equalsmoney.com#',
  ])('refuses a baseUrl with user-info, a query or a fragment, as the client does: %s', (baseUrl) => {
    expect(() => forwarder({ baseUrl })).toThrow(expect.objectContaining({ field: 'baseUrl', rule: 'not' }));
  });

  test.each([
    ['baseUrl', 'https', { baseUrl: 'http://api.example.com' }],
    ['baseUrl', 'not', { baseUrl: `${servers.sandbox}/v2` }],
    ['baseUrl', 'not', { baseUrl: `${servers.sandbox}#` }],
    ['timeoutMs', 'exclusiveMinimum', { timeoutMs: 0 }],
    ['apiKey', 'pattern', { apiKey: 'two words' }],
  ])('names itself in its option errors, not createPinClient: %s %s', (field, rule, options) => {
    let error: unknown;
    try {
      forwarder(options as Partial<PinForwarderOptions>);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PinValidationError);
    expect(error).toMatchObject({ field, rule, operation: 'createPinForwarder' });
    expect((error as Error).message).toMatch(new RegExp(`^createPinForwarder: ${field} fails ${rule}`));
  });

  test('refuses a plain-http upstream that is not loopback, as the client does', () => {
    expect(() => forwarder({ baseUrl: 'http://api.example.com' })).toThrow(
      expect.objectContaining({ field: 'baseUrl', rule: 'https' }),
    );
  });
});

describe('what reaches upstream', () => {
  test('the API key as Authorization; never the inbound cookie, Authorization or other headers', async () => {
    const request = inbound({
      method: 'PUT',
      body: { pin: NEW_PIN },
      headers: { 'x-forwarded-for': '203.0.113.9', 'x-custom': 'browser' },
    });
    expect((await forwarder()(request)).status).toBe(200);
    const [sent] = upstream;
    expect(sent!.headers.get('authorization')).toBe(`ApiKey ${API_KEY}`);
    for (const name of ['cookie', 'x-forwarded-for', 'x-custom']) expect(sent!.headers.get(name), name).toBeNull();
    // The PIN as the browser sent it, and the method the backend vouched for (verification.test.ts).
    expect(await sent!.json()).toEqual({ pin: NEW_PIN, cardholderVerificationMethod: 'LOGIN' });
  });

  test('a body that something in front already read is a 500, not a PIN-less PUT (which sets a random PIN)', async () => {
    // What the forwarder sees behind express.json(): Content-Length says 15 bytes, the stream is empty.
    const request = new Request(inbound({ method: 'PUT' }).url, {
      method: 'PUT',
      body: '',
      headers: { 'content-length': '15', 'content-type': 'application/json' },
    });
    const onError = vi.fn();
    const { status } = await read(await forwarder({ onError })(request));
    expect(status).toBe(500);
    expect(String(onError.mock.calls[0]![0])).toMatch(/before any body parser/);
    expect(upstream).toHaveLength(0);
    expect(sandbox.pinOf(cardId)).toBe(examplePin);
  });

  test('a body announced by Content-Length that an adapter handed over as none is a 500 too', async () => {
    const request = new Request(inbound({ method: 'PUT' }).url, {
      method: 'PUT',
      headers: { 'content-length': '15', 'content-type': 'application/json' },
    });
    expect(request.body).toBeNull();
    expect((await read(await forwarder()(request))).status).toBe(500);
    expect(upstream).toHaveLength(0);
    expect(sandbox.pinOf(cardId)).toBe(examplePin);
  });

  test('a request body that never ends is answered within timeoutMs, and nothing goes upstream', async () => {
    const endless = new ReadableStream<Uint8Array>({ start: () => {} }); // never sends, never closes
    const request = new Request(inbound({ method: 'PUT' }).url, {
      method: 'PUT',
      body: endless,
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      duplex: 'half',
    } as RequestInit);
    const started = Date.now();
    const answer = await forwarder({ timeoutMs: 300 })(request);
    expect(answer.status).toBe(500);
    expect(Date.now() - started).toBeLessThan(300 + 2000); // the deadline, and room for a busy runner
    expect(upstream).toHaveLength(0);
  });

  test('a chunked body that something in front already read is a 500 too', async () => {
    const request = new Request(inbound({ method: 'PUT' }).url, {
      method: 'PUT',
      body: '',
      headers: { 'transfer-encoding': 'chunked', 'content-type': 'application/json' },
    });
    expect((await read(await forwarder()(request))).status).toBe(500);
    expect(upstream).toHaveLength(0);
    expect(sandbox.pinOf(cardId)).toBe(examplePin);
  });

  test("a malformed key from the server's own apiKey function is a 500 that names nothing of it", async () => {
    const onError = vi.fn();
    const { status, json } = await read(
      await forwarder({ apiKey: () => 'has space', onError })(inbound({ method: 'PUT', body: { pin: NEW_PIN } })),
    );
    expect(status).toBe(500);
    expect(json.code).toBe('config');
    expect(JSON.stringify(json)).not.toMatch(/apiKey|has space/);
    expect(onError).toHaveBeenCalledOnce();
    expect(upstream).toHaveLength(0);
  });

  test('an empty body with no Content-Length is a PIN-less PUT, as the spec allows', async () => {
    const { status, json } = await read(await forwarder()(inbound({ method: 'PUT' })), []);
    expect(status).toBe(200);
    expect(json).toEqual({ success: true, pin: expect.stringMatching(/^\d{4}$/) });
  });

  test('a key function is called per request', async () => {
    const apiKey = vi.fn(async () => API_KEY);
    const forward = forwarder({ apiKey });
    await forward(inbound());
    await forward(inbound());
    expect(apiKey).toHaveBeenCalledTimes(2);
  });

  test('a PIN-less PUT is sent once, even on a 503', async () => {
    sandbox.failNext({ status: 503, times: 3 });
    const { status } = await read(await forwarder()(inbound({ method: 'PUT' })));
    expect(status).toBe(503);
    expect(upstream).toHaveLength(1);
  });

  test('a PUT with a PIN is retried on a 503, as the client does', async () => {
    sandbox.failNext({ status: 503, times: 1 });
    const { status } = await read(await forwarder()(inbound({ method: 'PUT', body: { pin: NEW_PIN } })), []);
    expect(status).toBe(200);
    expect(upstream).toHaveLength(2);
  });
});

describe('upstream failures map to documented answers that echo no secret', () => {
  const failures: Array<[string, (s: PinSandbox) => void, number, string | undefined]> = [
    ['400', (s) => s.failNext({ status: 400 }), 400, undefined],
    ['401 (the server key is missing)', (s) => s.failNext({ status: 401 }), 502, 'upstream_401'],
    ['403 (the server key is wrong)', (s) => s.failNext({ status: 403 }), 502, 'upstream_403'],
    ['404', (s) => s.failNext({ status: 404 }), 404, undefined],
    ['415', (s) => s.failNext({ status: 415, operation: 'updatePin' }), 502, 'upstream_415'],
    ['500', (s) => s.failNext({ status: 500 }), 502, 'upstream_500'],
    ['502', (s) => s.failNext({ status: 502, times: 3 }), 502, 'upstream_502'],
    ['503', (s) => s.failNext({ status: 503, times: 3 }), 503, undefined],
    ['504', (s) => s.failNext({ status: 504, times: 3 }), 504, undefined],
    ['a network error', (s) => s.failNext({ network: true, times: 3 }), 502, 'network'],
  ];

  test.each(failures)('upstream %s', async (_, fail, expected, code) => {
    fail(sandbox);
    const onError = vi.fn();
    const { status, json } = await read(
      await forwarder({ onError })(inbound({ method: 'PUT', body: { pin: NEW_PIN } })),
    );
    expect(status).toBe(expected);
    expectDocumented('updatePin', status, json);
    expect(json.code).toBe(code);
    expect(onError).toHaveBeenCalledOnce();
  });

  test('an onError that throws changes nothing in the answer', async () => {
    sandbox.failNext({ status: 404 });
    const onError = vi.fn(() => {
      throw new Error('logger down');
    });
    const { status, json } = await read(await forwarder({ onError })(inbound()));
    expect([status, json]).toEqual([404, responses.getPin[404].example]);
    expect(onError).toHaveBeenCalledOnce();
  });

  test('an unknown card: 404 with the spec’s body', async () => {
    const { status, json } = await read(
      await forwarder()(inbound({ query: { accountId: 'F99999', personId, cardholderVerificationMethod: 'LOGIN' } })),
    );
    expect(status).toBe(404);
    expect(json).toEqual(responses.getPin[404].example);
  });

  test('429 keeps Retry-After', async () => {
    sandbox.failNext({ status: 429, retryAfter: 7 });
    const { status, json, headers } = await read(await forwarder({ retry: false })(inbound()));
    expect(status).toBe(429);
    expectDocumented('getPin', 429, json);
    expect(headers.get('retry-after')).toBe('7');
  });

  test('503 keeps Retry-After', async () => {
    sandbox.failNext({ status: 503, retryAfter: 3 });
    const { status, headers } = await read(await forwarder({ retry: false })(inbound()));
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe('3');
  });

  test('the provider’s x-request-id is passed on', async () => {
    const fetch = async () =>
      new Response('{"message":"Card not found"}', {
        status: 404,
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-7781' },
      });
    const { status, headers } = await read(await forwarder({ fetch })(inbound()));
    expect([status, headers.get('x-request-id')]).toEqual([404, 'req-7781']);
  });

  test('an upstream error body never reaches the browser', async () => {
    const leaky = async () =>
      new Response(JSON.stringify({ message: `bad key ${API_KEY} for pin ${NEW_PIN}` }), {
        status: 403,
        headers: { 'content-type': 'application/json' },
      });
    const { status, json } = await read(
      await forwarder({ fetch: leaky })(inbound({ method: 'PUT', body: { pin: NEW_PIN } })),
    );
    expect(status).toBe(502);
    expect(json).toEqual({ ...responses.updatePin[502].example, code: 'upstream_403' });
  });

  test('upstream too slow: 504 within timeoutMs', async () => {
    const hang = (request: Request) =>
      new Promise<Response>((_, reject) =>
        request.signal.addEventListener('abort', () => reject(request.signal.reason)),
      );
    const started = Date.now();
    const { status, json } = await read(await forwarder({ fetch: hang, timeoutMs: 100 })(inbound()));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(status).toBe(504);
    expect(json).toEqual({ ...responses.getPin[504].example, code: 'timeout' });
  });

  test.each([307, 308, 302, 303])('an upstream %i redirect: 502, Location not followed', async (redirect) => {
    const fetch = vi.fn(
      async () => new Response(null, { status: redirect, headers: { location: 'https://evil.example/steal' } }),
    );
    const { status, json } = await read(await forwarder({ fetch })(inbound({ method: 'PUT', body: { pin: NEW_PIN } })));
    expect(status).toBe(502);
    expect(json.code).toBe('redirect');
    expect(fetch).toHaveBeenCalledOnce();
  });

  test('an upstream 200 that is not the spec’s JSON: 502', async () => {
    const fetch = async () => new Response(`<html>${NEW_PIN}</html>`, { headers: { 'content-type': 'text/html' } });
    const { status, json } = await read(await forwarder({ fetch })(inbound()));
    expect(status).toBe(502);
    expect(json.code).toBe('response');
  });

  test('a fetch that throws at once: 502, and the forwarder itself does not throw', async () => {
    const fetch = () => {
      throw new TypeError(`boom ${API_KEY}`);
    };
    const { status } = await read(await forwarder({ fetch, retry: false })(inbound()));
    expect(status).toBe(502);
  });
});
