// The team's hooks (authorize, verification, limitKey, the limiter, onAudit) may reach a database or a
// shared store. None of them holds a request forever: past the forwarder's timeoutMs, a hook counts as
// failed, and the forwarder answers as it does when the hook throws.

/** `work()`'s result, or a rejection naming `hook` once `ms` have passed without one. */
export function withinDeadline<T>(hook: string, ms: number, work: () => T | Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`createPinForwarder: ${hook} gave no answer within ${ms} ms`)), ms);
  });
  // `then` turns a synchronous throw into a rejection too.
  const settled = Promise.resolve().then(work);
  // Once late, the hook's own rejection has no one waiting for it: it must not become an unhandled one.
  settled.catch(() => {});
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}
