// The PIN API's URLs as any tracing or error agent may record them: the MFA proof the spec puts in the GET's
// query (`sessionId`, `token`) replaced, everything else as it was. Which path is the PIN API's is route()'s
// answer, and which fields are the proof is the spec's: the fields its PUT groups in one body object (`mfa`).
import { operationTable } from '../core/operations.js';
import { route } from '../core/request.js';

/** What a redacted value reads in a trace. */
export const REDACTED = 'REDACTED';

/** The MFA proof's field names, from the spec: the properties of an operation's body object (the PUT's `mfa`). */
export const MFA_FIELDS: readonly string[] = [
  ...new Set(
    Object.values(operationTable).flatMap(({ in: placed, input }) =>
      Object.keys(placed)
        .filter((key) => placed[key] === 'body' && input.properties?.[key]?.type === 'object')
        .flatMap((key) => Object.keys(input.properties![key]!.properties ?? {})),
    ),
  ),
];

// Only the path matters here; a relative URL (a breadcrumb's `/api/…`) is read against a base that is never used.
const BASE = 'http://relative.invalid';

/** Whether a path is one of the spec's PIN operations (at the end of any prefix, as the forwarder mounts it). */
function isPinPath(pathname: string): boolean {
  const found = route('GET', pathname);
  return !('ok' in found) || found.status === 405;
}

/** A query parameter's name as servers read it (`+` is a space, percent-escapes decoded); undefined when malformed. */
function nameOf(pair: string): string | undefined {
  try {
    return decodeURIComponent(pair.split('=', 1)[0]!.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/**
 * A URL as it may be recorded: for the PIN API's URLs (`…/v2/cards/{cardId}/pin`, under any prefix, absolute or
 * relative) the values of `sessionId` and `token` are replaced by `REDACTED`; every other part, its encoding
 * included, stays. Any other URL comes back as it was, as a string. Use it in every agent that records URLs:
 * a tracing hook, an error tracker's breadcrumbs, a logger.
 *
 * @example
 * ```ts
 * redactPinUrl('https://api.equalsmoney.com/v2/cards/c1/pin?accountId=F1&sessionId=s3cret&token=123456');
 * // 'https://api.equalsmoney.com/v2/cards/c1/pin?accountId=F1&sessionId=REDACTED&token=REDACTED'
 * ```
 */
export function redactPinUrl(url: string | URL): string {
  const text = String(url);
  const queryAt = text.indexOf('?');
  if (queryAt < 0) return text;
  const hashAt = text.indexOf('#', queryAt);
  const end = hashAt < 0 ? text.length : hashAt;
  let pathname: string;
  try {
    pathname = new URL(text.slice(0, queryAt), BASE).pathname;
  } catch {
    return text;
  }
  if (!isPinPath(pathname)) return text;
  const query = text
    .slice(queryAt + 1, end)
    .split('&')
    .map((pair) => {
      const name = nameOf(pair);
      // A name that does not decode could still be read as one by a lenient server: its value goes too.
      return name === undefined || MFA_FIELDS.includes(name) ? `${pair.split('=', 1)[0]}=${REDACTED}` : pair;
    })
    .join('&');
  return `${text.slice(0, queryAt + 1)}${query}${text.slice(end)}`;
}
