// The sandbox's public shapes: its options, cards, scripted faults, log entries and the sandbox itself.
import type { OperationId } from '../core/operations.js';
import type { GetPinParams, GetPinResponse } from '../core/types.js';

/**
 * A card the sandbox knows: the ids a request must name to reach it (an `accountId` or `personId` other
 * than the card's gets 404), and its PIN, `null` or absent when none was ever set. Typed from the spec.
 */
export interface SandboxCard extends Pick<GetPinParams, 'cardId' | 'accountId' | 'personId'> {
  /** Four digits, or `null` (or left out) for a card whose PIN was never set. */
  pin?: GetPinResponse['pin'];
}

/** What a sandbox starts with. */
export interface PinSandboxOptions {
  /** Cards besides the spec's example card (which is always there, with PIN 7268). */
  cards?: SandboxCard[];
  /** Keys accepted in `Authorization: ApiKey <key>`. Without this option any key is accepted. */
  apiKeys?: string[];
}

/** A scripted answer for the next request(s), in place of what the sandbox would say. */
export type SandboxFault =
  | {
      /** A status documented for the operation (400, 401, 403, 404, 415, 429, 500, 502, 503, 504). */
      status: number;
      /** Seconds, sent as `Retry-After` (on 429 and 503). */
      retryAfter?: number;
      /** How many requests in a row get it. Default 1. */
      times?: number;
      /** Only requests to this operation get it; by default any operation. */
      operation?: OperationId;
    }
  | { network: true; times?: number; operation?: OperationId };

/** One line of the request log. It holds no PIN, no key and no query string. */
export interface SandboxLogEntry {
  /** The HTTP method, as sent. */
  method: string;
  /** The URL's path, without the query string (which may hold MFA codes). */
  path: string;
  /** The status answered; 0 for a scripted network error. */
  status: number;
  /** The operation the request named, when it named one. */
  operation?: OperationId;
  /** The answer came from `failNext`. */
  faulted: boolean;
}

/** A stateful stand-in for the PIN API: a Fetch handler and the controls a test needs around it. */
export interface PinSandbox {
  /** Answers one request as the API would. Never throws; a scripted network error is `Response.error()`. */
  handle(request: Request): Promise<Response>;
  /**
   * `handle` with `fetch`'s contract, to give a client as its `fetch`: a scripted network error rejects with
   * a `TypeError`, as `fetch` does, instead of resolving with `Response.error()`.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Back to the cards and PINs it started with; scripted faults and the log are cleared. */
  reset(): void;
  /** The card's current PIN (`null` when it has none); throws for an unknown card. */
  pinOf(cardId: string): string | null;
  /** Sets a card's PIN directly, checked against the spec's PIN rule; `null` clears it. */
  setPin(cardId: string, pin: string | null): void;
  /** Queues a scripted answer (a documented error status, or a network error) for the next request(s). */
  failNext(fault: SandboxFault): void;
  /** The requests answered since the last `reset()` (the latest `REQUEST_LOG_LIMIT`), faulted ones included, oldest first. */
  readonly requests: readonly SandboxLogEntry[];
}
