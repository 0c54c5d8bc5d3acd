// The forwarder's options and the shapes its hooks see. Types only: nothing here runs.
import type { PinClientOptions } from '../client/client.js';
import type { PinTracer } from '../client/trace.js';
import type { OperationId } from '../core/operations.js';
import type { CardholderVerificationMethod, GetPinParams, Mfa } from '../core/types.js';

/** What the forwarder's hooks learn about a request: the operation and the ids it names, never the PIN. */
export interface ForwardParams extends Pick<GetPinParams, 'cardId' | 'accountId' | 'personId'> {
  /** `getPin` or `updatePin`. */
  operation: OperationId;
}

/**
 * The team's own check, for example that the session cookie belongs to the card's owner. `true` lets the
 * request through; any other result refuses it with 403, and a `Response` is sent as the refusal instead.
 * The request's body has already been read; its headers, cookies and URL are all there.
 */
export type Authorize = (request: Request, params: ForwardParams) => boolean | Response | Promise<boolean | Response>;

/**
 * How the team's backend itself established who the cardholder is, for this request. The forwarder sends
 * `method` upstream as `cardholderVerificationMethod` on both operations: the provider hears the backend's
 * word, never the page's. `sessionId` and `token`, when given, replace the MFA fields the browser sent
 * (the GET's query, the PUT's `mfa`); give both, or neither to pass the browser's on.
 */
export interface VerificationClaim {
  /** One of the spec's methods; anything else is this server's setup fault (500, nothing forwarded). */
  method: CardholderVerificationMethod;
  /** The provider's MFA session, when the backend ran the second factor itself. */
  sessionId?: Mfa['sessionId'];
  /** The MFA one-time code that goes with `sessionId`. */
  token?: Mfa['token'];
}

/**
 * Says how the cardholder was verified, from the backend's own session (a step-up it recorded, the login
 * method). Called after `authorize` lets the request through; throwing answers 500.
 */
export type Verification = (request: Request, params: ForwardParams) => VerificationClaim | Promise<VerificationClaim>;

/**
 * The part of rate-limiter-flexible's interface the forwarder uses, so that a `RateLimiterMemory`,
 * `RateLimiterRedis` or any other of its limiters is passed as it is. `consume` resolves while the key is
 * under its limit; it rejects with an object holding `msBeforeNext` (a `RateLimiterRes`) when the key is
 * over it, and with an `Error` when the store fails.
 */
export interface PinRateLimiter {
  /** Counts `points` (the forwarder uses 1) against `key`. */
  consume(key: string, points?: number): Promise<unknown>;
  /**
   * Takes `points` back from `key`. When it is there, the forwarder calls it after a `consume` that failed
   * (its 503): a store that failed late, or a frozen Redis that runs the count once it runs again, must
   * not use up a reveal the page never got. rate-limiter-flexible's limiters have it.
   */
  reward?(key: string, points?: number): Promise<unknown>;
}

/** Adds the team's subject (a user id, say) to the limiter's key, after the operation and the card. */
export type LimitKey = (request: Request, params: ForwardParams) => string | Promise<string>;

/**
 * How a request ended, for the audit trail: `success` (the provider answered 200 and the answer went out),
 * `refused` (a check of the forwarder or `authorize` said no; nothing went upstream), `upstream_error`
 * (the provider was called and answered an error, or nothing in time) or `error` (a fault on this server:
 * a hook that threw or a limiter store that failed; nothing went upstream).
 */
export type PinAuditOutcome = 'success' | 'refused' | 'upstream_error' | 'error';

/**
 * One record per request the forwarder answers, refusals included. It never holds a PIN, the API key, a
 * cookie or an MFA value: ids, the method, the outcome and timings only.
 */
export interface PinAuditEvent {
  /** When the request arrived, as an ISO 8601 UTC timestamp. */
  readonly time: string;
  /** The operation, once the route named one. */
  readonly operation?: OperationId;
  /** The card, once the request passed validation (an id the spec accepts, never a raw value). */
  readonly cardId?: string;
  /** The account, once the request passed validation. */
  readonly accountId?: string;
  /** The person, once the request passed validation. */
  readonly personId?: string;
  /** The method the backend vouched for, once `verification` answered. */
  readonly cardholderVerificationMethod?: CardholderVerificationMethod;
  /** How the request ended. */
  readonly outcome: PinAuditOutcome;
  /** The status of the answer the browser was to get. */
  readonly status: number;
  /** The `code` of that answer, or of the refusal, when there is one. */
  readonly code?: string;
  /** Whether a call went to the provider. A PUT that went may have changed the PIN. */
  readonly forwarded: boolean;
  /** The provider's `x-request-id`, when it sent one, for support requests. */
  readonly requestId?: string;
  /** Milliseconds from arrival to the answer, this event's own delivery excluded. */
  readonly durationMs: number;
}

/** Receives each audit event; awaited. `request` is there to add the team's own subject, never to log whole. */
export type OnAudit = (event: PinAuditEvent, request: Request) => void | Promise<void>;

/** Options of `createPinForwarder`. `baseUrl`, `timeoutMs`, `retry` and `fetch` are the client's. */
export interface PinForwarderOptions extends Pick<PinClientOptions, 'baseUrl' | 'timeoutMs' | 'retry' | 'fetch'> {
  /** The API key, or a function that returns it. It stays on the server: no answer ever carries it. */
  apiKey: string | (() => string | Promise<string>);
  /** Required: there is no default that lets everyone in. */
  authorize: Authorize;
  /** Required: the backend's own statement of how the cardholder was verified. */
  verification: Verification;
  /**
   * Counts the requests `authorize` let through, per operation and card (every spelling of a UUID is one
   * card): 429 over the limit.
   */
  limiter?: PinRateLimiter;
  /** Adds the team's subject to the limiter's key. */
  limitKey?: LimitKey;
  /** Gets one event per request, awaited; if it fails for a success, the answer becomes a 500 without the PIN. */
  onAudit?: OnAudit;
  /**
   * Told about every failure the answer does not spell out: a throwing hook (answered 500), a failed
   * audit, a limiter store that failed, and every upstream failure (the client's error, whose messages
   * and cause chain hold no PIN, no key and no MFA value). For logs. What it returns is ignored; a throw, or
   * the rejection of an async `onError`, is caught: a log sink that is down changes no answer and never
   * becomes an unhandled rejection.
   */
  onError?: (error: unknown) => unknown;
  /**
   * An OpenTelemetry `Tracer`: each request gets one root span (a browser's `traceparent` is not trusted; the
   * span that was active, an HTTP server instrumentation's, is linked), with the answer's status, the outcome
   * and the refusal code in its attributes. The upstream call runs inside it, traced as the client traces, and
   * the trace context goes upstream through the globally registered propagator. Loads `@opentelemetry/api`.
   */
  tracer?: PinTracer;
}

/** The forwarder itself: a Fetch handler. */
export type PinForwarder = (request: Request) => Promise<Response>;
