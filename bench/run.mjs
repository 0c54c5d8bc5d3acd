#!/usr/bin/env node
// `npm run bench`: per-call overhead (raw fetch, bare openapi-fetch, this client), bundle sizes,
// tarball sizes, and what the test suite costs. Prints a table; writes JSON to bench/results/.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { contenders } from './calls.mjs';
import { profile } from './profile.mjs';
import { measureServers } from './prism.mjs';
import { measureDirect, measureMsw } from './sandbox.mjs';
import { bundleSize, CLIENT_GZIP_BUDGET, entries, layers } from './size.mjs';
import { pack, TARBALL_BUDGET } from './tarball.mjs';

const args = new Set(process.argv.slice(2));
const TARGETS = { stubbedCOverB: 1.2, loopbackCOverA: 1.05, clientGzip: 3300, npmTestSeconds: 60 };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round2 = (x) => Math.round(x * 100) / 100;

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)];

/** Median µs per call of each contender, run interleaved (rotating order) over several rounds. */
async function perCall(fns, { rounds, calls }) {
  const names = Object.keys(fns);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const WARMUP = 3; // rounds discarded while the JIT settles
  for (let round = -WARMUP; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + Math.max(round, 0)) % names.length]);
    for (const name of order) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) await fns[name]();
      const us = Number(process.hrtime.bigint() - started) / 1000 / calls;
      if (round >= 0) samples[name].push(us);
    }
  }
  const medians = Object.fromEntries(names.map((n) => [n, round2(median(samples[n]))]));
  // Spread across rounds, (p75 - p25) / median of the noisiest contender: how far apart two runs may land.
  const spread = Math.max(
    ...names.map((n) => (quantile(samples[n], 0.75) - quantile(samples[n], 0.25)) / median(samples[n])),
  );
  return { ...medians, ...ratios(medians), spread: `±${Math.round(spread * 50)}%` };
}

function ratios(result) {
  const { 'a raw fetch': a, 'b openapi-fetch': b, 'b+ middleware, deadline': bm, 'c this client': c } = result;
  // b/a: openapi-fetch's own cost over raw fetch, a floor under c/a that this client cannot remove.
  // b+/b: what the auth middleware and a cancellable request cost inside openapi-fetch and Node's fetch.
  // c/b+: what this client's own code (checks, retry loop, response checks) adds on top of that.
  return {
    'c/a': round2(c / a),
    'c/b': round2(c / b),
    'b/a': round2(b / a),
    'b+/b': round2(bm / b),
    'c/b+': round2(c / bm),
  };
}

async function startLoopbackServer() {
  const child = spawn(process.execPath, [new URL('./server.mjs', import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve) =>
    child.stdout.on('data', (c) => resolve(/listening on (\S+)/.exec(String(c))[1])),
  );
  return { url, stop: () => child.kill() };
}

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
};

// 1. Per-call cost with a canned Response: the client's own overhead, nothing else.
const canned = async (request) =>
  new Response(request.method === 'PUT' ? '{"success":true}' : '{"pin":"7268"}', {
    headers: { 'content-type': 'application/json' },
  });
const stubbed = contenders('https://api.equalsmoney.com', canned);
results.stubbed = {};
for (const op of ['getPin', 'updatePin']) {
  results.stubbed[op] = await perCall(stubbed[op], { rounds: 15, calls: 2000 });
}

// 2. The same over a real loopback HTTP server, where c/a is what a caller feels.
const server = await startLoopbackServer();
const loop = contenders(server.url, (request) => fetch(request));
results.loopback = {};
for (const op of ['getPin', 'updatePin']) {
  results.loopback[op] = await perCall(loop[op], { rounds: 15, calls: 400 });
}
server.stop();

// Where this client's time goes, by profile, so a missed target names its cause.
results.profile = await profile(async () => {
  for (let i = 0; i < 20_000; i++) await stubbed.getPin['c this client']();
});

// 3. Bundle sizes, as a consumer's bundler would ship them.
results.size = {};
for (const [name, source] of Object.entries(entries)) results.size[name] = await bundleSize(source, process.cwd());
results.size['this client over openapi-fetch'] = Object.fromEntries(
  Object.keys(results.size.client).map((k) => [k, results.size.client[k] - results.size['openapi-fetch alone'][k]]),
);
results.sizeLayers = {};
let previous = 0;
for (const [name, source] of layers) {
  const { gzip } = await bundleSize(source, process.cwd());
  results.sizeLayers[name] = { gzip, added: gzip - previous };
  previous = gzip;
}

