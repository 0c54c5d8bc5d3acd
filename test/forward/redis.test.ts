// docs/redis.md's two recipes (node-redis, the primary, and ioredis) under the README's production
// backend, type-checked and run against a real Debian redis-server: two instances of the backend (each its
// own module copy, Redis connection and limiter) share only the store. Then Redis in trouble: frozen
// (SIGSTOP), down, restarted with and without the guide's persistence settings. Upstream is the sandbox
// over HTTP on loopback. No sleeps and no timed assertions: what happened is read from the answers, the
// errors the backend reported and the order of events.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { createPinForwarder, type PinRateLimiter } from '../../src/forward.js';
import { docExample, typeCheck, writeDocExample, writeDocExamples } from '../support/docs.js';
import { scratchRoot } from '../support/run.js';
import { secretLeaks } from '../support/secrets.js';
import { OverLimit } from './harness.js';
import { startUpstream, type Upstream } from './helpers.js';
import { canRunRedis, redisSkipReason, startRedis, type RedisServer } from './redis-server.js';

const KEY = 'server-side-key-redis-7d2f';
const { cardId, accountId, personId } = exampleCard;
const USER = 'user-ada';
const COOKIE = 'session=ada-4411';
// The forwarder's default timeoutMs: the README's production example sets none.
const FORWARDER_TIMEOUT_MS = 10_000;

/** Each recipe: its block in docs/redis.md, its own give-up message, and how the test talks to its client. */
const RECIPES = {
  'node-redis': {
    example: 'redis-limits',
    frozen: /redis: no answer within 500 ms/,
    down: /client is (closed|offline)|offline|closed/i,
    flush: (redis: Client) => redis.flushAll(),
    close: (redis: Client) => redis.destroy(),
  },
  ioredis: {
    example: 'ioredis-limits',
    frozen: /Command timed out/,
    down: /enableOfflineQueue options is false|Stream isn't writeable/,
    flush: (redis: Client) => redis.flushall(),
    close: (redis: Client) => redis.disconnect(),
  },
} as const;
type Recipe = keyof typeof RECIPES;
// Either client, as far as the test uses it.
type Client = {
  ping(): Promise<unknown>;
  keys(pattern: string): Promise<string[]>;
  once(event: 'ready' | 'reconnecting', listener: () => void): unknown;
} & Record<'flushAll' | 'flushall' | 'destroy' | 'disconnect', () => unknown>;

// The app's own session store and audit log, as the examples import them: the session of COOKIE holds the
// example card and a fresh OTP step-up; every audit record lands in globalThis.auditRecords.
const session = `export const sessionOf = async (request) =>
  (request.headers.get('cookie') ?? '').split(/; */).includes(${JSON.stringify(COOKIE)})
    ? { userId: ${JSON.stringify(USER)}, cardIds: [${JSON.stringify(cardId)}], stepUp: { at: Date.now() - 1000, method: 'OTP' } }
    : undefined;
export const auditLog = { write: async (record) => void (globalThis.auditRecords ??= []).push(record) };
`;
const sessionTypes = `import type { CardholderVerificationMethod } from 'equals-card-pin/types';
export interface Session { userId: string; cardIds: string[]; stepUp: { at: number; method: CardholderVerificationMethod } }
export declare const sessionOf: (request: Request) => Promise<Session | undefined>;
export declare const auditLog: { write(record: object): Promise<void> };
`;

/** The README's backend, the recipe's pin-limits.ts and the session stub in a folder of their own: one instance. */
function instance(recipe: Recipe, name: string): string {
  const folder = `redis-${recipe}-${name}`;
  writeDocExamples(folder, 'docs/production.md', ['production']);
  const dir = writeDocExample('docs/redis.md', folder, RECIPES[recipe].example, 'pin-limits');
  writeFileSync(join(dir, 'session.js'), session);
  writeFileSync(join(dir, 'session.d.ts'), sessionTypes);
  return dir;
}

interface Backend {
  forward: (request: Request) => Promise<Response>;
  redis: Client;
}

const reveal = (cookie = COOKIE) =>
  new Request(
    `https://app.example/api/equals/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}&cardholderVerificationMethod=OTP`,
    { headers: { cookie } },
  );

/** The answer, or `'timeoutMs passed'` if the forwarder's whole timeoutMs went by first. */
async function beforeTimeoutMs(answer: Promise<Response>): Promise<Response | 'timeoutMs passed'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const passed = new Promise<'timeoutMs passed'>((done) => {
    timer = setTimeout(() => done('timeoutMs passed'), FORWARDER_TIMEOUT_MS);
  });
  return Promise.race([answer, passed]).finally(() => clearTimeout(timer));
}

