// Starts Prism on the spec shipped with this package. Node-only, hence outside src/.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PinMockOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Generate responses from the schemas instead of serving the spec's examples. */
  dynamic?: boolean;
  /** Answer requests that break the spec with an error response instead of a warning. Default true. */
  errors?: boolean;
  /** How long to wait for Prism to listen. Default 30 000 ms. */
  startTimeoutMs?: number;
}

export interface PinMock {
  /** Base URL to give the client, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** Prism's process id. */
  pid: number;
  /** Stops Prism and resolves once its process has exited. */
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const PRISM = '@stoplight/prism-cli';
// If this process dies without calling stop(), Prism's stdin closes and Prism exits too.
const EXIT_WITH_PARENT =
  'data:text/javascript,process.stdin.on("end",()=>process.exit(0)).on("error",()=>process.exit(0)).resume()';

/** The spec this package ships: dist/openapi.yaml once built, openapi/pin.yaml in the repository. */
export function specPath(): string {
  const candidates = [join(here, '..', 'openapi.yaml'), join(here, '..', 'openapi', 'pin.yaml')];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`The PIN API spec is missing; looked for ${candidates.join(' and ')}`);
  return found;
}

function prismBin(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve(`${PRISM}/package.json`);
  } catch {
    throw new Error(`startPinMock needs ${PRISM}. Install it with: npm install --save-dev ${PRISM}`);
  }
  const { bin, engines } = require(manifest) as { bin: Record<string, string>; engines?: { node?: string } };
  const tooOld = nodeTooOld(engines?.node, process.versions.node);
  if (tooOld) throw new Error(`${PRISM} ${tooOld}: start the mock with a Node that satisfies it.`);
  return join(dirname(manifest), bin.prism!);
}

/** Says why `version` fails a `>=x.y.z` engine range, or `undefined` when it passes (or the range is another form). */
export function nodeTooOld(range: string | undefined, version: string): string | undefined {
  const minimum = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range?.trim() ?? '');
  if (!minimum) return;
  const have = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const want = Number(minimum[i + 1]);
    if (have[i]! !== want) return have[i]! > want ? undefined : `needs Node ${range}, and this is ${version}`;
  }
}

export function startPinMock(options: PinMockOptions = {}): Promise<PinMock> {
  const { port = 0, dynamic = false, errors = true, startTimeoutMs = 30_000 } = options;
  const args = [prismBin(), 'mock', specPath(), '--host', '127.0.0.1', '--port', String(port)];
  if (dynamic) args.push('--dynamic');
  if (errors) args.push('--errors');

  const child = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, SCARF_ANALYTICS: 'false' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(force);
    }
  };

  return new Promise((resolve, reject) => {
    let log = '';
    const fail = (reason: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`Prism did not start: ${reason}\n${log.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`no "listening" line within ${startTimeoutMs} ms`), startTimeoutMs);
    const onError = (error: Error) => fail(error.message);
    const onExit = (code: number | null, signal: string | null) => fail(`exited early (${signal ?? code})`);
    const keep = (chunk: Buffer) => void (log += chunk.toString());
    const read = (chunk: Buffer) => {
      keep(chunk);
      const match = /Prism is listening on (http:\/\/[^\s]+)/.exec(log);
      if (!match) return;
      clearTimeout(timer);
      // From here on Prism's output is drained, not kept: a long-lived mock must not grow a log in memory.
      child.stdout.off('data', read).resume();
      child.stderr.off('data', keep).resume();
      child.off('error', onError).off('exit', onExit);
      resolve({ url: match[1]!.replace(/\/$/, ''), pid: child.pid!, stop });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', keep);
    child.once('error', onError).once('exit', onExit);
  });
}
