// The sandbox core through its Fetch-standard handler: state, auth, validation, Prefer, faults and the
// log. Every answer it gives in this file is checked against the spec (Ajv over openapi/pin.yaml), and
// afterAll checks that, Prefer aside, they reached every documented status of both operations.
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { createPinClient } from '../../src/index.js';
import { createPinSandbox, REQUEST_LOG_LIMIT, type PinSandbox } from '../../src/sandbox.js';
import { seedPut } from '../support/fetch.js';
import { deref, operations, responseProblems, spec } from '../support/spec-validator.js';

const origin = spec.servers[0].url as string;
const { pin: seedPin, cardId, accountId, personId } = seedPut;
const ids = { cardId, accountId, personId };
const seen = new Map<string, Set<number>>(operations.map((op) => [op.id, new Set<number>()]));

interface Call {
  method?: 'GET' | 'PUT' | 'DELETE';
  path?: string;
  query?: Record<string, string | string[]>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** Sends one request through `sandbox.handle` and checks the answer against the spec before returning it. */
async function send(sandbox: PinSandbox, { method = 'GET', path, query, body, rawBody, headers = {} }: Call = {}) {
  const url = new URL(path ?? `/v2/cards/${encodeURIComponent(ids.cardId)}/pin`, origin);
  const params = query ?? (method === 'GET' ? { ...ids, cardholderVerificationMethod: 'LOGIN' } : ids);
  for (const [key, value] of Object.entries(params)) {
    if (key === 'cardId') continue;
    for (const one of [value].flat()) url.searchParams.append(key, one);
  }
  const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  const response = await sandbox.handle(
    new Request(url, {
      method,
      body: payload,
      headers: { authorization: 'ApiKey test-key', ...(payload && { 'content-type': 'application/json' }), ...headers },
    }),
  );
  const text = response.type === 'error' ? '' : await response.text();
  const json = text ? JSON.parse(text) : undefined;
  const operation = operations.find((op) => op.method === method && url.pathname.endsWith('/pin'));
  if (operation && response.type !== 'error') {
    expect(responseProblems(operation.id, response.status, json), `${method} → ${response.status}`).toEqual([]);
    const retryAfter = response.headers.get('retry-after');
    if (retryAfter !== null) {
      expect(deref(operation.responses[String(response.status)]).headers, 'Retry-After is documented').toHaveProperty(
        'Retry-After',
      );
      expect(retryAfter).toMatch(new RegExp(spec.components.headers.RetryAfter.schema.pattern));
    }
    // Answers picked with Prefer do not count towards coverage: every status must be reachable without it.
    if (!headers.prefer) seen.get(operation.id)!.add(response.status);
  }
  return { status: response.status, json, text, headers: response.headers, type: response.type };
}

let sandbox: PinSandbox;
beforeEach(() => {
  sandbox = createPinSandbox({ cards: [{ cardId: 'card-2', accountId: 'F2', personId: 'p-2' }] });
});

describe('state', () => {
  test('starts with the spec example card and its PIN', async () => {
    expect(sandbox.pinOf(ids.cardId)).toBe(seedPin);
    expect((await send(sandbox)).json).toEqual({ pin: seedPin });
  });

  test('a PUT with a PIN sets it, and the next GET reveals it', async () => {
    expect((await send(sandbox, { method: 'PUT', body: { pin: '1234' } })).json).toEqual({
      success: true,
      pin: '1234',
    });
    expect((await send(sandbox)).json).toEqual({ pin: '1234' });
    expect(sandbox.pinOf(ids.cardId)).toBe('1234');
  });

  test('a PUT without a PIN sets a random four-digit one and answers with it', async () => {
    const picked = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { json } = await send(sandbox, { method: 'PUT' });
      expect(json.success).toBe(true);
      expect(json.pin).toMatch(/^[0-9]{4}$/);
      expect(sandbox.pinOf(ids.cardId)).toBe(json.pin);
      picked.add(json.pin);
    }
    expect(picked.size).toBeGreaterThan(1); // random, not a constant
  });

  test('a card added without a PIN reads as null until one is set', async () => {
    const query = { accountId: 'F2', personId: 'p-2', cardholderVerificationMethod: 'OTP' };
    expect((await send(sandbox, { path: '/v2/cards/card-2/pin', query })).json).toEqual({ pin: null });
    sandbox.setPin('card-2', '0042');
    expect((await send(sandbox, { path: '/v2/cards/card-2/pin', query })).json).toEqual({ pin: '0042' });
  });

  test('reset() restores the PINs and clears faults and the log', async () => {
    await send(sandbox, { method: 'PUT', body: { pin: '1111' } });
    sandbox.failNext({ status: 500 });
    sandbox.reset();
    expect(sandbox.requests).toEqual([]);
    expect((await send(sandbox)).json).toEqual({ pin: seedPin });
  });

  test('setPin and pinOf refuse bad input without quoting it', () => {
    expect(() => sandbox.setPin(ids.cardId, '98a7')).toThrow(/pin fails pattern/);
    expect(() => sandbox.setPin(ids.cardId, '98a7')).not.toThrow(/98a7/);
    expect(() => sandbox.pinOf('nope')).toThrow(/no card/);
    expect(() => createPinSandbox({ cards: [{ cardId: '', accountId: 'a', personId: 'p' }] })).toThrow(
      /cardId is required/,
    );
    expect(sandbox.pinOf(ids.cardId)).toBe(seedPin);
  });
});

