// The client's one span per call, made through the caller's own OpenTelemetry Tracer. Nothing of OpenTelemetry
// is imported: the types are structural and `startActiveSpan` (the Tracer's own) makes the span the active one,
// so the HTTP instrumentation's spans of the call's attempts are its children. Without a tracer, nothing runs.
import { operations } from '../../generated/pin-constraints.js';
import type { Send } from './send.js';

/** The part of OpenTelemetry's `Span` the client uses; an OpenTelemetry `Span` is one. */
export interface PinSpan {
  /** Sets one attribute; the package sets only names, codes, statuses and outcomes. */
  setAttribute(key: string, value: string | number | boolean): unknown;
  /** Sets the span's status; the package sets only `ERROR` (2), without a message. */
  setStatus(status: { code: number; message?: string }): unknown;
  /** Renames the span: the forwarder's, once the request's operation is known. */
  updateName(name: string): unknown;
  /** Ends the span. */
  end(): void;
}

/**
 * The part of OpenTelemetry's `Tracer` the package uses; pass `trace.getTracer('…')`. Declared here so the
 * package's types need no `@opentelemetry/api` when you do not trace.
 */
export interface PinTracer {
  /** Starts a span, active while `fn` and the promise it returns run, and returns what `fn` returns. */
  startActiveSpan<F extends (span: PinSpan) => unknown>(
    name: string,
    options: {
      kind?: number;
      root?: boolean;
      attributes?: Record<string, string | number | boolean>;
      links?: { context: { traceId: string; spanId: string; traceFlags: number } }[];
    },
    fn: F,
  ): ReturnType<F>;
}

/** `SpanStatusCode.ERROR`. */
const ERROR = 2;

/** `send` with one span per call, named by the operation, active while the call runs. */
export const traced =
  (send: Send, tracer: PinTracer, baseUrl: string): Send =>
  (operation, input, options) =>
    tracer.startActiveSpan(
      operation,
      {
        attributes: {
          'http.request.method': operations[operation].method,
          'server.address': new URL(baseUrl).hostname,
        },
      },
      async (span) => {
        try {
          return await send(operation, input, options);
        } catch (error) {
          // The client throws only PinErrors: the HTTP status (as a string, as the semantic conventions give
          // `error.type`), a transport failure's code (`timeout`, `network`, …), or a refusal of the input. Never
          // a message: only names and codes reach the span.
          const { status, code } = error as { status?: number; code?: string };
          if (status) span.setAttribute('http.response.status_code', status);
          span.setAttribute('error.type', status ? String(status) : (code ?? 'validation'));
          span.setStatus({ code: ERROR });
          throw error;
        } finally {
          span.end();
        }
      },
    );
