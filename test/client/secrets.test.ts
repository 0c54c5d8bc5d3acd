import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { createPinClient, PinApiError } from '../../src/index.js';
import { json, scriptedFetch, seedGet, seedPut } from '../support/fetch.js';
import { secretLeaks } from '../support/secrets.js';

const API_KEY = 'sk_live_9d8c7b6a5f4e';
const PIN = '4821';

async function errorFrom(answer: () => Response | Promise<Response>, call: 'get' | 'put', input?: object) {
  const { fetch } = scriptedFetch(answer);
  const client = createPinClient({ apiKey: API_KEY, fetch, retry: false, timeoutMs: 100 });
  const sent =
    call === 'get' ? client.getPin({ ...seedGet, ...input }) : client.updatePin({ ...seedPut, pin: PIN, ...input });
  const error = await sent.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PinApiError);
  return error as PinApiError;
}

describe('no PIN and no API key in any error', () => {
  test.each([
    ['a 400 that echoes the PIN', () => json({ message: `PIN ${PIN} rejected`, pin: PIN }, 400)],
    ['an HTML page with the PIN', () => new Response(`<p>${PIN}</p>`, { status: 500 })],
    [
      'malformed JSON holding the PIN',
      () => new Response(`{"pin":"${PIN}"`, { headers: { 'content-type': 'application/json' } }),
    ],
    ['a PIN of the wrong shape', () => json({ pin: `${PIN}0` })],
    ['a network error', () => Promise.reject(new TypeError('fetch failed'))],
    [
      'a redirect whose Location and body hold the PIN',
      () =>
        new Response(`{"pin":"${PIN}"}`, {
          status: 307,
          headers: { location: `https://evil.test/${PIN}?key=${API_KEY}` },
        }),
    ],
    [
      'a truncated error body that repeats the PIN and the key',
      () => new Response(`${PIN} ${API_KEY} `.repeat(2000), { status: 500 }),
    ],
    [
      'a 2xx over 64 KiB that repeats the PIN',
      () =>
        new Response(`{"pin":"${PIN}","pad":"${'x'.repeat(70_000)}"}`, {
          headers: { 'content-type': 'application/json' },
        }),
    ],
  ])('%s', async (_, answer) => {
    for (const call of ['get', 'put'] as const) {
      const error = await errorFrom(answer, call);
      expect(secretLeaks(error, [API_KEY, PIN])).toEqual([]);
    }
  });

  test('refused input never quotes the PIN', async () => {
    for (const pin of ['482', '48211', '48a1']) {
      const error = await errorFrom(() => json({}), 'put', { pin });
      expect(secretLeaks(error, [API_KEY, pin])).toEqual([]);
    }
  });

  test('refused options never quote the key', () => {
    const key = 'sk live with spaces';
    try {
      createPinClient({ apiKey: key });
      expect.unreachable();
    } catch (error) {
      expect(secretLeaks(error, ['sk live'])).toEqual([]);
    }
  });

  test('an apiKey function: neither its key nor a malformed one it returns appears in any error', async () => {
    for (const key of [API_KEY, `${API_KEY} with spaces`, `${API_KEY}\r\nX-Evil: 1`]) {
      const { fetch } = scriptedFetch(() => json({ message: 'nope' }, 401));
      const client = createPinClient({ apiKey: async () => key, fetch, retry: false });
      const error = await client.updatePin({ ...seedPut, pin: PIN }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PinApiError);
      expect(secretLeaks(error, [API_KEY, PIN])).toEqual([]);
    }
  });

  test('the checker finds a leak when there is one', () => {
    const leaky = new Error(`key ${API_KEY}`);
    expect(secretLeaks(leaky, [API_KEY])).not.toEqual([]);
    expect(inspect(new PinApiError('x', 'y', { extra: PIN }))).toContain(PIN);
  });
});

