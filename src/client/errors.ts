import type { ErrorBody } from '../core/types.js';
import { ruleMessage } from '../core/validate.js';

// Kept small on purpose (the client's size budget): fields are assigned in one place,
// and each class names itself on its prototype so that minifiers cannot mangle `name`.

/**
 * Base of everything the client throws. Messages are built from field names, rules and
 * status codes only, never from values, so no PIN or API key can end up in a log.
 */
export class PinApiError extends Error {
  /**
   * The call that failed: `getPin`, `updatePin`, `raw` for a call through `raw`, or the factory whose options
   * were refused (`createPinClient`, `createPinForwarder`).
   */
  declare readonly operation: string;
  /** HTTP status; set only on {@link PinHttpError}. */
  declare readonly status: number | undefined;
  /**
   * Whether the client retries this failure on this call: 429, 502, 503, 504 and network errors,
   * except on an `updatePin` without a PIN. See {@link isRetryable}.
   */
  declare readonly retryable: boolean | undefined;

  /**
   * @param operation - the call that failed; the message is prefixed with it
   * @param message - what went wrong, in field names, rules and status codes only
   * @param fields - the subclass's own fields (`status`, `code`, `field`, …), assigned to the error
   * @param cause - the underlying error, kept as `cause` when given
   */
  constructor(operation: string, message: string, fields?: object, cause?: unknown) {
    super(`${operation}: ${message}`, (cause && { cause }) as ErrorOptions);
    Object.assign(this, { operation }, fields);
  }

  /** Serialises the enumerable fields; `body` and `cause` stay out. */
  toJSON(): object {
    return { ...this, name: this.name, message: this.message };
  }

  static {
    this.prototype.name = 'PinApiError';
  }
}

/** The server answered with a status outside 2xx. */
export class PinHttpError extends PinApiError {
  /** The HTTP status, outside 2xx and 3xx. */
  declare readonly status: number;
  /** The provider's request id, when the response carries one. */
  declare readonly requestId: string | undefined;
  /** Delay the server asked for with `Retry-After`, in milliseconds. */
  declare readonly retryAfterMs: number | undefined;
  /**
   * Parsed JSON body, the raw text when it is not JSON, or `undefined` when empty.
   * Not enumerable, so it stays out of `JSON.stringify` and `util.inspect`.
   */
  declare readonly body: ErrorBody | string | undefined;
  /** `body` holds only the first 8 KiB of a longer body; the message says so too. */
  declare readonly bodyTruncated: boolean;

  static {
    this.prototype.name = 'PinHttpError';
  }
}

/** HTTP 429: the rate limit was hit and the retry budget did not cover it. */
export class PinRateLimitError extends PinHttpError {
  /** Always 429. */
  declare readonly status: 429;

  static {
    this.prototype.name = 'PinRateLimitError';
  }
}

/** Input refused before anything was sent. Names the field and the rule, never the value. */
export class PinValidationError extends PinApiError {
  /** Nothing was sent, so there is no status. */
  declare readonly status: undefined;
  /** The offending field, dotted for nested ones (`mfa.token`). */
  declare readonly field: string;
  /** The JSON Schema keyword that failed: `maxLength`, `pattern`, `enum`, `required`, … */
  declare readonly rule: string;

  static {
    this.prototype.name = 'PinValidationError';
  }
}

/** Why a {@link PinTransportError} has no usable response. */
export type TransportFailure = 'network' | 'timeout' | 'abort' | 'response' | 'redirect';

/**
 * No usable response: the network failed (`network`), the call ran past `timeoutMs`
 * (`timeout`), the caller's signal fired (`abort`), a 2xx body was not the JSON the spec
 * gives or was over 64 KiB (`response`), or the server answered with a redirect, which the
 * client never follows (`redirect`). For `response` no cause is kept: a parser's error quotes the body. For
 * `network` and `timeout` the cause is a copy of the failure holding only its `name`, `code`, `errno` and
 * `syscall`, down its chain: a fetch's own error may quote the URL, headers or body it sent.
 */
export class PinTransportError extends PinApiError {
  /** No usable response, so no status. */
  declare readonly status: undefined;
  /** What kept the call from a usable response; see {@link TransportFailure}. */
  declare readonly code: TransportFailure;

  static {
    this.prototype.name = 'PinTransportError';
  }
}

/**
 * Whether a failure is one the client itself retries (429, 502, 503, 504, network errors), so
 * another layer that retries (TanStack Query, a job queue) can do the same and nothing more.
 * `false` for everything else, and for every failure of an `updatePin` without a PIN.
 */
export const isRetryable = (error: unknown): boolean => error instanceof PinApiError && !!error.retryable;

/** Every error the client throws, as a union whose `status` narrows it. */
export type PinError = PinHttpError | PinRateLimitError | PinValidationError | PinTransportError;

// Internal: the two ways the client's own modules build an error (not exported by the entry).

/** Throws the {@link PinValidationError} for `field` breaking `rule`, worded as every refusal is. */
export function refuse(operation: string, field: string, rule: string, limit?: unknown): never {
  throw new PinValidationError(operation, ruleMessage(field, rule, limit), { field, rule });
}

/**
 * What a log may keep of a failure's cause: its name and codes (`code`, `errno`, `syscall`), down its chain.
 * Never its message, stack or other fields: fetch implementations quote what they sent there (node-fetch the
 * URL, with the GET's MFA query; others the headers, with the key, or the body, with the PIN).
 */
export function scrubbed(cause: any, depth = 4): object | undefined {
  if (cause instanceof Object && depth) {
    const copy: Record<string, unknown> = {};
    // Primitives only (strings, numbers): an object's fields, or its toString, could quote anything.
    for (const key of ['name', 'code', 'errno', 'syscall']) if (/^[sn]/.test(typeof cause[key])) copy[key] = cause[key];
    if (cause.cause) copy.cause = scrubbed(cause.cause, depth - 1);
    return copy;
  }
}

/** A {@link PinTransportError} whose message starts with its code: `getPin: timeout: no answer within 10 ms`. */
export const transportError = (
  operation: string,
  code: TransportFailure,
  detail: string,
  cause?: unknown,
  retryable?: boolean,
): PinTransportError => new PinTransportError(operation, `${code}: ${detail}`, { code, retryable }, cause);
