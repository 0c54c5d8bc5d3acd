// Hooks for OpenTelemetry's HTTP instrumentations, so no sampler, processor or exporter sees the MFA proof
// of a PIN URL. Types are structural: nothing here imports OpenTelemetry, at run time or in the declarations.
import { redactPinUrl } from './redact.js';

/** A span attribute's value, as OpenTelemetry's `AttributeValue` has it. */
export type PinAttributeValue =
  | string
  | number
  | boolean
  | Array<null | undefined | string>
  | Array<null | undefined | number>
  | Array<null | undefined | boolean>;

/** What the hooks need of a span: OpenTelemetry's `Span`, and the SDK's readable `attributes` when it has them. */
export interface PinRedactableSpan {
  /** Replaces an attribute's value. */
  setAttribute(key: string, value: PinAttributeValue): unknown;
  /** The SDK's spans expose what was set so far; other spans may not. */
  readonly attributes?: Readonly<Record<string, PinAttributeValue | undefined>>;
}

/** The search part of a URL string (`?…`, without a fragment), or `''`. */
function searchOf(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return '';
  const hash = url.indexOf('#', at);
  return url.slice(at, hash < 0 ? undefined : hash);
}

/**
 * `startSpanHook` for `@opentelemetry/instrumentation-undici` (Node's fetch): for a PIN URL it returns
 * `url.full` and `url.query` with `sessionId` and `token` redacted, which the instrumentation puts over its
 * own before it starts the span, so no sampler, span processor or exporter ever sees the values. For any
 * other URL it returns nothing, and the instrumentation's attributes stand.
 *
 * @example
 * ```ts
 * import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
 * import { pinStartSpanHook } from 'equals-card-pin/otel';
 *
 * new UndiciInstrumentation({ startSpanHook: pinStartSpanHook });
 * ```
 */
export function pinStartSpanHook(request: { origin: string; path: string }): Record<string, string> {
  let full: string;
  try {
    full = new URL(request.path, request.origin).href;
  } catch {
    return {};
  }
  const redacted = redactPinUrl(full);
  return redacted === full ? {} : { 'url.full': redacted, 'url.query': searchOf(redacted) };
}

/**
 * `requestHook` for `@opentelemetry/instrumentation-fetch` (browsers). That instrumentation offers no hook
 * before its span starts, so this one replaces `url.full` right after: exporters and every span processor's
 * `onEnd` see the redacted URL, but a sampler, and a processor's `onStart`, saw the original. Put
 * {@link pinRedactingSpanProcessor} first among the processors to cover `onStart` too.
 *
 * @example
 * ```ts
 * import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
 * import { pinFetchRequestHook } from 'equals-card-pin/otel';
 *
 * new FetchInstrumentation({ requestHook: pinFetchRequestHook });
 * ```
 */
export function pinFetchRequestHook(span: PinRedactableSpan, request: Request | RequestInit): void {
  const recorded = span.attributes?.['url.full'];
  const url = typeof recorded === 'string' ? recorded : request instanceof Request ? request.url : undefined;
  if (url === undefined) return;
  const redacted = redactPinUrl(url);
  if (redacted !== url) span.setAttribute('url.full', redacted);
}

/** URL attributes that hold a whole URL or a path with its query: the stable `url.full`, and older names. */
const URL_ATTRIBUTES = ['url.full', 'http.url', 'http.target'];

/** What an SDK span processor is, structurally (the SDK's `SpanProcessor`). */
export interface PinSpanProcessor {
  /** Redacts the span's URL attributes. */
  onStart(span: PinRedactableSpan, parentContext?: unknown): void;
  /** Does nothing: the span is already redacted. */
  onEnd(span: unknown): void;
  /** Resolves at once: nothing is buffered. */
  forceFlush(): Promise<void>;
  /** Resolves at once: nothing is held. */
  shutdown(): Promise<void>;
}

/**
 * A span processor that redacts PIN URLs in the URL attributes of any span as it starts (`url.full`,
 * `url.query`, and the older `http.url` and `http.target`), whichever instrumentation made it. Put it first in
 * the SDK's `spanProcessors`: the processors after it, and every exporter, see the redacted values. A sampler
 * runs before any processor: with an instrumentation that has no start hook (the browser's fetch), one that
 * reads attributes still sees the original.
 *
 * @example
 * ```ts
 * import { BatchSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web';
 * import { pinRedactingSpanProcessor } from 'equals-card-pin/otel';
 *
 * new WebTracerProvider({ spanProcessors: [pinRedactingSpanProcessor(), new BatchSpanProcessor(exporter)] });
 * ```
 */
export function pinRedactingSpanProcessor(): PinSpanProcessor {
  return {
    onStart(span) {
      const attributes = span.attributes;
      if (!attributes) return;
      for (const key of URL_ATTRIBUTES) {
        const value = attributes[key];
        if (typeof value !== 'string') continue;
        const redacted = redactPinUrl(value);
        if (redacted !== value) span.setAttribute(key, redacted);
      }
      // `url.query` alone cannot say whose URL it is: `url.path` beside it does. With or without its `?`.
      const path = attributes['url.path'];
      const query = attributes['url.query'];
      if (typeof path !== 'string' || typeof query !== 'string') return;
      const bare = query.replace(/^\?/, '');
      const redacted = searchOf(redactPinUrl(`${path}?${bare}`)).slice(1);
      if (redacted !== bare) span.setAttribute('url.query', query.startsWith('?') ? `?${redacted}` : redacted);
    },
    onEnd() {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