// Issue 21, point 6: fetch implementations quote what they sent in their errors (node-fetch puts the URL in
// its message; others add the headers or the body; undici quotes a URL with user-info). The client keeps a
// failure's cause for logs, so the cause chain must hold no MFA value, key or PIN: only names and codes.
describe('no MFA value, key or PIN in a cause chain', () => {
  const MFA = { sessionId: 'mfa-session-5e1d9c7b', token: '730914' };
  const FN_KEY = 'sk_rotated_3c2b1a0f9e';
  const SECRETS = [API_KEY, FN_KEY, PIN, MFA.sessionId, MFA.token];

  /** An error as node-fetch's FetchError reads, quoting the request, over a nested cause that quotes it too. */
  const quotingError = async (request: Request) => {
    const body = await request.clone().text();
    const headers = Object.fromEntries(request.headers);
    const socket = Object.assign(new Error(`connect ECONNREFUSED for ${request.url} ${JSON.stringify(headers)}`), {
      code: 'ECONNREFUSED',
      errno: -111,
      syscall: 'connect',
      body,
    });
    const inner = new Error(`socket hang up: ${body}`, { cause: socket });
    return Object.assign(new Error(`request to ${request.url} failed, reason: ${body}`, { cause: inner }), {
      name: 'FetchError',
      type: 'system',
      code: 'ECONNREFUSED',
      errno: 'ECONNREFUSED',
      headers,
    });
  };

  const calls = (client: ReturnType<typeof createPinClient>) => [
    () => client.getPin({ ...seedGet, ...MFA }),
    () => client.updatePin({ ...seedPut, pin: PIN, mfa: MFA }),
  ];

  test.each([
    ['a key', API_KEY],
    ['an apiKey function', async () => FN_KEY],
  ])('a fetch whose errors quote the URL, headers and body, with %s', async (_, apiKey) => {
    const fetch = async (request: Request) => {
      throw await quotingError(request);
    };
    const client = createPinClient({ apiKey, fetch, retry: false, timeoutMs: 1000 });
    for (const call of calls(client)) {
      const error = await call().catch((e: unknown) => e);
      expect((error as PinApiError).message).toMatch(/network/);
      expect(secretLeaks(error, SECRETS)).toEqual([]);
      // What is useful of the cause stays: its name and codes, down the chain.
      const cause = (error as Error).cause as Record<string, unknown>;
      expect(cause).toMatchObject({ name: 'FetchError', code: 'ECONNREFUSED', errno: 'ECONNREFUSED' });
      const socket = (cause.cause as Record<string, unknown>).cause;
      expect(socket).toMatchObject({ name: 'Error', code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
    }
  });

  test('a fetch that rejects with a quoting error once the deadline aborted it', async () => {
    const fetch = (request: Request) =>
      new Promise<Response>((_, reject) =>
        request.signal.addEventListener('abort', async () => reject(await quotingError(request))),
      );
    const client = createPinClient({ apiKey: async () => FN_KEY, fetch, retry: false, timeoutMs: 50 });
    for (const call of calls(client)) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PinApiError);
      expect(secretLeaks(error, SECRETS)).toEqual([]);
    }
  });

  test('raw calls too: a network failure is a PinTransportError whose cause holds names and codes only', async () => {
    for (const apiKey of [API_KEY, async () => FN_KEY]) {
      const fetch = async (request: Request) => {
        throw await quotingError(request);
      };
      const { raw } = createPinClient({ apiKey, fetch, retry: false });
      const query = { accountId: seedGet.accountId, personId: seedGet.personId, ...MFA };
      const get = raw.GET('/v2/cards/{cardId}/pin', { params: { path: { cardId: seedGet.cardId }, query } as never });
      const put = raw.PUT('/v2/cards/{cardId}/pin', {
        params: { path: { cardId: seedPut.cardId }, query } as never,
        body: { pin: PIN, mfa: MFA } as never,
      });
      for (const call of [get, put]) {
        const error = await call.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PinApiError);
        expect(error).toMatchObject({ operation: 'raw', code: 'network' });
        expect(secretLeaks(error, SECRETS)).toEqual([]);
        expect((error as Error).cause).toMatchObject({ name: 'FetchError', code: 'ECONNREFUSED' });
      }
    }
  });

  test('raw calls too: a body that fails midway is a PinTransportError whose cause holds names and codes only', async () => {
    for (const ok of [true, false]) {
      // The answer starts, then its stream fails with an error that quotes the request, as a fetch's may.
      const fetch = async (request: Request) => {
        const error = await quotingError(request);
        const body = new ReadableStream({ pull: (controller) => controller.error(error) });
        return new Response(body, { status: ok ? 200 : 500, headers: { 'content-type': 'application/json' } });
      };
      const { raw } = createPinClient({ apiKey: API_KEY, fetch, retry: false });
      const query = { accountId: seedGet.accountId, personId: seedGet.personId, ...MFA };
      const error = await raw
        .GET('/v2/cards/{cardId}/pin', { params: { path: { cardId: seedGet.cardId }, query } as never })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PinApiError);
      expect(error).toMatchObject({ operation: 'raw', code: 'network' });
      expect(secretLeaks(error, SECRETS)).toEqual([]);
    }
  });

  test('a raw call aborted by its caller still rejects with the abort', async () => {
    const controller = new AbortController();
    const fetch = (request: Request) =>
      new Promise<Response>((_, reject) =>
        request.signal.addEventListener('abort', () => reject(request.signal.reason)),
      );
    const { raw } = createPinClient({ apiKey: API_KEY, fetch });
    const call = raw.GET('/v2/cards/{cardId}/pin', {
      params: { path: { cardId: seedGet.cardId }, query: seedGet } as never,
      signal: controller.signal,
    });
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('an apiKey function that throws an error quoting its key', async () => {
    const apiKey = () => {
      throw new Error(`vault: lease ${FN_KEY} expired`);
    };
    const client = createPinClient({ apiKey, fetch: async () => json({ pin: PIN }), retry: false });
    const error = await client.getPin({ ...seedGet, ...MFA }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinApiError);
    expect(secretLeaks(error, SECRETS)).toEqual([]);
  });
});
