// What an element reads from its attributes when it acts (not when it is created, so a framework can set
// them after mount): the backend's URL, the card's ids, and a client in browser mode aimed at that backend.
import { createPinClient, type BackendVerifiedGetPinParams, type PinClient } from '../client/client.js';
import { PinValidationError } from '../client/errors.js';
import { ID_FIELDS } from '../core/operations.js';

/** A card's ids, as the spec names them. */
export type CardIds = Record<(typeof ID_FIELDS)[number], string>;

/** Everything an element needs to call its backend, or why it cannot. */
export type Setup = { ok: true; client: PinClient<BackendVerifiedGetPinParams>; ids: CardIds } | SetupFault;

/** A setup fault in words that name the attribute, never a value. */
export interface SetupFault {
  ok: false;
  message: string;
}

/** `cardId` → `card-id`: the attribute that holds a field of the spec. */
export const attributeOf = (field: string): string => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const fault = (message: string): SetupFault => ({ ok: false, message });

/**
 * Reads `base-url` and the ids. The base URL resolves against the page and must be of the page's own
 * origin: the backend's forwarder serves same-origin pages only, and the session cookie goes nowhere else.
 */
export function readSetup(element: Element): Setup {
  const base = element.getAttribute('base-url');
  if (!base) return fault('the base-url attribute is missing');
  let url: URL;
  try {
    url = new URL(base, location.href);
  } catch {
    return fault('base-url is not a URL');
  }
  if (url.origin !== location.origin) return fault('base-url must be on this page’s own origin');
  const ids = {} as CardIds;
  for (const field of ID_FIELDS) {
    const value = element.getAttribute(attributeOf(field));
    if (!value) return fault(`the ${attributeOf(field)} attribute is missing`);
    ids[field] = value;
  }
  try {
    // No key, and the method left to the backend. A Retry-After is shown as a countdown, never waited out.
    const client = createPinClient({ baseUrl: url.href, verification: 'backend', retry: { maxRetryAfterMs: 0 } });
    return { ok: true, client, ids };
  } catch (error) {
    return fault(setupWords(error));
  }
}

/** A refusal of the client's (the spec's rules, checked before anything is sent) in the attributes' names. */
export function setupWords(error: unknown): string {
  if (!(error instanceof PinValidationError)) return 'the client could not be created';
  return `${attributeOf(error.field)} fails the rule ${error.rule}`;
}
