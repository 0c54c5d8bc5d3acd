// The in-process sandbox through MSW, as a Vitest file uses it: start-up (msw/node and equals-card-pin/msw
// loaded, a sandbox and handlers made, setupServer listening, the first answer back) and the cost of one
// getPin from the real client, msw's interception and the sandbox's checks included. Each way of serving the
// sandbox gives one row of the same shape, so `npm run bench` lays them side by side.

const REQUESTS = 3000;
const WARMUP = 300;
const ids = { cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd', accountId: 'F12345', personId: '775596ae-2624-40af-a9dc-9756110a4a04' };
const reveal = { ...ids, cardholderVerificationMethod: 'BIOMETRIC_FACE' };
const round3 = (x) => Math.round(x * 1000) / 1000;
const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

/** @returns {Promise<{ name: string, startupMs: number, perRequestMs: { median: number, p99: number } }>} */
export async function measureMsw() {
  const started = performance.now();
  const [{ setupServer }, { createPinHandlers }, { createPinSandbox }, { createPinClient }] = await Promise.all([
    import('msw/node'),
    import('../dist/src/msw.js'),
    import('../dist/src/sandbox.js'),
    import('../dist/src/index.js'),
  ]);
  const server = setupServer(...createPinHandlers({ sandbox: createPinSandbox({ apiKeys: ['bench-key'] }) }));
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const client = createPinClient({ apiKey: 'bench-key', retry: false });
    await client.getPin(reveal);
    const startupMs = performance.now() - started;

    const times = [];
    // getPin, the call other rows time too; an updatePin costs a little more (its body is read and checked).
    for (let i = -WARMUP; i < REQUESTS; i++) {
      const t = performance.now();
      await client.getPin(reveal);
      if (i >= 0) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { name: 'in-process sandbox via msw setupServer', startupMs: Math.round(startupMs), perRequestMs: { median: round3(at(times, 0.5)), p99: round3(at(times, 0.99)) } };
  } finally {
    // setupServer patches the global fetch; later measurements need the real one back.
    server.close();
  }
}
