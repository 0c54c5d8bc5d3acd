// A stateful, in-memory stand-in for the PIN API: a Fetch-standard `handle(request)` that MSW, a
// node:http server or a browser can put in front of tests. Requests are judged by the same generated
// table and validator as the client; answers use the spec's own example bodies. No Node-only imports.
import { exampleCard, responses } from '../../generated/pin-examples.js';
import { noStoreJson as json } from '../core/answer.js';
import { operationTable, type OperationId } from '../core/operations.js';
import { readPinRequest } from '../core/request.js';
import type { GetPinParams, GetPinResponse } from '../core/types.js';
import { ruleMessage, violation, type Rule } from '../core/validate.js';

/**
 * A card the sandbox knows: the ids a request must name to reach it (an `accountId` or `personId` other
 * than the card's gets 404), and its PIN, `null` or absent when none was ever set. Typed from the spec.
 */
export interface SandboxCard extends Pick<GetPinParams, 'cardId' | 'accountId' | 'personId'> {
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
  /** The requests answered since the last `reset()` (the latest {@link REQUEST_LOG_LIMIT}), faulted ones included, oldest first. */
  readonly requests: readonly SandboxLogEntry[];
}

const documented = responses as Record<OperationId, Record<string, { example: unknown; headers: readonly string[] }>>;
const pinRule: Rule = operationTable.updatePin.input.properties!.pin!;

/** The spec's example body for a documented status, with a message of our own when one is given. */
function errorResponse(
  operation: OperationId | undefined,
  status: number,
  message?: string,
  code?: string,
  retryAfter?: number,
) {
  const known = documented[operation ?? 'getPin'][status];
  const body = message === undefined ? known?.example : { message, ...(code && { code }) };
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  return json(status, body ?? { message: 'Error' }, headers);
}

/** The log keeps this many of the latest requests, so a long-lived sandbox (a dev server, Storybook) stays small. */
export const REQUEST_LOG_LIMIT = 1000;

/** A random PIN of the spec's length (its pattern is that many ASCII digits; a test checks the result against it). */
const randomPin = (digits = pinRule.maxLength!) =>
  String(Math.floor(Math.random() * 10 ** digits)).padStart(digits, '0');

/** An error that names its field, so that an adapter (the control API) answers without parsing the message. */
const fieldError = (Kind: TypeErrorConstructor | RangeErrorConstructor, message: string, field: string) =>
  Object.assign(new Kind(message), { field });

function checkPin(pin: string | null, where: string) {
  if (pin === null) return;
  const broken = violation(pin, pinRule);
  if (broken) throw fieldError(TypeError, `${where}: ${ruleMessage('pin', broken[1], broken[2])}`, 'pin');
}