const statuses = async (forwards: Backend[]) => {
  const out: number[] = [];
  for (const { forward } of forwards) out.push((await forward(reveal())).status);
  return out;
};

describe('the forwarder gives the point back when the store fails (reward)', () => {
  const upstreamFetch = () => Promise.reject(new Error('no upstream in this test'));
  const forwarder = (limiter: PinRateLimiter, errors: unknown[] = []) =>
    createPinForwarder({
      apiKey: KEY,
      fetch: upstreamFetch,
      authorize: () => true,
      verification: () => ({ method: 'LOGIN' }),
      limiter,
      onError: (error) => errors.push(error),
    });
  const request = () =>
    new Request(
      `https://app.example/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}&cardholderVerificationMethod=LOGIN`,
    );

  test('a store failure: 503, and the point given back under the key it was counted under', async () => {
    const calls: string[] = [];
    const limiter = {
      consume: async (key: string, points?: number) => {
        calls.push(`consume ${key} ${points}`);
        throw new Error('store down');
      },
      reward: async (key: string, points?: number) => void calls.push(`reward ${key} ${points}`),
    };
    const answer = await forwarder(limiter)(request());
    expect([answer.status, (await answer.json()).code]).toEqual([503, 'limiter']);
    expect(calls).toEqual([`consume getPin:${cardId} 1`, `reward getPin:${cardId} 1`]);
  });

  test('over the limit: 429, nothing given back', async () => {
    const reward = vi.fn(async () => {});
    const answer = await forwarder({ consume: () => Promise.reject(new OverLimit(5000)), reward })(request());
    expect(answer.status).toBe(429);
    expect(reward).not.toHaveBeenCalled();
  });

  test('a reward that fails too is reported and changes nothing in the answer', async () => {
    const errors: unknown[] = [];
    const limiter = {
      consume: () => Promise.reject(new Error('store down')),
      reward: () => Promise.reject(new Error('still down')),
    };
    const answer = await forwarder(limiter, errors)(request());
    expect(answer.status).toBe(503);
    await vi.waitFor(() => expect(errors.map((error) => (error as Error).message)).toContain('still down'));
    expect(errors.map((error) => (error as Error).message)).toEqual(['store down', 'still down']);
  });
});