// 4. What an install costs: the tarballs as npm packs them (the docs page is a package of its own).
results.tarball = {};
for (const [name, dir] of [
  ['equals-card-pin', '.'],
  ['equals-card-pin-docs', 'docs-package'],
]) {
  const { size, unpackedSize, files } = await pack(dir);
  results.tarball[name] = { packed: size, unpacked: unpackedSize, files: files.length };
}

// 5. What the test suite costs: Prism's start, and the whole of `npm test`.
const { startPinMock } = await import('../dist/mock/start.mjs');
const starts = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const mock = await startPinMock({ stateless: true }); // the suite's globalSetup runs plain prism mock
  starts.push(performance.now() - t);
  await mock.stop();
}
results.suite = { prismStartMs: Math.round(median(starts)) };
if (!args.has('--skip-suite')) {
  const t = performance.now();
  const run = spawnSync('npm', ['test', '--silent'], { stdio: 'ignore' });
  results.suite.npmTestSeconds = round2((performance.now() - t) / 1000);
  results.suite.npmTestPassed = run.status === 0;
}

// 6. The sandbox served each way: start-up and per-request cost, one row per way, side by side.
results.sandbox = [await measureMsw(), await measureDirect(), ...(await measureServers())];
const inProcess = results.sandbox[0];
const prismMock = results.sandbox.find((row) => /prism mock/i.test(row.name));
const prismFronted = results.sandbox.find((row) => /Prism-fronted/.test(row.name));
// How many in-process requests fit in one round trip through each server: the target is at least 10.
results.sandboxRatios = Object.fromEntries(
  [prismFronted, prismMock]
    .filter(Boolean)
    .map((row) => [row.name, round2(row.perRequestMs.median / inProcess.perRequestMs.median)]),
);

results.targets = {
  ...(prismMock && {
    'in-process sandbox request ≤ a tenth of a prism mock round trip':
      inProcess.perRequestMs.median <= prismMock.perRequestMs.median / 10,
  }),
  ...(prismFronted && {
    'in-process sandbox request ≤ a tenth of a Prism-fronted round trip':
      inProcess.perRequestMs.median <= prismFronted.perRequestMs.median / 10,
    'Prism-fronted server ready within 2 s': prismFronted.startupMs <= 2000,
  }),
  'c/b stubbed (getPin, updatePin) ≤ 1.20': [results.stubbed.getPin['c/b'], results.stubbed.updatePin['c/b']].every(
    (x) => x <= TARGETS.stubbedCOverB,
  ),
  'c/a loopback (getPin, updatePin) ≤ 1.05': [results.loopback.getPin['c/a'], results.loopback.updatePin['c/a']].every(
    (x) => x <= TARGETS.loopbackCOverA,
  ),
  'client entry ≤ 3.3 kB gzip': results.size.client.gzip <= TARGETS.clientGzip,
  [`client entry ≤ budget ${CLIENT_GZIP_BUDGET} B gzip (enforced by npm test)`]:
    results.size.client.gzip <= CLIENT_GZIP_BUDGET,
  'types entry carries 0 bytes of runtime': results.size.types.minified === 0,
  [`main tarball ≤ ${TARBALL_BUDGET / 1000} kB packed (enforced by npm test)`]:
    results.tarball['equals-card-pin'].packed <= TARBALL_BUDGET,
  ...(results.suite.npmTestSeconds && {
    [`npm test under ${TARGETS.npmTestSeconds} s wall`]: results.suite.npmTestSeconds < TARGETS.npmTestSeconds,
  }),
};

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file = new URL(`./results/bench-${results.date.replace(/[:.]/g, '-')}.json`, import.meta.url);
writeFileSync(file, JSON.stringify(results, null, 2));
writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify(results, null, 2));

console.log(`\nPer call, median µs (stubbed fetch: ${results.cpus} cores, Node ${results.node})`);
console.table({ ...results.stubbed });
console.log('Per call, median µs (loopback HTTP)');
console.table({ ...results.loopback });
console.log("Where this client's getPin time goes (% of CPU samples, stubbed fetch)");
console.table(results.profile.byOwner);
console.table(Object.fromEntries(results.profile.topFunctions));
console.log('Bundle size, bytes');
console.table(results.size);
console.log('Where the client entry bytes come from (gzip, cumulative)');
console.table(results.sizeLayers);
console.log('Tarballs, bytes');
console.table(results.tarball);
console.log('Test suite');
console.table(results.suite);
console.log('The sandbox served each way: start-up, and per getPin from the client (ms)');
console.table(
  Object.fromEntries(
    results.sandbox.map(({ name, startupMs, perRequestMs }) => [name, { startupMs, ...perRequestMs }]),
  ),
);
console.log('Round trip through each server, in in-process (msw) requests');
console.table(results.sandboxRatios);
console.log('Targets');
console.table(results.targets);
console.log(`Results: ${file.pathname}`);
