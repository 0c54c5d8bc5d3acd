// A tracer given, but @opentelemetry/api cannot be loaded (a bundle that left the optional peer out): the
// forwarder still answers and still makes its span, sends no context upstream, and says why once to onError.
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { expect, test, vi } from 'vitest';
import { forwarderOver, inbound, revealQuery, sandboxUpstream } from '../forward/harness.js';

vi.mock('@opentelemetry/api', () => {
  throw new Error("Cannot find package '@opentelemetry/api'");
});

test('answers, traces its own span, propagates nothing, and reports the missing peer once', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const errors: unknown[] = [];
  const upstream = sandboxUpstream();
  const forward = forwarderOver(upstream, {
    tracer: provider.getTracer('test'),
    onError: (error) => errors.push(error),
  });
  expect((await forward(inbound({ query: revealQuery() }))).status).toBe(200);
  expect((await forward(inbound({ query: revealQuery() }))).status).toBe(200);
  // One span of its own per request (the client's spans, children of it, may stand beside them).
  const own = exporter.getFinishedSpans().filter((span) => span.name === 'forward getPin');
  expect(own).toHaveLength(2);
  expect(upstream.requests.map((request) => request.headers.has('traceparent'))).toEqual([false, false]);
  expect(errors).toHaveLength(1);
  // The import's own rejection (here Vitest's wrapping of the mock's error), passed on as it came.
  expect(errors[0]).toBeInstanceOf(Error);
});
