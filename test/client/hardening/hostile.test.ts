// Hostile servers over real sockets: redirects to other origins, bodies without end, a gzip bomb,
// a slow drip, huge error bodies and prototype-named keys. Every call must end within its deadline
// (plus slack for a busy runner), grow this process's memory by less than 64 MB, send nothing to a
// redirect's Location, and leak no secret. Tests run one at a time so memory readings do not overlap.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPinClient, PinHttpError, PinTransportError, type PinClient } from '../../../src/index.js';
import { ECHOED_PIN, startFaultServer, type FaultServer } from '../../support/fault-server-process.js';
import { secretLeaks } from '../../support/secrets.js';

const API_KEY = 'sk_hostile_4b7e1a';
const SENT_PIN = '5173';
const TIMEOUT_MS = 3000;
const SLACK_MS = 1000;
const MEMORY_LIMIT = 64 * 1024 * 1024;
const ids = { accountId: 'F12345', personId: '775596ae-2624-40af-a9dc-9756110a4a04' };

let hostile: FaultServer;
let otherPort: FaultServer;
let otherHost: FaultServer;
let client: PinClient;

beforeAll(async () => {
  [otherPort, otherHost] = await Promise.all([startFaultServer(), startFaultServer({ host: '127.0.0.2' })]);
  hostile = await startFaultServer({ otherPort: otherPort.url, otherHost: otherHost.url });
  client = createPinClient({
    apiKey: API_KEY,
    baseUrl: hostile.url,
    timeoutMs: TIMEOUT_MS,
    retry: { baseDelayMs: 20 },
  });
  await client.getPin({ ...ids, cardId: 'ok-1', cardholderVerificationMethod: 'LOGIN' }); // warm up before measuring
});

afterAll(async () => {
  await Promise.all([hostile, otherPort, otherHost].map((server) => server?.stop()));
});

const calls = {
  getPin: (cardId: string) => client.getPin({ ...ids, cardId, cardholderVerificationMethod: 'LOGIN' }),
  'updatePin with a PIN': (cardId: string) => client.updatePin({ ...ids, cardId, pin: SENT_PIN }),
};
type Call = keyof typeof calls;

interface Outcome {
  value?: unknown;
  error?: unknown;
  elapsed: number;
  /** Peak growth of resident memory and of ArrayBuffer memory while the call ran, in bytes. */
  growth: number;
}

/** Runs a call, sampling this process's memory while it runs. */
async function measure(call: () => Promise<unknown>): Promise<Outcome> {
  const before = process.memoryUsage();
  let growth = 0;
  const sample = () => {
    const now = process.memoryUsage();
    growth = Math.max(growth, now.rss - before.rss, now.arrayBuffers - before.arrayBuffers);
  };
  const sampler = setInterval(sample, 5);
  const started = performance.now();
  const settled = await call().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const elapsed = performance.now() - started;
  clearInterval(sampler);
  sample();
  return { ...settled, elapsed, growth };
}

/** The bounds every hostile call keeps: its deadline, its memory, and no secret in what it throws. */
function expectBounded(outcome: Outcome) {
  expect(outcome.elapsed).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  expect(outcome.growth).toBeLessThan(MEMORY_LIMIT);
  if (outcome.error) expect(secretLeaks(outcome.error, [API_KEY, SENT_PIN, ECHOED_PIN])).toEqual([]);
}

const nonce = () => randomUUID().slice(0, 8);

