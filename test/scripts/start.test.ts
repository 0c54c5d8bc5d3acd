// `npm start` as a developer runs it, in a scratch copy of the repository (it rebuilds dist/ and the
// generated files, which the rest of the suite reads). Linux: the process tree is read from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { root, scratchRoot } from '../support/run.js';
import { killLeftovers } from '../support/process.js';
import { descendants } from './start-processes.js';

const scratch = mkdtempSync(join(scratchRoot(), 'pin-start-'));
const COPIED = [
  'package.json',
  'openapi',
  'generated',
  'src',
  'mock',
  'scripts',
  'dist',
  'tsconfig.json',
  'tsconfig.mock.json',
  'tsdown.config.ts',
  'redocly.yaml',
  '.spectral.yaml',
];

beforeAll(() => {
  for (const entry of COPIED) cpSync(join(root, entry), join(scratch, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Started {
  npm: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm start -- --skip-build` (dist/ was copied in built); `PORT` as given. */
function npmStart(port: number): Started {
  const npm = spawn('npm', ['start', '--', '--skip-build'], {
    cwd: scratch,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout!.on('data', (chunk) => (output += chunk));
  npm.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  return { npm, output: () => output, exited };
}

async function until(what: string, check: () => boolean, started: Started, ms = 100_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    // `npm start` gone (Prism died mid-rebuild, say): say so now, not after the whole deadline.
    if (started.npm.exitCode !== null || started.npm.signalCode !== null) {
      throw new Error(
        `npm start exited (${started.npm.exitCode ?? started.npm.signalCode}) while waiting for ${what}; output:\n${started.output()}`,
      );
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts the mock and returns its URL and every process under npm (the shell, start.mjs, the bin, Prism). */
async function ready(started: Started) {
  await until('the walkthrough', () => started.output().includes('Ctrl-C to stop.'), started);
  const url = /listening on (http:\/\/\S+)/.exec(started.output())![1]!;
  const tree = descendants(started.npm.pid!);
  const prism = tree.find((p) => /prism-cli/.test(p.command) && / proxy /.test(p.command));
  expect(prism, tree.map((p) => p.command).join('\n')).toBeDefined();
  return { url, tree, prism: prism! };
}

async function expectAllGone(pids: number[]) {
  expect(await killLeftovers(pids), 'processes left behind').toEqual([]);
}

const who = {
  npm: (s: Started) => s.npm.pid!,
  'start.mjs': (_: Started, tree: ReturnType<typeof descendants>) =>
    tree.find((p) => p.command.includes('scripts/start.mjs'))!.pid,
  Prism: (_: Started, tree: ReturnType<typeof descendants>) => tree.find((p) => /prism-cli/.test(p.command))!.pid,
};

// SIGTERM to npm is the watch test's ending below (on the tree after a reload), not a stack of its own here.
describe.concurrent('npm start stops, leaving nothing behind, whichever process gets the signal', () => {
  test.each([
    ['SIGHUP', 'npm'],
    ['SIGINT', 'npm'],
    ['SIGHUP', 'start.mjs'],
    ['SIGTERM', 'Prism'],
  ] as const)(
    '%s to %s',
    async (signal, target) => {
      const started = npmStart(0);
      const { url, tree } = await ready(started);
      const response = await fetch(`${url}/v2/cards/c/pin?accountId=F1&personId=p&cardholderVerificationMethod=LOGIN`, {
        headers: { Authorization: 'ApiKey k' },
      });
      expect(response.status).toBe(404); // served: the sandbox has no card "c"
      process.kill(who[target](started, tree), signal);
      await expectAllGone([started.npm.pid!, ...tree.map((p) => p.pid)]);
      await expect(fetch(url)).rejects.toThrow(); // the port is free again
    },
    150_000,
  );
});

describe('npm start on a busy port', () => {
  let busy: Server;
  beforeAll(() => new Promise<void>((resolve) => (busy = createServer().listen(0, '127.0.0.1', resolve))));
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  test('says so in one line naming the port and PORT=, and exits 1', async () => {
    const port = (busy.address() as { port: number }).port;
    const started = npmStart(port);
    expect(await started.exited).toBe(1);
    // What npm itself prints around a failed script ("> …" banner, "npm error …") is npm's, not ours.
    const ours = started
      .output()
      .split('\n')
      .filter((line) => line.trim() && !/^(> |npm (warn|error|ERR))/.test(line));
    expect(ours).toEqual([
      expect.stringMatching(new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is already in use: .*PORT=`)),
    ]);
  }, 60_000);
});

