// The real OpenTelemetry SDK for Node as a team sets it up: NodeTracerProvider (AsyncLocalStorage context,
// W3C propagator), the undici instrumentation of Node's fetch, an in-memory exporter, and a processor that
// records what every span held when it started (what a sampler or an onStart processor sees).
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation, type UndiciInstrumentationConfig } from '@opentelemetry/instrumentation-undici';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PinTracer } from '../../src/index.js';
import { forwarderOver, inbound, MFA_SESSION, MFA_TOKEN, revealQuery, sandboxUpstream } from '../forward/harness.js';

/** Each span's name and attributes at onStart, before any hook that runs after the start could change them. */
export class StartRecorder implements SpanProcessor {
  readonly started: { name: string; attributes: Record<string, unknown> }[] = [];
  onStart(span: Span): void {
    this.started.push({ name: span.name, attributes: { ...span.attributes } });
  }
  onEnd(): void {}
  forceFlush = () => Promise.resolve();
  shutdown = () => Promise.resolve();
}

export function startTracing(config: UndiciInstrumentationConfig) {
  const exporter = new InMemorySpanExporter();
  const recorder = new StartRecorder();
  const provider = new NodeTracerProvider({ spanProcessors: [recorder, new SimpleSpanProcessor(exporter)] });
  provider.register();
  const undici = new UndiciInstrumentation(config);
  const unregister = registerInstrumentations({ instrumentations: [undici], tracerProvider: provider });
  return {
    tracer: provider.getTracer('equals-card-pin-test'),
    exporter,
    recorder,
    undici,
    spans: () => exporter.getFinishedSpans(),
    reset() {
      exporter.reset();
      recorder.started.length = 0;
    },
    async stop() {
      unregister();
      await provider.shutdown();
    },
  };
}

/** Every string a span carries where a backend would show it: name, attributes, events, links, status. */
export function spanStrings(span: ReadableSpan): string[] {
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) for (const item of value) walk(item);
    else if (value && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) {
        strings.push(key);
        walk(item);
      }
  };
  walk([span.name, span.attributes, span.events, span.links.map((link) => link.attributes), span.status]);
  return strings;
}

/** Which of `secrets` any span holds, named by position, with the span's name. */
export const secretsIn = (spans: readonly ReadableSpan[], secrets: string[]) =>
  spans.flatMap((span) =>
    secrets.flatMap((secret, i) =>
      spanStrings(span).some((text) => text.includes(secret)) ? [`secret #${i} in span ${span.name}`] : [],
    ),
  );

/** The answer for a request, by its card id, how many requests that card had, and its method. */
export type Script = (cardId: string, hit: number, response: ServerResponse, method: string) => void;

/** A node:http server on 127.0.0.1 answering by script; it records each request's headers. */
export async function startApi(script: Script) {
  const hits = new Map<string, number>();
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    headers.push(request.headers);
    const cardId = decodeURIComponent(request.url!.split('/')[3] ?? '');
    const hit = (hits.get(cardId) ?? 0) + 1;
    hits.set(cardId, hit);
    request.resume().on('end', () => script(cardId, hit, response, request.method!));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headers,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

export const answer = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

/**
 * A reveal with the browser's second factor (the backend vouching for OTP) through a forwarder whose upstream
 * is `baseUrl`, called with Node's own fetch: the one the undici instrumentation sees.
 */
export function revealWithMfa(tracer: PinTracer, baseUrl: string): Promise<Response> {
  const forward = forwarderOver(sandboxUpstream(), {
    tracer,
    baseUrl,
    fetch: undefined,
    verification: () => ({ method: 'OTP' }),
  });
  const query = revealQuery({ cardholderVerificationMethod: 'OTP', sessionId: MFA_SESSION, token: MFA_TOKEN });
  return forward(inbound({ query }));
}
