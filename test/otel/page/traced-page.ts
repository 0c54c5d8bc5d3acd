// A page as a team would set up tracing in a browser: the web SDK (its default context manager), the fetch
// instrumentation with pinFetchRequestHook, pinRedactingSpanProcessor first among the processors, and the
// client in browser mode (no key, a relative baseUrl) with the tracer. It leaves what each processor saw
// and every exported span on `window.traced`. Bundled by test/otel/browser.test.ts.
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type Span,
  type SpanProcessor,
  WebTracerProvider,
} from '@opentelemetry/sdk-trace-web';
import { createPinClient, type GetPinParams } from 'equals-card-pin';
import { pinFetchRequestHook, pinRedactingSpanProcessor } from 'equals-card-pin/otel';

/** Records each span's attributes at onStart. */
const recorder = () => {
  const started: Record<string, unknown>[] = [];
  const processor: SpanProcessor = {
    onStart: (span: Span) => void started.push({ ...span.attributes }),
    onEnd: () => {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  return { started, processor };
};

const before = recorder();
const after = recorder();
const exporter = new InMemorySpanExporter();
const provider = new WebTracerProvider({
  spanProcessors: [before.processor, pinRedactingSpanProcessor(), after.processor, new SimpleSpanProcessor(exporter)],
});
provider.register();
registerInstrumentations({
  instrumentations: [new FetchInstrumentation({ requestHook: pinFetchRequestHook })],
  tracerProvider: provider,
});

const input = JSON.parse(document.body.dataset.input!) as GetPinParams;
const client = createPinClient({
  baseUrl: '/api/equals',
  tracer: provider.getTracer('page'),
  retry: { baseDelayMs: 1 },
});
const outcomes: string[] = [];
for (const cardId of ['ok-1', 'flaky-2', 'gone-3']) {
  await client.getPin({ ...input, cardId }).then(
    ({ pin }) => outcomes.push(`${cardId} ${pin}`),
    (error: { status?: number }) => outcomes.push(`${cardId} ${error.status}`),
  );
}
// The fetch instrumentation ends its span once it read a copy of the body: wait for all four (bounded).
const httpSpans = () => exporter.getFinishedSpans().filter((span) => span.kind === 2);
for (let i = 0; i < 200 && httpSpans().length < 4; i++) await new Promise((done) => setTimeout(done, 10));

const spans = exporter.getFinishedSpans().map((span) => ({
  name: span.name,
  kind: span.kind,
  traceId: span.spanContext().traceId,
  spanId: span.spanContext().spanId,
  parentId: span.parentSpanContext?.spanId,
  attributes: span.attributes,
  events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
  status: span.status,
}));
Object.assign(window, { traced: { outcomes, spans, before: before.started, after: after.started } });
