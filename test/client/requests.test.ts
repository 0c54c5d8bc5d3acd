import { describe, expect, test } from 'vitest';
import { createPinClient, servers } from '../../src/index.js';
import { API_KEY, json, scriptedFetch, seedGet, seedPut } from '../support/fetch.js';
import { spec } from '../support/spec-validator.js';

describe('getPin request', () => {
  test('URL, method, query, headers and no body', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const client = createPinClient({ apiKey: API_KEY, fetch });
    await expect(client.getPin(seedGet)).resolves.toEqual({ pin: '7268' });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.method).toBe('GET');
    expect(call!.url.origin + call!.url.pathname).toBe(`${servers.production}/v2/cards/${seedGet.cardId}/pin`);
    expect(Object.fromEntries(call!.url.searchParams)).toEqual({
      accountId: seedGet.accountId,
      personId: seedGet.personId,
      cardholderVerificationMethod: 'BIOMETRIC_FACE',
    });
    expect(call!.headers.get('authorization')).toBe(`ApiKey ${API_KEY}`);
    expect(call!.headers.get('content-type')).toBeNull();
    expect(call!.cache).toBe('no-store');
    expect(call!.body).toBe('');
  });

  test('optional MFA fields go in the query', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: null }));
    const client = createPinClient({ apiKey: API_KEY, fetch });
    await expect(client.getPin({ ...seedGet, sessionId: 's-1', token: '123456' })).resolves.toEqual({ pin: null });
    expect(calls[0]!.url.searchParams.get('sessionId')).toBe('s-1');
    expect(calls[0]!.url.searchParams.get('token')).toBe('123456');
  });

  test('path and query values are encoded', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const client = createPinClient({ apiKey: API_KEY, fetch });
    await client.getPin({ ...seedGet, cardId: 'a/b?c#d', accountId: 'x&y=z' });
    expect(calls[0]!.url.pathname).toBe('/v2/cards/a%2Fb%3Fc%23d/pin');
    expect(calls[0]!.url.searchParams.get('accountId')).toBe('x&y=z');
  });
});

describe('updatePin request', () => {
  test('PUT with a JSON body and the ids in path and query', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ success: true }));
    const client = createPinClient({ apiKey: API_KEY, fetch });
    await expect(client.updatePin(seedPut)).resolves.toEqual({ success: true });
    const [call] = calls;
    expect(call!.method).toBe('PUT');
    expect(call!.url.pathname).toBe(`/v2/cards/${seedPut.cardId}/pin`);
    expect(Object.fromEntries(call!.url.searchParams)).toEqual({ accountId: 'F12345', personId: seedPut.personId });
    expect(call!.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(call!.body)).toEqual({ pin: '7268' });
    expect(call!.cache).toBe('no-store');
  });

  test('newer optional fields go in the body; without them and a PIN, no body is sent', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ success: true, pin: '2612' }));
    const client = createPinClient({ apiKey: API_KEY, fetch });
    const { pin: _, ...ids } = seedPut;
    await expect(client.updatePin(ids)).resolves.toEqual({ success: true, pin: '2612' });
    await client.updatePin({ ...ids, cardholderVerificationMethod: 'OTP', mfa: { sessionId: 's', token: '1' } });
    expect(calls[0]!.body).toBe('');
    expect(JSON.parse(calls[1]!.body)).toEqual({
      cardholderVerificationMethod: 'OTP',
      mfa: { sessionId: 's', token: '1' },
    });
  });
});

describe('client options', () => {
  test('servers come from the spec', () => {
    const fromSpec = Object.fromEntries(spec.servers.map((s: any) => [s['x-environment'], s.url]));
    expect(servers).toEqual(fromSpec);
  });

  test('baseUrl, extra headers, and an Authorization header that cannot be overridden', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const client = createPinClient({
      apiKey: API_KEY,
      fetch,
      baseUrl: servers.sandbox,
      headers: { 'x-trace': 'abc', Authorization: 'ApiKey other' },
    });
    await client.getPin(seedGet);
    expect(calls[0]!.url.origin).toBe(servers.sandbox);
    expect(calls[0]!.headers.get('x-trace')).toBe('abc');
    expect(calls[0]!.headers.get('authorization')).toBe(`ApiKey ${API_KEY}`);
  });

  test('fetch is looked up per request when not injected', async () => {
    const original = globalThis.fetch;
    const client = createPinClient({ apiKey: API_KEY });
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    globalThis.fetch = fetch as typeof globalThis.fetch;
    try {
      await client.getPin(seedGet);
    } finally {
      globalThis.fetch = original;
    }
    expect(calls).toHaveLength(1);
  });

  test('raw is openapi-fetch with the API key applied', async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const client = createPinClient({ apiKey: API_KEY, fetch });
    const { data, error, response } = await client.raw.GET('/v2/cards/{cardId}/pin', {
      params: {
        path: { cardId: seedGet.cardId },
        query: { accountId: 'F12345', personId: seedGet.personId, cardholderVerificationMethod: 'LOGIN' },
      },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toEqual({ pin: '7268' });
    expect(calls[0]!.headers.get('authorization')).toBe(`ApiKey ${API_KEY}`);
    expect(calls[0]!.cache).toBe('no-store');
  });
});
