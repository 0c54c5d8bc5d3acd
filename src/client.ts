import createClient, { type Client, type HeadersOptions } from 'openapi-fetch';
import { operations as specOperations, servers } from '../generated/pin-constraints.js';
import { PinApiError, PinHttpError, PinRateLimitError, PinTransportError, PinValidationError } from './errors.js';
import { backoff, defaultRetry, parseRetryAfter, sleep, type RetryOptions } from './retry.js';
import type { GetPinParams, GetPinResponse, paths, UpdatePinParams, UpdatePinResponse } from './types.js';
import { pick, violation, type Rule } from './validate.js';

export { servers };

export interface PinClientOptions {
  /** The API key, sent as `Authorization: ApiKey <key>`. */
  apiKey: string;
  /** Defaults to `servers.production`. Plain http is accepted for loopback hosts only. */
  baseUrl?: string;
  /** Looked up on every request, so a `fetch` patched after creation is still used. */
  fetch?: (request: Request) => Promise<Response>;
  /** Budget for a whole call, retries and their waits included. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retry policy for 429, 502, 503, 504 and network errors; `false` turns retries off. */
  retry?: false | Partial<RetryOptions>;
  /** Extra headers on every request; `Authorization` is always the client's own. */
  headers?: HeadersOptions;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface PinClient {
  getPin(params: GetPinParams, options?: CallOptions): Promise<GetPinResponse>;
  /** Without `pin` the server picks a random PIN, so that call is never retried. */
  updatePin(params: UpdatePinParams, options?: CallOptions): Promise<UpdatePinResponse>;
  /** The underlying openapi-fetch client, with the API key already applied. */
  raw: Client<paths>;
}

type OperationId = keyof typeof specOperations;
type Spec = { method: string; path: string; in: Record<string, string>; input: Rule; response: Rule };

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const RETRY_STATUSES = [429, 502, 503, 504];
const MAX_BODY_CHARS = 65_536;
const MAX_TIMER_MS = 2 ** 31 - 1;

function refuse(operation: string, field: string, rule: string, limit?: unknown): never {
  const detail = limit === undefined ? '' : ` ${limit}`;
  throw new PinValidationError(operation, `${field} fails ${rule}${detail}`, { field, rule });
}

const transport = (operation: string, code: string, detail: string, cause?: unknown) =>
  new PinTransportError(operation, `${code}: ${detail}`, { code }, cause);

export function createPinClient(options: PinClientOptions): PinClient {
  const { apiKey, baseUrl = servers.production, timeoutMs = 10_000, retry: retryOption } = options;
  const at = 'createPinClient';
  if (typeof apiKey !== 'string' || !apiKey) refuse(at, 'apiKey', 'required');
  // Headers would reject a key with spaces or control characters in a message that quotes it.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) refuse(at, 'apiKey', 'pattern', 'visible ASCII');
  if (!(timeoutMs > 0)) refuse(at, 'timeoutMs', 'exclusiveMinimum', 0);
  // Timers take at most a signed 32-bit delay; beyond that they fire at once.
  if (timeoutMs > MAX_TIMER_MS) refuse(at, 'timeoutMs', 'maximum', MAX_TIMER_MS);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    refuse(at, 'baseUrl', 'format', 'uri');
  }
  // Over plain http the API key would travel in clear.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.includes(url.hostname))) {
    refuse(at, 'baseUrl', 'https');
  }
  const retry = { ...defaultRetry, ...(retryOption === false ? { retries: 0 } : retryOption) };

  const raw = createClient<paths>({
    baseUrl: url.href,
    headers: options.headers,
    // PIN responses must never be served from, or land in, an HTTP cache; `raw` calls included.
    cache: 'no-store',
    fetch: (request) => (options.fetch ?? fetch)(request),
  });
  raw.use({
    onRequest({ request }) {
      request.headers.set('Authorization', `ApiKey ${apiKey}`);
    },
  });

  async function send(id: OperationId, input: Record<string, unknown>, { signal: caller }: CallOptions = {}) {
    const spec: Spec = specOperations[id];
    const bad = violation(input, spec.input);
    if (bad) refuse(id, bad[0] || 'input', bad[1], bad[2]);

    const params: Record<string, Record<string, unknown>> = { path: {}, query: {} };
    let body: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(input)) {
      const place = spec.in[key]!;
      // URL parsing folds "." and ".." (even percent-encoded) into another path.
      if (place === 'path' && (value === '.' || value === '..')) refuse(id, key, 'not', '.|..');
      if (value !== undefined) (place === 'body' ? (body ??= {}) : params[place]!)[key] = value;
    }
    // A PUT without a PIN makes the server pick a new random one each time: never repeat it.
    const retries = id === 'updatePin' && !body?.pin ? 0 : retry.retries;

    // One deadline for the whole call. A plain timer, cleared on the way out, costs less per call
    // than AbortSignal.timeout/any, and leaves no timer behind a finished call.
    const started = Date.now();
    const controller = new AbortController();
    const { signal } = controller;
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const onAbort = () => controller.abort();
    caller?.addEventListener('abort', onAbort);
    try {
      for (let attempt = 0; ; attempt++) {
        let failure: PinApiError;
        let wait: number | undefined;
        try {
          if (caller?.aborted) throw caller.reason;
          const { data, error, response } = await raw.request(spec.method as 'get', spec.path as never, {
            params,
            body,
            signal,
            parseAs: 'text',
          } as never);
          const { headers, status } = response;
          if (response.ok) return readSuccess(id, spec, response, data as string | undefined);
          wait = parseRetryAfter(headers.get('retry-after'));
          const requestId = headers.get('x-request-id') ?? headers.get('x-correlation-id') ?? undefined;
          failure = new (status === 429 ? PinRateLimitError : PinHttpError)(id, `HTTP ${status}`, {
            status,
            requestId,
            retryAfterMs: wait,
          });
          Object.defineProperty(failure, 'body', { value: error });
          if (!RETRY_STATUSES.includes(status)) throw failure;
        } catch (thrown) {
          if (thrown instanceof PinApiError || signal.aborted || caller?.aborted) throw thrown;
          failure = transport(id, 'network', 'fetch failed', thrown);
        }
        const delay = wait ?? backoff(attempt, retry);
        if (attempt >= retries || delay > retry.maxRetryAfterMs || delay >= timeoutMs - (Date.now() - started)) {
          throw failure;
        }
        await sleep(delay, signal);
      }
    } catch (thrown) {
      throw thrown instanceof PinApiError
        ? thrown
        : caller?.aborted
          ? transport(id, 'abort', 'aborted by the caller', caller.reason)
          : transport(id, 'timeout', `no answer within ${timeoutMs} ms`, thrown);
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    }
  }

  return {
    getPin: (params, callOptions) => send('getPin', params, callOptions) as Promise<GetPinResponse>,
    updatePin: (params, callOptions) => send('updatePin', params, callOptions) as Promise<UpdatePinResponse>,
    raw,
  };
}

function readSuccess(id: string, spec: Spec, response: Response, text: string | undefined): unknown {
  const fail = (detail: string): never => {
    throw transport(id, 'response', `HTTP ${response.status} ${detail}`);
  };
  if (!/\bjson\b/i.test(response.headers.get('content-type')!)) fail('is not JSON');
  if (!text || text.length > MAX_BODY_CHARS) fail(`body is empty or over ${MAX_BODY_CHARS} characters`);
  let data: unknown;
  try {
    data = JSON.parse(text!);
  } catch {
    fail('body is not valid JSON');
  }
  const bad = violation(data, spec.response, true);
  if (bad) fail(`body: ${bad[0] || 'response'} fails ${bad[1]}`);
  return pick(data, spec.response);
}
