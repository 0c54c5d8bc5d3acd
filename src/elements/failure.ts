// What a failed call becomes in the elements: plain words for the cardholder, and the `pin-error` detail
// for the page (status, code, Retry-After), none of which can carry a value.
import { PinHttpError, PinTransportError, PinValidationError } from '../client/errors.js';
import { setupWords } from './setup.js';

/** The `detail` of a `pin-error` event. No field can hold a PIN. */
export interface PinErrorDetail {
  /** The HTTP status; `undefined` when there was no answer (network, timeout) or nothing was sent (setup). */
  readonly status: number | undefined;
  /**
   * What went wrong, for the page's logic: the answer's `code` (`verification`, `authorize`, `rate_limit`, …),
   * or for a call without an answer the client's (`network`, `timeout`, `response`, `redirect`), or `setup`.
   */
  readonly code: string | undefined;
  /** From `Retry-After`, when the backend sent one. */
  readonly retryAfterMs: number | undefined;
}

/** A failure as the elements show it and report it. */
export interface Failure {
  /** What `pin-error` carries. */
  detail: PinErrorDetail;
  /** What the cardholder reads. */
  message: string;
}

/** Codes are words (`rate_limit`); anything else a body carries, a number included, is not passed on. */
const CODE = /^[a-z][\w-]{0,39}$/i;

const codeOf = (error: PinHttpError) => {
  const code = (error.body as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && CODE.test(code) ? code : undefined;
};

/** The words for a status, where `verb` is what the element does: `see` or `change`. */
function wordsFor(status: number, code: string | undefined, verb: string): string {
  if (status === 403 && code === 'verification')
    return `Please confirm it’s you again, then try once more to ${verb} your PIN.`;
  if (status === 401 || status === 403) return `You are not allowed to ${verb} the PIN of this card.`;
  if (status === 404) return 'This card was not found.';
  if (status === 429) return 'Too many attempts.';
  if (status >= 500) return 'The service is not available right now. Please try again later.';
  return 'Something went wrong. Please try again.';
}

/** Turns what a call threw into the words and the event detail; a refusal of the client's rules is a setup fault. */
export function failureOf(error: unknown, verb: 'see' | 'change'): Failure {
  if (error instanceof PinValidationError) return setupFailure(setupWords(error));
  if (error instanceof PinHttpError) {
    const code = codeOf(error);
    const detail = { status: error.status, code, retryAfterMs: error.retryAfterMs };
    return { detail, message: wordsFor(error.status, code, verb) };
  }
  const code = error instanceof PinTransportError ? error.code : undefined;
  const message =
    code === 'timeout'
      ? 'The service took too long to answer. Please try again.'
      : code === 'network' || code === undefined
        ? 'Could not reach the service. Check your connection and try again.'
        : 'Something went wrong. Please try again.';
  return { detail: { status: undefined, code: code ?? 'network', retryAfterMs: undefined }, message };
}

/** A setup fault: shown in the element, reported with code `setup`, nothing sent. */
export const setupFailure = (message: string): Failure => ({
  detail: { status: undefined, code: 'setup', retryAfterMs: undefined },
  message: `This element is not set up correctly: ${message}.`,
});
