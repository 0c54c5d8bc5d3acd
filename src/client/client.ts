import createClient, { type Client, type HeadersOptions } from 'openapi-fetch';
import { operations, servers } from '../../generated/pin-constraints.js';
import { bounded, readCapped, truncated } from '../core/body.js';
import type { OperationId, OperationRow } from '../core/operations.js';
import type { GetPinParams, GetPinResponse, paths, UpdatePinParams, UpdatePinResponse } from '../core/types.js';
import { pick, ruleMessage, violation } from '../core/validate.js';
import { PinApiError, PinHttpError, PinRateLimitError, PinTransportError, PinValidationError } from './errors.js';
import { backoff, defaultRetry, parseRetryAfter, type RetryOptions } from './retry.js';

export { servers };

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
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Extra headers for this call (request ids, tracing); with an `apiKey`, `Authorization` stays the client's own. */
  headers?: HeadersOptions;
}

export interface PinClient {
  getPin(params: GetPinParams, options?: CallOptions): Promise<GetPinResponse>;
  /** Without `pin` the server picks a random PIN, so that call is never retried. */
  updatePin(params: UpdatePinParams, options?: CallOptions): Promise<UpdatePinResponse>;
  /** The underlying openapi-fetch client: the API key applied, redirects refused, bodies bounded. */
  raw: Client<paths>;
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const RETRY_STATUSES = [429, 502, 503, 504];
/** Decoded bytes kept of a 2xx body (more is refused) and of an error body (more is cut off). */
const SUCCESS_LIMIT = 65_536;
const ERROR_LIMIT = 8192;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Visible ASCII, the only characters an API key may have. */
const KEY = /^[!-~]+$/;

function refuse(operation: string, field: string, rule: string, limit?: unknown): never {
  throw new PinValidationError(operation, ruleMessage(field, rule, limit), { field, rule });
}

const transport = (operation: string, code: string, detail: string, cause?: unknown, retryable?: boolean) =>
  new PinTransportError(operation, `${code}: ${detail}`, { code, retryable }, cause);

/** The key as a header value. Headers would reject spaces or control characters in a message that quotes it. */
function checkKey(key: unknown, operation: string): string {
  if (typeof key !== 'string' || !key) refuse(operation, 'apiKey', 'required');
  if (!KEY.test(key)) refuse(operation, 'apiKey', 'pattern', KEY.source);
  return key;
}

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: split into modules by issue 16's client work
export function createPinClient(options: PinClientOptions = {}): PinClient {
  const { apiKey, baseUrl = servers.production, timeoutMs = 10_000, retry: retryOption } = options;
  const at = 'createPinClient';
  // A page, as opposed to a server or a worker.
  const inBrowser = typeof document !== 'undefined';
  if (apiKey !== undefined) {
    if (typeof apiKey !== 'function') checkKey(apiKey, at);
    // Anyone who opens the page can read a key in it. The rule names the option that overrides this.
    if (inBrowser && !options.dangerouslyAllowBrowser) refuse(at, 'apiKey', 'dangerouslyAllowBrowser');
  }
  if (!(timeoutMs > 0)) refuse(at, 'timeoutMs', 'exclusiveMinimum', 0);
  // Timers take at most a signed 32-bit delay; beyond that they fire at once.
  if (timeoutMs > MAX_TIMER_MS) refuse(at, 'timeoutMs', 'maximum', MAX_TIMER_MS);
  let url: URL;
  try {
    // A relative baseUrl points at the page's own backend.
    url = new URL(baseUrl, inBrowser ? location.href : undefined);
  } catch {
    refuse(at, 'baseUrl', 'format', 'uri (relative only in a browser)');
  }
  // Over plain http the API key and the PIN would travel in clear.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.includes(url.hostname))) {
    refuse(at, 'baseUrl', 'https');
  }
  const retry = { ...defaultRetry, ...(retryOption === false ? { retries: 0 } : retryOption) };

  /** fetch as the client sends: its own key, no redirect followed, a body read only up to a limit. */
  // A fixed key was checked above, so its header is built once; a key function's answer is checked each time.
  const fixedKey = typeof apiKey === 'string' && `ApiKey ${apiKey}`;
  const guard = (id: string, streamSuccess?: boolean) => async (request: Request) => {
    if (apiKey)
      request.headers.set('Authorization', fixedKey || `ApiKey ${checkKey(await (apiKey as () => string)(), id)}`);
    const response = await (options.fetch ?? fetch)(request);
    const { status } = response;
    // Node shows the 3xx itself; browsers an opaque redirect, with status 0.
    if (!status || (status > 299 && status < 400)) {
      // Releases the connection; `String` swallows the rejection of a body that already failed.
      response.body?.cancel().catch(String);
      throw transport(id, 'redirect', `HTTP ${status}`);
    }
    // At most this many decoded bytes are read; the rest is cancelled. `send` reads a 2xx itself, bounded
    // the same way, and refuses a truncated one.
    if (response.ok && streamSuccess) return response;
    return bounded(response, response.ok ? SUCCESS_LIMIT : ERROR_LIMIT);
  };

  const raw = createClient<paths>({
    baseUrl: url.href,
    headers: options.headers,
    // PIN responses must never be served from, or land in, an HTTP cache; `raw` calls included.
    cache: 'no-store',
    // A followed redirect would re-send the PIN to whatever origin Location names.
    redirect: 'manual',
    fetch: guard('raw'),
  });
  const sendVia = { getPin: guard('getPin', true), updatePin: guard('updatePin', true) };

