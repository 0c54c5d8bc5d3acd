// The client's tracing in Node with the real SDK and the real undici instrumentation (what the usual
// auto-instrumentation turns on): the MFA query kept out of every span, one span per call with the HTTP
// spans of its attempts as children, failures marked, and no secret anywhere in what is exported.
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createPinClient, type GetPinParams } from '../../src/index.js';
import { pinStartSpanHook } from '../../src/otel.js';
import { API_KEY, seedGet, seedPut } from '../support/fetch.js';
import { answer, secretsIn, startApi, startTracing } from './tracing.js';

const PIN = '7268';
const NEW_PIN = '5831';
const MFA_SESSION = 'mfa-SESSION-secret';
const MFA_TOKEN = '918273';
const SECRETS = [API_KEY, PIN, NEW_PIN, MFA_SESSION, MFA_TOKEN, `ApiKey ${API_KEY}`];

const tracing = startTracing({ startSpanHook: pinStartSpanHook });
const api = await startApi((cardId, hit, response, method) => {
  if (cardId.startsWith('gone')) return answer(response, 404, { message: 'Card not found' });
  if (cardId.startsWith('flaky') && hit < 3) return answer(response, 503, { message: 'Unavailable' });
  answer(response, 200, method === 'PUT' ? { success: true } : { pin: PIN });
});
afterAll(async () => {
  await api.close();
  await tracing.stop();
});
beforeEach(() => {
  tracing.reset();
  api.headers.length = 0;
});

const withMfa = (cardId: string): GetPinParams => ({
  ...seedGet,
  cardId,
  cardholderVerificationMethod: 'OTP',
  sessionId: MFA_SESSION,
  token: MFA_TOKEN,
});
const client = (options = {}) =>
  createPinClient({ apiKey: API_KEY, baseUrl: api.url, tracer: tracing.tracer, retry: { baseDelayMs: 1 }, ...options });
const httpSpans = () => tracing.spans().filter((span) => span.kind === 2);
const named = (name: string) => tracing.spans().find((span) => span.name === name)!;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('the undici instrumentation with pinStartSpanHook', () => {
  test('without the hook it records the MFA query on url.full and url.query (the issue’s measurement)', async () => {
    tracing.undici.setConfig({});
    try {
      await createPinClient({ apiKey: API_KEY, baseUrl: api.url }).getPin(withMfa('ok-1'));
    } finally {
      tracing.undici.setConfig({ startSpanHook: pinStartSpanHook });
    }
    const [span] = httpSpans();
    expect(span!.attributes['url.full']).toContain(`sessionId=${MFA_SESSION}&token=${MFA_TOKEN}`);
    expect(span!.attributes['url.query']).toContain(`token=${MFA_TOKEN}`);
  });

  test('with it, the span starts with them redacted: no sampler, processor or exporter sees the values', async () => {
    await createPinClient({ apiKey: API_KEY, baseUrl: api.url }).getPin(withMfa('ok-2'));
    const [started] = tracing.recorder.started;
    const [exported] = httpSpans();
    for (const attributes of [started!.attributes, exported!.attributes]) {
      expect(attributes['url.full']).toBe(
        `${api.url}/v2/cards/ok-2/pin?accountId=${seedGet.accountId}&personId=${seedGet.personId}&cardholderVerificationMethod=OTP&sessionId=REDACTED&token=REDACTED`,
      );
      expect(attributes['url.query']).toMatch(/&sessionId=REDACTED&token=REDACTED$/);
      expect(attributes['url.path']).toBe('/v2/cards/ok-2/pin');
    }
    expect(exported!.attributes['http.response.status_code']).toBe(200);
  });

  test('other requests keep the instrumentation’s own attributes', async () => {
    await fetch(`${api.url}/elsewhere?token=kept`);
    expect(httpSpans()[0]!.attributes['url.full']).toBe(`${api.url}/elsewhere?token=kept`);
  });
});

