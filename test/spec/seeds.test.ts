import { describe, expect, test } from 'vitest';
import seeds from '../support/fixtures/seed-examples.json' with { type: 'json' };
import { requestProblems, responseProblems, spec } from '../support/spec-validator.js';

const GET = 'https://api.equalsmoney.com/v2/cards/e9293471-5eb3-4dbc-916c-dbaf9e2deefd/pin';
const query = (fields: Record<string, string>) => `?${new URLSearchParams(fields)}`;
const valid = {
  accountId: 'F12345',
  personId: '775596ae-2624-40af-a9dc-9756110a4a04',
  cardholderVerificationMethod: 'BIOMETRIC_FACE',
};

describe('the seeds are accepted by the spec', () => {
  test.each(seeds.requests)('$method request of $operationId', ({ method, url, body }) => {
    expect(requestProblems(method, url, body)).toEqual([]);
  });

  test.each(seeds.responses)('$operationId $status response', ({ operationId, status, body }) => {
    expect(responseProblems(operationId, status, body)).toEqual([]);
  });

  test('every verification method in the guide is allowed', () => {
    for (const method of seeds.enum.cardholderVerificationMethod) {
      expect(requestProblems('GET', GET + query({ ...valid, cardholderVerificationMethod: method }))).toEqual([]);
    }
  });

  test('the examples Prism serves are the seeds', () => {
    const [get, put] = seeds.responses;
    const item = spec.paths['/v2/cards/{cardId}/pin'];
    expect(item.get.responses['200'].content['application/json'].example).toEqual(get!.body);
    expect(item.put.responses['200'].content['application/json'].example).toEqual(put!.body);
    expect(item.put.requestBody.content['application/json'].example).toEqual(seeds.requests[1]!.body);
  });

  test('the sandbox serves the same paths', () => {
    expect(requestProblems('GET', GET.replace('api.', 'api-sandbox.') + query(valid))).toEqual([]);
  });
});

describe('the spec refuses bad input', () => {
  const put = (body: unknown) => requestProblems('PUT', GET + query({ accountId: 'F12345', personId: 'p' }), body);

  test.each(['123', '12345', '12a4', '١٢٣٤', ''])('PIN %j', (pin) => {
    expect(put({ pin })).not.toEqual([]);
  });

  test('a PIN sent as a number', () => {
    expect(put({ pin: 7268 })).not.toEqual([]);
  });

  test('an unknown verification method', () => {
    expect(requestProblems('GET', GET + query({ ...valid, cardholderVerificationMethod: 'PASSWORD' }))).not.toEqual([]);
  });

  test('a 37-character id, in the path and in the query', () => {
    const long = 'x'.repeat(37);
    expect(requestProblems('GET', GET.replace(/cards\/[^/]+/, `cards/${long}`) + query(valid))).not.toEqual([]);
    expect(requestProblems('GET', GET + query({ ...valid, accountId: long }))).not.toEqual([]);
    expect(requestProblems('GET', GET + query({ ...valid, personId: 'x'.repeat(36) }))).toEqual([]);
  });

  test.each(['accountId', 'personId', 'cardholderVerificationMethod'])('a missing %s', (name) => {
    const { [name as keyof typeof valid]: _, ...rest } = valid;
    expect(requestProblems('GET', GET + query(rest))).toContain(`${name}: required`);
  });

  test('an unknown body field', () => {
    expect(put({ pin: '7268', colour: 'red' })).not.toEqual([]);
  });

  test('a response with a 3-digit PIN or an extra field', () => {
    expect(responseProblems('getPin', 200, { pin: '123' })).not.toEqual([]);
    expect(responseProblems('updatePin', 200, { success: true, extra: 1 })).not.toEqual([]);
    expect(responseProblems('getPin', 200, { pin: null })).toEqual([]);
  });
});
