// Issue 17, item 2: reveals counted per operation and card on a limiter with rate-limiter-flexible's
// interface (its own RateLimiterMemory here; RateLimiterRedis against a real Redis in redis.test.ts).
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import type { PinRateLimiter } from '../../src/forward.js';
import { forwarderOver, inbound, NEW_PIN, OverLimit, revealQuery, sandboxUpstream, type Upstream } from './harness.js';

let upstream: Upstream;
beforeEach(() => {
  upstream = sandboxUpstream();
  upstream.sandbox.reset();
});

const reveal = () => inbound({ query: revealQuery() });
const statuses = async (forward: (request: Request) => Promise<Response>, requests: (() => Request)[]) => {
  const out: number[] = [];
  for (const request of requests) out.push((await forward(request())).status);
  return out;
};

const theCard = exampleCard.cardId;
const otherCard = '0b6f3c2e-8d4a-4f1b-9c7e-2a5d8e1f4b3c';
const hex = theCard.replaceAll('-', '');
/** One card, five ways a browser may spell it: each one a uuid column and a UUID-parsing provider accept. */
const spellings = [
  theCard,
  theCard.toUpperCase(),
  hex,
  `${hex.slice(0, 4)}-${hex.slice(4, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
  `{${hex.toUpperCase()}}`,
];

/** The test's own UUID reader, as PostgreSQL's uuid input reads one: optional braces, a hyphen after any 4 digits. */
function asUuid(id: string): string | undefined {
  const match = /^\{?((?:[0-9a-f]{4}-?){7}[0-9a-f]{4})\}?$/i.exec(id);
  if (!match || id.startsWith('{') !== id.endsWith('}')) return;
  const digits = match[1]!.replaceAll('-', '').toLowerCase();
  return [digits.slice(0, 8), digits.slice(8, 12), digits.slice(12, 16), digits.slice(16, 20), digits.slice(20)].join(
    '-',
  );
}

/** The upstream request as a provider that parses UUIDs sees it: its card id in the canonical form. */
function withCanonicalCard(request: Request): Request {
  const url = new URL(request.url);
  url.pathname = url.pathname.replace(/(?<=\/cards\/)[^/]+/, (id) => asUuid(decodeURIComponent(id)) ?? id);
  return new Request(url, request);
}

describe('over the limit', () => {
  test('100 reveals of one card in a row: the fourth on is 429 with Retry-After, and never forwarded', async () => {
    const limiter = new RateLimiterMemory({ points: 3, duration: 60 });
    const forward = forwarderOver(upstream, { limiter });
    const answers = await Promise.all(Array.from({ length: 100 }, () => forward(reveal())));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused).toHaveLength(97);
    const retryAfter = Number(refused[0]!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused[0]!.json()).toMatchObject({ code: 'rate_limit' });
    expect(upstream.requests).toHaveLength(3);
  });

  test('Retry-After is msBeforeNext in seconds, rounded up', async () => {
    const limiter = { consume: () => Promise.reject(new OverLimit(1001)) };
    const answer = await forwarderOver(upstream, { limiter })(reveal());
    expect([answer.status, answer.headers.get('retry-after')]).toEqual([429, '2']);
    expect(upstream.requests).toEqual([]);
  });
});

describe('the key', () => {
  test('names the operation and the card: another card, or a PUT, has its own count', async () => {
    const keys: string[] = [];
    const limiter: PinRateLimiter = { consume: async (key, points) => void keys.push(`${key} ${points}`) };
    const forward = forwarderOver(upstream, { limiter });
    await forward(reveal());
    await forward(inbound({ method: 'PUT', body: { pin: NEW_PIN } }));
    await forward(inbound({ path: '/v2/cards/card%3A2/pin', query: revealQuery() }));
    expect(keys).toEqual([`getPin:${exampleCard.cardId} 1`, `updatePin:${exampleCard.cardId} 1`, 'getPin:card%3A2 1']);
  });

  test('a card id in another case counts against the same card (UUIDs compare without case)', async () => {
    const keys: string[] = [];
    const limiter: PinRateLimiter = { consume: async (key) => void keys.push(key) };
    const forward = forwarderOver(upstream, { limiter, authorize: () => true });
    const upper = exampleCard.cardId.toUpperCase();
    await forward(inbound({ path: `/v2/cards/${upper}/pin`, query: revealQuery() }));
    await forward(reveal());
    expect(keys).toEqual([`getPin:${exampleCard.cardId}`, `getPin:${exampleCard.cardId}`]);
  });

  test('five spellings of one card under a limit of 3: 3 reveals, not 15 (issue 21, point 5)', async () => {
    // As a uuid column and a UUID-parsing provider read an id: case, hyphens and braces do not matter.
    const limiter = new RateLimiterMemory({ points: 3, duration: 60 });
    const forward = forwarderOver(upstream, { limiter, authorize: (_, { cardId }) => asUuid(cardId) === theCard });
    const viaUuidProvider = forwarderOver(
      { ...upstream, fetch: (request) => upstream.fetch(withCanonicalCard(request)) },
      { limiter, authorize: (_, { cardId }) => asUuid(cardId) === theCard },
    );
    expect(spellings.map(asUuid)).toEqual(Array(5).fill(theCard)); // the oracle: all five name the card
    const answers = await statuses(
      viaUuidProvider,
      spellings.flatMap((id) => Array(3).fill(() => inbound({ path: `/v2/cards/${id}/pin`, query: revealQuery() }))),
    );
    expect(answers.filter((status) => status === 200)).toHaveLength(3);
    expect(answers.filter((status) => status === 429)).toHaveLength(12);
    expect(upstream.requests).toHaveLength(3);
    expect((await forward(reveal())).status).toBe(429);
  });

  test('every spelling of a card is one key, with no hook to help; another card is counted apart', async () => {
    const keys: string[] = [];
    const limiter: PinRateLimiter = { consume: async (key) => void keys.push(key) };
    const forward = forwarderOver(upstream, { limiter, limitKey: () => 'alice' });
    for (const id of [...spellings, otherCard, otherCard.toUpperCase().replaceAll('-', '')])
      await forward(inbound({ path: `/v2/cards/${id}/pin`, query: revealQuery() }));
    expect(new Set(keys.slice(0, 5))).toEqual(new Set([`getPin:${theCard}:alice`]));
    expect(new Set(keys.slice(5))).toEqual(new Set([`getPin:${otherCard}:alice`]));
  });

  test('an id that is not a UUID keeps its own key, in lower case', async () => {
    const keys: string[] = [];
    const limiter: PinRateLimiter = { consume: async (key) => void keys.push(key) };
    const forward = forwarderOver(upstream, { limiter });
    for (const id of ['CARD-7', 'card-7', 'card7', `${theCard.slice(0, -1)}g`])
      await forward(inbound({ path: `/v2/cards/${id}/pin`, query: revealQuery() }));
    expect(keys).toEqual(['getPin:card-7', 'getPin:card-7', 'getPin:card7', `getPin:${theCard.slice(0, -1)}g`]);
  });

  test('limitKey adds the team’s subject after the card', async () => {
    const keys: string[] = [];
    const limiter: PinRateLimiter = { consume: async (key) => void keys.push(key) };
    const limitKey = (request: Request) => (request.headers.get('cookie') ?? '').replace('session=', '');
    await forwarderOver(upstream, { limiter, limitKey })(reveal());
    expect(keys).toEqual([`getPin:${exampleCard.cardId}:alice-cookie-3c7`]);
  });

  test('a limitKey that throws, or returns no string, fails closed: 500, nothing counted or forwarded', async () => {
    const consume = vi.fn(async () => undefined);
    for (const limitKey of [
      () => {
        throw new Error('no session');
      },
      () => '',
      () => 42 as never,
    ]) {
      const answer = await forwarderOver(upstream, { limiter: { consume }, limitKey })(reveal());
      expect(answer.status).toBe(500);
      expect(await answer.json()).toMatchObject({ code: 'limit_key_error' });
    }
    expect(consume).not.toHaveBeenCalled();
    expect(upstream.requests).toEqual([]);
  });

  test('counts only what authorize let through: strangers cannot use up the cardholder’s reveals', async () => {
    const limiter = new RateLimiterMemory({ points: 3, duration: 60 });
    const owner = (request: Request) => request.headers.get('x-user') === 'owner';
    const forward = forwarderOver(upstream, { limiter, authorize: owner });
    const stranger = () => inbound({ query: revealQuery(), headers: { 'x-user': 'mallory' } });
    const ownerReveal = () => inbound({ query: revealQuery(), headers: { 'x-user': 'owner' } });
    expect(await statuses(forward, Array(10).fill(stranger))).toEqual(Array(10).fill(403));
    expect(await statuses(forward, Array(4).fill(ownerReveal))).toEqual([200, 200, 200, 429]);
  });
});

describe('a failing store fails closed: 503, nothing forwarded', () => {
  test.each([
    ['an Error', () => Promise.reject(new Error('ECONNREFUSED'))],
    ['something that is not a limit answer', () => Promise.reject({ code: 'weird' })],
    ['a non-numeric msBeforeNext', () => Promise.reject({ msBeforeNext: 'soon' })],
    [
      'a consume that throws',
      () => {
        throw new Error('sync');
      },
    ],
  ])('%s', async (_, consume) => {
    const errors: unknown[] = [];
    const forward = forwarderOver(upstream, { limiter: { consume }, onError: (error) => errors.push(error) });
    const answer = await forward(reveal());
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ code: 'limiter' });
    expect(errors).toHaveLength(1);
    expect(upstream.requests).toEqual([]);
  });

  test('a store that never answers: 503 within timeoutMs', async () => {
    const limiter = { consume: () => new Promise(() => {}) };
    const started = Date.now();
    const answer = await forwarderOver(upstream, { limiter, timeoutMs: 200 })(reveal());
    expect(answer.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(200 + 2000); // the deadline, and room for a busy runner
    expect(upstream.requests).toEqual([]);
  });
});
