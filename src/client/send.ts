// One call of an operation: the input checked and split as the spec places it, then attempts within one
// deadline, retried as the policy allows, each attempt's failure turned into the error the caller gets.
import type { Client } from 'openapi-fetch';
import { operations } from '../../generated/pin-constraints.js';
import { METHOD_FIELD, type OperationId, type OperationRow } from '../core/operations.js';
import type { paths } from '../core/types.js';
import { violation } from '../core/validate.js';
import { startDeadline } from './deadline.js';
import { PinApiError, refuse, scrubbed, transportError } from './errors.js';
import { fetchWithKeyNoRedirect } from './fetch.js';
import type { CallOptions, PinClientOptions } from './options.js';
import { httpFailure, readSuccess } from './response.js';
import { backoff, type RetryOptions } from './retry.js';

type Params = Record<string, Record<string, unknown>>;
type Body = Record<string, unknown> | undefined;

/** The input as openapi-fetch takes it, once it passed the spec's rules; `repeatable` says whether a retry is safe. */
function requestParts(operation: OperationId, spec: OperationRow, input: Record<string, unknown>, backend: boolean) {
  const { input: rule } = spec;
  // `verification: 'backend'`: the method is the backend's to fill in, so it is not required here.
  const broken = violation(
    input,
    backend ? { ...rule, required: rule.required!.filter((key) => key !== METHOD_FIELD) } : rule,
  );
  if (broken) refuse(operation, broken[0] || 'input', broken[1], broken[2]);
  const params: Params = { path: {}, query: {} };
  let body: Body;
  for (const [key, value] of Object.entries(input)) {
    const place = spec.in[key]!;
    // URL parsing folds "." and ".." (even percent-encoded) into another path.
    if (place === 'path' && (value === '.' || value === '..')) refuse(operation, key, 'not', '.|..');
    if (value === undefined) continue;
    if (place !== 'body') params[place]![key] = value;
    else {
      body ??= {};
      body[key] = value;
    }
  }
  // A PUT without a PIN makes the server pick a new random one each time: never repeat it.
  return { params, body, repeatable: operation !== 'updatePin' || !!body?.pin };
}

/** A call's operation: what every attempt sends. */
export type Send = (operation: OperationId, input: Record<string, unknown>, options?: CallOptions) => Promise<unknown>;

/** The client's calls, over `raw` (whose own fetch is left to `raw` calls). */
export function createSend(
  raw: Client<paths>,
  options: PinClientOptions,
  timeoutMs: number,
  retry: RetryOptions,
): Send {
  // Made once per client, not per call: openapi-fetch hands a 2xx body over, and `readSuccess` bounds it.
  const fetches = {
    getPin: fetchWithKeyNoRedirect(options, 'getPin', true),
    updatePin: fetchWithKeyNoRedirect(options, 'updatePin', true),
  };

  /** One request and its answer; throws a PinApiError (retryable or not), or the deadline's reason. */
  async function attempt(
    operation: OperationId,
    spec: OperationRow,
    { params, body, repeatable }: ReturnType<typeof requestParts>,
    signal: AbortSignal,
    headers: CallOptions['headers'],
  ) {
    let answer: { error?: unknown; response: Response };
    try {
      // The row's method and path are the spec's own, so openapi-fetch's per-path typing has nothing to add.
      const init = { params, body, signal, headers, parseAs: 'stream', fetch: fetches[operation] };
      answer = await raw.request(spec.method as 'get', spec.path as never, init as never);
      if (answer.response.ok) return await readSuccess(operation, spec.response, answer.response, signal);
    } catch (thrown) {
      if (thrown instanceof PinApiError || signal.aborted) throw thrown;
      throw transportError(operation, 'network', 'fetch failed', scrubbed(thrown), repeatable);
    }
    throw httpFailure(operation, answer.response, answer.error, repeatable);
  }

  return async (operation, input, { signal: caller, headers } = {}) => {
    // The generated table read through its row type; `operationTable` would cost the entry a few bytes.
    const spec: OperationRow = operations[operation];
    const parts = requestParts(operation, spec, input, options.verification === 'backend');
    const deadline = startDeadline(timeoutMs, caller);
    try {
      // An already-aborted caller's signal sends nothing.
      deadline.signal.throwIfAborted();
      for (let tries = 0; ; tries++) {
        try {
          return await deadline.within(attempt(operation, spec, parts, deadline.signal, headers));
        } catch (failure) {
          if (!(failure instanceof PinApiError) || !failure.retryable || tries >= retry.retries) throw failure;
          const delay = (failure as { retryAfterMs?: number }).retryAfterMs ?? backoff(tries, retry);
          if (delay > retry.maxRetryAfterMs || delay >= deadline.left()) throw failure;
          await deadline.sleep(delay);
        }
      }
    } catch (thrown) {
      throw thrown instanceof PinApiError
        ? thrown
        : caller?.aborted
          ? transportError(operation, 'abort', 'aborted by the caller', caller.reason)
          : transportError(operation, 'timeout', `no answer within ${timeoutMs} ms`, scrubbed(thrown));
    } finally {
      deadline.end();
    }
  };
}