describe('cards the request does not own', () => {
  test.each([
    ['an unknown card', { path: '/v2/cards/no-such-card/pin' }],
    [
      'an account that does not hold the card',
      { query: { ...ids, accountId: 'F99999', cardholderVerificationMethod: 'LOGIN' } },
    ],
    [
      'a person who does not hold the card',
      { query: { ...ids, personId: 'someone-else', cardholderVerificationMethod: 'LOGIN' } },
    ],
  ] as [string, Call][])('%s gets 404 on GET and PUT, and nothing changes', async (_, call) => {
    expect((await send(sandbox, call)).status).toBe(404);
    const { cardholderVerificationMethod: _m, ...putQuery }: Call['query'] & {} = call.query ?? ids;
    expect(
      (
        await send(sandbox, {
          ...call,
          method: 'PUT',
          query: putQuery as Record<string, string>,
          body: { pin: '5555' },
        })
      ).status,
    ).toBe(404);
    expect(sandbox.pinOf(ids.cardId)).toBe(seedPin);
  });
});

describe('auth', () => {
  test('no Authorization header gets 401', async () => {
    const response = await sandbox.handle(
      new Request(
        `${origin}/v2/cards/${ids.cardId}/pin?accountId=${ids.accountId}&personId=${ids.personId}&cardholderVerificationMethod=LOGIN`,
      ),
    );
    expect(response.status).toBe(401);
    expect(responseProblems('getPin', 401, await response.json())).toEqual([]);
    seen.get('getPin')!.add(401);
  });

  test.each(['Bearer xyz', 'ApiKey', 'ApiKey a b', 'Basic dXNlcjpwYXNz'])('"%s" gets 403', async (header) => {
    expect((await send(sandbox, { headers: { authorization: header } })).status).toBe(403);
    expect(
      (await send(sandbox, { method: 'PUT', body: { pin: '5555' }, headers: { authorization: header } })).status,
    ).toBe(403);
    expect(sandbox.pinOf(ids.cardId)).toBe(seedPin);
  });

  test('with apiKeys, only those keys get through', async () => {
    const strict = createPinSandbox({ apiKeys: ['good-key'] });
    expect((await send(strict, { headers: { authorization: 'ApiKey other' } })).status).toBe(403);
    expect((await send(strict, { headers: { authorization: 'ApiKey good-key' } })).status).toBe(200);
  });
});

