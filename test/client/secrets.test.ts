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
