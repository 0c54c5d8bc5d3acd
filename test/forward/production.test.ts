// docs/production.md's backend with its in-memory limiter, type-checked and run as one instance of an app
// would: the session store and audit log are stand-ins, upstream is the sandbox over HTTP on loopback.
// (Two instances sharing a Redis store: redis.test.ts, with docs/redis.md's recipe.)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { typeCheck, writeDocExamples } from '../support/docs.js';
import { secretLeaks } from '../support/secrets.js';
import { startUpstream, type Upstream } from './helpers.js';

const KEY = 'server-side-key-memory-51ac';
const { cardId, accountId, personId } = exampleCard;
const USER = 'user-ada';
const COOKIE = 'session=ada-4411';
// A session whose last step-up is older than the example's 5 minutes.
const STALE = 'session=ada-stale';

// The app's own session store and audit log, as the example imports them: COOKIE's session holds the
// example card and a fresh OTP step-up, STALE's one from an hour ago; records land in globalThis.auditRecords.
const session = `const sessions = {
  ${JSON.stringify(COOKIE)}: { userId: ${JSON.stringify(USER)}, cardIds: [${JSON.stringify(cardId)}], stepUp: { at: Date.now() - 1000, method: 'OTP' } },
  ${JSON.stringify(STALE)}: { userId: 'user-bob', cardIds: [${JSON.stringify(cardId)}], stepUp: { at: Date.now() - 3600000, method: 'OTP' } },
};
export const sessionOf = async (request) => Object.hasOwn(sessions, request.headers.get('cookie') ?? '') ? sessions[request.headers.get('cookie')] : undefined;
export const auditLog = { write: async (record) => void (globalThis.auditRecords ??= []).push(record) };
`;
const sessionTypes = `import type { CardholderVerificationMethod } from 'equals-card-pin/types';
export interface Session { userId: string; cardIds: string[]; stepUp: { at: number; method: CardholderVerificationMethod } }
export declare const sessionOf: (request: Request) => Promise<Session | undefined>;
export declare const auditLog: { write(record: object): Promise<void> };
`;

const dir = writeDocExamples('docs-production', 'docs/production.md', ['production', 'pin-limits']);
writeFileSync(join(dir, 'session.js'), session);
writeFileSync(join(dir, 'session.d.ts'), sessionTypes);

test('both examples type-check against the built package and rate-limiter-flexible', async () => {
  const { status, output } = await typeCheck(dir, ['production.ts', 'pin-limits.ts', 'session.d.ts']);
  expect(output).toBe('');
  expect(status).toBe(0);
}, 60_000);

describe('the production backend with RateLimiterMemory', () => {
  let upstream: Upstream;
  let forward: (request: Request) => Promise<Response>;
  const reveal = (cookie = COOKIE) =>
    new Request(
      `https://app.example/api/equals/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}&cardholderVerificationMethod=OTP`,
      { headers: { cookie } },
    );

  beforeAll(async () => {
    // @hono/node-server's serve (the stand-in API's server here) swaps the global Response for its own
    // (overrideGlobalObjects): the forwarder takes the example's Response.json as a Response all the same.
    upstream = await startUpstream(KEY);
    vi.stubEnv('EQUALS_API_KEY', KEY);
    vi.stubEnv('EQUALS_BASE_URL', upstream.url);
    ({ forward } = await import(pathToFileURL(join(dir, 'production.ts')).href));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await upstream?.close();
  });

  test('a step-up older than 5 minutes is asked for again, and nothing reaches upstream', async () => {
    const answer = await forward(reveal(STALE));
    expect([answer.status, await answer.json()]).toEqual([401, { message: 'Confirm it is you', code: 'step_up' }]);
    expect(upstream.sandbox.requests).toEqual([]);
  });

  test('the fourth reveal within the window is refused, with Retry-After', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await forward(reveal()));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(await answers[0]!.json()).toEqual({ pin: exampleCard.pin });
    expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(upstream.sandbox.requests).toHaveLength(3);
  });

  test('a stranger is refused before the limiter, and every request left one audit record, no secret in it', async () => {
    const stranger = await forward(reveal('session=mallory'));
    expect(stranger.status).toBe(403);
    const records = (globalThis as { auditRecords?: object[] }).auditRecords ?? [];
    expect(records.map((r) => (r as { status: number }).status)).toEqual([401, 200, 200, 200, 429, 403]);
    expect(records[4]).toMatchObject({ userId: USER, code: 'rate_limit', cardholderVerificationMethod: 'OTP' });
    for (const record of records) expect(secretLeaks(record, [KEY, exampleCard.pin, COOKIE])).toEqual([]);
  });
});