describe('validation: 400 with the field and the rule, never the value, and nothing stored', () => {
  const getQuery = { ...ids, cardholderVerificationMethod: 'LOGIN' };
  test.each<[string, Call, string, string]>([
    ['a PIN with a letter', { method: 'PUT', body: { pin: '98a7' } }, 'pin', 'pattern'],
    ['a three-digit PIN', { method: 'PUT', body: { pin: '987' } }, 'pin', 'minLength'],
    ['a PIN as a number', { method: 'PUT', body: { pin: 9876 } }, 'pin', 'type'],
    [
      'an unknown body field',
      { method: 'PUT', body: { pin: '9876', secret: '9876' } },
      'secret',
      'additionalProperties',
    ],
    [
      'a prototype-named body field',
      { method: 'PUT', rawBody: '{"__proto__":{"pin":"9876"}}' },
      '__proto__',
      'additionalProperties',
    ],
    ['half an MFA object', { method: 'PUT', body: { pin: '9876', mfa: { sessionId: 's' } } }, 'mfa.token', 'required'],
    ['a body that is not JSON', { method: 'PUT', rawBody: '{"pin": "9876"' }, 'body', 'format'],
    ['a body that is an array', { method: 'PUT', rawBody: '["9876"]' }, 'body', 'type'],
    [
      'a body over 16 KiB',
      { method: 'PUT', rawBody: JSON.stringify({ pin: '9876', pad: 'x'.repeat(20_000) }) },
      'body',
      'maxBytes',
    ],
    ['a PIN in the query', { method: 'PUT', query: { ...ids, pin: '9876' } }, 'pin', 'additionalProperties'],
    [
      'an unknown verification method',
      { query: { ...getQuery, cardholderVerificationMethod: 'PASSWORD' } },
      'cardholderVerificationMethod',
      'enum',
    ],
    [
      'a missing accountId',
      { query: { personId: ids.personId, cardholderVerificationMethod: 'LOGIN' } },
      'accountId',
      'required',
    ],
    ['a repeated personId', { query: { ...getQuery, personId: [ids.personId, ids.personId] } }, 'personId', 'type'],
    ['a 37-character cardId', { path: `/v2/cards/${'c'.repeat(37)}/pin` }, 'cardId', 'maxLength'],
    ['a broken percent-encoding', { path: '/v2/cards/%E0%A4%A/pin' }, 'cardId', 'format'],
  ])('%s', async (_, call, field, rule) => {
    const { status, json, text } = await send(sandbox, call);
    expect(status).toBe(400);
    expect(json.message).toContain(field);
    expect(json.code).toBe(rule);
    expect(text).not.toContain('9876');
    expect(text).not.toContain('PASSWORD');
    expect(sandbox.pinOf(ids.cardId)).toBe(seedPin);
  });

  const { personId: _omitted, ...withoutPerson } = ids;
  test.each<[string, Record<string, unknown>, Call]>([
    ['pattern', { ...ids, pin: '98a7' }, { method: 'PUT', body: { pin: '98a7' } }],
    ['minLength', { ...ids, pin: '987' }, { method: 'PUT', body: { pin: '987' } }],
    ['required', withoutPerson, { method: 'PUT', query: withoutPerson }],
    [
      'maxLength',
      { ...ids, accountId: 'a'.repeat(37) },
      { method: 'PUT', query: { ...ids, accountId: 'a'.repeat(37) } },
    ],
  ])('the client refuses in the words the sandbox answers with (%s)', async (_, input, call) => {
    const client = createPinClient({ apiKey: 'k', fetch: sandbox.fetch });
    const refused = (await client.updatePin(input as never).catch((error: Error) => error)) as Error;
    const { status, json } = await send(sandbox, call);
    expect(status).toBe(400);
    expect(refused.message).toBe(`updatePin: ${json.message}`);
  });

  test('a PUT body sent as text/plain gets 415 and changes nothing', async () => {
    const { status } = await send(sandbox, {
      method: 'PUT',
      rawBody: '{"pin":"9876"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(status).toBe(415);
    expect(sandbox.pinOf(ids.cardId)).toBe(seedPin);
  });

  test('another method on the path gets 405, another path 404', async () => {
    expect((await send(sandbox, { method: 'DELETE' })).status).toBe(405);
    expect((await send(sandbox, { path: '/v2/cards/x/cvv' })).status).toBe(404);
  });
});

describe('Prefer: code=NNN, as Prism reads it', () => {
  test.each(operations.flatMap((op) => Object.keys(op.responses).map((code) => [op.id, Number(code)] as const)))(
    '%s answers a documented %i with its example',
    async (id, code) => {
      const method = id === 'getPin' ? 'GET' : 'PUT';
      const { status, json, headers } = await send(sandbox, { method, headers: { prefer: `code=${code}` } });
      expect(status).toBe(code);
      expect(json).toEqual(
        deref(operations.find((op) => op.id === id)!.responses[code]).content['application/json'].example,
      );
      if (code === 429) expect(headers.get('retry-after')).toBe(spec.components.headers.RetryAfter.example);
    },
  );

  test('an undocumented code is a 400 that says so', async () => {
    const { status, json } = await send(sandbox, { headers: { prefer: 'code=418' } });
    expect(status).toBe(400);
    expect(json).toEqual({ message: 'Prefer code=418 is not a documented response of getPin', code: 'prefer' });
  });
});

describe('scripted faults', () => {
  test('a 429 with Retry-After, once, then normal answers', async () => {
    sandbox.failNext({ status: 429, retryAfter: 1 });
    const first = await send(sandbox);
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '1']);
    expect((await send(sandbox)).status).toBe(200);
  });

  test('times: 2 gives two 503s, and a fault can target one operation', async () => {
    sandbox.failNext({ status: 503, times: 2, operation: 'updatePin' });
    expect((await send(sandbox)).status).toBe(200);
    expect((await send(sandbox, { method: 'PUT', body: { pin: '1234' } })).status).toBe(503);
    expect((await send(sandbox, { method: 'PUT', body: { pin: '1234' } })).status).toBe(503);
    expect(sandbox.pinOf(ids.cardId)).toBe(seedPin);
    expect((await send(sandbox, { method: 'PUT', body: { pin: '1234' } })).status).toBe(200);
  });

  test('a network error is Response.error(), which fetch callers see as a failed fetch', async () => {
    sandbox.failNext({ network: true });
    expect((await send(sandbox)).type).toBe('error');
    expect(sandbox.requests.at(-1)).toMatchObject({ status: 0, faulted: true, operation: 'getPin' });
  });

  test('sandbox.fetch keeps fetch’s contract: a scripted network error rejects, and the client retries it', async () => {
    sandbox.failNext({ network: true });
    await expect(sandbox.fetch(`${origin}/v2/cards/x/pin`)).rejects.toThrow(TypeError);
    sandbox.failNext({ network: true });
    const client = createPinClient({ apiKey: 'k', fetch: sandbox.fetch, retry: { baseDelayMs: 1 } });
    expect(await client.getPin({ ...ids, cardholderVerificationMethod: 'LOGIN' })).toEqual({ pin: seedPin });
    expect(sandbox.requests.slice(-2).map((entry) => entry.status)).toEqual([0, 200]);
    // Given `handle` instead, whose network error is Response.error() (status 0), the client sees no network error.
    sandbox.failNext({ network: true });
    const direct = createPinClient({ apiKey: 'k', fetch: sandbox.handle, retry: false });
    await expect(direct.getPin({ ...ids, cardholderVerificationMethod: 'LOGIN' })).rejects.not.toMatchObject({
      code: 'network',
    });
  });

  test.each([
    [{ status: 418 }, /418 is not a documented error/],
    [{ status: 200 }, /200 is not a documented error/],
    [{ status: 415 }, /415 is not a documented error of getPin/],
    [{ status: 503, times: 0 }, /times must be a positive integer/],
    [{ status: 429, retryAfter: 1.5 }, /retryAfter must be a whole number/],
  ])('failNext(%j) is refused', (fault, message) => {
    expect(() => sandbox.failNext(fault)).toThrow(message);
  });

  test.each([429, 500, 502, 503, 504, 401, 403, 404, 400])(
    'each documented error can be scripted: %i',
    async (status) => {
      sandbox.failNext({ status, times: 2 });
      expect((await send(sandbox)).status).toBe(status);
      expect((await send(sandbox, { method: 'PUT', body: { pin: '1234' } })).status).toBe(status);
      sandbox.failNext({ status: 415, operation: 'updatePin' });
      expect((await send(sandbox, { method: 'PUT', body: { pin: '1234' } })).status).toBe(415);
    },
  );
});

