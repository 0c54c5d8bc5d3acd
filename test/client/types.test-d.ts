import { describe, expectTypeOf, test } from 'vitest';
import {
  createPinClient,
  type PinHttpError,
  type CardholderVerificationMethod,
  type components,
  type GetPinParams,
  type GetPinResponse,
  type PinError,
  type UpdatePinParams,
  type UpdatePinResponse,
} from '../../src/index.js';

const client = createPinClient({ apiKey: 'k' });
const ids = { cardId: 'c', accountId: 'a', personId: 'p' };

describe('inputs', () => {
  test('the enum comes from the spec', () => {
    expectTypeOf<CardholderVerificationMethod>().toEqualTypeOf<
      'BIOMETRIC_FACE' | 'BIOMETRIC_FINGERPRINT' | 'LOGIN' | 'OTP'
    >();
    expectTypeOf<CardholderVerificationMethod>().toEqualTypeOf<components['schemas']['CardholderVerificationMethod']>();
  });

  test('a wrong enum value, a missing personId and a numeric PIN do not compile', () => {
    // @ts-expect-error: not a verification method
    void client.getPin({ ...ids, cardholderVerificationMethod: 'PASSWORD' });
    // @ts-expect-error: personId is required
    void client.getPin({ cardId: 'c', accountId: 'a', cardholderVerificationMethod: 'LOGIN' });
    // @ts-expect-error: a PIN is a string
    void client.updatePin({ ...ids, pin: 1234 });
    // @ts-expect-error: no such field
    void client.updatePin({ ...ids, colour: 'red' });
  });

  test("verification: 'backend' makes getPin's method optional, and only then", () => {
    const browser = createPinClient({ baseUrl: '/api/equals', verification: 'backend' });
    void browser.getPin(ids);
    void browser.getPin({ ...ids, cardholderVerificationMethod: 'OTP' });
    // @ts-expect-error: still not a verification method
    void browser.getPin({ ...ids, cardholderVerificationMethod: 'PASSWORD' });
    // @ts-expect-error: without the option the spec's rule stands
    void client.getPin(ids);
  });

  test('optional fields stay optional', () => {
    expectTypeOf<{ cardId: string; accountId: string; personId: string }>().toMatchTypeOf<UpdatePinParams>();
    expectTypeOf<GetPinParams>().toHaveProperty('sessionId');
  });
});

describe('results', () => {
  test('resolve to the 200 bodies of the spec', () => {
    expectTypeOf(client.getPin).returns.resolves.toEqualTypeOf<GetPinResponse>();
    expectTypeOf<GetPinResponse['pin']>().toEqualTypeOf<string | null>();
    expectTypeOf(client.updatePin).returns.resolves.toEqualTypeOf<UpdatePinResponse>();
    expectTypeOf<UpdatePinResponse['success']>().toEqualTypeOf<boolean>();
  });

  test('raw is typed by paths', () => {
    expectTypeOf(client.raw.GET).parameter(0).toEqualTypeOf<'/v2/cards/{cardId}/pin'>();
  });
});

describe('errors', () => {
  test('status narrows a PinError to the HTTP error', () => {
    const error = {} as PinError;
    if (error.status === 429) {
      expectTypeOf(error).toMatchTypeOf<PinHttpError>();
      expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | undefined>();
      expectTypeOf(error.body).toEqualTypeOf<components['schemas']['Error'] | string | undefined>();
    }
    if (error.status === undefined) {
      // @ts-expect-error: only HTTP errors have a body
      void error.body;
    }
  });
});
