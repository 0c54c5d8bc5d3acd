import { describe, expect, test } from 'vitest';
import { operations, servers } from '../../generated/pin-constraints.js';
import { createPinClient, PinApiError, type PinClientOptions, PinValidationError } from '../../src/index.js';
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

// Issue 22: errors that say what to do.
describe('a client the provider would refuse is refused at creation', () => {
  const creation = (options?: PinClientOptions): PinValidationError => {
    try {
      createPinClient(options);
    } catch (error) {
      expect(error).toBeInstanceOf(PinValidationError);
      return error as PinValidationError;
    }
    return expect.unreachable('createPinClient should have refused');
  };

  test.each([
    ['no options (production)', undefined],
    ['production', { baseUrl: servers.production }],
    ['the sandbox', { baseUrl: servers.sandbox }],
    ['the sandbox with a trailing slash', { baseUrl: `${servers.sandbox}/` }],
    ['an unset key (process.env.X!)', { apiKey: undefined, baseUrl: servers.sandbox }],
    ['headers without Authorization', { baseUrl: servers.production, headers: { 'x-app': 'cards' } }],
  ])('aimed at the provider with no apiKey and no Authorization header: %s', (_, options) => {
    const error = creation(options as PinClientOptions | undefined);
    expect([error.field, error.rule, error.operation]).toEqual(['apiKey', 'required', 'createPinClient']);
    expect(error.message).toMatch(
      /^createPinClient: apiKey fails required for https:\/\/api(-sandbox)?\.equalsmoney\.com$/,
    );
  });

  test.each([
    ['an apiKey', { apiKey: API_KEY, baseUrl: servers.sandbox }],
    ['an apiKey function', { apiKey: () => API_KEY }],
    ['an Authorization header', { headers: { Authorization: `ApiKey ${API_KEY}` } }],
    ['an authorization header in Headers', { headers: new Headers({ authorization: `ApiKey ${API_KEY}` }) }],
    ['an AUTHORIZATION pair', { baseUrl: servers.sandbox, headers: [['AUTHORIZATION', `ApiKey ${API_KEY}`]] }],
    ['your own backend, no key', { baseUrl: 'https://backend.test/api/equals' }],
    ['a loopback mock, no key', { baseUrl: 'http://127.0.0.1:4010' }],
  ])('accepted with %s', (_, options) => {
    expect(() => createPinClient(options as PinClientOptions)).not.toThrow();
  });

  test.each([
    `${servers.production}/v2`,
    `${servers.sandbox}/v2/`,
    'https://backend.test/api/equals/v2',
    'http://localhost:4010/V2',
  ])('a baseUrl ending in /v2 is refused, saying the paths carry /v2: %s', (baseUrl) => {
    const error = creation({ apiKey: API_KEY, baseUrl });
    expect([error.field, error.rule]).toEqual(['baseUrl', 'not']);
    expect(error.message).toBe('createPinClient: baseUrl fails not ending in /v2 (the paths start with /v2)');
  });

  test.each(['https://backend.test/v2api', 'https://backend.test/v2/equals', 'https://backend.test/api/v20'])(
    'a /v2 elsewhere in the path is accepted: %s',
    (baseUrl) => {
      expect(() => createPinClient({ baseUrl })).not.toThrow();
    },
  );
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