// One stack for both tests, in order: the watch test, then SIGTERM to npm's PID on the tree after the reload.
describe('npm start watches openapi/pin.yaml, then stops on SIGTERM to npm', () => {
  let started: Started | undefined;
  let before: ReturnType<typeof descendants> = [];
  let url = '';
  afterAll(async () => {
    if (!started || started.npm.exitCode !== null || started.npm.signalCode !== null) return;
    const now = descendants(started.npm.pid!); // the stop test did not run or failed early: leave nothing behind
    started.npm.kill('SIGTERM');
    await expectAllGone([started.npm.pid!, ...before.map((p) => p.pid), ...now.map((p) => p.pid)]);
  });

  test('shows a PUT and the GET that reveals it; a lint failure keeps the last good mock serving; a good edit is regenerated, rebuilt and reloaded', async () => {
    const specFile = join(scratch, 'openapi/pin.yaml');
    const good = readFileSync(specFile, 'utf8');
    started = npmStart(0);
    const running = started;
    ({ url, tree: before } = await ready(running));
    const withMethod = (method: string) =>
      fetch(
        `${url}/v2/cards/e9293471-5eb3-4dbc-916c-dbaf9e2deefd/pin?accountId=F12345&personId=775596ae-2624-40af-a9dc-9756110a4a04&cardholderVerificationMethod=${method}`,
        {
          headers: { Authorization: 'ApiKey k' },
        },
      ).then((r) => r.status);
    // The walkthrough: a PUT of another PIN, then the GET that reveals it, each run and printed with its answer.
    const changed = exampleCard.pin.slice(1) + exampleCard.pin[0];
    expect(running.output()).toContain(`-d '{"pin":"${changed}"}'\n  → 200 {"success":true,"pin":"${changed}"}`);
    expect(running.output()).toMatch(
      new RegExp(`curl -i -X GET '${url}/v2/cards/[^']+' \\\\\n.*\n  → 200 \\{"pin":"${changed}"\\}`),
    );
    expect(await withMethod('LOGIN')).toBe(200);
    const afterwards = await fetch(
      `${/control API: (\S+)/.exec(running.output())![1]}/cards/${exampleCard.cardId}/pin`,
    ).then((r) => r.json());
    expect(afterwards).toEqual({ pin: exampleCard.pin }); // reset after the walkthrough
    expect(await withMethod('PASSWORD')).toBe(400); // not in the enum: the sandbox's own 400, through Prism

    writeFileSync(specFile, `${good}\nbroken: [\n`);
    await until(
      'the lint failure',
      () => /npm run lint failed; the last good mock keeps serving/.test(running.output()),
      running,
    );
    expect(await withMethod('LOGIN')).toBe(200);

    const edited = good.replace(/^(\s+)- LOGIN$/m, '$1- LOGIN\n$1- PASSWORD');
    expect(edited).not.toBe(good);
    writeFileSync(specFile, edited);
    await until('the reload', () => running.output().includes('✔ reloaded'), running, 150_000);
    // The new Prism reads the edited spec, and the rebuilt sandbox checks with the regenerated table.
    expect(await withMethod('PASSWORD')).toBe(200);
    expect(readFileSync(join(scratch, 'generated/pin-constraints.ts'), 'utf8')).toContain('PASSWORD');
  }, 240_000);

  // The signal table above leaves this case to the stack here, which by now has been through a reload.
  test('SIGTERM to npm stops every process, from before the reload and after it, and frees the port', async () => {
    expect(started, 'the watch test started npm start').toBeDefined();
    const running = started!;
    expect(running.output()).toContain('✔ reloaded');
    const now = descendants(running.npm.pid!); // after a reload: the new bin and the new Prism
    expect(
      now.some((p) => /prism-cli/.test(p.command) && / proxy /.test(p.command)),
      now.map((p) => p.command).join('\n'),
    ).toBe(true);
    running.npm.kill('SIGTERM');
    await expectAllGone([running.npm.pid!, ...before.map((p) => p.pid), ...now.map((p) => p.pid)]);
    await expect(fetch(url)).rejects.toThrow(); // the port is free again
  }, 60_000);
});