describe.each(Object.keys(RECIPES) as Recipe[])('docs/redis.md with %s', (recipe) => {
  const dirs = [instance(recipe, 'a'), instance(recipe, 'b')];
  const { frozen, down, flush, close } = RECIPES[recipe];

  // No Redis needed to compile them: this runs wherever the suite does.
  test('the recipe and the README backend type-check against the built package and the client', async () => {
    const { status, output } = await typeCheck(dirs[0]!, ['production.ts', 'pin-limits.ts', 'session.d.ts']);
    expect(output).toBe('');
    expect(status).toBe(0);
  }, 60_000);

  describe.runIf(canRunRedis)('on a real redis-server, two instances sharing it', () => {
    let redis: RedisServer;
    let upstream: Upstream;
    let backends: [Backend, Backend];
    let reported: string[];
    const dataDir = mkdtempSync(join(scratchRoot(), 'pin-redis-'));
    const revealsUpstream = () => upstream.sandbox.requests.length;
    /** Every backend connected again, after Redis came back. */
    const restartRedis = async (options: Parameters<typeof startRedis>[0]) => {
      const ready = backends.map(({ redis: client }) => new Promise<void>((done) => client.once('ready', done)));
      redis = await startRedis({ port: redis.port, ...options });
      await Promise.all(ready);
    };

    beforeAll(async () => {
      [redis, upstream] = await Promise.all([startRedis(), startUpstream(KEY)]);
      vi.stubEnv('EQUALS_API_KEY', KEY);
      vi.stubEnv('EQUALS_BASE_URL', upstream.url);
      vi.stubEnv('REDIS_URL', redis.url);
      // The recipe's onError and the client's 'error' listener write to console.error: read, not printed.
      reported = [];
      vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
        reported.push(args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' '));
      });
      const loaded: Backend[] = [];
      for (const dir of dirs) {
        const { forward } = await import(pathToFileURL(join(dir, 'production.ts')).href);
        const limits = await import(pathToFileURL(join(dir, 'pin-limits.ts')).href);
        loaded.push({ forward, redis: limits.redis });
      }
      backends = loaded as [Backend, Backend];
    }, 30_000);
    afterAll(async () => {
      vi.unstubAllEnvs();
      vi.restoreAllMocks();
      for (const backend of backends ?? []) await close(backend.redis);
      await upstream?.close();
      await redis?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('right after boot the first reveal is answered; the fourth within the window is refused, whichever instance gets it', async () => {
      const [a, b] = backends;
      const answers = [];
      for (const backend of [a, b, a, b]) answers.push(await backend.forward(reveal()));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
      expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
      expect(await answers[0]!.json()).toEqual({ pin: exampleCard.pin });
      expect(revealsUpstream()).toBe(3);
      // The key is the operation, the card and the user, under the recipe's prefix.
      expect(await a.redis.keys('pin:*')).toEqual([`pin:getPin:${cardId}:${USER}`]);
    });

    test('a stranger is refused before the limiter, and every request left one audit record, no secret in it', async () => {
      const before = (globalThis as { auditRecords?: object[] }).auditRecords?.length ?? 0;
      const stranger = await backends[0].forward(reveal('session=mallory'));
      expect(stranger.status).toBe(403);
      const records = ((globalThis as { auditRecords?: object[] }).auditRecords ?? []).slice(before - 4);
      expect(records.map((r) => (r as { status: number }).status)).toEqual([200, 200, 200, 429, 403]);
      expect(records[3]).toMatchObject({ userId: USER, code: 'rate_limit', cardholderVerificationMethod: 'OTP' });
      for (const record of records) expect(secretLeaks(record, [KEY, exampleCard.pin, COOKIE])).toEqual([]);
    });

    test('100 reveals of one card at once, half through each instance: exactly 3 answered', async () => {
      const [a, b] = backends;
      await flush(a.redis);
      const before = revealsUpstream();
      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? b : a).forward(reveal())));
      const counts = { 200: 0, 429: 0 } as Record<number, number>;
      for (const answer of answers) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
      expect(counts).toEqual({ 200: 3, 429: 97 });
      expect(revealsUpstream() - before).toBe(3);
    });

    test('a frozen Redis: 503 from the recipe’s own command timeout, before timeoutMs; the point comes back (200, 503, 200, 200, then 429)', async () => {
      const [a, b] = backends;
      await flush(a.redis);
      const upstreamBefore = revealsUpstream();
      expect(await statuses([a])).toEqual([200]);
      reported.length = 0;
      redis.freeze();
      const answer = await beforeTimeoutMs(b.forward(reveal()));
      redis.thaw();
      expect(answer).toBeInstanceOf(Response);
      const refused = answer as Response;
      expect([refused.status, (await refused.json()).code]).toEqual([503, 'limiter']);
      // The recipe's timeout answered, not the forwarder's deadline.
      expect(
        reported.some((line) => frozen.test(line)),
        reported.join('\n'),
      ).toBe(true);
      expect(reported.filter((line) => /gave no answer within/.test(line))).toEqual([]);
      // Each connection's commands run in order: a PING answered means the frozen count and its reward ran.
      await Promise.all(backends.map(({ redis: client }) => client.ping()));
      expect(await statuses([a, b, a])).toEqual([200, 200, 429]);
      expect(revealsUpstream() - upstreamBefore).toBe(3);
    }, 30_000);

    test('a Redis that is down: 503 from the client’s refusal, before timeoutMs, nothing revealed; once back without persistence, every count is gone', async () => {
      // The card at its limit, whatever ran before (run alone too): a fourth reveal in the window is refused.
      expect((await statuses([...backends, ...backends])).at(-1)).toBe(429);
      const upstreamBefore = revealsUpstream();
      // Each client has seen the connection go (and is trying again) before the reveal.
      const noticed = backends.map(
        ({ redis: client }) => new Promise<void>((done) => client.once('reconnecting', done)),
      );
      await redis.stop();
      await Promise.all(noticed);
      reported.length = 0;
      const answer = await beforeTimeoutMs(backends[1].forward(reveal()));
      expect(answer).toBeInstanceOf(Response);
      expect((answer as Response).status).toBe(503);
      expect(
        reported.some((line) => down.test(line)),
        reported.join('\n'),
      ).toBe(true);
      expect(reported.filter((line) => /gave no answer within/.test(line))).toEqual([]);
      expect(revealsUpstream()).toBe(upstreamBefore);
      // The card was at its limit (429 at the start); a Redis without persistence forgot it.
      await restartRedis({});
      expect(await statuses(backends)).toEqual([200, 200]);
    }, 30_000);

    test('with the guide’s persistence settings, a restart keeps the counts', async () => {
      const conf = docExample('docs/redis.md', 'redis-conf', 'conf');
      await redis.stop();
      await restartRedis({ conf, dir: dataDir });
      expect(await statuses([...backends, backends[0], backends[1]])).toEqual([200, 200, 200, 429]);
      await redis.stop();
      await restartRedis({ conf, dir: dataDir });
      expect(await statuses(backends)).toEqual([429, 429]);
    }, 30_000);
  });
});

if (!canRunRedis) {
  console.warn(`Redis limiter test skipped: ${redisSkipReason}`);
  test.skip(`RateLimiterRedis recipes — SKIPPED: ${redisSkipReason}`, () => {});
}
