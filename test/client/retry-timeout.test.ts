import { describe, expect, test } from 'vitest';
import { createPinClient, isRetryable, PinHttpError, PinTransportError, PinValidationError } from '../../src/index.js';
import { backoff, defaultRetry, parseRetryAfter } from '../../src/client/retry.js';
import { API_KEY, json, scriptedFetch, seedGet, seedPut } from '../support/fetch.js';

const fast = { baseDelayMs: 1, maxDelayMs: 4 };

describe('retries', () => {
  test.each([429, 502, 503, 504])('%i is retried twice by default, then thrown', async (status) => {
    const { fetch, calls } = scriptedFetch(() => json({}, status));
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: fast });
    const error = await client.getPin(seedGet).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinHttpError);
    expect(calls).toHaveLength(3);
  });

  test('a success after a 503 resolves', async () => {
    const { fetch, calls } = scriptedFetch((_, n) => (n === 1 ? json({}, 503) : json({ pin: '7268' })));
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: fast });
    await expect(client.getPin(seedGet)).resolves.toEqual({ pin: '7268' });
    expect(calls).toHaveLength(2);
  });

  test.each([400, 401, 403, 404, 500])('%i is not retried', async (status) => {
    const { fetch, calls } = scriptedFetch(() => json({}, status));
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: fast });
    await expect(client.getPin(seedGet)).rejects.toBeInstanceOf(PinHttpError);
    expect(calls).toHaveLength(1);
  });

  test('network errors are retried', async () => {
    const { fetch, calls } = scriptedFetch(() => Promise.reject(new TypeError('fetch failed')));
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: { ...fast, retries: 3 } });
    await expect(client.getPin(seedGet)).rejects.toBeInstanceOf(PinTransportError);
    expect(calls).toHaveLength(4);
  });

  test('retry: false sends once', async () => {
    const { fetch, calls } = scriptedFetch(() => json({}, 503));
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: false });
    await expect(client.getPin(seedGet)).rejects.toBeInstanceOf(PinHttpError);
    expect(calls).toHaveLength(1);
  });

  test('a PUT without a PIN is sent exactly once on a 503 and on a network error', async () => {
    const { pin: _, ...ids } = seedPut;
    for (const answer of [() => json({}, 503), () => Promise.reject(new TypeError('reset'))]) {
      const { fetch, calls } = scriptedFetch(answer);
      const client = createPinClient({ apiKey: API_KEY, fetch, retry: fast });
      await expect(client.updatePin(ids)).rejects.toBeDefined();
      expect(calls).toHaveLength(1);
    }
  });

  test('a PUT with a PIN is retried', async () => {
    const { fetch, calls } = scriptedFetch(() => json({}, 503));
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: fast });
    await expect(client.updatePin(seedPut)).rejects.toBeInstanceOf(PinHttpError);
    expect(calls).toHaveLength(3);
  });
});

describe('backoff', () => {
  test('doubles from the base step up to the cap, with half of each step random', () => {
    const policy = { ...defaultRetry, baseDelayMs: 100, maxDelayMs: 350 };
    const steps = [100, 200, 350, 350];
    steps.forEach((step, attempt) => {
      const delays = Array.from({ length: 200 }, () => backoff(attempt, policy));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(step / 2);
      expect(Math.max(...delays)).toBeLessThanOrEqual(step);
      expect(new Set(delays).size).toBeGreaterThan(1);
    });
  });
});

describe('Retry-After', () => {
  test('parses seconds and HTTP dates', () => {
    const now = Date.parse('Tue, 24 Nov 2026 10:00:00 GMT');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  test('the wait it asks for is honoured', async () => {
    const { fetch, calls } = scriptedFetch((_, n) =>
      n === 1 ? json({}, 429, { 'retry-after': '1' }) : json({ pin: '7268' }),
    );
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: fast });
    const started = performance.now();
    await expect(client.getPin(seedGet)).resolves.toEqual({ pin: '7268' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(calls).toHaveLength(2);
  });

  test('a wait past the cap is not taken', async () => {
    const { fetch, calls } = scriptedFetch(() => json({}, 429, { 'retry-after': '120' }));
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: { maxRetryAfterMs: 5000 } });
    const error = await client.getPin(seedGet).catch((e: unknown) => e);
    expect((error as PinHttpError).retryAfterMs).toBe(120_000);
    expect(calls).toHaveLength(1);
  });

  test('a wait past the timeout is not taken', async () => {
    const { fetch, calls } = scriptedFetch(() => json({}, 503, { 'retry-after': '2' }));
    const client = createPinClient({ apiKey: API_KEY, fetch, timeoutMs: 500 });
    await expect(client.getPin(seedGet)).rejects.toBeInstanceOf(PinHttpError);
    expect(calls).toHaveLength(1);
  });
});

