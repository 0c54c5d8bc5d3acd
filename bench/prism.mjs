// The sandbox served over HTTP: the Prism-fronted server (`startPinMock()`: Prism validating in front of
// the sandbox on node:http) and plain `prism mock` (`startPinMock({ stateless: true })`), as a test in
// another process meets them. Start-up is from the call to the first answer back; per request is one
// getPin from the real client over loopback, timed by bench/sandbox.mjs's `perRequest`, so the rows compare.
import { at, KEY, perRequest, reveal } from './sandbox.mjs';

const STARTS = 3;
// Fewer than in-process: each one is a round trip through Prism.
const SAMPLES = { requests: 1000, warmup: 100 };

/** Median start-up over a few starts (the last one stays up and is timed per request). */
async function measure(name, options) {
  const [{ startPinMock }, { createPinClient }] = await Promise.all([
    import('../dist/mock/start.mjs'),
    import('../dist/src/index.mjs'),
  ]);
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
        return { name, startupMs: Math.round(at(startups, 0.5)), perRequestMs: await perRequest(client, SAMPLES) };
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
