// `equals-card-pin/msw` with each msw a consumer might have: the package is installed into a scratch
// project (dist + package.json, as npm lays it out) beside a real msw 2, a real msw 3 (the `msw-3` alias
// devDependency, linked in as `msw`), a stand-in shaped like msw 1, or no msw at all, and imported and
// required from a child Node; and setupServer through it, with each major, on each Node the package supports.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pathWithNode, root, scratchRoot } from '../support/run.js';
import { NODE_VERSIONS } from '../support/setup/package.js';
import { MSW_MAJORS, type MswMajor } from './majors.js';

const run = promisify(execFile);
let scratch: string;

// msw 1 had `rest` and no `http`, the one export the handlers use.
const msw1 = {
  'package.json': JSON.stringify({ name: 'msw', version: '1.3.5', main: 'index.js' }),
  'index.js': 'exports.rest = { get() {} }; exports.handleRequest = () => {};',
};

async function project(name: string, msw: MswMajor | 'msw 1' | 'none') {
  const dir = join(scratch, name.replace(/\W+/g, '-'));
  const own = join(dir, 'node_modules/equals-card-pin');
  await mkdir(own, { recursive: true });
  await Promise.all([
    cp(join(root, 'dist'), join(own, 'dist'), { recursive: true }),
    cp(join(root, 'package.json'), join(own, 'package.json')),
  ]);
  if (msw === 'msw 1') {
    await mkdir(join(dir, 'node_modules/msw'));
    for (const [file, text] of Object.entries(msw1)) await writeFile(join(dir, 'node_modules/msw', file), text);
  } else if (msw !== 'none') {
    // Linked, so msw's dependencies (and the client's openapi-fetch) resolve from this repository's node_modules.
    const installed = join(root, 'node_modules', MSW_MAJORS[msw].pkg);
    await symlink(installed, join(dir, 'node_modules/msw'), 'dir');
    await symlink(join(root, 'node_modules/openapi-fetch'), join(dir, 'node_modules/openapi-fetch'), 'dir');
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

// A consumer's setupServer test in miniature: a 503 retried, a PIN changed and revealed, all in-process;
// then a request no handler takes, which the unhandled-request option (named per major) must refuse.
const setupServerScript = (major: MswMajor) => `
import { setupServer } from 'msw/node';
import { createPinClient } from 'equals-card-pin';
import { createPinHandlers } from 'equals-card-pin/msw';
import { createPinSandbox } from 'equals-card-pin/sandbox';
const sandbox = createPinSandbox({ apiKeys: ['k'] });
const server = setupServer(...createPinHandlers({ sandbox }));
server.listen({ ${MSW_MAJORS[major].onUnhandled}: 'error' });
const pins = createPinClient({ apiKey: 'k', retry: { baseDelayMs: 1, maxDelayMs: 5 } });
const card = { cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd', accountId: 'F12345', personId: '775596ae-2624-40af-a9dc-9756110a4a04' };
sandbox.failNext({ status: 503 });
await pins.updatePin({ ...card, pin: '4826' });
const got = await pins.getPin({ ...card, cardholderVerificationMethod: 'LOGIN' });
const unhandled = await fetch('http://127.0.0.1:9/unhandled').then(() => 'answered', () => 'refused');
server.close();
console.log(JSON.stringify({ got, statuses: sandbox.requests.map((entry) => entry.status), unhandled }));
`;

beforeAll(async () => {
  scratch = await mkdtemp(join(scratchRoot(), 'equals-card-pin-msw-peer-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

const majors = Object.keys(MSW_MAJORS) as MswMajor[];

describe.each(['import', 'require'] as const)('equals-card-pin/msw by %s', (how) => {
  test.each(majors)('with %s installed, it loads and makes both handlers', async (major) => {
    expect(await load(await project(`${how}-${major}`, major), how)).toBe('handlers: 2');
  });

  test('with msw 1, one message names msw, the range and the fix', async () => {
    const message = await load(await project(`${how}-msw-1`, 'msw 1'), how);
    expect(message).toBe(
      'equals-card-pin/msw needs msw ^2 || ^3 (an optional peer dependency), and the msw installed has no `http` (msw 1.x?): npm install --save-dev msw@^3',
    );
  });

  test('without msw, the resolver names the missing package (its own message: see docs/msw.md)', async () => {
    expect(await load(await project(`${how}-none`, 'none'), how)).toMatch(/Cannot find (module|package) 'msw'/);
  });
});

// Node's `import` takes the ESM build of this entry, so setupServer works on every Node the package
// supports, with either major. Node builds come from the registry.
describe.each(majors)('setupServer with %s through equals-card-pin/msw, by import', (major) => {
  let dir: string;
  beforeAll(async () => {
    dir = await project(`node-matrix-${major}`, major);
    await writeFile(join(dir, 'setup-server.mjs'), setupServerScript(major));
  });

  test.each([...NODE_VERSIONS])(
    'on Node %s',
    async (version) => {
      // `npm exec --package=node@<version> -- node setup-server.mjs`, with npm exec's PATH looked up once per run.
      const env = { ...process.env, PATH: pathWithNode(version) };
      const { stdout, stderr } = await run('node', ['setup-server.mjs'], { cwd: dir, env }).catch((error) => error);
      expect(stdout.trim(), stderr).toBe('{"got":{"pin":"4826"},"statuses":[503,200,200],"unhandled":"refused"}');
    },
    60_000,
  );
});
