// redactPinUrl and the hooks built on it, on their own: which URLs are the PIN API's, what is replaced,
// and that everything else is left byte for byte.
import { describe, expect, test } from 'vitest';
import { operationTable } from '../../src/core/operations.js';
import { MFA_FIELDS } from '../../src/otel/redact.js';
import {
  pinFetchRequestHook,
  pinRedactingSpanProcessor,
  pinStartSpanHook,
  REDACTED,
  redactPinUrl,
  type PinAttributeValue,
} from '../../src/otel.js';

const API = 'https://api.equalsmoney.com';
const PATH = '/v2/cards/e9293471-5eb3-4dbc-916c-dbaf9e2deefd/pin';
const MFA = 'sessionId=mfa-SESSION-secret&token=918273';
const IDS = 'accountId=F12345&personId=775596ae-2624-40af-a9dc-9756110a4a04&cardholderVerificationMethod=OTP';

describe('redactPinUrl', () => {
  test('the MFA fields are the spec’s: the properties of the PUT’s `mfa`, which the GET takes in its query', () => {
    expect(MFA_FIELDS).toEqual(['sessionId', 'token']);
    const put = operationTable.updatePin.input.properties!.mfa!.properties!;
    expect(Object.keys(put)).toEqual(MFA_FIELDS);
    for (const field of MFA_FIELDS) expect(operationTable.getPin.in[field]).toBe('query');
  });

  test('replaces the values of sessionId and token in a PIN URL, and nothing else', () => {
    expect(redactPinUrl(`${API}${PATH}?${IDS}&${MFA}`)).toBe(
      `${API}${PATH}?${IDS}&sessionId=${REDACTED}&token=${REDACTED}`,
    );
  });

  test('takes a URL object and returns a string', () => {
    const redacted = redactPinUrl(new URL(`${API}${PATH}?token=918273&${IDS}`));
    expect(redacted).toBe(`${API}${PATH}?token=${REDACTED}&${IDS}`);
  });

  test('keeps every other part as written: encoding, empty pairs, repeated names, the fragment', () => {
    const url = `${API}${PATH}?accountId=F%2012+3&&token=1&token=2&x=%zz&sessionId#part?token=9`;
    expect(redactPinUrl(url)).toBe(
      `${API}${PATH}?accountId=F%2012+3&&token=${REDACTED}&token=${REDACTED}&x=%zz&sessionId=${REDACTED}#part?token=9`,
    );
  });

  test('reads names as a server would: percent-escaped names are caught, undecodable ones redacted too', () => {
    expect(redactPinUrl(`${API}${PATH}?%74oken=918273&session%49d=s`)).toBe(
      `${API}${PATH}?%74oken=${REDACTED}&session%49d=${REDACTED}`,
    );
    expect(redactPinUrl(`${API}${PATH}?%E0%A4%A=1&accountId=F1`)).toBe(
      `${API}${PATH}?%E0%A4%A=${REDACTED}&accountId=F1`,
    );
  });

  test('PIN URLs under any prefix, absolute or relative (a page’s own backend, a breadcrumb)', () => {
    for (const base of ['https://app.example/api/equals', '/api/equals', '']) {
      expect(redactPinUrl(`${base}${PATH}?${MFA}`), base).toBe(
        `${base}${PATH}?sessionId=${REDACTED}&token=${REDACTED}`,
      );
    }
  });

  test('any other URL comes back exactly as it was', () => {
    for (const url of [
      `${API}/v2/cards/c1?${MFA}`,
      `${API}${PATH}/extra?${MFA}`,
      `https://example.com/search?token=abc`,
      `${API}${PATH}`,
      'not a url ?token=1',
      '',
    ]) {
      expect(redactPinUrl(url), url).toBe(url);
    }
    expect(redactPinUrl(new URL('https://example.com/?token=abc'))).toBe('https://example.com/?token=abc');
  });
});

