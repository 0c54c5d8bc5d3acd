#!/usr/bin/env node
// `npm start`: lint, generate and build, then serve the mock (Prism validating in front of the stateful
// sandbox) on 127.0.0.1:$PORT (4010), show a PUT and the GET that reveals it, and reload whenever
// openapi/pin.yaml changes. A spec that fails lint or build leaves the last good mock serving.
//   npm start -- --skip-build   serve dist/ as it is at first (no lint, generate or build); edits still reload
// The mock runs as a child (the package's bin), so that a reload loads the rebuilt code afresh. It stops
// on SIGINT, SIGTERM and SIGHUP, sent here, to the child, or to npm (which forwards some and not others:
// so this process also stops when npm or the shell between goes), and never leaves Prism behind.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { watchAncestors } from './lib/ancestors.mjs';
import { walkthrough } from './lib/walkthrough.mjs';

const env = { ...process.env, REDOCLY_TELEMETRY: 'off', SCARF_ANALYTICS: 'false' };
const SPEC = 'openapi/pin.yaml';
const skipBuild = process.argv.includes('--skip-build');

/** Runs `npm run <step>` with its output captured; resolves to that output, or rejects with it. */
function step(name) {
  return new Promise((done, fail) => {
    const child = spawn('npm', ['run', '--silent', name], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', (error) => fail(Object.assign(error, { step: name, output })));
    child.once('close', (code) =>
      code === 0 ? done(output) : fail(Object.assign(new Error(`npm run ${name} failed`), { step: name, output })),
    );
  });
}

async function prepare() {
  for (const name of ['lint', 'generate', 'build']) {
    await step(name);
    console.log(`✔ npm run ${name}`);
  }
}

/** The package's bin as a child, told its port; resolves once it reports where the mock listens. */
function startMock(port) {
  const args = ['dist/mock/cli.mjs', 'mock', ...(port === undefined ? [] : ['--port', String(port)])];
  // Port from $PORT (checked by the bin) on the first start; the same port on every reload.
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((ready, fail) => {
    child.once('message', (message) => message?.ready && ready({ child, ...message.ready }));
    child.once('exit', (code, signal) =>
      fail(Object.assign(new Error('the mock did not start'), { code: code ?? 1, signal })),
    );
  });
}

/** Stops the mock child (it stops its Prism first) and resolves once it has exited. */
function stopMock(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

let mock;
let stopping = false;
let reloading = false;

async function shutdown(code, why) {
  if (stopping) return;
  stopping = true;
  if (why) console.error(why);
  if (mock) await stopMock(mock.child);
  process.exit(code);
}

function serve(started) {
  mock = started;
  // The mock going on its own (Prism killed, say) ends `npm start` too, with the mock's own account of it.
  mock.child.once('exit', (code, signal) => {
    if (!reloading && !stopping) void shutdown(code ?? (signal ? 0 : 1));
  });
}

try {
  if (!skipBuild) await prepare();
  serve(await startMock(undefined));
} catch (error) {
  // The bin has already said why it stopped (a busy port is one line naming it); a failed step says it here.
  if (error.output !== undefined) console.error(`✘ npm run ${error.step}\n${error.output}`);
  process.exit(error.code ?? 1);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(0));
watchAncestors(() => void shutdown(0, 'npm start: the process that started it has gone; stopping the mock.'));

const spec = JSON.parse(await readFile('dist/openapi.json', 'utf8'));
console.log(await walkthrough(spec, mock.url, mock.controlUrl));
console.log(`Docs: file://${resolve('docs-package/index.html')} (spec: dist/openapi.yaml, dist/openapi.json)`);
console.log(`Watching ${SPEC}: an edit is linted, regenerated, rebuilt and reloaded.`);
console.log('Ctrl-C to stop.');

/** Lint, generate, build, then swap the mock for one built from the edited spec; on a failure keep the old one. */
async function reload() {
  console.log(`\n↻ ${SPEC} changed`);
  try {
    await prepare();
  } catch (error) {
    console.error(
      `✘ npm run ${error.step} failed; the last good mock keeps serving on ${mock.url}\n${error.output.trim()}`,
    );
    return;
  }
  reloading = true;
  try {
    await stopMock(mock.child);
    serve(await startMock(new URL(mock.url).port));
    console.log(`✔ reloaded: ${mock.url} serves the edited spec (control API ${mock.controlUrl})`);
  } catch (error) {
    await shutdown(error.code ?? 1, 'npm start: the rebuilt mock did not start; stopping.');
  } finally {
    reloading = false;
  }
}

/** Reloads on each save of the spec; saves during a reload queue one more, never a pile. */
function watchSpec() {
  let running = Promise.resolve();
  let queued = false;
  let timer;
  // Editors often save by writing a new file and renaming it over the old one: watch the folder, not the file.
  watch('openapi', (_event, file) => {
    if (file !== 'pin.yaml' || stopping) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (queued) return;
      queued = true;
      running = running.then(() => {
        queued = false;
        return stopping ? undefined : reload();
      });
    }, 200);
  });
}

watchSpec();
