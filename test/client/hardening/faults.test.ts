// Fault injection over real HTTP: for every fault, the documented error within the timeout,
// retries within budget (counted by the server), a PIN-less PUT sent once, and no leaked secret.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createPinClient,
  PinHttpError,
  PinRateLimitError,
  PinTransportError,
  type PinClient,
} from '../../../src/index.js';
import { ECHOED_PIN, startFaultServer, type FaultServer } from '../../support/fault-server-process.js';
import { secretLeaks } from '../../support/secrets.js';

const API_KEY = 'sk_fault_3e1d2c';
const SENT_PIN = '5173';
const TIMEOUT_MS = 4000;
const ids = { accountId: 'F12345', personId: '775596ae-2624-40af-a9dc-9756110a4a04' };

let server: FaultServer;
let client: PinClient;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await startFaultServer();
  client = createPinClient({ apiKey: API_KEY, baseUrl: server.url, timeoutMs: TIMEOUT_MS, retry: { baseDelayMs: 20 } });
});

afterAll(async () => {
  await server?.stop();
  process.off('unhandledRejection', onUnhandled);
});

type Expected = [errorClass: abstract new (...args: never[]) => Error, code: string | number, retried: boolean];
// fault → [class, status or transport code, whether a retryable call is repeated]
const faults: Record<string, Expected> = {
  reset: [PinTransportError, 'network', true],
  hang: [PinTransportError, 'timeout', false],
  s500: [PinHttpError, 500, false],
  s502: [PinHttpError, 502, true],
  s503: [PinHttpError, 503, true],
  s504: [PinHttpError, 504, true],
  retrySeconds: [PinRateLimitError, 429, true],
  retryDate: [PinRateLimitError, 429, true],
  malformed: [PinTransportError, 'response', false],
  html: [PinHttpError, 502, true],
  empty: [PinTransportError, 'response', false],
  wrongType: [PinTransportError, 'response', false],
  huge: [PinTransportError, 'response', false],
};

const calls = {
  getPin: (cardId: string) => client.getPin({ ...ids, cardId, cardholderVerificationMethod: 'LOGIN' }),
  'updatePin with a PIN': (cardId: string) => client.updatePin({ ...ids, cardId, pin: SENT_PIN }),
  'updatePin without a PIN': (cardId: string) => client.updatePin({ ...ids, cardId }),
};

describe.concurrent.each(Object.entries(faults))('%s', (fault, [ErrorClass, code, retried]) => {
  test.each(Object.keys(calls) as (keyof typeof calls)[])('%s', async (call) => {
    const cardId = `${fault}-${randomUUID().slice(0, 8)}`;
    const started = performance.now();
    const error = await calls[call](cardId).then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = performance.now() - started;

    expect(error).toBeInstanceOf(ErrorClass);
    expect(typeof code === 'number' ? (error as PinHttpError).status : (error as PinTransportError).code).toBe(code);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1000); // the deadline, plus room for a busy runner to fire it
    const once = call === 'updatePin without a PIN' || !retried;
    expect(await server.hits(cardId)).toBe(once ? 1 : 3);
    expect(secretLeaks(error, [API_KEY, SENT_PIN, ECHOED_PIN])).toEqual([]);
  });
});

test('1,000 concurrent getPin calls through one client each get their own answer', async () => {
  // About correctness under load, not latency: on a busy 2-core runner the batch can take seconds.
  const shared = createPinClient({ apiKey: API_KEY, baseUrl: server.url, timeoutMs: 60_000, retry: false });
  const results = await Promise.allSettled(
    Array.from({ length: 1000 }, (_, i) =>
      shared.getPin({ ...ids, cardId: `ok-${i}`, cardholderVerificationMethod: 'LOGIN' }),
    ),
  );
  const rejected = results.filter((r) => r.status === 'rejected');
  expect(rejected).toEqual([]);
  for (const [i, r] of results.entries()) {
    expect(r).toEqual({ status: 'fulfilled', value: { pin: String(i).padStart(4, '0') } });
  }
}, 90_000);

test('no unhandled rejection occurred', async () => {
  await new Promise((r) => setTimeout(r, 50));
  expect(unhandled).toEqual([]);
});
