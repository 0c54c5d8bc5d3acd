/** When and how long the client waits before it sends a failed call again (`retry` in {@link PinClientOptions}). */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  retries: number;
  /** First backoff step; doubles on each retry, with jitter. Default 250 ms. */
  baseDelayMs: number;
  /** Largest backoff step. Default 4 s. */
  maxDelayMs: number;
  /** Longest `Retry-After` the client will wait for; a longer one ends the call. Default 20 s. */
  maxRetryAfterMs: number;
}

/** The policy used for every field `retry` leaves out. */
export const defaultRetry: RetryOptions = { retries: 2, baseDelayMs: 250, maxDelayMs: 4000, maxRetryAfterMs: 20_000 };

/** `Retry-After` in milliseconds: delay-seconds or an HTTP-date; `undefined` when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with equal jitter: half the step is fixed, half random. */
export function backoff(attempt: number, { baseDelayMs, maxDelayMs }: RetryOptions): number {
  const step = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return step / 2 + Math.random() * (step / 2);
}
