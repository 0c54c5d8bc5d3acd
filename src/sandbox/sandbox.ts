// A stateful, in-memory stand-in for the PIN API: a Fetch-standard `handle(request)` that MSW, a
// node:http server or a browser can put in front of tests. Requests are judged by the same generated
// table and validator as the client; answers use the spec's own example bodies. No Node-only imports.
//
// A request meets, in order: the route and the spec's rules (core/request.ts), a scripted fault
// (faults.ts), the key check, a refusal of the request's input, `Prefer: code=NNN` (prefer.ts), and
// last the card store (cards.ts).
import type { OperationId } from '../core/operations.js';
import { readPinRequest } from '../core/request.js';
import { cardsFrom, checkPin, runOperation, seedCards } from './cards.js';
import { documentedAnswer, fieldError } from './documented.js';
import { createFaultQueue } from './faults.js';
import { preferredAnswer } from './prefer.js';
import type { PinSandbox, PinSandboxOptions, SandboxCard, SandboxLogEntry } from './types.js';

/** The log keeps this many of the latest requests, so a long-lived sandbox (a dev server, Storybook) stays small. */
export const REQUEST_LOG_LIMIT = 1000;

/** What the sandbox said to one request, with what the log needs to know about it. */
interface Outcome {
  response: Response;
  operation?: OperationId;
  faulted?: boolean;
}

/** 401 without a header, 403 for anything but `ApiKey <key>` with a known key (any key without `apiKeys`). */
function keyRefusal(request: Request, operation: OperationId, keys?: Set<string>): Response | undefined {
  const header = request.headers.get('authorization');
  if (header === null) return documentedAnswer(operation, 401);
  const key = /^ApiKey +(\S+)$/i.exec(header.trim())?.[1];
  if (!key || (keys && !keys.has(key))) return documentedAnswer(operation, 403);
}

/**
 * A sandbox with the spec's example card (PIN 7268) and `options.cards`.
 *
 * @example
 * ```ts
 * import { createPinSandbox } from 'equals-card-pin/sandbox';
 * import { createPinClient } from 'equals-card-pin';
 *
 * const card = { cardId: 'card-1', accountId: 'F12345', personId: 'person-1' };
 * const sandbox = createPinSandbox({ cards: [{ ...card, pin: '1234' }] });
 * const pins = createPinClient({ apiKey: 'test-key', baseUrl: 'https://api-sandbox.equalsmoney.com', fetch: sandbox.fetch });
 *
 * sandbox.failNext({ status: 503, retryAfter: 0 }); // the client retries it
 * const { pin } = await pins.getPin({ ...card, cardholderVerificationMethod: 'LOGIN' }); // '1234'
 * sandbox.requests.map((entry) => entry.status); // [503, 200]
 * ```
 */
export function createPinSandbox(options: PinSandboxOptions = {}): PinSandbox {
  const seeds = seedCards(options.cards);
  const keys = options.apiKeys && new Set(options.apiKeys);
  const faults = createFaultQueue();
  const log: SandboxLogEntry[] = [];
  let cards = cardsFrom(seeds);

  function cardOf(cardId: string, where: string): SandboxCard {
    const card = cards.get(cardId);
    if (!card) throw fieldError(RangeError, `${where}: no card with that cardId in the sandbox`, 'cardId');
    return card;
  }

  /** Takes one request through the checks in the order the header comment gives. */
  async function respondTo(request: Request): Promise<Outcome> {
    const read = await readPinRequest(request);
    const { operation } = read;
    if (operation) {
      const fault = faults.take(operation);
      if (fault && 'network' in fault) return { response: Response.error(), operation, faulted: true };
      if (fault)
        return {
          response: documentedAnswer(operation, fault.status, { retryAfter: fault.retryAfter }),
          operation,
          faulted: true,
        };
      const refusal = keyRefusal(request, operation, keys);
      if (refusal) return { response: refusal, operation };
    }
    if (!read.ok) {
      return {
        response: documentedAnswer(operation, read.status, { message: read.message, code: read.rule }),
        operation,
      };
    }
    return {
      response: preferredAnswer(request, read.operation) ?? runOperation(cards, read.operation, read.input),
      operation,
    };
  }

  async function handle(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    let outcome: Outcome;
    try {
      outcome = await respondTo(request);
    } catch {
      // A body stream that fails mid-read, for instance: still an answer the spec describes.
      outcome = { response: documentedAnswer(undefined, 500) };
    }
    const { response, operation, faulted = false } = outcome;
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
    reset() {
      cards = cardsFrom(seeds);
      faults.clear();
      log.length = 0;
    },
    pinOf: (cardId) => cardOf(cardId, 'pinOf').pin ?? null,
    setPin(cardId, pin) {
      checkPin(pin, 'setPin');
      cardOf(cardId, 'setPin').pin = pin;
    },
    failNext: (fault) => faults.add(fault),
    get requests() {
      return log;
    },
  };
}

export type { PinSandbox, PinSandboxOptions, SandboxCard, SandboxFault, SandboxLogEntry } from './types.js';
