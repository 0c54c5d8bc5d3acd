// The bin's usage: every command answers --help, and an unknown command or option gets the usage and
// exit code 2, never a stack trace (`mock --bogus` used to print ERR_PARSE_ARGS_UNKNOWN_OPTION's stack).
import { execFileSync, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { descendants } from '../scripts/start-processes.js';
import { killLeftovers } from '../support/process.js';
import { pathWithNode, root, run, scratchRoot } from '../support/run.js';

const cli = join(root, 'dist/mock/cli.mjs');
const equalsCardPin = (...args: string[]) => run(process.execPath, [cli, ...args], { env: { EQUALS_API_KEY: '' } });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

describe.concurrent('equals-card-pin usage', () => {
  test.each([
    [['--help'], 'Usage: equals-card-pin <command>'],
    [['mock', '--help'], 'Usage: equals-card-pin mock'],
    [['contract', '--help'], 'Usage: EQUALS_API_KEY=… equals-card-pin contract'],
    [['help'], 'Usage: equals-card-pin <command>'],
    [['help', 'mock'], 'Usage: equals-card-pin mock'],
    [['help', 'contract'], 'Usage: EQUALS_API_KEY=… equals-card-pin contract'],
  ])('%j prints its usage and exits 0', async (args, usage) => {
    const result = await equalsCardPin(...args);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(usage);
  });

  test('help <command> prints exactly what <command> --help prints', async () => {
    for (const command of ['mock', 'contract']) {
      const [help, flag] = await Promise.all([equalsCardPin('help', command), equalsCardPin(command, '--help')]);
      expect(help.stdout).toBe(flag.stdout);
    }
    expect((await equalsCardPin('help')).stdout).toBe((await equalsCardPin('--help')).stdout);
  });

  test.each([['--version'], ['-v']])('%s prints the package version alone, exit 0', async (flag) => {
    const result = await equalsCardPin(flag);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${pkg.version}\n`);
  });

  test('the usage names --version and help, and the mock usage states the Node rule for Prism', async () => {
    const top = (await equalsCardPin('--help')).stdout;
    expect(top).toContain('help [command]');
    expect(top).toContain('--version, -v');
    const { stdout } = await equalsCardPin('mock', '--help');
    expect(stdout).toContain(
      'Prism 5.16 needs Node >= 24.18, 5.15 needs >= 24.14, 5.0.1 to 5.14.2 run on Node 18 to 22',
    );
    expect(stdout).toContain('default --port + 1');
  });

  test('contract --help says plainly that --write changes a real PIN, and where the key comes from', async () => {
    const { stdout } = await equalsCardPin('contract', '--help');
    expect(stdout).toContain("--write         ALSO CHANGES THE CARD'S PIN on that server");
    expect(stdout).toContain('EQUALS_API_KEY environment variable only');
  });

  test.each([
    [['frobnicate'], 'Unknown command: frobnicate', 'Usage: equals-card-pin <command>'],
    [[], 'No command given', 'Usage: equals-card-pin <command>'],
    [['mock', '--bogus'], "Unknown option '--bogus'", 'Usage: equals-card-pin mock'],
    [['mock', 'extra'], "Unexpected argument 'extra'", 'Usage: equals-card-pin mock'],
    [['contract', '--bogus'], "Unknown option '--bogus'", 'Usage: EQUALS_API_KEY=… equals-card-pin contract'],
    [
      ['contract', '--card', 'c'],
      'missing --base-url, --account, --person',
      'Usage: EQUALS_API_KEY=… equals-card-pin contract',
    ],
    [['mock', '--port', 'x'], '--port must be an integer', 'Usage: equals-card-pin mock'],
    [['help', 'frobnicate'], 'Unknown command: frobnicate', 'Usage: equals-card-pin <command>'],
    [['mock', '--port', '65535'], '--sandbox-port', 'Usage: equals-card-pin mock'],
  ])('%j prints what is wrong and the usage, exits 2, no stack trace', async (args, why, usage) => {
    const result = await equalsCardPin(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(why);
    expect(result.stderr).toContain(usage);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toContain('ERR_PARSE_ARGS');
  });
});

/** A server on 127.0.0.1 (port 0: a free one), to hold a port. */
async function holdPort(port = 0): Promise<{ port: number; server: Server }> {
  const server = createServer((_req, res) => res.end());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { port: (server.address() as AddressInfo).port, server };
}

const release = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * A port P whose P + 1 was free too, a moment ago: below Linux's range for ephemeral ports (32768 up),
 * so that no server the mock starts on port 0 is handed it meanwhile.
 */
async function freePair(): Promise<number> {
  for (;;) {
    const port = 20_000 + randomInt(12_000);
    const first = await holdPort(port).catch(() => undefined);
    const next = first && (await holdPort(port + 1).catch(() => undefined));
    if (first) await release(first.server);
    if (next) {
      await release(next.server);
      return port;
    }
  }
}

/** Starts the bin with `args` on `node` (a PATH); resolves once it printed both URLs, or exited. */
function startMock(args: string[], env: NodeJS.ProcessEnv = {}, cwdCli = cli) {
  const child = spawn('node', [cwdCli, 'mock', ...args], {
    env: { ...process.env, SCARF_ANALYTICS: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const done = new Promise<{ url?: string; controlUrl?: string; code?: number | null }>((resolve) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      const controlUrl = /control API: (http:\/\/\S+)/.exec(output)?.[1];
      if (url && controlUrl) resolve({ url, controlUrl });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => resolve({ code }));
  });
  return { child, done, output: () => output };
}

/** Stops the bin with SIGTERM and checks that nothing it started is left. */
async function stopMock(child: ReturnType<typeof spawn>) {
  const tree = [child.pid!, ...descendants(child.pid!).map((proc) => proc.pid)];
  child.kill('SIGTERM');
  expect(await killLeftovers(tree), 'processes left behind').toEqual([]);
}

describe('the control API is on --port + 1, the same URL on every run', () => {
  test('mock --port P prints http://127.0.0.1:<P+1>/__sandbox, and it answers there', async () => {
    const port = await freePair();
    const mock = startMock(['--port', String(port), '--api-key', 'cli-test-key']);
    try {
      const { url, controlUrl, code } = await mock.done;
      expect(code, mock.output()).toBeUndefined();
      expect(url).toBe(`http://127.0.0.1:${port}`);
      expect(controlUrl).toBe(`http://127.0.0.1:${port + 1}/__sandbox`);
      const card = `${controlUrl}/cards/${exampleCard.cardId}/pin`;
      expect(await (await fetch(card)).json()).toEqual({ pin: exampleCard.pin });
    } finally {
      await stopMock(mock.child);
    }
  }, 60_000);

  test('with port + 1 taken, one line names it and --sandbox-port, exit 1', async () => {
    const port = await freePair();
    const taken = await holdPort(port + 1);
    const mock = startMock(['--port', String(port)]);
    try {
      const { code } = await mock.done;
      expect(code).toBe(1);
      expect(mock.output().trim().split('\n')).toEqual([
        `Port ${port + 1} on 127.0.0.1 is already in use: stop what is using it, or pick another with --sandbox-port N (0 picks a free one).`,
      ]);
    } finally {
      await stopMock(mock.child);
      await release(taken.server);
    }
  });
});

