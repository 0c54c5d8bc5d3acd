// What a response becomes: a 2xx, read within its bound, checked against the spec and cut to the fields
// the spec names; anything else, a PinHttpError that keeps the (bounded) body out of sight.
import { readCapped, truncated } from '../core/body.js';
import { pick, type Rule, violation } from '../core/validate.js';
import { PinHttpError, PinRateLimitError, transportError } from './errors.js';
import { parseRetryAfter } from './retry.js';
import { SUCCESS_LIMIT } from './fetch.js';

const RETRY_STATUSES = [429, 502, 503, 504];

/** The 2xx body as the spec's response type, or a PinTransportError with code `response`. */
export async function readSuccess(operation: string, rule: Rule, response: Response, signal: AbortSignal) {
  const fail = (detail: string): never => {
    throw transportError(operation, 'response', `HTTP ${response.status} ${detail}`);
  };
  // Read (and so released) first, whatever its type: openapi-fetch handed the body over untouched.
  const { text, truncated: cut } = await readCapped(response.body, SUCCESS_LIMIT, signal);
  if (!/\bjson\b/i.test(response.headers.get('content-type')!)) fail('is not JSON');
  let data: unknown;
  try {
    // An empty body fails here too, and so does one cut at the limit, however it was cut.
    data = JSON.parse(cut ? '' : text);
  } catch {
    fail(`body is not JSON within ${SUCCESS_LIMIT} bytes`);
  }
  const broken = violation(data, rule, true);
  if (broken) fail(`body: ${broken[0] || 'response'} fails ${broken[1]}`);
  return pick(data, rule);
}

/** The error for a status outside 2xx; `retryable` only for 429, 502, 503, 504 on a `repeatable` call. */
export function httpFailure(operation: string, response: Response, body: unknown, repeatable: boolean): PinHttpError {
  const { status, headers } = response;
  const bodyTruncated = truncated.has(response);
  const failure = new (status === 429 ? PinRateLimitError : PinHttpError)(
    operation,
    `HTTP ${status}${bodyTruncated ? ', body truncated' : ''}`,
    {
      status,
      requestId: headers.get('x-request-id') ?? undefined,
      retryAfterMs: parseRetryAfter(headers.get('retry-after')),
      bodyTruncated,
      retryable: repeatable && RETRY_STATUSES.includes(status),
    },
  );
  // Not enumerable: the body may quote what was sent, so it stays out of JSON.stringify and logs.
  Object.defineProperty(failure, 'body', { value: body });
  return failure;
}
