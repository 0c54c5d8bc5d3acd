// The client's own cost, the part of `npm run bench` that issue 16 made enforceable: per-call ratios against
// openapi-fetch doing the same careful job, over a canned Response and over loopback HTTP, a CPU profile
// of the client's calls, and the entry's size with the bytes each part adds. `budgetFailures` names every
// budget a run exceeded; bench/run.mjs then exits non-zero.
import { spawn } from 'node:child_process';
import { contenders } from './calls.mjs';
import { perCall } from './percall.mjs';
import { profile } from './profile.mjs';
import { bundleSize, CLIENT_GZIP_BUDGET, entries, layers } from './size.mjs';

export const REFERENCE = 'b= openapi-fetch, careful';
export const SUBJECT = 'c this client';

/**
 * Issue 16's targets, and the budgets a run must keep: each ratio's budget sits 0.05 above its target. On
 * the shared 2-core runner, three runs of one build landed within ±0.02 of each other (stubbed) and ±0.03
 * (loopback, where a second process serves), so 0.05 is about twice the noise: a run over it is a
 * regression, not bad luck. The size budget is the one `npm test` enforces (bench/size.mjs), since the
 * 5,000 B target is out of reach without dropping a guarantee (see the README's Benchmarks section).
 */
export const BUDGETS = [
  { name: 'stubbed getPin, this client / careful openapi-fetch', at: ['stubbed', 'getPin'], target: 1.1, budget: 1.15 },
  {
    name: 'loopback getPin, this client / careful openapi-fetch',
    at: ['loopback', 'getPin'],
    target: 1.05,
    budget: 1.1,
  },
  {
    name: 'loopback updatePin, this client / careful openapi-fetch',
    at: ['loopback', 'updatePin'],
    target: 1.05,
    budget: 1.1,
  },
  {
    name: 'client entry, B gzip (esbuild, minified, openapi-fetch included)',
    target: 5000,
    budget: CLIENT_GZIP_BUDGET,
  },
];

const canned = async (request) =>
  new Response(request.method === 'PUT' ? '{"success":true}' : '{"pin":"7268"}', {
    headers: { 'content-type': 'application/json' },
  });

async function startLoopbackServer() {
  const child = spawn(process.execPath, [new URL('./server.mjs', import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve) =>
    child.stdout.on('data', (chunk) => resolve(/listening on (\S+)/.exec(String(chunk))[1])),
  );
  return { url, stop: () => child.kill() };
}

/** Both operations over `fetch`, each contender interleaved with the others. */
async function perOperation(baseUrl, fetch, batch) {
  const calls = contenders(baseUrl, fetch);
  const out = {};
  for (const op of ['getPin', 'updatePin'])
    out[op] = await perCall(calls[op], { ...batch, reference: REFERENCE, subject: SUBJECT });
  return out;
}

/** The entry's size, and what each part adds (gzip, cumulative over the layers of bench/size.mjs). */
async function sizes() {
  const size = await bundleSize(entries.client, process.cwd());
  const breakdown = {};
  let previous = 0;
  for (const [name, source] of layers) {
    const { gzip } = await bundleSize(source, process.cwd());
    breakdown[name] = { gzip, added: gzip - previous };
    previous = gzip;
  }
  return { size, breakdown };
}

export async function measureClient() {
  // A canned Response: the client's own overhead, nothing else. 50-call batches, 600 rounds.
  const stubbed = await perOperation('https://api.equalsmoney.com', canned, { rounds: 600, calls: 50 });
  // A real loopback HTTP server, keep-alive: what a caller feels.
  const server = await startLoopbackServer();
  let loopback;
  try {
    loopback = await perOperation(server.url, (request) => fetch(request), { rounds: 150, calls: 20 });
  } finally {
    server.stop();
  }
  // Where this client's time goes, so that a missed budget names its cause.
  const { getPin } = contenders('https://api.equalsmoney.com', canned);
  const cpu = await profile(async () => {
    for (let i = 0; i < 20_000; i++) await getPin[SUBJECT]();
  });
  return { stubbed, loopback, profile: cpu, ...(await sizes()) };
}

/** Each budget with this run's value; `ok` is false for one the run exceeded. */
export function budgetReport(results) {
  return BUDGETS.map(({ name, at, target, budget }) => {
    const value = at ? results[at[0]][at[1]].ratioTo[SUBJECT] : results.size.gzip;
    return { name, value, target, budget, 'meets target': value <= target, ok: value <= budget };
  });
}
