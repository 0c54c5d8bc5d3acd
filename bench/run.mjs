#!/usr/bin/env node
// `npm run bench`: the client's own cost (per call beside raw fetch and openapi-fetch, profile, size, with
// budgets that fail the run), other entries' sizes, tarballs, the suite's cost and the sandbox served each way.
// `--client` runs only the client part; `--skip-suite` leaves out the timing of `npm run test:quick` and `npm test`. Prints tables; writes JSON to bench/results/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { budgetReport, measureClient } from './client.mjs';
import { measureServers } from './prism.mjs';
import { measureDirect, measureMsw } from './sandbox.mjs';
import { bundleSize, bytesByModule, CLIENT_GZIP_BUDGET, ELEMENTS_GZIP_BUDGET, entries, tracerCost } from './size.mjs';
import { pack, TARBALL_BUDGET } from './tarball.mjs';

const args = new Set(process.argv.slice(2));
// --client: only the client's own cost (per call, profile, size) and its budgets, in about a minute.
const clientOnly = args.has('--client');
const NPM_TEST_SECONDS = 60;
const TEST_QUICK_SECONDS = 20;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round2 = (x) => Math.round(x * 100) / 100;

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
};

// 1-3. The client: per call (stubbed and loopback, beside raw fetch and openapi-fetch), profile, size.
results.client = await measureClient();
results.budgets = budgetReport(results.client);
results.client.bytesByModule = await bytesByModule(entries.client, process.cwd());

// The other entries' sizes, as a consumer's bundler would ship them.
results.size = {};
for (const [name, source] of Object.entries(entries)) results.size[name] = await bundleSize(source, process.cwd());
// The elements entry has a budget of its own (bench/size.mjs), kept beside the client's.
results.budgets.push({
  name: 'elements entry, B gzip (a bare import, esbuild, minified)',
  value: results.size.elements.gzip,
  target: ELEMENTS_GZIP_BUDGET,
  budget: ELEMENTS_GZIP_BUDGET,
  'meets target': results.size.elements.gzip <= ELEMENTS_GZIP_BUDGET,
  ok: results.size.elements.gzip <= ELEMENTS_GZIP_BUDGET,
});
results.size['the tracer option, in the client'] = await tracerCost(process.cwd());
results.size['this client over openapi-fetch'] = Object.fromEntries(
  Object.keys(results.size.client).map((k) => [k, results.size.client[k] - results.size['openapi-fetch alone'][k]]),
);

if (!clientOnly) {
  await measureInstall();
  await measureSuite();
  await measureSandbox();
}

/** What an install costs: the tarballs as npm packs them (the docs page is a package of its own). */
async function measureInstall() {
  results.tarball = {};
  for (const [name, dir] of [
    ['equals-card-pin', '.'],
    ['equals-card-pin-docs', 'docs-package'],
  ]) {
    const { size, unpackedSize, files } = await pack(dir);
    results.tarball[name] = { packed: size, unpacked: unpackedSize, files: files.length };
  }
}

/** Wall seconds of `npm run <script>`, and whether it passed. */
function timeScript(script) {
  const t = performance.now();
  const run = spawnSync('npm', ['run', script, '--silent'], { stdio: 'ignore' });
  return { seconds: round2((performance.now() - t) / 1000), passed: run.status === 0 };
}

/** What the test suite costs: Prism's start, the inner loop (`npm run test:quick`) and the whole of `npm test`. */
async function measureSuite() {
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
    // The quick loop first: it needs no build, and npm test's pretest builds anyway.
    const quick = timeScript('test:quick');
    results.suite.testQuickSeconds = quick.seconds;
    results.suite.testQuickPassed = quick.passed;
    const full = timeScript('test');
    results.suite.npmTestSeconds = full.seconds;
    results.suite.npmTestPassed = full.passed;
  }
}

/** The sandbox served each way: start-up and per-request cost, one row per way, side by side. */
async function measureSandbox() {
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
    'types entry carries 0 bytes of runtime': results.size.types.minified === 0,
    [`main tarball ≤ ${TARBALL_BUDGET / 1000} kB packed (enforced by npm test)`]:
      results.tarball['equals-card-pin'].packed <= TARBALL_BUDGET,
    ...(results.suite.testQuickSeconds && {
      [`npm run test:quick under ${TEST_QUICK_SECONDS} s wall`]: results.suite.testQuickSeconds < TEST_QUICK_SECONDS,
    }),
    ...(results.suite.npmTestSeconds && {
      [`npm test under ${NPM_TEST_SECONDS} s wall`]: results.suite.npmTestSeconds < NPM_TEST_SECONDS,
    }),
  };
}

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file = new URL(`./results/bench-${results.date.replace(/[:.]/g, '-')}.json`, import.meta.url);
writeFileSync(file, JSON.stringify(results, null, 2));
writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify(results, null, 2));

/** One table per operation: µs per call of every contender, its ratio to careful openapi-fetch, the spread. */
function printPerCall(title, byOperation) {
  for (const [op, { us, ratioTo, spread }] of Object.entries(byOperation)) {
    console.log(`${title}, ${op}: median µs per call; ratio to "${ratioTo.reference}" (median of per-round ratios)`);
    console.table(Object.fromEntries(Object.keys(us).map((name) => [name, { µs: us[name], ratio: ratioTo[name] }])));
    console.log(`this client's ratio, lowest and highest over five blocks of rounds: ${spread.join(' to ')}`);
  }
}

const { client } = results;
console.log(
  `\nNode ${results.node}, ${results.cpus} cores; contenders interleaved in short batches (bench/percall.mjs)`,
);
printPerCall('Stubbed fetch (a canned Response)', client.stubbed);
printPerCall('Loopback HTTP', client.loopback);
console.log("Where this client's getPin time goes (% of CPU samples, stubbed fetch)");
console.table(client.profile.byOwner);
console.table(Object.fromEntries(client.profile.topFunctions));
console.log('The client entry: minified bytes per module (exact), and gzip added by each part (cumulative)');
console.table(client.bytesByModule);
console.table(client.breakdown);
console.log('Bundle size, bytes');
console.table(results.size);
if (!clientOnly) {
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
  console.log('Other targets (reported, not enforced here)');
  console.table(results.targets);
}
console.log(
  `Budgets (enforced: npm run bench fails when one is exceeded; npm test enforces ${CLIENT_GZIP_BUDGET} B and ${ELEMENTS_GZIP_BUDGET} B)`,
);
console.table(results.budgets);
console.log(`Results: ${file.pathname}`);
const exceeded = results.budgets.filter((row) => !row.ok);
if (exceeded.length) {
  console.error(`Over budget: ${exceeded.map((row) => `${row.name} ${row.value} > ${row.budget}`).join('; ')}`);
  process.exitCode = 1;
}
