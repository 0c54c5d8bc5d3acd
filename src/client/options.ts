// What createPinClient accepts, and the checks it makes before it builds anything: each refusal names
// the option and the rule it breaks, never the value.
import type { HeadersOptions } from 'openapi-fetch';
import { servers } from '../../generated/pin-constraints.js';
import { isSecureBaseUrl } from '../core/base-url.js';
import { refuse } from './errors.js';
import { defaultRetry, type RetryOptions } from './retry.js';
import type { PinTracer } from './trace.js';

/** Options of {@link createPinClient}. All are optional; the defaults talk to production with a 10 s budget. */
export interface PinClientOptions {
  /**
   * The API key, sent as `Authorization: ApiKey <key>`, or a function that returns it, called on every
   * request (for keys that rotate). Leave it out when your own backend adds the key: the client then sends
   * no `Authorization` of its own. Required, outside a browser, when `baseUrl` is one of the provider's
   * `servers` and `headers` set no `Authorization`. Refused in a browser unless `dangerouslyAllowBrowser` is set.
   */
  apiKey?: string | (() => string | Promise<string>);
  /**
   * Defaults to `servers.production`. Plain http is accepted for loopback hosts only. A relative URL
   * such as `/api/equals` resolves against the page's location; outside a browser it is refused. An origin
   * and a path only: user-info, a query or a fragment (even an empty `?` or `#`) is refused, and so is a path
   * ending in `/v2` (the operations' paths start with it).
   */
  baseUrl?: string;
  /**
   * `'backend'`: your backend supplies the verification method, so `getPin` may leave
   * `cardholderVerificationMethod` out (a method given is still checked and sent). For a client without
   * `apiKey` aimed at your backend, whose forwarder (`equals-card-pin/forward`) fills in the method its
   * `verification` hook established; the provider itself refuses a GET without one.
   */
  verification?: 'backend';
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

const MAX_TIMER_MS = 2 ** 31 - 1;
/** Visible ASCII, the only characters an API key may have. */
const KEY = /^[!-~]+$/;

/** The key as a header value. Headers would reject spaces or control characters in a message that quotes it. */
export function checkKey(key: unknown, operation: string): string {
  if (typeof key !== 'string' || !key) refuse(operation, 'apiKey', 'required');
  if (!KEY.test(key)) refuse(operation, 'apiKey', 'pattern', KEY.source);
  return key;
}

/** Whether `headers` set Authorization, in any case; unknown (undefined) when they are not valid headers. */
function hasAuthorization(headers: HeadersOptions | undefined): boolean | undefined {
  try {
    return new Headers(headers as HeadersInit).has('authorization');
  } catch {
    // Headers' own error may quote a value (a key with a stray newline): not thrown from here.
  }
}

/** The options createPinClient goes on with, once they passed: an absolute base URL, a timeout, a retry policy. */
export function checkOptions(
  options: PinClientOptions,
  operation = 'createPinClient',
): { baseUrl: string; timeoutMs: number; retry: RetryOptions } {
  const { apiKey, baseUrl = servers.production, timeoutMs = 10_000, retry } = options;
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
  if (!isSecureBaseUrl(url)) {
    refuse(operation, 'baseUrl', 'https');
  }
  // User-info would travel with every request (and fetch errors quote it); a query or a fragment, even an empty
  // `?` or `#`, would swallow the operation's path. Without them, an http(s) URL is its origin and its path.
  if (url.href !== url.origin + url.pathname) refuse(operation, 'baseUrl', 'not', 'user-info, query or fragment');
  // The operations' paths start with /v2: this would ask for /v2/v2/… and get 404s that blame the card.
  if (/\/v2\/?$/i.test(url.pathname)) refuse(operation, 'baseUrl', 'not', 'ending in /v2 (the paths start with /v2)');
  // The provider answers a call without a key with 401: said now, naming the option. Your own backend (which
  // adds the key) and a page (which calls one) need none.
  const provider = (Object.values(servers) as string[]).includes(url.origin);
  if (provider && apiKey === undefined && !inBrowser && hasAuthorization(options.headers) === false) {
    refuse(operation, 'apiKey', 'required', `for ${url.origin}`);
  }
  return {
    baseUrl: url.href,
    timeoutMs,
    retry: { ...defaultRetry, ...(retry === false ? { retries: 0 } : retry) },
  };
}
