// An upstream failure as the documented status the forwarder answers with (see forward.ts's header).
import { PinHttpError, PinTransportError, PinValidationError } from '../client/errors.js';
import type { OperationId } from '../core/operations.js';
import { exampleBody, jsonAnswer, type Handled } from './handled.js';

/** Statuses passed on as they came; every other upstream status is a 502 naming it. */
const PASSED_ON = [400, 404, 429, 503, 504];

/** The answer for an error the client threw on a forwarded call. */
export function upstreamFailureAnswer(operation: OperationId, error: unknown): Handled {
  // The inbound request was validated already: what the client still refuses is this server's own setup
  // (an apiKey function returning a malformed key, say). Not the caller's fault, and nothing for it to see.
  if (error instanceof PinValidationError) return jsonAnswer(500, exampleBody(operation, 500, 'config'), 'error');
  if (error instanceof PinHttpError) {
    const { status, retryAfterMs, requestId } = error;
    const headers: Record<string, string> = requestId ? { 'x-request-id': requestId } : {};
    if (retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
    const extra = { headers, forwarded: true, requestId };
    if (PASSED_ON.includes(status)) return jsonAnswer(status, exampleBody(operation, status), 'upstream_error', extra);
    return jsonAnswer(502, exampleBody(operation, 502, `upstream_${status}`), 'upstream_error', extra);
  }
  const code = error instanceof PinTransportError ? error.code : 'network';
  const status = code === 'timeout' ? 504 : 502;
  return jsonAnswer(status, exampleBody(operation, status, code), 'upstream_error', { forwarded: true });
}
