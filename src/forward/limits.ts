// Reveals counted on the team's limiter (rate-limiter-flexible's `consume`), per operation and card, so a
// stolen session cannot read a card's PIN as often as it likes. Only requests `authorize` let through are
// counted: a stranger cannot use up a cardholder's reveals. The limiter is duck-typed: this module imports
// nothing of rate-limiter-flexible or of any store, and the entry stays free of dependencies.
import { exampleBody, jsonAnswer, type Handled } from './handled.js';
import type { ForwardParams, LimitKey, PinRateLimiter } from './options.js';
import { withinDeadline } from './deadline.js';

/**
 * The card as the limiter counts it. Card ids are UUIDs, which the provider and id stores (a `uuid` column)
 * read whatever their spelling: any case, hyphens anywhere or none, braces around. Every spelling of one
 * UUID is one bucket (its canonical lower-case 8-4-4-4-12 form), or a stolen session could alternate
 * between them. Folding too much only makes the limit stricter. Any other id is counted in lower case.
 */
function cardKeyOf(cardId: string): string {
  const lower = cardId.toLowerCase();
  const digits = lower.replace(/^\{(.*)\}$/, '$1').replaceAll('-', '');
  if (!/^[0-9a-f]{32}$/.test(digits)) return lower;
  return digits.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}

/** The key a request is counted under: the operation and the card, then the team's subject if given. */
export async function limitKeyOf(
  request: Request,
  params: ForwardParams,
  limitKey: LimitKey | undefined,
  deadlineMs: number,
): Promise<string> {
  const key = `${params.operation}:${encodeURIComponent(cardKeyOf(params.cardId))}`;
  if (!limitKey) return key;
  const subject = await withinDeadline('limitKey', deadlineMs, () => limitKey(request, params));
  if (typeof subject !== 'string' || !subject)
    throw new TypeError('createPinForwarder: limitKey must return a non-empty string');
  return `${key}:${encodeURIComponent(subject)}`;
}

/** A rejection that is the limiter's "over the limit" answer (a RateLimiterRes), not a store failure. */
function overLimitDelay(rejection: unknown): number | undefined {
  if (rejection instanceof Error || typeof rejection !== 'object' || rejection === null) return;
  // A getter of RateLimiterRes's prototype: read as the limiter defines it, not as an own field.
  const ms = (rejection as { msBeforeNext?: unknown }).msBeforeNext;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * Counts one point for `key`. Undefined while under the limit; a 429 with Retry-After over it; a 503 when
 * the store fails or gives no answer in time (fails closed: no reveal). A failed count may still land in
 * the store (a frozen Redis runs it once it runs again), so the point is given back, when the limiter can.
 */
export async function consumeLimit(
  limiter: PinRateLimiter,
  key: string,
  params: ForwardParams,
  deadlineMs: number,
  report: (error: unknown) => void,
): Promise<Handled | undefined> {
  try {
    await withinDeadline('limiter.consume', deadlineMs, () => limiter.consume(key, 1));
    return;
  } catch (rejection) {
    const ms = overLimitDelay(rejection);
    if (ms !== undefined) {
      const headers = { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) };
      return jsonAnswer(429, exampleBody(params.operation, 429, 'rate_limit'), 'refused', { headers });
    }
    report(rejection);
    giveBack(limiter, key, report);
    return jsonAnswer(503, exampleBody(params.operation, 503, 'limiter'), 'error');
  }
}

/**
 * `reward` for the point a failed `consume` may still count. Not awaited: the store is failing, and the
 * 503 must not wait for it. On one connection, the store runs the count and its return in that order.
 */
function giveBack(limiter: PinRateLimiter, key: string, report: (error: unknown) => void): void {
  if (typeof limiter.reward !== 'function') return;
  Promise.resolve()
    .then(() => limiter.reward!(key, 1))
    .catch(report);
}
