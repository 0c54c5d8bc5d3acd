// What createPinClient accepts, and the checks it makes before it builds anything: each refusal names
// the option and the rule it breaks, never the value.
import type { HeadersOptions } from 'openapi-fetch';
import { servers } from '../../generated/pin-constraints.js';
import { refuse } from './errors.js';
import { defaultRetry, type RetryOptions } from './retry.js';
import type { PinTracer } from './trace.js';

/** Options of {@link createPinClient}. All are optional; the defaults talk to production with a 10 s budget. */
export interface PinClientOptions {
  /**
   * The API key, sent as `Authorization: ApiKey <key>`, or a function that returns it, called on every
   * request (for keys that rotate). Leave it out when your own backend adds the key: the client then sends
   * no `Authorization` of its own. Refused in a browser unless `dangerouslyAllowBrowser` is set.
   */
  apiKey?: string | (() => string | Promise<string>);
  /**
   * Defaults to `servers.production`. Plain http is accepted for loopback hosts only. A relative URL
   * such as `/api/equals` resolves against the page's location; outside a browser it is refused.
   */
  baseUrl?: string;
  /** Looked up on every request, so a `fetch` patched after creation is still used. */
  fetch?: (request: Request) => Promise<Response>;
  /** Budget for a whole call, retries, waits and body reads included. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retry policy for 429, 502, 503, 504 and network errors; `false` turns retries off. */
  retry?: false | Partial<RetryOptions>;
  /** Extra headers on every request; with an `apiKey`, `Authorization` is always the client's own. */
  headers?: HeadersOptions;
  /** Accepts an `apiKey` in a browser, where anyone who opens the page can read it. */
  dangerouslyAllowBrowser?: boolean;
  /**
   * An OpenTelemetry `Tracer`: each call gets one span named by its operation, active while it runs (the HTTP
   * instrumentation's spans of its attempts are its children); a failure sets status ERROR and `error.type`.
   * No PIN, key, header or MFA value is ever set on it. Without it, nothing of tracing runs.
   */
  tracer?: PinTracer;
}

/** Options of one `getPin` or `updatePin` call. */
export interface CallOptions {
  /** Ends the call early; the call then throws a {@link PinTransportError} with code `abort`. */
  signal?: AbortSignal;
  /** Extra headers for this call (request ids, tracing); with an `apiKey`, `Authorization` stays the client's own. */
  headers?: HeadersOptions;
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Visible ASCII, the only characters an API key may have. */
const KEY = /^[!-~]+$/;

/** The key as a header value. Headers would reject spaces or control characters in a message that quotes it. */
export function checkKey(key: unknown, operation: string): string {
  if (typeof key !== 'string' || !key) refuse(operation, 'apiKey', 'required');
  if (!KEY.test(key)) refuse(operation, 'apiKey', 'pattern', KEY.source);
  return key;
}

/** The options createPinClient goes on with, once they passed: an absolute base URL, a timeout, a retry policy. */
export function checkOptions(options: PinClientOptions): { baseUrl: string; timeoutMs: number; retry: RetryOptions } {
  const { apiKey, baseUrl = servers.production, timeoutMs = 10_000, retry } = options;
  const operation = 'createPinClient';
  // A page, as opposed to a server or a worker.
  const inBrowser = typeof document !== 'undefined';
  if (apiKey !== undefined) {
    if (typeof apiKey !== 'function') checkKey(apiKey, operation);
    // Anyone who opens the page can read a key in it. The rule names the option that overrides this.
    if (inBrowser && !options.dangerouslyAllowBrowser) refuse(operation, 'apiKey', 'dangerouslyAllowBrowser');
  }
  if (!(timeoutMs > 0)) refuse(operation, 'timeoutMs', 'exclusiveMinimum', 0);
  // Timers take at most a signed 32-bit delay; beyond that they fire at once.
  if (timeoutMs > MAX_TIMER_MS) refuse(operation, 'timeoutMs', 'maximum', MAX_TIMER_MS);
  let url: URL;
  try {
    // A relative baseUrl points at the page's own backend.
    url = new URL(baseUrl, inBrowser ? location.href : undefined);
  } catch {
    refuse(operation, 'baseUrl', 'format', 'uri (relative only in a browser)');
  }
  // Over plain http the API key and the PIN would travel in clear.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.includes(url.hostname))) {
    refuse(operation, 'baseUrl', 'https');
  }
  return {
    baseUrl: url.href,
    timeoutMs,
    retry: { ...defaultRetry, ...(retry === false ? { retries: 0 } : retry) },
  };
}
