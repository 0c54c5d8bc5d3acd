// The forwarder's tracing in Node with the real SDK: one root span per request whose attributes say how it
// ended (every branch of the forwarder), the client's span and the upstream call inside it, the trace context
// sent upstream once (by the forwarder, or by the undici instrumentation when it is on), and no secret in
// any span of any branch.
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { pinStartSpanHook } from '../../src/otel.js';
import {
  branches,
  EXAMPLE_PIN,
  forwarderOver,
  inbound,
  MFA_SESSION,
  MFA_TOKEN,
  revealQuery,
  SECRETS,
  sandboxUpstream,
} from '../forward/harness.js';
import { answer, revealWithMfa, secretsIn, startApi, startTracing } from './tracing.js';

const tracing = startTracing({ startSpanHook: pinStartSpanHook });
// The in-process upstream fetch is not Node's: the undici instrumentation is switched on only where it is used.
tracing.undici.disable();
afterAll(() => tracing.stop());
beforeEach(() => tracing.reset());

const named = (name: string) => tracing.spans().filter((span) => span.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

describe('one root span per request', () => {
  test.each(Object.keys(branches))('%s: the answer’s status, the outcome and the code', async (name) => {
    const branch = branches[name]!;
    const upstream = sandboxUpstream();
    branch.arrange?.(upstream);
    const forward = forwarderOver(upstream, { tracer: tracing.tracer, ...branch.options?.(upstream) });
    const response = await forward(branch.request());
    expect(response.status).toBe(branch.status);
    const roots = tracing.spans().filter((span) => span.kind === 1);
    expect(roots).toHaveLength(1);
    const [root] = roots;
    expect(parentOf(root!)).toBeUndefined();
    expect(root!.attributes['http.response.status_code']).toBe(branch.status);
    expect(root!.attributes['pin.forward.outcome']).toBe(branch.outcome);
    expect(root!.attributes['pin.forward.code']).toBe(branch.code);
    expect(root!.attributes['pin.forward.forwarded']).toBe(
      branch.outcome === 'success' || branch.outcome === 'upstream_error',
    );
    // A 5xx is this server's failure; a refusal is the forwarder doing its job.
    expect(root!.status.code).toBe(branch.status >= 500 ? 2 : 0);
    expect(root!.attributes['error.type']).toBe(branch.status >= 500 ? String(branch.status) : undefined);
    if (branch.ids) expect(root!.name).toMatch(/^forward (getPin|updatePin)$/);
    // Whatever the branch: nothing it carried is in any span.
    expect(secretsIn(tracing.spans(), SECRETS)).toEqual([]);
  });

  test('a success that cannot be audited: the 500 the browser gets, code audit', async () => {
    const forward = forwarderOver(sandboxUpstream(), {
      tracer: tracing.tracer,
      onAudit: () => Promise.reject(new Error('audit store down')),
    });
    expect((await forward(inbound({ query: revealQuery() }))).status).toBe(500);
    const [root] = named('forward getPin');
    expect(root!.attributes).toMatchObject({
      'http.response.status_code': 500,
      'pin.forward.outcome': 'error',
      'pin.forward.code': 'audit',
    });
  });

  test('a browser’s traceparent is not trusted: the span starts a trace of its own', async () => {
    const forward = forwarderOver(sandboxUpstream(), { tracer: tracing.tracer });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await forward(inbound({ query: revealQuery(), headers: { traceparent } }));
    const [root] = named('forward getPin');
    expect(root!.spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
    expect(parentOf(root!)).toBeUndefined();
  });

  test('the span that was active (a server instrumentation’s) is linked, not made the parent', async () => {
    const forward = forwarderOver(sandboxUpstream(), { tracer: tracing.tracer });
    await tracing.tracer.startActiveSpan('server', async (server) => {
      await forward(inbound({ query: revealQuery() }));
      server.end();
    });
    const [root] = named('forward getPin');
    const [server] = named('server');
    expect(parentOf(root!)).toBeUndefined();
    expect(root!.links.map((link) => link.context.spanId)).toEqual([idOf(server!)]);
  });
});

describe('the upstream call', () => {
  test('runs inside the request’s span, and carries the client span’s context upstream', async () => {
    const upstream = sandboxUpstream();
    const forward = forwarderOver(upstream, { tracer: tracing.tracer });
    await forward(inbound({ query: revealQuery({ sessionId: MFA_SESSION, token: MFA_TOKEN }) }));
    const [root] = named('forward getPin');
    const [call] = named('getPin');
    expect(parentOf(call!)).toBe(idOf(root!));
    expect(call!.spanContext().traceId).toBe(root!.spanContext().traceId);
    expect(upstream.requests[0]!.headers.get('traceparent')).toBe(
      `00-${call!.spanContext().traceId}-${idOf(call!)}-01`,
    );
  });

  test('retries upstream show under the one client span', async () => {
    const upstream = sandboxUpstream();
    upstream.sandbox.failNext({ status: 503, times: 1 });
    const forward = forwarderOver(upstream, { tracer: tracing.tracer });
    expect((await forward(inbound({ query: revealQuery() }))).status).toBe(200);
    expect(upstream.requests).toHaveLength(2);
    const [call] = named('getPin');
    expect(call!.status.code).toBe(0);
    // Each attempt carried the context of the call's span.
    expect(upstream.requests.map((request) => request.headers.get('traceparent'))).toEqual(
      Array(2).fill(`00-${call!.spanContext().traceId}-${idOf(call!)}-01`),
    );
  });

  test('without a tracer: no span, no traceparent', async () => {
    const upstream = sandboxUpstream();
    await forwarderOver(upstream)(inbound({ query: revealQuery() }));
    expect(tracing.spans()).toEqual([]);
    expect(upstream.requests[0]!.headers.has('traceparent')).toBe(false);
  });

  test('with the undici instrumentation on: the HTTP span under the client’s, one traceparent (its own), the query redacted', async () => {
    const upstream = await startApi((_, __, response) => answer(response, 200, { pin: EXAMPLE_PIN }));
    tracing.undici.enable();
    try {
      const response = await revealWithMfa(tracing.tracer, upstream.url);
      expect(response.status).toBe(200);
    } finally {
      tracing.undici.disable();
      await upstream.close();
    }
    const [root] = named('forward getPin');
    const [call] = named('getPin');
    const [http] = named('GET');
    expect([parentOf(call!), parentOf(http!)]).toEqual([idOf(root!), idOf(call!)]);
    expect(upstream.headers[0]!.traceparent).toBe(`00-${http!.spanContext().traceId}-${idOf(http!)}-01`);
    expect(http!.attributes['url.full']).toMatch(/&sessionId=REDACTED&token=REDACTED$/);
    expect(secretsIn(tracing.spans(), SECRETS)).toEqual([]);
    const started = JSON.stringify(tracing.recorder.started);
    expect(SECRETS.filter((secret) => started.includes(secret))).toEqual([]);
  });
});
