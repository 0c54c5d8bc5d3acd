// `equals-card-pin/msw` with each msw a consumer might have: the package is installed into a scratch
// project (dist + package.json, as npm lays it out) beside a real msw 2, stand-ins shaped like msw 1
// and msw 3, or no msw at all, and imported and required from a child Node; and setupServer through it
// on each Node version the package supports.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pathWithNode, root, scratchRoot } from '../support/run.js';
import { NODE_VERSIONS } from '../support/setup/package.js';

const run = promisify(execFile);
let scratch: string;

/** A stand-in msw package: its version and the names its module exports. */
const standIn = (version: string, source: string) => ({
  'package.json': JSON.stringify({ name: 'msw', version, main: 'index.js' }),
  'index.js': source,
});
const stand = {
  // msw 1 had `rest` and no `http`; msw 3 keeps `http` but no longer exports `handleRequest`.
  'msw 1': standIn('1.3.5', 'exports.rest = { get() {} }; exports.handleRequest = () => {};'),
  'msw 3': standIn('3.0.5', 'exports.http = { get() {}, put() {} }; exports.getResponse = () => {};'),
};

async function project(name: string, msw: 'real' | 'none' | keyof typeof stand) {
  const dir = join(scratch, name.replace(/\W+/g, '-'));
  const own = join(dir, 'node_modules/equals-card-pin');
  await mkdir(own, { recursive: true });
  await Promise.all([
    cp(join(root, 'dist'), join(own, 'dist'), { recursive: true }),
    cp(join(root, 'package.json'), join(own, 'package.json')),
  ]);
  if (msw === 'real') {
    // Linked, so msw's dependencies (and the client's openapi-fetch) resolve from this repository's node_modules.
    await symlink(join(root, 'node_modules/msw'), join(dir, 'node_modules/msw'), 'dir');
    await symlink(join(root, 'node_modules/openapi-fetch'), join(dir, 'node_modules/openapi-fetch'), 'dir');
  }
  if (msw in stand) {
    await mkdir(join(dir, 'node_modules/msw'));
    for (const [file, text] of Object.entries(stand[msw as keyof typeof stand]))
      await writeFile(join(dir, 'node_modules/msw', file), text);
  }
  return dir;
}

/** Loads the entry by `import` or `require` in a child Node; what it printed, or the first line of its error. */
async function load(dir: string, how: 'import' | 'require') {
  const script =
    how === 'import'
      ? "import('equals-card-pin/msw').then((m) => console.log('handlers:', m.createPinHandlers().length), (e) => { console.error(e.message); process.exit(1); })"
      : "try { console.log('handlers:', require('equals-card-pin/msw').createPinHandlers().length) } catch (e) { console.error(e.message); process.exit(1) }";
  const { stdout, stderr } = await run(process.execPath, ['-e', script], { cwd: dir }).catch((error) => error);
  return (stdout.trim() || stderr.trim()).split('\n')[0];
}

// A consumer's setupServer test in miniature: a 503 retried, a PIN changed and revealed, all in-process.
const setupServerScript = `
import { setupServer } from 'msw/node';
import { createPinClient } from 'equals-card-pin';
import { createPinHandlers } from 'equals-card-pin/msw';
import { createPinSandbox } from 'equals-card-pin/sandbox';
const sandbox = createPinSandbox({ apiKeys: ['k'] });
const server = setupServer(...createPinHandlers({ sandbox }));
server.listen({ onUnhandledRequest: 'error' });
const pins = createPinClient({ apiKey: 'k', retry: { baseDelayMs: 1, maxDelayMs: 5 } });
const card = { cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd', accountId: 'F12345', personId: '775596ae-2624-40af-a9dc-9756110a4a04' };
sandbox.failNext({ status: 503 });
await pins.updatePin({ ...card, pin: '4826' });
const got = await pins.getPin({ ...card, cardholderVerificationMethod: 'LOGIN' });
server.close();
console.log(JSON.stringify({ got, statuses: sandbox.requests.map((entry) => entry.status) }));
`;

beforeAll(async () => {
  scratch = await mkdtemp(join(scratchRoot(), 'equals-card-pin-msw-peer-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe.each(['import', 'require'] as const)('equals-card-pin/msw by %s', (how) => {
  test('with msw 2 installed, it loads and makes both handlers', async () => {
    expect(await load(await project(`${how}-real`, 'real'), how)).toBe('handlers: 2');
  });

  test.each(['msw 1', 'msw 3'] as const)('with %s, one message names msw and the range ^2', async (version) => {
    const message = await load(await project(`${how}-${version}`, version), how);
    expect(message).toBe(
      'equals-card-pin/msw needs msw ^2 (an optional peer dependency), and the msw installed is not a 2.x: npm install --save-dev msw@^2',
    );
  });

  test('without msw, the resolver names the missing package (its own message: see README)', async () => {
    expect(await load(await project(`${how}-none`, 'none'), how)).toMatch(/Cannot find (module|package) 'msw'/);
  });
});

// Node's `import` takes the ESM build of this entry (msw's CommonJS build needs require(esm), which Node
// 18 lacks), so setupServer works on every Node the package supports. Node builds come from the registry.
describe('setupServer through equals-card-pin/msw, by import', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await project('node-matrix', 'real');
    await writeFile(join(dir, 'setup-server.mjs'), setupServerScript);
  });

  test.each([...NODE_VERSIONS])(
    'on Node %s',
    async (version) => {
      // `npm exec --package=node@<version> -- node setup-server.mjs`, with npm exec's PATH looked up once per run.
      const env = { ...process.env, PATH: pathWithNode(version) };
      const { stdout, stderr } = await run('node', ['setup-server.mjs'], { cwd: dir, env }).catch((error) => error);
      expect(stdout.trim(), stderr).toBe('{"got":{"pin":"4826"},"statuses":[503,200,200]}');
    },
    60_000,
  );
});
