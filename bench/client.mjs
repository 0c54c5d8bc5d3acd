// The client's own cost, the part of `npm run bench` that issue 16 made enforceable: per-call ratios against
// openapi-fetch doing the same careful job, over a canned Response and over loopback HTTP, a CPU profile
// of the client's calls, and the entry's size with the bytes each part adds. `budgetFailures` names every
// budget a run exceeded; bench/run.mjs then exits non-zero.
import { spawn } from 'node:child_process';
import { responses } from '../dist/generated/pin-examples.mjs';
import { contenders } from './calls.mjs';
import { perCall } from './percall.mjs';
import { profile } from './profile.mjs';
import { bundleSize, CLIENT_GZIP_BUDGET, entries, layers } from './size.mjs';

export const REFERENCE = 'b= openapi-fetch, careful';
export const SUBJECT = 'c this client';

/**
 * Issue 16's targets, and the budgets a run must keep. Loopback ratios: budget 0.05 above the 1.05 target.
 * Runs of one build landed 1.02-1.05 (getPin) and 0.99-1.03 (updatePin) on the shared 2-core
 * runner, so 0.05 is about twice the run-to-run noise: a run over it is a regression, not bad luck.
 * Stubbed getPin: the 1.10 target is not met with every contender in the process (runs of one build:
 * 1.11-1.17; 1.08-1.09 with only careful openapi-fetch beside it), and validating input and response
 * alone costs about 0.07 of it (a scratch build without validation measured 1.06). The budget, 1.20, is
 * the worst run plus the same 0.03 of noise: it catches a regression without failing on a loaded runner.
 * The size budget is the one `npm test` enforces (bench/size.mjs), since the 5,000 B target is out of reach
 * without dropping a guarantee.
 */
export const BUDGETS = [
  { name: 'stubbed getPin, this client / careful openapi-fetch', at: ['stubbed', 'getPin'], target: 1.1, budget: 1.2 },
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

// The spec's own 200 examples, as the stubbed fetch's answers.
const canned = async (request) =>
  new Response(JSON.stringify(responses[request.method === 'PUT' ? 'updatePin' : 'getPin'][200].example), {
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
