// The packed mock as a team on an older Node gets it: a fresh project installs the tarball, msw 2, the
// oldest Prism the peer range allows (its lower bound) and @hono/node-server; `npx equals-card-pin mock`
// then serves the flow table (bundled from test/flows against the installed package) on Node 22, the oldest
// line the package supports,
// and the same table runs in-process through the installed `equals-card-pin/msw` and msw's `setupServer`.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { FLOW_API_KEY, flows } from '../support/flows/table.js';
import { killLeftovers } from '../support/process.js';
import { pathWithNode, root, run, scratchRoot } from '../support/run.js';
import { descendants } from '../scripts/start-processes.js';

const work = mkdtempSync(join(scratchRoot(), 'pin-mock-node-'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const versionOf = (folder: string) =>
  JSON.parse(readFileSync(join(root, 'node_modules', folder, 'package.json'), 'utf8')).version as string;
const PRISM_RANGE: string = pkg.peerDependencies['@stoplight/prism-cli'];
const OLDEST_PRISM = /^>=(\d+\.\d+\.\d+) /.exec(PRISM_RANGE)![1]!;
// The bin on Node 22 from the npm registry, as the consumer suite does (the machine's Node 20 is past its
// end of life, and outside `engines`).
// npm picks each dependency's newest release whose `engines` admit the Node npm runs on, and Prism's own
// packages from 5.15 on need Node 24: so, as a team would, each project is installed by npm on its Node.
// /usr/bin first: the machine's npm and npx, not the Node 24 that npm scripts put on PATH.
const machinePath = { PATH: `/usr/bin:${process.env.PATH}` };
// Node 22 first on PATH, as `npm exec --package=node@22 -- npm …` puts it: the machine's npm and npx then run on it.
const NODES: Record<string, { PATH: string }> = {
  '22': { PATH: pathWithNode('22', machinePath.PATH) },
};
const projectOf = (node: string) => join(work, `node${node}`);

const runner = `
import { flows, runFlow, httpSandboxControl } from './flows.mjs';
const [baseUrl, controlUrl] = process.argv.slice(2);
const ctx = { baseUrl, sandbox: httpSandboxControl(controlUrl) };
const results = {};
for (const name of Object.keys(flows)) {
  results[name] = await runFlow(name, ctx).then(() => 'passed', (error) => String(error?.message ?? error));
}
console.log(JSON.stringify({ node: process.versions.node, results }));
`;

// The same flows in-process: the installed sandbox behind the installed handlers, under msw's setupServer.
const mswRunner = `
import { createPinClient, servers } from 'equals-card-pin';
import { createPinHandlers } from 'equals-card-pin/msw';
import { createPinSandbox } from 'equals-card-pin/sandbox';
import { setupServer } from 'msw/node';
import { FLOW_API_KEY, flows, runFlow } from './flows.mjs';
const sandbox = createPinSandbox({ apiKeys: [FLOW_API_KEY] });
const server = setupServer(...createPinHandlers({ sandbox }));
server.listen({ onUnhandledRequest: 'error' });
const control = { reset: sandbox.reset, pinOf: sandbox.pinOf, failNext: sandbox.failNext, requests: () => sandbox.requests };
const results = {};
for (const name of Object.keys(flows)) {
  results[name] = await runFlow(name, { baseUrl: servers.production, sandbox: control }).then(() => 'passed', (error) => String(error?.message ?? error));
}
server.close();
console.log(JSON.stringify({ node: process.versions.node, results }));
`;

beforeAll(async () => {
  // The package packed once for the run (test/setup/package.ts).
  const { tarball } = inject('packed');
  const wanted = [
    tarball,
    `msw@${versionOf('msw')}`,
    `@stoplight/prism-cli@${OLDEST_PRISM}`,
    `@hono/node-server@${versionOf('@hono/node-server')}`,
  ];
  // From npm's cache when it holds them, else from the registry.
  const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'];
  await Promise.all(
    Object.keys(NODES).map(async (node) => {
      const project = projectOf(node);
      mkdirSync(project);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: `mock-consumer-${node}`, private: true, type: 'module' }),
      );
      const installed = await run('npm', ['install', ...flags, ...wanted], { cwd: project, env: NODES[node] });
      expect(installed.status, installed.stderr).toBe(0);
      // The flow table and its HTTP control, with the client taken from the installed package, not from src/.
      await build({
        stdin: {
          contents: "export * from './table.ts'; export { httpSandboxControl } from './http-control.ts';",
          resolveDir: join(root, 'test/support/flows'),
          loader: 'ts',
        },
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node22',
        outfile: join(project, 'flows.mjs'),
        logLevel: 'error',
        plugins: [
          {
            name: 'installed-client',
            setup: (b) =>
              b.onResolve({ filter: /\/src\/index\.js$/ }, () => ({ path: 'equals-card-pin', external: true })),
          },
        ],
      });
      writeFileSync(join(project, 'run-flows.mjs'), runner);
      writeFileSync(join(project, 'run-msw-flows.mjs'), mswRunner);
    }),
  );
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Starts `npx equals-card-pin mock` on the given Node; resolves with the URLs it prints and its process tree's root. */
function startBin(node: string) {
  const args = ['equals-card-pin', 'mock', '--port', '0', '--api-key', FLOW_API_KEY];
  const env = { ...process.env, ...NODES[node], SCARF_ANALYTICS: 'false' };
  const child = spawn('npx', args, { cwd: projectOf(node), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise<{ url: string; controlUrl: string; child: typeof child }>((resolve, reject) => {
    const deadline = Date.now() + 90_000;
    const poll = setInterval(() => {
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      const controlUrl = /control API: (http:\/\/\S+)/.exec(output)?.[1];
      if (url && controlUrl) resolve({ url, controlUrl, child });
      else if (Date.now() > deadline) reject(new Error(`no listening line from the bin on Node ${node}:\n${output}`));
      else return;
      clearInterval(poll);
    }, 50);
    child.once('exit', (code) => {
      clearInterval(poll);
      reject(new Error(`the bin exited (${code}) on Node ${node}:\n${output}`));
    });
  });
}

describe.concurrent('npx equals-card-pin mock from the packed tarball, with the oldest Prism in range', () => {
  test.each(Object.keys(NODES))(
    'runs the flow table on Node %s, and stops on SIGTERM leaving nothing behind',
    async (node) => {
      const { url, controlUrl, child } = await startBin(node);
      const tree = descendants(child.pid!);
      try {
        const flowRun = await run('node', ['run-flows.mjs', url, controlUrl], {
          cwd: projectOf(node),
          env: NODES[node],
        });
        expect(flowRun.status, flowRun.stderr).toBe(0);
        const report = JSON.parse(flowRun.stdout) as { results: Record<string, string> };
        expect(report.results).toEqual(Object.fromEntries(Object.keys(flows).map((name) => [name, 'passed'])));
        // The bin really ran on that Node, with the oldest Prism.
        const bin = tree.find(
          (p) => /^\S*node /.test(p.command) && /\/(\.bin\/equals-card-pin|dist\/mock\/cli\.mjs) mock/.test(p.command),
        );
        const prism = tree.find((p) => /prism-cli/.test(p.command));
        expect(prism, tree.map((p) => p.command).join('\n')).toBeDefined();
        const prismVersion = JSON.parse(
          readFileSync(join(projectOf(node), 'node_modules/@stoplight/prism-cli/package.json'), 'utf8'),
        ).version;
        expect(prismVersion).toBe(OLDEST_PRISM);
        expect(bin, tree.map((p) => p.command).join('\n')).toBeDefined();
        const nodeVersion = execFileSync(readlinkSync(`/proc/${bin!.pid}/exe`), ['--version'], {
          encoding: 'utf8',
        }).trim();
        expect(nodeVersion.startsWith(`v${node}.`), nodeVersion).toBe(true);
        process.kill(bin!.pid, 'SIGTERM');
      } finally {
        const left = await killLeftovers(tree.map((proc) => proc.pid));
        child.kill('SIGKILL');
        expect(left, 'processes left behind').toEqual([]);
      }
    },
    120_000,
  );
});

describe.concurrent('equals-card-pin/msw from the packed tarball, with msw 2 and setupServer', () => {
  test.each(Object.keys(NODES))('runs the flow table on Node %s', async (node) => {
    const flowRun = await run('node', ['run-msw-flows.mjs'], { cwd: projectOf(node), env: NODES[node] });
    expect(flowRun.status, flowRun.stderr).toBe(0);
    const report = JSON.parse(flowRun.stdout) as { node: string; results: Record<string, string> };
    expect(report.node.startsWith(`${node}.`), report.node).toBe(true);
    expect(report.results).toEqual(Object.fromEntries(Object.keys(flows).map((name) => [name, 'passed'])));
  });
});

describe('a missing or out-of-range peer gets one message naming the package and the range', () => {
  /** A copy of the installed package beside made-up peers, so the bin finds exactly these. */
  function withPeers(peers: Record<string, string | undefined>, args = ['mock', '--port', '0']) {
    const dir = mkdtempSync(join(work, 'peers-'));
    cpSync(join(projectOf('22'), 'node_modules/equals-card-pin'), join(dir, 'node_modules/equals-card-pin'), {
      recursive: true,
    });
    for (const [name, version] of Object.entries(peers)) {
      if (!version) continue;
      mkdirSync(join(dir, 'node_modules', name), { recursive: true });
      writeFileSync(
        join(dir, 'node_modules', name, 'package.json'),
        JSON.stringify({ name, version, main: 'index.js', bin: { prism: 'index.js' } }),
      );
      writeFileSync(join(dir, 'node_modules', name, 'index.js'), '');
    }
    return run('node', [join(dir, 'node_modules/equals-card-pin/dist/mock/cli.mjs'), ...args], {
      cwd: dir,
      env: { EQUALS_API_KEY: 'peer-check-key' },
    });
  }

  test.each([
    [
      { '@hono/node-server': '1.19.19', '@stoplight/prism-cli': '4.14.1' },
      `needs @stoplight/prism-cli ${PRISM_RANGE}, and 4.14.1 is installed`,
    ],
    [
      { '@hono/node-server': '1.19.19', '@stoplight/prism-cli': '6.0.0' },
      `needs @stoplight/prism-cli ${PRISM_RANGE}, and 6.0.0 is installed`,
    ],
    [
      { '@hono/node-server': undefined, '@stoplight/prism-cli': OLDEST_PRISM },
      `needs @hono/node-server ${pkg.peerDependencies['@hono/node-server']}, which is not installed`,
    ],
    [
      { '@hono/node-server': '1.2.0', '@stoplight/prism-cli': OLDEST_PRISM },
      `needs @hono/node-server ${pkg.peerDependencies['@hono/node-server']}, and 1.2.0 is installed`,
    ],
    // A first run: both missing, named in one line with one command that installs both.
    [
      { '@hono/node-server': undefined, '@stoplight/prism-cli': undefined },
      `needs @stoplight/prism-cli ${PRISM_RANGE}, which is not installed; and @hono/node-server ${pkg.peerDependencies['@hono/node-server']}, which is not installed. Install with: npm install --save-dev "@stoplight/prism-cli@`,
    ],
  ])('%j', async (peers, message) => {
    const result = await withPeers(peers);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
  });

  // `contract` runs the workflows with redocly respect, an optional peer checked the same way.
  const REDOCLY_RANGE: string = pkg.peerDependencies['@redocly/cli'];
  const contract = ['contract', '--base-url', 'http://127.0.0.1:9', '--card', 'c', '--account', 'a', '--person', 'p'];
  test.each([
    [{ '@redocly/cli': undefined }, `needs @redocly/cli ${REDOCLY_RANGE}, which is not installed`],
    [{ '@redocly/cli': '1.34.0' }, `needs @redocly/cli ${REDOCLY_RANGE}, and 1.34.0 is installed`],
  ])('contract with %j', async (peers, message) => {
    const result = await withPeers(peers, contract);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
  });
});
