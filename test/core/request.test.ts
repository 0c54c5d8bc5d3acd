// Reading an inbound request (src/core/request.ts), as the sandbox and the forwarder both do: which operation,
// the flat input, and every refusal with its status, field and rule, never a value.
import { describe, expect, test } from 'vitest';
import { MAX_REQUEST_BODY_BYTES, readPinRequest, route } from '../../src/core/request.js';

const origin = 'https://backend.example';
const query = 'accountId=F12345&personId=person-1';
const get = (path: string, search = `${query}&cardholderVerificationMethod=LOGIN`) =>
  new Request(`${origin}${path}?${search}`);
const put = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request(`${origin}/v2/cards/card-1/pin?${query}`, { method: 'PUT', body, headers });

describe('route', () => {
  test('matches a path template at the end of the path, under any mount prefix', () => {
    expect(route('GET', '/v2/cards/card-1/pin')).toEqual({ operation: 'getPin', path: { cardId: 'card-1' } });
    expect(route('put', '/api/equals/v2/cards/card-1/pin')).toEqual({
      operation: 'updatePin',
      path: { cardId: 'card-1' },
    });
  });

  test('keeps path parameters percent-encoded for the caller to decode', () => {
    expect(route('GET', '/v2/cards/a%2Fb/pin')).toEqual({ operation: 'getPin', path: { cardId: 'a%2Fb' } });
  });

  test('tells a wrong method (405) from a path with no operation (404)', () => {
    expect(route('DELETE', '/v2/cards/card-1/pin')).toMatchObject({ ok: false, status: 405 });
    expect(route('GET', '/v2/cards/card-1/cvv')).toMatchObject({ ok: false, status: 404 });
    expect(route('GET', '/v2/cards/card-1/pin/extra')).toMatchObject({ ok: false, status: 404 });
  });
});

describe('readPinRequest', () => {
  test('reads path, query and body into one flat input', async () => {
    expect(await readPinRequest(get('/v2/cards/card%201/pin'))).toEqual({
      ok: true,
      operation: 'getPin',
      input: { cardId: 'card 1', accountId: 'F12345', personId: 'person-1', cardholderVerificationMethod: 'LOGIN' },
    });
    expect(await readPinRequest(put('{"pin":"0042","cardholderVerificationMethod":"OTP"}'))).toMatchObject({
      ok: true,
      operation: 'updatePin',
      input: { cardId: 'card-1', pin: '0042', cardholderVerificationMethod: 'OTP' },
    });
  });

  test('an empty PUT body has no fields (the server picks a PIN)', async () => {
    expect(await readPinRequest(put('', {}))).toMatchObject({ ok: true, input: { cardId: 'card-1' } });
  });

  test.each([
    ['a broken percent-encoding in the path', get('/v2/cards/%E0%A4%A/pin'), 'cardId', 'format'],
    [
      'a query field the operation lacks',
      get('/v2/cards/c/pin', `${query}&cardholderVerificationMethod=LOGIN&x=1`),
      'x',
      'additionalProperties',
    ],
    [
      'a query field sent twice',
      get('/v2/cards/c/pin', `${query}&cardholderVerificationMethod=LOGIN&accountId=F2`),
      'accountId',
      'type',
    ],
    ['a body field in the query', get('/v2/cards/c/pin', `${query}&pin=1234`), 'pin', 'additionalProperties'],
    ['a missing required field', get('/v2/cards/c/pin', query), 'cardholderVerificationMethod', 'required'],
    ['a PIN that breaks its pattern', put('{"pin":"98a7"}'), 'pin', 'pattern'],
    ['a body that is not JSON', put('{"pin":'), 'body', 'format'],
    ['a body that is not an object', put('["1234"]'), 'body', 'type'],
    ['a query field in the body', put('{"accountId":"F1"}'), 'accountId', 'additionalProperties'],
    ['a body over the limit', put(`{"pin":"${' '.repeat(MAX_REQUEST_BODY_BYTES)}"}`), 'body', 'maxBytes'],
  ])('refuses %s with 400, naming the field and the rule', async (_, request, field, rule) => {
    const read = await readPinRequest(request);
    expect(read).toMatchObject({ ok: false, status: 400, field, rule });
    expect(read.ok || read.message.startsWith(`${field} fails ${rule}`)).toBe(true);
  });

  test('never quotes a value in a refusal', async () => {
    const read = await readPinRequest(put('{"pin":"98a7","mfa":{"sessionId":"s","token":"otp-secret-token-value"}}'));
    expect(read.ok).toBe(false);
    expect(JSON.stringify(read)).not.toMatch(/98a7|otp-secret/);
    // The token itself the broken field: named by its path, its value nowhere.
    const token = `otp-${'9'.repeat(70)}`;
    const long = await readPinRequest(put(`{"pin":"1234","mfa":{"sessionId":"s","token":"${token}"}}`));
    expect(long).toMatchObject({ ok: false, field: 'mfa.token', rule: 'maxLength' });
    expect(JSON.stringify(long)).not.toContain(token);
  });

  test('refuses a body sent as something other than JSON with 415', async () => {
    expect(await readPinRequest(put('{"pin":"1234"}', { 'content-type': 'text/plain' }))).toMatchObject({
      ok: false,
      status: 415,
      operation: 'updatePin',
    });
  });

  // Review F2: sent on, such an id names another path once a server or proxy decodes it.
  test.each([
    ['..%2F..%2Faccounts%3Flimit=5%23', 'pattern'],
    ['a%5Cb', 'pattern'],
    ['a%3Fb', 'pattern'],
    ['a%23b', 'pattern'],
    ['%2E%2E%2Fx', 'pattern'],
  ])('refuses a card id %s with a 400 naming cardId and the %s rule', async (id, rule) => {
    const read = await readPinRequest(
      new Request(`https://x/v2/cards/${id}/pin?accountId=a&personId=p&cardholderVerificationMethod=LOGIN`),
    );
    expect(read).toMatchObject({ ok: false, status: 400, field: 'cardId', rule });
  });

  // Review F1: Prism 5.16 never answers either, and the sandbox took both.
  test('refuses JSON in another charset with 415, and a leading BOM with the 400 of a body that is not JSON', async () => {
    for (const type of ['application/json; charset=utf-16', 'application/json;charset="ISO-8859-1"']) {
      expect(await readPinRequest(put('{"pin":"1234"}', { 'content-type': type }))).toMatchObject({
        ok: false,
        status: 415,
        message: expect.stringContaining('UTF-8'),
      });
    }
    expect(await readPinRequest(put('\ufeff{"pin":"1234"}'))).toMatchObject({
      ok: false,
      status: 400,
      field: 'body',
      rule: 'format',
    });
  });

  test('accepts JSON media types with parameters and structured suffixes', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
      expect(await readPinRequest(put('{"pin":"1234"}', { 'content-type': type }))).toMatchObject({ ok: true });
    }
  });

  test('a prototype-named wire field stays an ordinary, refused field', async () => {
    const read = await readPinRequest(put('{"__proto__":{"pin":"1234"}}'));
    expect(read).toMatchObject({ ok: false, status: 400, field: '__proto__', rule: 'additionalProperties' });
  });

  test('reads an endless body only up to the limit', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1024;
        controller.enqueue(new Uint8Array(1024).fill(32));
      },
    });
    const request = new Request(`${origin}/v2/cards/c/pin?${query}`, {
      method: 'PUT',
      body: endless,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(await readPinRequest(request)).toMatchObject({ ok: false, status: 400, rule: 'maxBytes' });
    expect(pulled).toBeLessThan(MAX_REQUEST_BODY_BYTES * 4);
  });
});
