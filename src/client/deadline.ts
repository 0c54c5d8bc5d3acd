// One deadline for a whole call: every wait of the call (the fetch, the body, a backoff) races it, so it
// holds even against a fetch, a body or an apiKey function that ignores the signal. A plain timer,
// cleared on the way out, costs less per call than AbortSignal.timeout/any and leaves no timer behind.

/** A started deadline; `end` must be called when the call is over. */
export interface Deadline {
  /** Aborted when the time is up or the caller's signal fires; passed to fetch. */
  readonly signal: AbortSignal;
  /** `promise`, or a rejection with the signal's reason as soon as the deadline passes. */
  within<T>(promise: Promise<T>): Promise<T>;
  /** A wait of `ms`, within the deadline. */
  sleep(ms: number): Promise<void>;
  /** Milliseconds left. */
  left(): number;
  /** Clears the timers and the listener on the caller's signal. */
  end(): void;
}

/** Starts the clock: `timeoutMs` from now, or earlier when `caller` aborts. */
export function startDeadline(timeoutMs: number, caller?: AbortSignal): Deadline {
  const endsAt = Date.now() + timeoutMs;
  const controller = new AbortController();
  const { signal } = controller;
  // One settle per wait, rejected by the same hand that aborts: no Promise.race (which subscribes to both
  // sides) and no listener on our own signal, both measurable per call (issue 16).
  let rejectWait: ((reason: unknown) => void) | undefined;
  const expire = () => {
    controller.abort();
    rejectWait?.(signal.reason);
  };
  const timer = setTimeout(expire, timeoutMs);
  let pause: ReturnType<typeof setTimeout> | undefined;
  caller?.addEventListener('abort', expire);
  // Listeners do not fire for a signal that was aborted before they were added.
  if (caller?.aborted) expire();
  const within = <T>(promise: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      rejectWait = reject;
      if (signal.aborted) reject(signal.reason);
      promise.then(resolve, reject);
    });
  return {
    signal,
    within,
    sleep: (ms) => within(new Promise((resolve) => (pause = setTimeout(resolve, ms)))),
    left: () => endsAt - Date.now(),
    end: () => {
      clearTimeout(timer);
      clearTimeout(pause);
      caller?.removeEventListener('abort', expire);
    },
  };
}