  // biome-ignore lint/complexity/noExcessiveLinesPerFunction: split into modules by issue 16's client work
  async function send(id: OperationId, input: Record<string, unknown>, { signal: caller, headers }: CallOptions = {}) {
    // The generated table read through its row type; `operationTable` would cost the entry a few bytes.
    const spec: OperationRow = operations[id];
    const bad = violation(input, spec.input);
    if (bad) refuse(id, bad[0] || 'input', bad[1], bad[2]);

    const params: Record<string, Record<string, unknown>> = { path: {}, query: {} };
    let body: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(input)) {
      const place = spec.in[key]!;
      // URL parsing folds "." and ".." (even percent-encoded) into another path.
      if (place === 'path' && (value === '.' || value === '..')) refuse(id, key, 'not', '.|..');
      if (value === undefined) continue;
      if (place !== 'body') params[place]![key] = value;
      else {
        body ??= {};
        body[key] = value;
      }
    }
    // A PUT without a PIN makes the server pick a new random one each time: never repeat it.
    const repeatable = id !== 'updatePin' || !!body?.pin;

    // One deadline for the whole call. A plain timer, cleared on the way out, costs less per call
    // than AbortSignal.timeout/any, and leaves no timer behind a finished call.
    const started = Date.now();
    const controller = new AbortController();
    const { signal } = controller;
    // Every wait races the deadline, so it holds even against a fetch, a body or an apiKey function
    // that ignores the signal. Rejected by the same hand that aborts: no listener on our own signal.
    // One settle per wait instead of Promise.race (which subscribes to both sides): `expire` rejects the
    // wait in progress, and a wait begun after it rejects at once.
    let rejectWait: ((reason: unknown) => void) | undefined;
    const expire = () => {
      controller.abort();
      rejectWait?.(signal.reason);
    };
    const within = <T>(promise: Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        rejectWait = reject;
        if (signal.aborted) reject(signal.reason);
        promise.then(resolve, reject);
      });
    const timer = setTimeout(expire, timeoutMs);
    caller?.addEventListener('abort', expire);
    let pause: ReturnType<typeof setTimeout> | undefined;
    try {
      // Listeners do not fire for a signal that was aborted before they were added.
      if (caller?.aborted) throw caller.reason;
      for (let attempt = 0; ; attempt++) {
        let failure: PinApiError;
        let wait: number | undefined;
        try {
          const { error, response } = await within(
            raw.request(
              spec.method as 'get',
              spec.path as never,
              {
                params,
                body,
                signal,
                headers,
                parseAs: 'stream',
                fetch: sendVia[id],
              } as never,
            ),
          );
          const { status } = response;
          if (response.ok) return await within(readSuccess(id, spec, response, signal));
          wait = parseRetryAfter(response.headers.get('retry-after'));
          const requestId = response.headers.get('x-request-id') ?? undefined;
          const bodyTruncated = truncated.has(response);
          failure = new (status === 429 ? PinRateLimitError : PinHttpError)(
            id,
            `HTTP ${status}${bodyTruncated ? ', body truncated' : ''}`,
            {
              status,
              requestId,
              retryAfterMs: wait,
              bodyTruncated,
              retryable: repeatable && RETRY_STATUSES.includes(status),
            },
          );
          Object.defineProperty(failure, 'body', { value: error });
        } catch (thrown) {
          if (thrown instanceof PinApiError || signal.aborted) throw thrown;
          failure = transport(id, 'network', 'fetch failed', thrown, repeatable);
        }
        const delay = wait ?? backoff(attempt, retry);
        const left = timeoutMs - (Date.now() - started);
        if (!failure.retryable || attempt >= retry.retries || delay > retry.maxRetryAfterMs || delay >= left)
          throw failure;
        await within(new Promise((resolve) => (pause = setTimeout(resolve, delay))));
      }
    } catch (thrown) {
      throw thrown instanceof PinApiError
        ? thrown
        : caller?.aborted
          ? transport(id, 'abort', 'aborted by the caller', caller.reason)
          : transport(id, 'timeout', `no answer within ${timeoutMs} ms`, thrown);
    } finally {
      clearTimeout(timer);
      clearTimeout(pause);
      caller?.removeEventListener('abort', expire);
    }
  }

  return {
    getPin: (params, callOptions) => send('getPin', params, callOptions) as Promise<GetPinResponse>,
    updatePin: (params, callOptions) => send('updatePin', params, callOptions) as Promise<UpdatePinResponse>,
    raw,
  };
}

async function readSuccess(id: string, spec: OperationRow, response: Response, signal: AbortSignal) {
  const fail = (detail: string): never => {
    throw transport(id, 'response', `HTTP ${response.status} ${detail}`);
  };
  // Read (and so released) first, whatever its type; openapi-fetch handed the body over untouched.
  const { text, truncated: cut } = await readCapped(response.body, SUCCESS_LIMIT, signal);
  if (!/\bjson\b/i.test(response.headers.get('content-type')!)) fail('is not JSON');
  let data: unknown;
  try {
    // An empty body fails here too, and so does one cut at the limit, however it was cut.
    data = JSON.parse(cut ? '' : text);
  } catch {
    fail(`body is not JSON within ${SUCCESS_LIMIT} bytes`);
  }
  const bad = violation(data, spec.response, true);
  if (bad) fail(`body: ${bad[0] || 'response'} fails ${bad[1]}`);
  return pick(data, spec.response);
}
