// The one validator every face uses (src/core/validate.ts), on the generated table's own rules: the first
// broken rule as [field, rule, limit], never the value; own properties only; the rule's wording.
import { describe, expect, test } from 'vitest';
import { operationTable } from '../../src/core/operations.js';
import { pick, type Rule, ruleMessage, violation } from '../../src/core/validate.js';

const getPin = operationTable.getPin.input;
const updatePin = operationTable.updatePin.input;
const pinResponse = operationTable.getPin.response;
const ids = { cardId: 'card-1', accountId: 'F12345', personId: 'person-1' };

describe('violation', () => {
  test('a value that keeps every rule has none', () => {
    expect(violation({ ...ids, cardholderVerificationMethod: 'LOGIN' }, getPin)).toBeUndefined();
    expect(violation({ ...ids, pin: '0042', mfa: { sessionId: 's', token: 't' } }, updatePin)).toBeUndefined();
  });

  test.each([
    ['a missing required field', { ...ids }, ['cardholderVerificationMethod', 'required']],
    [
      'a value outside the enum',
      { ...ids, cardholderVerificationMethod: 'PASSWORD' },
      ['cardholderVerificationMethod', 'enum', 'BIOMETRIC_FACE|BIOMETRIC_FINGERPRINT|LOGIN|OTP'],
    ],
    ['an empty id', { ...ids, cardId: '', cardholderVerificationMethod: 'LOGIN' }, ['cardId', 'minLength', 1]],
    [
      'an id over its length',
      { ...ids, cardId: 'x'.repeat(37), cardholderVerificationMethod: 'LOGIN' },
      ['cardId', 'maxLength', 36],
    ],
    [
      'a number where a string goes',
      { ...ids, cardId: 7, cardholderVerificationMethod: 'LOGIN' },
      ['cardId', 'type', 'string'],
    ],
    [
      'a field the spec does not have',
      { ...ids, cardholderVerificationMethod: 'LOGIN', extra: '1' },
      ['extra', 'additionalProperties', false],
    ],
  ])('names %s', (_, value, expected) => {
    expect(violation(value, getPin)).toEqual(expected);
  });

  test('names a nested field by its dotted path', () => {
    expect(violation({ ...ids, mfa: { sessionId: 's' } }, updatePin)).toEqual(['mfa.token', 'required']);
    expect(violation({ ...ids, mfa: { sessionId: 's', token: 'x'.repeat(65) } }, updatePin)).toEqual([
      'mfa.token',
      'maxLength',
      64,
    ]);
    expect(violation({ ...ids, mfa: 'otp' }, updatePin)).toEqual(['mfa', 'type', 'object']);
  });

  test('checks the pattern after the lengths', () => {
    expect(violation({ ...ids, pin: '12a4' }, updatePin)).toEqual(['pin', 'pattern', '^[0-9]{4}$']);
    expect(violation({ ...ids, pin: '12345' }, updatePin)).toEqual(['pin', 'maxLength', 4]);
  });

  test('counts code points, as JSON Schema does, and refuses lone surrogates', () => {
    const idRule: Rule = { type: 'string', maxLength: 2 };
    expect(violation('😀😀', idRule)).toBeUndefined(); // four UTF-16 units, two code points
    expect(violation('😀😀😀', idRule)).toEqual(['', 'maxLength', 2]);
    expect(violation('\uD800', idRule)).toEqual(['', 'wellFormed']);
  });

  test('finds only own properties: prototype names are ordinary, unknown fields', () => {
    const wire = JSON.parse('{"__proto__": {"pin": "1"}, "cardId": "c"}');
    expect(violation(wire, updatePin)).toEqual(['accountId', 'required']);
    expect(violation({ ...ids, constructor: 'x' }, updatePin)).toEqual(['constructor', 'additionalProperties', false]);
    // A required field that only an inherited property would supply is still missing.
    const inherited = Object.assign(Object.create({ pin: '1234' }), ids);
    expect(violation(inherited, pinResponse)).toEqual(['pin', 'required']);
  });

  test('reads responses open (a new server field breaks nothing) and allows the nullable PIN', () => {
    expect(violation({ pin: null, newField: 1 }, pinResponse, true)).toBeUndefined();
    expect(violation({ pin: null, newField: 1 }, pinResponse)).toEqual(['newField', 'additionalProperties', false]);
    expect(violation([], pinResponse, true)).toEqual(['', 'type', 'object']);
  });

  test('never returns the value it was given', () => {
    const secret = '98a7';
    expect(JSON.stringify(violation({ ...ids, pin: secret }, updatePin))).not.toContain(secret);
  });
});

describe('pick', () => {
  test('copies only the fields the rule knows, and only own ones', () => {
    const body = Object.assign(Object.create({ inherited: 1 }), { pin: '7268', debug: 'trace' });
    expect(pick(body, pinResponse)).toEqual({ pin: '7268' });
    expect(Object.keys(pick(body, pinResponse) as object)).toEqual(['pin']);
  });
});

describe('ruleMessage', () => {
  test('is the field, the rule and its limit when there is one', () => {
    expect(ruleMessage('pin', 'pattern', '^[0-9]{4}$')).toBe('pin fails pattern ^[0-9]{4}$');
    expect(ruleMessage('cardId', 'required')).toBe('cardId fails required');
    expect(ruleMessage('mfa', 'additionalProperties', false)).toBe('mfa fails additionalProperties false');
  });
});
