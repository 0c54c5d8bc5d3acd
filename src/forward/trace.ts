// The forwarder's span: one root span per request (a browser's traceparent is not trusted), active while the
// request is checked and forwarded, so the client's span and the HTTP spans of the upstream call are its
// children. Its attributes say how the request ended, never what it carried. `@opentelemetry/api` (an
// optional peer) is loaded only when a tracer is given, for the globally registered propagator and for a link
// to the span that was active (an HTTP server instrumentation's).
import type { PinSpan, PinTracer } from '../client/trace.js';
import type { Trace } from './audit.js';
import type { Handled } from './handled.js';

type Api = typeof import('@opentelemetry/api');

/** What the forwarder tells its span once the answer is known. */
export type Answered = (trace: Trace, handled: Handled, response: Response) => void;

/** `SpanKind.SERVER`, `SpanStatusCode.ERROR`. */
const SERVER = 1;
const ERROR = 2;
/** The methods the HTTP semantic conventions name; any other is `_OTHER` (a browser's method is not a label). */
const KNOWN_METHODS = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'];

/**
 * Whether something instruments Node's fetch (OpenTelemetry's undici instrumentation): it then sends the trace
 * context itself, from its own HTTP span, and a second `traceparent` of ours would make the header invalid.
 */
function fetchInstrumented(): boolean {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const channels = node?.getBuiltinModule?.('node:diagnostics_channel') as
    | { hasSubscribers(name: string): boolean }
    | undefined;
  return !!channels?.hasSubscribers('undici:request:create');
}

/** The span's attributes for the answer: the status, the operation, how it ended and why. No value it carried. */
function describe(span: PinSpan, trace: Trace, handled: Handled, response: Response) {
  const { status } = response;
  // The audit's own 500 (a success it could not record) replaced the answer.
  const [outcome, code] =
    response.status === handled.response.status ? [handled.outcome, handled.code] : ['error', 'audit'];
  if (trace.operation) {
    span.updateName(`forward ${trace.operation}`);
    span.setAttribute('pin.operation', trace.operation);
  }
  span.setAttribute('http.response.status_code', status);
  span.setAttribute('pin.forward.outcome', outcome);
  if (code) span.setAttribute('pin.forward.code', code);
  span.setAttribute('pin.forward.forwarded', handled.forwarded);
  if (status >= 500) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: ERROR });
  }
}

/** The forwarder's tracing: `handle` wraps each request in its span, `inject` puts the context on the upstream call. */
export function forwarderTracing(tracer: PinTracer, report: (error: unknown) => void) {
  let api: Promise<Api | undefined> | undefined;
  const load = () =>
    // An optional peer: bundlers are told not to resolve it at build time (an app without it must still build),
    // and an app without it gets no propagation, reported once to onError.
    (api ??= import(/* webpackIgnore: true */ /* @vite-ignore */ '@opentelemetry/api').catch((error: unknown) => {
      report(error);
      return undefined;
    }));
  load();
  return {
    async handle(request: Request, forward: (request: Request, answered: Answered) => Promise<Response>) {
      const otel = await load();
      const active = otel?.trace.getActiveSpan()?.spanContext();
      const method = KNOWN_METHODS.includes(request.method) ? request.method : '_OTHER';
      const options = {
        kind: SERVER,
        root: true,
        attributes: { 'http.request.method': method },
        ...(active && { links: [{ context: active }] }),
      };
      return tracer.startActiveSpan('forward', options, async (span) => {
        try {
          return await forward(request, (trace, handled, response) => describe(span, trace, handled, response));
        } catch (error) {
          span.setAttribute('error.type', '_OTHER');
          span.setStatus({ code: ERROR });
          throw error;
        } finally {
          span.end();
        }
      });
    },
    /** The active context (the client's span) as the registered propagator writes it, unless the fetch is instrumented. */
    async inject(headers: Headers) {
      const otel = await load();
      if (!otel || fetchInstrumented()) return;
      otel.propagation.inject(otel.context.active(), headers, {
        set: (carrier, key, value) => carrier.set(key, value),
      });
    },
  };
}
