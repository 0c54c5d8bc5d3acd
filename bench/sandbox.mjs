// The in-process sandbox, as a Vitest file uses it: through msw's setupServer, start-up (msw/node and
// equals-card-pin/msw loaded, a sandbox and handlers made, setupServer listening, the first answer back)
// and the cost of one getPin from the real client, msw's interception and the sandbox's checks included.
// A second row hands the sandbox to the client as its `fetch`, no msw, to show msw's share. Each way of
// serving the sandbox gives one row of the same shape, so `npm run bench` lays them side by side.

import { exampleCard } from '../dist/generated/pin-examples.mjs';

const REQUESTS = 3000;
const WARMUP = 300;
/** The one key every bench sandbox accepts. */
export const KEY = 'bench-key';
const { cardId, accountId, personId } = exampleCard;
/** The spec's example card, revealed: the call every row times. */
export const reveal = { cardId, accountId, personId, cardholderVerificationMethod: 'BIOMETRIC_FACE' };
const round3 = (x) => Math.round(x * 1000) / 1000;
/** The `q` quantile of sorted numbers. */
export const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

/**
 * Median and p99 ms of one getPin of the spec's example card, after a warm-up. Every row times this
 * same call (bench/prism.mjs imports it), so rows compare.
 */
export async function perRequest(client, { requests = REQUESTS, warmup = WARMUP } = {}) {
  const times = [];
  for (let i = -warmup; i < requests; i++) {
    const t = performance.now();
    await client.getPin(reveal);
    if (i >= 0) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: round3(at(times, 0.5)), p99: round3(at(times, 0.99)) };
}

/** @returns {Promise<{ name: string, startupMs: number, perRequestMs: { median: number, p99: number } }>} */
export async function measureMsw() {
  const started = performance.now();
  const [{ setupServer }, { createPinHandlers }, { createPinSandbox }, { createPinClient }] = await Promise.all([
    import('msw/node'),
    import('../dist/src/msw.mjs'),
    import('../dist/src/sandbox.mjs'),
    import('../dist/src/index.mjs'),
  ]);
  const server = setupServer(...createPinHandlers({ sandbox: createPinSandbox({ apiKeys: [KEY] }) }));
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const client = createPinClient({ apiKey: KEY, retry: false });
    await client.getPin(reveal);
    const startupMs = Math.round(performance.now() - started);
    return { name: 'in-process sandbox via msw setupServer', startupMs, perRequestMs: await perRequest(client) };
  } finally {
    // setupServer patches the global fetch; later measurements need the real one back.
    server.close();
  }
}

/** The same sandbox with no msw: the client's `fetch` is `sandbox.handle`. */
export async function measureDirect() {
  const started = performance.now();
  const [{ createPinSandbox }, { createPinClient }] = await Promise.all([
    import('../dist/src/sandbox.mjs'),
    import('../dist/src/index.mjs'),
  ]);
  const sandbox = createPinSandbox({ apiKeys: [KEY] });
  const client = createPinClient({ apiKey: KEY, retry: false, fetch: (request) => sandbox.handle(request) });
  await client.getPin(reveal);
  const startupMs = Math.round(performance.now() - started);
  return { name: 'in-process sandbox as the client fetch (no msw)', startupMs, perRequestMs: await perRequest(client) };
}
