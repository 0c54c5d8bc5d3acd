import { describe, expect, test } from 'vitest';
import { operations } from '../../generated/pin-constraints.js';
import { createPinClient, PinApiError, PinValidationError } from '../../src/index.js';
import { pick, violation } from '../../src/core/validate.js';
import { API_KEY, json, scriptedFetch, seedGet, seedPut } from '../support/fetch.js';
import { secretLeaks } from '../support/secrets.js';

const setup = () => {
  const recorder = scriptedFetch(() => json({ pin: '7268' }));
  return { ...recorder, client: createPinClient({ apiKey: API_KEY, fetch: recorder.fetch }) };
};

async function refusal(call: Promise<unknown>): Promise<PinValidationError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PinValidationError);
  expect(error).toBeInstanceOf(PinApiError);
  return error as PinValidationError;
}

const idLimit = operations.getPin.input.properties.cardId.maxLength;

describe('input refused before sending', () => {
  test.each([
    ['cardId', { ...seedGet, cardId: 'x'.repeat(idLimit + 1) }, 'maxLength'],
    ['accountId', { ...seedGet, accountId: '' }, 'minLength'],
    ['personId', { ...seedGet, personId: undefined }, 'required'],
    ['cardholderVerificationMethod', { ...seedGet, cardholderVerificationMethod: 'PASSWORD' }, 'enum'],
    ['token', { ...seedGet, token: 42 }, 'type'],
    ['colour', { ...seedGet, colour: 'red' }, 'additionalProperties'],
    ['cardId', { ...seedGet, cardId: '..' }, 'not'],
    ['cardId', { ...seedGet, cardId: 'a\uD800' }, 'wellFormed'],
  ])('getPin %s (%#)', async (field, input, rule) => {
    const { client, calls } = setup();
    const error = await refusal(client.getPin(input as never));
    expect([error.field, error.rule]).toEqual([field, rule]);
    expect(error.message).toContain(field);
    expect(error.message).toContain(rule);
    expect(calls).toHaveLength(0);
  });

  test.each(['123', '12345', '12a4', '١٢٣٤', '1234\n', ' 123', ''])('updatePin PIN %j', async (pin) => {
    const { client, calls } = setup();
    const error = await refusal(client.updatePin({ ...seedPut, pin }));
    expect(error.field).toBe('pin');
    expect(['pattern', 'minLength', 'maxLength']).toContain(error.rule);
    expect(calls).toHaveLength(0);
  });

  test('a PIN given as a number', async () => {
    const { client } = setup();
    const error = await refusal(client.updatePin({ ...seedPut, pin: 1234 as never }));
    expect([error.field, error.rule]).toEqual(['pin', 'type']);
  });

  test('a nested field is named with its path', async () => {
    const { client } = setup();
    const error = await refusal(client.updatePin({ ...seedPut, mfa: { sessionId: 's' } as never }));
    expect([error.field, error.rule]).toEqual(['mfa.token', 'required']);
  });

  test('36 characters is the longest id accepted, counted in code points', async () => {
    const { client, calls } = setup();
    await client.getPin({ ...seedGet, cardId: '😀'.repeat(idLimit) });
    expect(calls).toHaveLength(1);
    const error = await refusal(client.getPin({ ...seedGet, cardId: '😀'.repeat(idLimit + 1) }));
    expect([error.field, error.rule]).toEqual(['cardId', 'maxLength']);
    expect(calls).toHaveLength(1);
  });
});

describe('client options refused', () => {
  test.each([
    ['apiKey', { apiKey: '' }, 'required'],
    ['apiKey', { apiKey: null }, 'required'],
    ['apiKey', { apiKey: 42 }, 'required'],
    ['apiKey', { apiKey: 'two words' }, 'pattern'],
    ['apiKey', { apiKey: 'k\r\nX-Evil: 1' }, 'pattern'],
    ['baseUrl', { apiKey: 'k', baseUrl: 'not a url' }, 'format'],
    ['baseUrl', { apiKey: 'k', baseUrl: 'http://api.equalsmoney.com' }, 'https'],
    ['baseUrl', { apiKey: 'k', baseUrl: 'http://10.0.0.1:4010' }, 'https'],
    ['timeoutMs', { apiKey: 'k', timeoutMs: 0 }, 'exclusiveMinimum'],
    ['timeoutMs', { apiKey: 'k', timeoutMs: Number.NaN }, 'exclusiveMinimum'],
    ['timeoutMs', { apiKey: 'k', timeoutMs: 2 ** 31 }, 'maximum'],
  ])('%s (%#)', (field, options, rule) => {
    let error: unknown;
    try {
      createPinClient(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PinValidationError);
    expect([(error as PinValidationError).field, (error as PinValidationError).rule]).toEqual([field, rule]);
  });

  // Issue 21, point 7: user-info would travel (and undici quotes it in errors); a query or a fragment, even
  // an empty one, turns the operation's path into part of it (`…com#` sends `/v2/…` as a fragment).
  test.each([
    'https://user:secret-pass-77@api.equalsmoney.com',
    'https://user@api.equalsmoney.com',
    'https://:secret-pass-77@api.equalsmoney.com',
    'https://api.equalsmoney.com?',
    'https://api.equalsmoney.com/?env=sandbox',
    'https://api.equalsmoney.com#',
    'https://api.equalsmoney.com/#/v2',
    'http://localhost:4010/api?',
    'http://user:secret-pass-77@127.0.0.1:4010',
  ])('refuses baseUrl %s, naming the option and the rule, never the value', (baseUrl) => {
    let error: unknown;
    try {
      createPinClient({ apiKey: 'k', baseUrl });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PinValidationError);
    const { field, rule, message } = error as PinValidationError;
    expect([field, rule]).toEqual(['baseUrl', 'not']);
    expect(message).toBe('createPinClient: baseUrl fails not user-info, query or fragment');
    expect(secretLeaks(error, ['secret-pass-77'])).toEqual([]);
  });

  test.each([
    'http://localhost:4010',
    'http://127.0.0.1:1',
    'http://[::1]:8080',
    'https://example.test',
    'https://bücher.example:443/Base path/',
  ])('accepts %s', (baseUrl) => {
    expect(() => createPinClient({ apiKey: 'k', baseUrl })).not.toThrow();
  });
});

describe('keys named after Object.prototype members', () => {
  const { response } = operations.getPin;
  const wire = (extra: string) => JSON.parse(`{"pin":"7268",${extra}}`);

  test.each(['"__proto__":{"pin":"0000"}', '"constructor":{"x":1}', '"toString":"x"', '"hasOwnProperty":1'])(
    'a response with %s is accepted open and the key dropped',
    (extra) => {
      expect(violation(wire(extra), response, true)).toBeUndefined();
      const picked = pick(wire(extra), response) as object;
      expect(picked).toEqual({ pin: '7268' });
      expect(Object.keys(picked)).toEqual(['pin']);
    },
  );

  test('a closed rule refuses them as additionalProperties, by name', () => {
    for (const key of ['__proto__', 'constructor'])
      expect(violation(wire(`"${key}":1`), response)).toEqual([key, 'additionalProperties', false]);
  });

  test('a required field is looked up as an own property only', () => {
    expect(violation(Object.create({ pin: '7268' }), response, true)).toEqual(['pin', 'required']);
  });
});
