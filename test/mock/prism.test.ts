// The real client against a real Prism started with --errors: a request that breaks the spec
// gets an error response, so every passing call here is also a spec-valid request.
import { describe, expect, inject, test } from 'vitest';
import {
  createPinClient,
  PinApiError,
  PinHttpError,
  PinRateLimitError,
  type PinClientOptions,
} from '../../src/index.js';
import { seedGet, seedPut } from '../support/fetch.js';

const baseUrl = inject('prismUrl');
const client = (options: Partial<PinClientOptions> = {}) =>
  createPinClient({ apiKey: 'YOUR_API_KEY_HERE', baseUrl, retry: false, ...options });
const { pin: _, ...ids } = seedPut;

describe('both operations against the mock', () => {
  test('getPin with the seed request returns the seed response', async () => {
    await expect(client().getPin(seedGet)).resolves.toEqual({ pin: '7268' });
  });

  test('updatePin with the seed request returns the seed response', async () => {
    await expect(client().updatePin(seedPut)).resolves.toEqual({ success: true });
  });

  test.each([
    [
      'getPin with MFA fields',
      () => client().getPin({ ...seedGet, cardholderVerificationMethod: 'OTP', sessionId: 's-1', token: '123456' }),
    ],
    ['updatePin with no body', () => client().updatePin(ids)],
    [
      'updatePin with every body field',
      () =>
        client().updatePin({
          ...seedPut,
          cardholderVerificationMethod: 'LOGIN',
          mfa: { sessionId: 's-1', token: '123456' },
        }),
    ],
    ['ids that need encoding', () => client().getPin({ ...seedGet, cardId: 'a b/c?d', accountId: 'F1&x=y' })],
  ])('%s passes Prism validation', async (_, call) => {
    await expect(call()).resolves.toBeDefined();
  });

  test('Prism does refuse a request that breaks the spec', async () => {
    const response = await fetch(
      `${baseUrl}/v2/cards/c/pin?accountId=F1&personId=p&cardholderVerificationMethod=PASSWORD`,
      {
        headers: { Authorization: 'ApiKey k' },
      },
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});

describe('error responses chosen with Prefer', () => {
  test.each([
    [401, PinHttpError],
    [403, PinHttpError],
    [404, PinHttpError],
    [429, PinRateLimitError],
    [500, PinHttpError],
  ])('%i', async (status, ErrorClass) => {
    const call = client({ headers: { Prefer: `code=${status}` } }).getPin(seedGet);
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(PinApiError);
    expect((error as PinHttpError).status).toBe(status);
    expect((error as PinHttpError).body).toHaveProperty('message');
  });

  test("429 carries the spec's Retry-After example into the error", async () => {
    const error = await client({ headers: { Prefer: 'code=429' }, retry: {} })
      .updatePin(seedPut)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinRateLimitError);
    expect((error as PinRateLimitError).retryAfterMs).toBe(30_000);
  });
});

describe('authentication', () => {
  test('a request with no API key gets 401', async () => {
    const response = await fetch(
      `${baseUrl}/v2/cards/${seedGet.cardId}/pin?accountId=F12345&personId=${seedGet.personId}&cardholderVerificationMethod=LOGIN`,
    );
    expect(response.status).toBe(401);
  });

  test('the client surfaces that 401 as a PinHttpError', async () => {
    const withoutKey = (request: Request) => {
      const headers = new Headers(request.headers);
      headers.delete('authorization');
      return fetch(new Request(request, { headers }));
    };
    const error = await client({ fetch: withoutKey })
      .getPin(seedGet)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinHttpError);
    expect((error as PinHttpError).status).toBe(401);
  });
});
