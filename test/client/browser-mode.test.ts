// Browser mode: no key of the client's own, the caller's headers passed through, a relative baseUrl
// resolved against the page, a key refused in a page unless explicitly allowed, and rotating keys.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { servers } from '../../generated/pin-constraints.js';
import { createPinClient, type PinTransportError, PinValidationError } from '../../src/index.js';
import { API_KEY, json, scriptedFetch, seedGet } from '../support/fetch.js';

const refusal = (make: () => unknown): PinValidationError => {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(PinValidationError);
    return error as PinValidationError;
  }
  return expect.unreachable('createPinClient should have refused');
};

/** What createPinClient sees in a page: a document, and the page's location. */
const onPage = (href: string) => {
  vi.stubGlobal('document', {});
  vi.stubGlobal('location', new URL(href));
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('without an apiKey', () => {
  test('sends no Authorization of its own, and passes the caller’s headers and credentials through', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const credentials: RequestCredentials[] = [];
    const client = createPinClient({
      baseUrl: 'https://backend.test',
      fetch: (request) => {
        credentials.push(request.credentials);
        return fetch(request);
      },
      headers: { Authorization: 'Bearer session-1' },
    });
    await client.getPin(seedGet);
    await client.getPin(seedGet, { headers: { Authorization: 'Bearer session-2', 'x-request-id': 'r-2' } });
    expect(calls.map((c) => c.headers.get('authorization'))).toEqual(['Bearer session-1', 'Bearer session-2']);
    expect(calls[1]!.headers.get('x-request-id')).toBe('r-2');
    expect(credentials).toEqual(['same-origin', 'same-origin']);
  });

  test('with no headers at all, no Authorization is sent', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    await createPinClient({ baseUrl: 'https://backend.test', fetch }).getPin(seedGet);
    expect(calls[0]!.headers.has('authorization')).toBe(false);
  });
});

describe('in a page, without an apiKey', () => {
  test('any baseUrl is accepted as before, the provider’s servers included (issue 22)', () => {
    onPage('https://app.example/');
    for (const baseUrl of [undefined, servers.production, servers.sandbox, '/api/equals'])
      expect(() => createPinClient({ baseUrl })).not.toThrow();
  });
});

describe("verification: 'backend'", () => {
  const { cardholderVerificationMethod, ...ids } = seedGet;

  test('getPin leaves the method out, for the backend to fill in; a method given is still sent', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const client = createPinClient({ baseUrl: 'https://backend.test', verification: 'backend', fetch });
    await client.getPin(ids);
    await client.getPin({ ...ids, cardholderVerificationMethod: 'OTP' });
    const methods = calls.map((c) => c.url.searchParams.get('cardholderVerificationMethod'));
    expect(methods).toEqual([null, 'OTP']);
    expect(calls[0]!.url.searchParams.get('personId')).toBe(ids.personId);
  });

  test('everything else is still checked, the method given included, and nothing is sent', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const client = createPinClient({ baseUrl: 'https://backend.test', verification: 'backend', fetch });
    const refused = async (params: object) => {
      const error = (await client.getPin(params as typeof ids).catch((e: unknown) => e)) as PinValidationError;
      expect(error).toBeInstanceOf(PinValidationError);
      return [error.field, error.rule];
    };
    expect(await refused({ cardId: ids.cardId, accountId: ids.accountId })).toEqual(['personId', 'required']);
    expect(await refused({ ...ids, cardId: '' })).toEqual(['cardId', 'minLength']);
    expect(await refused({ ...ids, cardholderVerificationMethod: 'PASSWORD' })).toEqual([
      'cardholderVerificationMethod',
      'enum',
    ]);
    expect(calls).toHaveLength(0);
  });

  test('without it the method stays required, as the spec says', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const error = await createPinClient({ baseUrl: 'https://backend.test', fetch })
      .getPin(ids as typeof seedGet)
      .catch((e: unknown) => e);
    expect([(error as PinValidationError).field, (error as PinValidationError).rule]).toEqual([
      'cardholderVerificationMethod',
      'required',
    ]);
    expect(ids).not.toHaveProperty('cardholderVerificationMethod');
    expect(calls).toHaveLength(0);
  });
});

describe('per-call headers', () => {
  test('are sent, and Authorization stays the client’s own when it has an apiKey', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const client = createPinClient({ apiKey: API_KEY, fetch, headers: { 'x-app': 'cards' } });
    await client.getPin(seedGet, {
      headers: { 'x-request-id': 'r-1', traceparent: '00-abc-def-01', Authorization: 'Bearer other' },
    });
    const { headers } = calls[0]!;
    expect([headers.get('x-request-id'), headers.get('traceparent'), headers.get('x-app')]).toEqual([
      'r-1',
      '00-abc-def-01',
      'cards',
    ]);
    expect(headers.get('authorization')).toBe(`ApiKey ${API_KEY}`);
  });
});