describe('timeout and abort', () => {
  // Like a server that never answers: only the request's signal ends the wait.
  const hang = (request: Request) =>
    new Promise<Response>((_, reject) => {
      if (request.signal.aborted) reject(request.signal.reason);
      request.signal.addEventListener('abort', () => reject(request.signal.reason));
    });

  test('a call that gets no answer ends with a timeout error', async () => {
    const client = createPinClient({ apiKey: API_KEY, fetch: hang, timeoutMs: 50 });
    const error = await client.getPin(seedGet).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinTransportError);
    expect((error as PinTransportError).code).toBe('timeout');
  });

  test("the caller's abort ends the call with its reason as cause", async () => {
    const client = createPinClient({ apiKey: API_KEY, fetch: hang });
    const controller = new AbortController();
    const call = client.getPin(seedGet, { signal: controller.signal });
    controller.abort(new Error('user left'));
    const error = await call.catch((e: unknown) => e);
    expect((error as PinTransportError).code).toBe('abort');
    expect(((error as Error).cause as Error).message).toBe('user left');
  });

  test('an abort during a backoff wait ends the call at once', async () => {
    const { fetch, calls } = scriptedFetch(() => json({}, 503, { 'retry-after': '5' }));
    const client = createPinClient({ apiKey: API_KEY, fetch });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await client.getPin(seedGet, { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as PinTransportError).code).toBe('abort');
    expect(calls).toHaveLength(1);
  });

  test('an already-aborted signal sends nothing', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const client = createPinClient({ apiKey: API_KEY, fetch });
    const error = await client.getPin(seedGet, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((error as PinTransportError).code).toBe('abort');
    expect(calls).toHaveLength(0);
  });
});

describe('isRetryable', () => {
  const { pin: _, ...pinless } = seedPut;
  const failure = async (
    answer: () => Response | Promise<Response>,
    call: 'get' | 'put' | 'pinless',
    timeoutMs = 1000,
  ) => {
    const { fetch } = scriptedFetch(answer);
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: false, timeoutMs });
    const sent = call === 'get' ? client.getPin(seedGet) : client.updatePin(call === 'put' ? seedPut : pinless);
    return sent.then(
      () => expect.unreachable('the call should fail'),
      (e: unknown) => e,
    );
  };
  const network = () => Promise.reject(new TypeError('fetch failed'));

  test.each([429, 502, 503, 504])('%i is retryable, except for a PIN-less updatePin', async (status) => {
    expect(isRetryable(await failure(() => json({}, status), 'get'))).toBe(true);
    expect(isRetryable(await failure(() => json({}, status), 'put'))).toBe(true);
    expect(isRetryable(await failure(() => json({}, status), 'pinless'))).toBe(false);
  });

  test('a network error is retryable, except for a PIN-less updatePin', async () => {
    expect(isRetryable(await failure(network, 'get'))).toBe(true);
    expect(isRetryable(await failure(network, 'put'))).toBe(true);
    expect(isRetryable(await failure(network, 'pinless'))).toBe(false);
  });

  test.each([
    ['400', () => json({}, 400)],
    ['401', () => json({}, 401)],
    ['404', () => json({}, 404)],
    ['500', () => json({}, 500)],
    ['a redirect', () => new Response(null, { status: 307, headers: { location: 'https://elsewhere.test/' } })],
    ['an unusable 2xx', () => json({ pin: 1 })],
    ['a timeout', () => new Promise<Response>(() => {})],
  ])('%s is not retryable', async (_, answer) => {
    for (const call of ['get', 'put'] as const) expect(isRetryable(await failure(answer, call, 50))).toBe(false);
  });

  test('refused input and anything not from the client are not retryable', async () => {
    const client = createPinClient({ apiKey: API_KEY, fetch: scriptedFetch(() => json({})).fetch });
    const refused = await client.updatePin({ ...seedPut, pin: '12a4' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PinValidationError);
    expect(isRetryable(refused)).toBe(false);
    for (const other of [new TypeError('fetch failed'), { status: 503 }, undefined, 'network'])
      expect(isRetryable(other)).toBe(false);
  });

  test('it agrees with what the client does: a retryable failure is sent 3 times, any other once', async () => {
    for (const [answer, retried] of [
      [() => json({}, 503), true],
      [() => json({}, 500), false],
    ] as const) {
      const { fetch, calls } = scriptedFetch(answer);
      const client = createPinClient({ apiKey: API_KEY, fetch, retry: fast });
      const error = await client.getPin(seedGet).catch((e: unknown) => e);
      expect(isRetryable(error)).toBe(retried);
      expect(calls).toHaveLength(retried ? 3 : 1);
    }
  });
});