describe('redirects are refused, never followed, never retried', () => {
  const statuses = [300, 301, 302, 303, 304, 305, 307, 308];
  const targets = { 'another port': 'port', 'another loopback address': 'host' } as const;
  const cases = statuses.flatMap((status) =>
    Object.entries(targets).flatMap(([where, to]) =>
      Object.keys(calls).map((call) => [status, where, to, call] as const),
    ),
  );

  test.each(cases)('%i to %s, %s', async (status, _, to, call) => {
    const id = nonce();
    const cardId = `redirect-${status}-${to}-${id}`;
    const outcome = await measure(() => calls[call as Call](cardId));
    expect(outcome.error).toBeInstanceOf(PinTransportError);
    expect((outcome.error as PinTransportError).code).toBe('redirect');
    expect(await hostile.hits(cardId)).toBe(1);
    expect(await (to === 'host' ? otherHost : otherPort).hits(`landed-${id}`)).toBe(0);
    expectBounded(outcome);
  });

  test('raw calls refuse them too', async () => {
    const id = nonce();
    const cardId = `redirect-307-host-${id}`;
    const outcome = await measure(() =>
      client.raw.PUT('/v2/cards/{cardId}/pin', {
        params: { path: { cardId }, query: ids },
        body: { pin: SENT_PIN },
      }),
    );
    expect(outcome.error).toBeInstanceOf(PinTransportError);
    expect((outcome.error as PinTransportError).code).toBe('redirect');
    expect(await otherHost.hits(`landed-${id}`)).toBe(0);
    expectBounded(outcome);
  });
});

/** Waits up to a second for the server to see the client close the connection. */
async function expectCutOff(cardId: string) {
  for (let i = 0; i < 20 && !(await hostile.cutOff(cardId)); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await hostile.cutOff(cardId)).toBe(true);
}

describe('2xx bodies are read up to 64 KiB of decoded bytes, then refused without a retry', () => {
  test.each([
    ['an endless body', 'endless'],
    ['a Content-Length of 10 GB', 'tenGigabytes'],
    ['a gzip bomb (1 MiB inflating to 1 GiB)', 'gzipBomb'],
  ])('%s, %s', async (_, fault) => {
    for (const call of Object.keys(calls) as Call[]) {
      const cardId = `${fault}-${nonce()}`;
      const outcome = await measure(() => calls[call](cardId));
      expect(outcome.error).toBeInstanceOf(PinTransportError);
      expect((outcome.error as PinTransportError).code).toBe('response');
      expect(await hostile.hits(cardId)).toBe(1);
      expectBounded(outcome);
      await expectCutOff(cardId);
    }
  });

  // Browsers report a body that fails to decode as a network error, like a dropped connection, so the
  // client treats both alike: retried within its budget, each attempt bounded.
  test('a body the decoder fails on part-way is a network error, retried within the budget', async () => {
    const cardId = `badGzip-${nonce()}`;
    const outcome = await measure(() => calls.getPin(cardId));
    expect((outcome.error as PinTransportError).code).toBe('network');
    expect(await hostile.hits(cardId)).toBe(3);
    expectBounded(outcome);
  });

  test('a slow drip ends at the deadline, the body read included', async () => {
    const cardId = `drip-${nonce()}`;
    const outcome = await measure(() => calls.getPin(cardId));
    expect((outcome.error as PinTransportError).code).toBe('timeout');
    expect(outcome.elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expectBounded(outcome);
    await expectCutOff(cardId);
  });
});

describe('error bodies are kept up to 8 KiB, and the error says they were cut', () => {
  test.each([
    ['500', 'hugeError', 500, 1],
    ['503, retried', 'hugeError503', 503, 3],
  ])('a 50 MiB %s', async (_, fault, status, attempts) => {
    const cardId = `${fault}-${nonce()}`;
    const outcome = await measure(() => calls.getPin(cardId));
    const error = outcome.error as PinHttpError;
    expect(error).toBeInstanceOf(PinHttpError);
    expect(error.status).toBe(status);
    expect(error.bodyTruncated).toBe(true);
    expect(error.message).toMatch(/truncated/);
    expect(error.body).toBe(`PIN ${ECHOED_PIN} `.repeat(1000).slice(0, 8192)); // the first 8 KiB, as text
    expect(await hostile.hits(cardId)).toBe(attempts);
    expectBounded(outcome);
    await expectCutOff(cardId);
  });
});

describe('keys named after Object.prototype members', () => {
  test.each(Object.keys(calls) as Call[])('are dropped from an otherwise valid answer to %s', async (call) => {
    const outcome = await measure(() => calls[call](`protoKeys-${nonce()}`));
    expect(outcome.error).toBeUndefined();
    const value = outcome.value as object;
    expect(value).toEqual(call === 'getPin' ? { pin: ECHOED_PIN } : { success: true, pin: ECHOED_PIN });
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
      expect(Object.hasOwn(value, key)).toBe(false);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expectBounded(outcome);
  });
});