/** A sandbox with the spec's example card (PIN 7268) and `options.cards`; see {@link PinSandbox}. */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: split next, in issue 15's short-functions step
export function createPinSandbox(options: PinSandboxOptions = {}): PinSandbox {
  const seeds: SandboxCard[] = [{ ...exampleCard }, ...(options.cards ?? [])];
  for (const card of seeds) {
    for (const key of ['cardId', 'accountId', 'personId'] as const) {
      if (typeof card[key] !== 'string' || !card[key])
        throw fieldError(TypeError, `createPinSandbox: cards[].${key} is required`, `cards[].${key}`);
    }
    checkPin(card.pin ?? null, 'createPinSandbox');
  }
  const keys = options.apiKeys && new Set(options.apiKeys);
  let cards = new Map<string, SandboxCard>();
  let faults: Array<SandboxFault & { times: number }> = [];
  const log: SandboxLogEntry[] = [];

  function reset() {
    cards = new Map(seeds.map((card) => [card.cardId, { ...card, pin: card.pin ?? null }]));
    faults = [];
    log.length = 0;
  }
  reset();

  function cardOf(cardId: string, where: string): SandboxCard {
    const card = cards.get(cardId);
    if (!card) throw fieldError(RangeError, `${where}: no card with that cardId in the sandbox`, 'cardId');
    return card;
  }

  /** Takes the first queued fault that applies to this operation, counting it down. */
  function takeFault(operation: OperationId): SandboxFault | undefined {
    const index = faults.findIndex((fault) => !fault.operation || fault.operation === operation);
    if (index < 0) return;
    const fault = faults[index]!;
    if (--fault.times <= 0) faults.splice(index, 1);
    return fault;
  }

  /** 401 without a header, 403 for anything but `ApiKey <key>` with a known key. */
  function authFailure(request: Request, operation: OperationId): Response | undefined {
    const header = request.headers.get('authorization');
    if (header === null) return errorResponse(operation, 401);
    const key = /^ApiKey +(\S+)$/i.exec(header.trim())?.[1];
    if (!key || (keys && !keys.has(key))) return errorResponse(operation, 403);
  }

  /** `Prefer: code=NNN`, as Prism reads it: answer with that documented response. */
  function preferred(request: Request, operation: OperationId): Response | undefined {
    const code = /(?:^|[;,\s])code=(\d{3})\b/.exec(request.headers.get('prefer') ?? '')?.[1];
    if (!code) return;
    if (!Object.hasOwn(documented[operation], code)) {
      return errorResponse(
        operation,
        400,
        `Prefer code=${code} is not a documented response of ${operation}`,
        'prefer',
      );
    }
    const retryAfter = documented[operation][code]!.headers.includes('Retry-After') ? 30 : undefined;
    if (code.startsWith('2')) return json(Number(code), documented[operation][code]!.example);
    return errorResponse(operation, Number(code), undefined, undefined, retryAfter);
  }

  function perform(operation: OperationId, input: Record<string, unknown>): Response {
    const card = cards.get(input.cardId as string);
    if (!card || card.accountId !== input.accountId || card.personId !== input.personId) {
      return errorResponse(operation, 404);
    }
    if (operation === 'getPin') return json(200, { pin: card.pin ?? null });
    card.pin = typeof input.pin === 'string' ? input.pin : randomPin();
    return json(200, { success: true, pin: card.pin });
  }

  async function answer(request: Request): Promise<{ response: Response; operation?: OperationId; faulted?: boolean }> {
    const read = await readPinRequest(request);
    const operation = read.operation;
    if (operation) {
      const fault = takeFault(operation);
      if (fault) {
        if ('network' in fault) return { response: Response.error(), operation, faulted: true };
        return {
          response: errorResponse(operation, fault.status, undefined, undefined, fault.retryAfter),
          operation,
          faulted: true,
        };
      }
      const unauthorised = authFailure(request, operation);
      if (unauthorised) return { response: unauthorised, operation };
    }
    if (!read.ok) return { response: errorResponse(operation, read.status, read.message, read.rule), operation };
    return { response: preferred(request, read.operation) ?? perform(read.operation, read.input), operation };
  }

  async function answerSafely(request: Request): ReturnType<typeof answer> {
    try {
      return await answer(request);
    } catch {
      // A body stream that fails mid-read, for instance: still an answer the spec describes.
      return { response: errorResponse(undefined, 500) };
    }
  }

  async function handle(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    const { response, operation, faulted = false } = await answerSafely(request);
    log.push({
      method: request.method,
      path: pathname,
      status: response.status,
      ...(operation && { operation }),
      faulted,
    });
    if (log.length > REQUEST_LOG_LIMIT) log.splice(0, log.length - REQUEST_LOG_LIMIT);
    return response;
  }

  return {
    handle,
    async fetch(input, init) {
      const response = await handle(new Request(input, init));
      if (response.type === 'error') throw new TypeError('fetch failed (a network error scripted with failNext)');
      return response;
    },
    reset,
    pinOf: (cardId) => cardOf(cardId, 'pinOf').pin ?? null,
    setPin(cardId, pin) {
      checkPin(pin, 'setPin');
      cardOf(cardId, 'setPin').pin = pin;
    },
    failNext(fault) {
      const times = fault.times ?? 1;
      if (!(Number.isInteger(times) && times > 0))
        throw fieldError(RangeError, 'failNext: times must be a positive integer', 'times');
      if (!('network' in fault)) {
        const ops = fault.operation ? [fault.operation] : (Object.keys(documented) as OperationId[]);
        const undocumented = ops.some(
          (op) => !Object.hasOwn(documented[op], String(fault.status)) || fault.status < 400,
        );
        if (undocumented)
          throw fieldError(
            RangeError,
            `failNext: status ${fault.status} is not a documented error of ${ops.join(' and ')}`,
            'status',
          );
        if (fault.retryAfter !== undefined && !(Number.isInteger(fault.retryAfter) && fault.retryAfter >= 0)) {
          throw fieldError(RangeError, 'failNext: retryAfter must be a whole number of seconds', 'retryAfter');
        }
      }
      faults.push({ ...fault, times });
    },
    get requests() {
      return log;
    },
  };
}