describe('pinStartSpanHook (undici’s request)', () => {
  test('returns url.full and url.query redacted, as the instrumentation builds them', () => {
    const attributes = pinStartSpanHook({ origin: 'http://127.0.0.1:8080', path: `${PATH}?${IDS}&${MFA}` });
    expect(attributes).toEqual({
      'url.full': `http://127.0.0.1:8080${PATH}?${IDS}&sessionId=${REDACTED}&token=${REDACTED}`,
      'url.query': `?${IDS}&sessionId=${REDACTED}&token=${REDACTED}`,
    });
  });

  test('returns nothing for other URLs, or URLs without the secrets, so the instrumentation’s own stand', () => {
    expect(pinStartSpanHook({ origin: 'http://127.0.0.1', path: `/elsewhere?${MFA}` })).toEqual({});
    expect(pinStartSpanHook({ origin: 'http://127.0.0.1', path: `${PATH}?${IDS}` })).toEqual({});
    expect(pinStartSpanHook({ origin: 'not a url', path: `${PATH}?${MFA}` })).toEqual({});
  });
});

/** A span as the SDK's: `attributes` readable, `setAttribute` writing to it. */
const fakeSpan = (attributes: Record<string, PinAttributeValue>) => ({
  attributes,
  setAttribute(key: string, value: PinAttributeValue) {
    attributes[key] = value;
  },
});

describe('pinFetchRequestHook (the browser’s fetch instrumentation)', () => {
  test('replaces url.full as the span recorded it', () => {
    const span = fakeSpan({ 'url.full': `${API}${PATH}?${MFA}`, 'http.request.method': 'GET' });
    pinFetchRequestHook(span, {});
    expect(span.attributes).toEqual({
      'url.full': `${API}${PATH}?sessionId=${REDACTED}&token=${REDACTED}`,
      'http.request.method': 'GET',
    });
  });

  test('reads the Request’s URL when the span does not show its attributes', () => {
    const set: [string, unknown][] = [];
    pinFetchRequestHook({ setAttribute: (...pair) => set.push(pair) }, new Request(`${API}${PATH}?${MFA}`));
    expect(set).toEqual([['url.full', `${API}${PATH}?sessionId=${REDACTED}&token=${REDACTED}`]]);
  });

  test('leaves other URLs alone', () => {
    const span = fakeSpan({ 'url.full': `${API}/other?${MFA}` });
    pinFetchRequestHook(span, {});
    expect(span.attributes['url.full']).toBe(`${API}/other?${MFA}`);
  });
});

describe('pinRedactingSpanProcessor', () => {
  test('redacts the URL attributes of any span on start, old names and url.query included', () => {
    const span = fakeSpan({
      'url.full': `${API}${PATH}?${MFA}`,
      'url.path': PATH,
      'url.query': MFA,
      'http.url': `${API}${PATH}?${MFA}`,
      'http.target': `${PATH}?${MFA}`,
      'server.port': 443,
    });
    pinRedactingSpanProcessor().onStart(span);
    const redacted = `sessionId=${REDACTED}&token=${REDACTED}`;
    expect(span.attributes).toEqual({
      'url.full': `${API}${PATH}?${redacted}`,
      'url.path': PATH,
      'url.query': redacted,
      'http.url': `${API}${PATH}?${redacted}`,
      'http.target': `${PATH}?${redacted}`,
      'server.port': 443,
    });
  });

  test('keeps url.query’s leading `?` when it had one, and leaves other paths’ queries alone', () => {
    const span = fakeSpan({ 'url.path': PATH, 'url.query': `?${MFA}` });
    pinRedactingSpanProcessor().onStart(span);
    expect(span.attributes['url.query']).toBe(`?sessionId=${REDACTED}&token=${REDACTED}`);
    const other = fakeSpan({ 'url.path': '/search', 'url.query': 'token=abc' });
    pinRedactingSpanProcessor().onStart(other);
    expect(other.attributes['url.query']).toBe('token=abc');
  });
});
