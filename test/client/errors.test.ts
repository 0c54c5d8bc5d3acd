import { describe, expect, test } from 'vitest';
import {
  createPinClient,
  PinApiError,
  PinHttpError,
  PinRateLimitError,
  PinTransportError,
  type PinError,
} from '../../src/index.js';
import { API_KEY, json, scriptedFetch, seedGet } from '../support/fetch.js';

const failWith = async (answer: () => Response): Promise<PinError> => {
  const { fetch } = scriptedFetch(answer);
  const client = createPinClient({ apiKey: API_KEY, fetch, retry: false });
  const error = await client.getPin(seedGet).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PinApiError);
  return error as PinError;
};

describe('HTTP errors', () => {
  test.each([400, 401, 403, 404, 415, 500, 502, 503, 504])(
    '%i throws PinHttpError with status and body',
    async (status) => {
      const error = await failWith(() => json({ message: 'nope' }, status, { 'x-request-id': 'req-1' }));
      expect(error).toBeInstanceOf(PinHttpError);
      expect(error).not.toBeInstanceOf(PinRateLimitError);
      expect(error.status).toBe(status);
      expect(error.operation).toBe('getPin');
      expect((error as PinHttpError).body).toEqual({ message: 'nope' });
      expect((error as PinHttpError).requestId).toBe('req-1');
    },
  );

  test('429 throws PinRateLimitError with the Retry-After delay', async () => {
    const error = await failWith(() => json({}, 429, { 'retry-after': '7' }));
    expect(error).toBeInstanceOf(PinRateLimitError);
    expect(error).toBeInstanceOf(PinHttpError);
    expect(error.status).toBe(429);
    expect((error as PinRateLimitError).retryAfterMs).toBe(7000);
  });

  test('an empty error body still throws, with body undefined', async () => {
    const error = await failWith(() => new Response(null, { status: 404, headers: { 'content-length': '0' } }));
    expect(error).toBeInstanceOf(PinHttpError);
    expect(error.status).toBe(404);
    expect((error as PinHttpError).body).toBeUndefined();
  });

  test('a non-JSON error body is kept as text', async () => {
    const error = await failWith(() => new Response('<h1>Bad gateway</h1>', { status: 502 }));
    expect(error.status).toBe(502);
    expect((error as PinHttpError).body).toBe('<h1>Bad gateway</h1>');
  });

  test('a 429 caught as PinError, checked by status, is the rate-limit error with its fields', async () => {
    const error = await failWith(() => json({ message: 'slow down' }, 429, { 'retry-after': '3' }));
    if (error.status !== 429) return expect.unreachable('status should be 429');
    expect(error).toBeInstanceOf(PinRateLimitError);
    expect(error.retryAfterMs).toBe(3000); // compiles only because the status check narrowed the union
    expect(error.body).toEqual({ message: 'slow down' });
  });
});

describe('unusable 2xx responses', () => {
  test.each([
    ['malformed JSON', () => new Response('{"pin": "72', { headers: { 'content-type': 'application/json' } })],
    ['an empty body', () => new Response('', { headers: { 'content-type': 'application/json' } })],
    ['a wrong content type', () => new Response('{"pin":"7268"}', { headers: { 'content-type': 'text/plain' } })],
    ['a PIN of the wrong shape', () => json({ pin: 7268 })],
    ['a body over 64 KiB', () => json({ pin: '7268', pad: 'x'.repeat(70_000) })],
  ])('%s throws PinTransportError "response"', async (_, answer) => {
    const error = await failWith(answer);
    expect(error).toBeInstanceOf(PinTransportError);
    expect((error as PinTransportError).code).toBe('response');
    expect(error.cause).toBeUndefined();
  });

  test('fields the spec does not describe are dropped', async () => {
    const { fetch } = scriptedFetch(() => json({ pin: '7268', debug: 'x' }));
    const client = createPinClient({ apiKey: API_KEY, fetch });
    await expect(client.getPin(seedGet)).resolves.toEqual({ pin: '7268' });
  });
});

describe('transport errors', () => {
  test('a network failure keeps what a log needs of its cause: its name and codes, not its message', async () => {
    const cause = Object.assign(new TypeError('fetch failed', { cause: { code: 'ECONNRESET', errno: -104 } }), {
      url: 'https://api.equalsmoney.com/v2/cards/c/pin',
    });
    const { fetch } = scriptedFetch(() => {
      throw cause;
    });
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: false });
    const error = await client.getPin(seedGet).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinTransportError);
    expect((error as PinTransportError).code).toBe('network');
    expect((error as Error).cause).toEqual({ name: 'TypeError', cause: { code: 'ECONNRESET', errno: -104 } });
  });
});

describe('bounded bodies', () => {
  test('an error body over 8 KiB is cut there, and the error says so', async () => {
    const error = (await failWith(() => new Response('x'.repeat(20_000), { status: 500 }))) as PinHttpError;
    expect(error.body).toBe('x'.repeat(8192));
    expect(error.bodyTruncated).toBe(true);
    expect(error.message).toBe('getPin: HTTP 500, body truncated');
  });

  test('an error body of 8 KiB is whole', async () => {
    const error = (await failWith(() => new Response('x'.repeat(8192), { status: 500 }))) as PinHttpError;
    expect(error.body).toHaveLength(8192);
    expect(error.bodyTruncated).toBe(false);
  });

  test('a 2xx over 64 KiB is refused even when what was read parses', async () => {
    // Valid JSON padded with whitespace: the first 64 KiB alone would parse.
    const padded = `{"pin":"7268"}${' '.repeat(70_000)}`;
    const error = await failWith(() => new Response(padded, { headers: { 'content-type': 'application/json' } }));
    expect((error as PinTransportError).code).toBe('response');
    expect(error.message).toContain('65536 bytes');
  });

  test('a 2xx of 64 KiB is read whole', async () => {
    const body = `{"pin":"7268"}`.padEnd(65_536, ' ');
    const { fetch } = scriptedFetch(() => new Response(body, { headers: { 'content-type': 'application/json' } }));
    const client = createPinClient({ apiKey: API_KEY, fetch });
    await expect(client.getPin(seedGet)).resolves.toEqual({ pin: '7268' });
  });

  // A stubbed fetch is not bound by HTTP framing: its headers may say anything about its body.
  test('a 2xx whose Content-Length says 14 but whose body never ends is refused, and the body cancelled', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new TextEncoder().encode('{"pin":"7268"}')),
      cancel: () => {
        cancelled = true;
      },
    });
    const error = await failWith(
      () => new Response(endless, { headers: { 'content-type': 'application/json', 'content-length': '14' } }),
    );
    expect((error as PinTransportError).code).toBe('response');
    expect(cancelled).toBe(true);
  });

  test('a 2xx body that ignores the deadline signal ends the call at the deadline, and is let go', async () => {
    let cancelled = false;
    const drip = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        controller.enqueue(new Uint8Array([0x20]));
      },
      cancel: () => {
        cancelled = true;
      },
    });
    const fetch = async () => new Response(drip, { headers: { 'content-type': 'application/json' } });
    const client = createPinClient({ apiKey: API_KEY, fetch, timeoutMs: 100, retry: false });
    const error = await client.getPin(seedGet).catch((e: unknown) => e);
    expect((error as PinTransportError).code).toBe('timeout');
    await new Promise((resolve) => setTimeout(resolve, 60)); // the next chunk after the deadline
    expect(cancelled).toBe(true);
  });
});