describe('the request log', () => {
  test('holds method, path, status and operation for every request, and no PIN or query', async () => {
    sandbox.setPin(ids.cardId, '4821');
    await send(sandbox);
    await send(sandbox, { method: 'PUT', body: { pin: '3719' } });
    sandbox.failNext({ status: 503 });
    await send(sandbox, { method: 'PUT', body: { pin: '3720' } });
    await send(sandbox, { method: 'PUT', body: { pin: '12x4' } });
    await send(sandbox, { path: '/v2/elsewhere' });
    const path = `/v2/cards/${ids.cardId}/pin`;
    expect(sandbox.requests).toEqual([
      { method: 'GET', path, status: 200, operation: 'getPin', faulted: false },
      { method: 'PUT', path, status: 200, operation: 'updatePin', faulted: false },
      { method: 'PUT', path, status: 503, operation: 'updatePin', faulted: true },
      { method: 'PUT', path, status: 400, operation: 'updatePin', faulted: false },
      { method: 'GET', path: '/v2/elsewhere', status: 404, faulted: false },
    ]);
    const logged = JSON.stringify(sandbox.requests);
    for (const secret of ['4821', '3719', '3720', '12x4', ids.accountId, 'test-key'])
      expect(logged).not.toContain(secret);
  });

  test(`keeps the latest ${REQUEST_LOG_LIMIT} requests`, async () => {
    for (let i = 0; i < REQUEST_LOG_LIMIT + 5; i++) {
      await sandbox.handle(new Request(`${origin}/v2/nowhere/${i}`, { headers: { authorization: 'ApiKey k' } }));
    }
    expect(sandbox.requests).toHaveLength(REQUEST_LOG_LIMIT);
    expect(sandbox.requests[0]!.path).toBe('/v2/nowhere/5');
  });
});

afterAll(() => {
  // Every documented status of each operation was produced above (and validated by send()).
  for (const op of operations)
    expect([...seen.get(op.id)!].sort(), op.id).toEqual(Object.keys(op.responses).map(Number).sort());
});
