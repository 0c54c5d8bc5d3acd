// The sandbox served over HTTP: the Prism-fronted server (`startPinMock()`: Prism validating in front of
// the sandbox on node:http) and plain `prism mock` (`startPinMock({ stateless: true })`), as a test in
// another process meets them. Start-up is from the call to the first answer back; per request is one
// getPin from the real client over loopback. Rows have the shape of bench/sandbox.mjs's, to sit beside them.

const STARTS = 3;
const REQUESTS = 1000;
const WARMUP = 100;
const KEY = 'bench-key';
const reveal = { cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd', accountId: 'F12345', personId: '775596ae-2624-40af-a9dc-9756110a4a04', cardholderVerificationMethod: 'BIOMETRIC_FACE' };
const round3 = (x) => Math.round(x * 1000) / 1000;
const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

async function perRequest(client) {
  const times = [];
  for (let i = -WARMUP; i < REQUESTS; i++) {
    const t = performance.now();
    await client.getPin(reveal);
    if (i >= 0) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: round3(at(times, 0.5)), p99: round3(at(times, 0.99)) };
}

/** Median start-up over a few starts (the last one stays up and is timed per request). */
async function measure(name, options) {
  const [{ startPinMock }, { createPinClient }] = await Promise.all([import('../dist/mock/start.js'), import('../dist/src/index.js')]);
  const startups = [];
  for (let i = 0; i < STARTS; i++) {
    const started = performance.now();
    const mock = await startPinMock(options);
    const client = createPinClient({ apiKey: KEY, baseUrl: mock.url, retry: false });
    try {
      await client.getPin(reveal);
      startups.push(performance.now() - started);
      if (i === STARTS - 1) {
        startups.sort((a, b) => a - b);
        return { name, startupMs: Math.round(at(startups, 0.5)), perRequestMs: await perRequest(client) };
      }
    } finally {
      await mock.stop();
    }
  }
}

/** @returns {Promise<Array<{ name: string, startupMs: number, perRequestMs: { median: number, p99: number } }>>} */
export async function measureServers() {
  return [
    await measure('Prism-fronted server (startPinMock)', { apiKeys: [KEY] }),
    await measure('prism mock, stateless (startPinMock({ stateless: true }))', { stateless: true }),
  ];
}