describe('the client’s tracer option', () => {
  test('one span per call, named by its operation, the HTTP span its child in the same trace', async () => {
    await client().getPin(withMfa('ok-3'));
    const call = named('getPin');
    const [http] = httpSpans();
    expect(call.kind).toBe(0);
    expect(call.attributes).toEqual({ 'http.request.method': 'GET', 'server.address': '127.0.0.1' });
    expect(call.status.code).toBe(0);
    expect(parentOf(http!)).toBe(call.spanContext().spanId);
    expect(http!.spanContext().traceId).toBe(call.spanContext().traceId);
    // The instrumentation sent the HTTP span's context upstream through the global propagator.
    expect(api.headers[0]!.traceparent).toContain(http!.spanContext().spanId);
  });

  test('updatePin gets its own span, PUT', async () => {
    await client().updatePin({ ...seedPut, cardId: 'ok-4', pin: NEW_PIN });
    expect(named('updatePin').attributes['http.request.method']).toBe('PUT');
    expect(parentOf(httpSpans()[0]!)).toBe(named('updatePin').spanContext().spanId);
  });

  test('retries show as more children of the one call span', async () => {
    await client().getPin(withMfa('flaky-5'));
    const call = named('getPin');
    const attempts = httpSpans();
    expect(attempts.map((span) => span.attributes['http.response.status_code'])).toEqual([503, 503, 200]);
    expect(attempts.map(parentOf)).toEqual(Array(3).fill(call.spanContext().spanId));
    expect(call.status.code).toBe(0);
  });

  test('an HTTP failure: status ERROR, error.type and the status code', async () => {
    await expect(client().getPin(withMfa('gone-6'))).rejects.toMatchObject({ status: 404 });
    const call = named('getPin');
    expect(call.status).toEqual({ code: 2 });
    expect(call.attributes['error.type']).toBe('404');
    expect(call.attributes['http.response.status_code']).toBe(404);
  });

  test('retries that run out end as the last failure', async () => {
    await expect(client({ retry: { retries: 1, baseDelayMs: 1 } }).getPin(withMfa('flaky-7'))).rejects.toMatchObject({
      status: 503,
    });
    expect(httpSpans()).toHaveLength(2);
    expect(named('getPin').attributes['error.type']).toBe('503');
  });

  test.each([
    ['network', () => client({ baseUrl: 'http://127.0.0.1:9', retry: false })],
    ['timeout', () => client({ fetch: () => new Promise<Response>(() => {}), timeoutMs: 20 })],
  ])('a transport failure (%s): error.type is its code', async (code, make) => {
    await expect(make().getPin(withMfa('ok-8'))).rejects.toMatchObject({ code });
    const call = named('getPin');
    expect([call.status.code, call.attributes['error.type']]).toEqual([2, code]);
    expect(call.attributes['http.response.status_code']).toBeUndefined();
  });

  test('input refused before sending: error.type validation, no HTTP span', async () => {
    await expect(client().getPin({ ...withMfa('ok-9'), token: 'x'.repeat(65) })).rejects.toMatchObject({
      rule: 'maxLength',
    });
    expect(named('getPin').attributes['error.type']).toBe('validation');
    expect(httpSpans()).toEqual([]);
  });

  test('without a tracer the client makes no span of its own', async () => {
    await createPinClient({ apiKey: API_KEY, baseUrl: api.url }).getPin(withMfa('ok-10'));
    expect(tracing.spans().map((span) => span.name)).toEqual(['GET']);
    expect(parentOf(httpSpans()[0]!)).toBeUndefined();
  });
});

describe('no secret in any span', () => {
  beforeAll(() => tracing.reset());

  test('every exported span of successes and failures, both operations, holds no PIN, key or MFA value', async () => {
    const traced = client({ retry: { retries: 1, baseDelayMs: 1 } });
    await traced.getPin(withMfa('ok-11'));
    await traced.getPin(withMfa('flaky-12')).catch(() => {});
    await traced.getPin(withMfa('gone-13')).catch(() => {});
    await traced.updatePin({
      ...seedPut,
      cardId: 'ok-14',
      pin: NEW_PIN,
      mfa: { sessionId: MFA_SESSION, token: MFA_TOKEN },
    });
    await traced.updatePin({ ...seedPut, cardId: 'gone-15', pin: NEW_PIN }).catch(() => {});
    await traced.getPin({ ...withMfa('ok-16'), token: `${MFA_TOKEN}${'x'.repeat(64)}` }).catch(() => {});
    const spans = tracing.spans();
    expect(spans.length).toBeGreaterThanOrEqual(12);
    expect(secretsIn(spans, SECRETS)).toEqual([]);
    const started = tracing.recorder.started.map((span) => JSON.stringify(span));
    expect(SECRETS.filter((secret) => started.some((text) => text.includes(secret)))).toEqual([]);
  });
});