describe('an apiKey function', () => {
  test('is called for every request, so a rotated key is used from the next request on', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const keys = ['key-one', 'key-two'];
    const client = createPinClient({ apiKey: async () => keys.shift()!, fetch });
    await client.getPin(seedGet);
    await client.getPin(seedGet);
    expect(calls.map((c) => c.headers.get('authorization'))).toEqual(['ApiKey key-one', 'ApiKey key-two']);
  });

  test.each([
    ['an empty key', '', 'required'],
    ['a key with a space', 'two words', 'pattern'],
    ['not a string', 42, 'required'],
  ])('returning %s refuses the call and sends nothing', async (_, key, rule) => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const client = createPinClient({ apiKey: () => key as string, fetch, retry: false });
    const error = await client.getPin(seedGet).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinValidationError);
    expect([(error as PinValidationError).field, (error as PinValidationError).rule]).toEqual(['apiKey', rule]);
    expect(calls).toHaveLength(0);
  });

  test('that never settles does not hold the call past its deadline', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const client = createPinClient({ apiKey: () => new Promise<string>(() => {}), fetch, timeoutMs: 50 });
    const error = await client.getPin(seedGet).catch((e: unknown) => e);
    expect((error as PinTransportError).code).toBe('timeout');
    expect(calls).toHaveLength(0);
  });
});

describe('baseUrl', () => {
  test('a relative one resolves against the page’s location', async () => {
    onPage('https://app.example/cards/123?tab=pin');
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    await createPinClient({ baseUrl: '/api/equals', fetch }).getPin(seedGet);
    expect(calls[0]!.url.href.split('?')[0]).toBe(`https://app.example/api/equals/v2/cards/${seedGet.cardId}/pin`);
  });

  test('a relative one on a plain-http page is refused unless the page is on loopback', () => {
    onPage('http://app.example/');
    expect([refusal(() => createPinClient({ baseUrl: '/api/equals' })).rule]).toEqual(['https']);
    onPage('http://localhost:5173/');
    expect(() => createPinClient({ baseUrl: '/api/equals' })).not.toThrow();
  });

  test('a relative one outside a browser is refused, saying why', () => {
    const error = refusal(() => createPinClient({ baseUrl: '/api/equals' }));
    expect([error.field, error.rule]).toEqual(['baseUrl', 'format']);
    expect(error.message).toMatch(/relative only in a browser/);
  });
});

describe('an apiKey in a page', () => {
  test.each([
    ['a string', API_KEY],
    ['a function', () => API_KEY],
  ])('given as %s is refused by createPinClient itself', (_, apiKey) => {
    onPage('https://app.example/');
    const error = refusal(() => createPinClient({ apiKey, baseUrl: '/api/equals' }));
    expect([error.field, error.rule]).toEqual(['apiKey', 'dangerouslyAllowBrowser']);
  });

  test('is accepted with dangerouslyAllowBrowser: true', async () => {
    onPage('https://app.example/');
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    await createPinClient({ apiKey: API_KEY, dangerouslyAllowBrowser: true, fetch }).getPin(seedGet);
    expect(calls[0]!.headers.get('authorization')).toBe(`ApiKey ${API_KEY}`);
  });
});

describe('redirects as browsers report them', () => {
  test('an opaque redirect (status 0) is refused with code redirect and not retried', async () => {
    // What fetch returns in a browser for `redirect: 'manual'`; a Response with status 0 cannot be constructed.
    const opaque = () =>
      ({ type: 'opaqueredirect', status: 0, ok: false, headers: new Headers(), body: null }) as unknown as Response;
    const { fetch, calls } = scriptedFetch(opaque);
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: { baseDelayMs: 1 } });
    const error = await client.getPin(seedGet).catch((e: unknown) => e);
    expect((error as PinTransportError).code).toBe('redirect');
    expect(calls).toHaveLength(1);
  });

  test('every request asks fetch not to follow redirects, raw ones included', async () => {
    const modes: RequestRedirect[] = [];
    const { fetch } = scriptedFetch((request) => {
      modes.push(request.redirect);
      return json({ pin: '7268' });
    });
    const client = createPinClient({ apiKey: API_KEY, fetch });
    await client.getPin(seedGet);
    await client.raw.GET('/v2/cards/{cardId}/pin', {
      params: {
        path: { cardId: seedGet.cardId },
        query: { accountId: seedGet.accountId, personId: seedGet.personId, cardholderVerificationMethod: 'LOGIN' },
      },
    });
    expect(modes).toEqual(['manual', 'manual']);
  });
});
