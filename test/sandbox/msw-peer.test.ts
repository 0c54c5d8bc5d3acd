// `equals-card-pin/msw` with each msw a consumer might have: the package is installed into a scratch
// project (dist + package.json, as npm lays it out) beside a real msw 2, stand-ins shaped like msw 1
// and msw 3, or no msw at all, and imported and required from a child Node.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
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
  await Promise.all([cp(join(root, 'dist'), join(own, 'dist'), { recursive: true }), cp(join(root, 'package.json'), join(own, 'package.json'))]);
  if (msw === 'real') await symlink(join(root, 'node_modules/msw'), join(dir, 'node_modules/msw'), 'dir');
  if (msw in stand) {
    await mkdir(join(dir, 'node_modules/msw'));
    for (const [file, text] of Object.entries(stand[msw as keyof typeof stand])) await writeFile(join(dir, 'node_modules/msw', file), text);
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

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'equals-card-pin-msw-peer-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe.each(['import', 'require'] as const)('equals-card-pin/msw by %s', (how) => {
  test('with msw 2 installed, it loads and makes both handlers', async () => {
    expect(await load(await project(`${how}-real`, 'real'), how)).toBe('handlers: 2');
  });

  test.each(['msw 1', 'msw 3'] as const)('with %s, one message names msw and the range ^2', async (version) => {
    const message = await load(await project(`${how}-${version}`, version), how);
    expect(message).toBe('equals-card-pin/msw needs msw ^2 (an optional peer dependency), and the msw installed is not a 2.x: npm install --save-dev msw@^2');
  });

  test('without msw, the resolver names the missing package (its own message: see README)', async () => {
    expect(await load(await project(`${how}-none`, 'none'), how)).toMatch(/Cannot find (module|package) 'msw'/);
  });
});