// A project with a copy of this package (dist/ and package.json) and chosen peers: links to the copies
// installed here (the devDependency alias prism-oldest is Prism 5.14.2), so no install from the registry.
const projects = mkdtempSync(join(scratchRoot(), 'pin-cli-peers-'));
afterAll(() => rmSync(projects, { recursive: true, force: true }));

function projectWith(name: string, peers: Record<string, string>): string {
  const dir = join(projects, name);
  const own = join(dir, 'node_modules/equals-card-pin');
  mkdirSync(own, { recursive: true });
  cpSync(join(root, 'dist'), join(own, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(own, 'package.json'));
  for (const [peer, installed] of Object.entries(peers)) {
    mkdirSync(join(dir, 'node_modules', peer, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', installed), join(dir, 'node_modules', peer));
  }
  return join(own, 'dist/mock/cli.mjs');
}

const NODE_22 = () => ({ PATH: pathWithNode('22') });
const PRISM = '@stoplight/prism-cli';
const HONO = '@hono/node-server';

describe('peers: one message for all that are missing, with one install command that fits this Node', () => {
  test.each([
    [
      'this Node (24)',
      {},
      `"${PRISM}@${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).peerDependencies[PRISM]}"`,
    ],
    ['Node 22', NODE_22(), `"${PRISM}@5.14.2"`],
  ])('on %s', async (_node, env, prismSpec) => {
    const bin = projectWith(`none-${Object.keys(env).length}`, {});
    const result = await run('node', [bin, 'mock', '--port', '0'], { env });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`needs ${PRISM} >=5.0.1 <6, which is not installed; and ${HONO} `);
    expect(lines[0]).toMatch(
      new RegExp(
        `Install with: npm install --save-dev ${prismSpec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} "${HONO}@[^"]+"$`,
      ),
    );
  });
});

describe('Prism and Node: the mock refuses a Prism that does not run on this Node, and names the one that does', () => {
  test('on Node 22, Prism 5.16 is refused in one line naming @stoplight/prism-cli@5.14.2; nothing starts', async () => {
    const bin = projectWith('node22-prism516', { [PRISM]: PRISM, [HONO]: HONO });
    const result = await run('node', [bin, 'mock', '--port', '0'], { env: NODE_22() });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/5\.16\.\d+ is installed, which needs Node >=24\.18\.0, and this is Node 22\./);
    expect(lines[0]).toContain(`Install with: npm install --save-dev "${PRISM}@5.14.2"`);
    expect(result.stdout).toBe('');
  });

  test('on Node 22, the oldest Prism in range (5.14.2) serves the mock', async () => {
    const bin = projectWith('node22-prism5142', { [PRISM]: 'prism-oldest', [HONO]: HONO });
    const mock = startMock(['--port', '0', '--api-key', 'cli-test-key'], NODE_22(), bin);
    try {
      const { url, code } = await mock.done;
      expect(code, mock.output()).toBeUndefined();
      const tree = descendants(mock.child.pid!);
      const prism = tree.find((proc) => /prism-oldest/.test(proc.command));
      expect(prism, tree.map((proc) => proc.command).join('\n')).toBeDefined();
      const query = `accountId=${exampleCard.accountId}&personId=${exampleCard.personId}&cardholderVerificationMethod=LOGIN`;
      const answer = await fetch(`${url}/v2/cards/${exampleCard.cardId}/pin?${query}`, {
        headers: { authorization: 'ApiKey cli-test-key' },
      });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ pin: exampleCard.pin });
      // Prism runs on the bin's Node: the one the process really is.
      const exe = execFileSync(readlinkSync(`/proc/${prism!.pid}/exe`), ['--version'], { encoding: 'utf8' });
      expect(exe).toMatch(/^v22\./);
    } finally {
      await stopMock(mock.child);
    }
  }, 60_000);
});
