// The PIN API mock as a server: the stateful sandbox on node:http, with Prism in front as a validating
// proxy, so every request and every sandbox answer is checked against the spec by an independent reader
// of it. `stateless: true` is plain `prism mock` instead. Node-only, hence outside src/.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPinSandbox, type PinSandbox, type SandboxCard } from '../src/sandbox.js';
import { CONTROL_PREFIX } from '../src/sandbox/control.js';
import { requirePeers } from './peers.js';
import { isHostName } from '../src/sandbox/hosts.js';
import { HONO, PRISM, runPrism, type PrismProcess } from './prism.js';
import { guardHosts, serveSandbox, serveSandboxForPrism, type SandboxServer } from './server.js';
import { serveRelay, serveUpstreamGate } from './upstream.js';
import { BASE_URL_RULE, httpBaseUrl } from './base-url.js';
import { type GuardRules, originOf } from './guard.js';

export { PortInUseError } from './prism.js';

/** How `startPinMock` runs the mock: ports, stateless or stateful, and the default sandbox's cards and keys. */
export interface PinMockOptions {
  /** Port Prism listens on (127.0.0.1); 0 (the default) picks a free one. */
  port?: number;
  /** Port of the sandbox server and its control API (127.0.0.1); 0 (the default) picks a free one. */
  sandboxPort?: number;
  /** Plain `prism mock`: answers from the spec's examples, no state, no control API. */
  stateless?: boolean;
  /** With `stateless`: generate responses from the schemas instead of the spec's examples. */
  dynamic?: boolean;
  /** Prism answers requests (and sandbox responses) that break the spec with an error. Default true. */
  errors?: boolean;
  /** The sandbox to serve; by default `createPinSandbox({ cards, apiKeys })`. */
  sandbox?: PinSandbox;
  /** Cards besides the spec's example card, for the default sandbox. */
  cards?: SandboxCard[];
  /** Keys the default sandbox accepts; without this, any `ApiKey <key>`. */
  apiKeys?: string[];
  /** How long to wait for Prism to listen. Default 30 000 ms. */
  startTimeoutMs?: number;
  /**
   * Host names the mock answers to besides 127.0.0.1, localhost and [::1] (any port), for containers
   * (`pin-mock`, say). Any other `Host` gets 403 and changes nothing: a page that rebinds its own name
   * to 127.0.0.1 cannot drive the mock.
   */
  allowHosts?: string[];
  /**
   * Origins of pages besides loopback ones that may call the mock from a browser, e.g.
   * `https://dev.example` (scheme, host and port only). Pages of loopback origins (`http://localhost:6006`,
   * any port) always may, and get CORS; a request from any other page (its `Origin`, or
   * `Sec-Fetch-Site: cross-site`) gets 403 and changes nothing. Tools that send no `Origin` are not affected.
   */
  allowOrigins?: string[];
  /**
   * A real server to check instead of the sandbox, e.g. `https://api-sandbox.equalsmoney.com`: Prism
   * validates each of its answers, and one that breaks the spec reaches the caller as a problem+json `500`.
   */
  upstream?: string;
  /** With `upstream`: told one line per violation (operation, status, field; never a value). Default: stderr. */
  onViolation?: (line: string) => void;
  /**
   * With `upstream`: a host name that `upstream` may reach over plain http, e.g. a stub of the provider in
   * another container (`provider-stub`). Without it, as for the client's baseUrl, `upstream` must be
   * https://, or http:// to 127.0.0.1, localhost or [::1]: a key sent over plain http travels in clear.
   */
  insecureUpstreamHost?: string;
}

/** A running mock: where it answers, and how to stop it. */
export interface PinMock {
  /** Base URL to give the client (Prism's), e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** Prism's process id. */
  pid: number;
  /** Stops Prism (and the sandbox server) and resolves once Prism has exited. */
  stop(): Promise<void>;
  /** Settles if Prism exits on its own (a crash, or a signal sent to it): the mock is then down. */
  exited: Promise<{ code: number | null; signal: string | null }>;
}

/** A running stateful mock: Prism validating in front of a sandbox, with the sandbox's controls. */
export interface StatefulPinMock extends PinMock {
  /** The sandbox behind Prism, for tests in this process: `reset()`, `pinOf()`, `failNext()`, `requests`. */
  sandbox: PinSandbox;
  /** The control API for other processes, e.g. `http://127.0.0.1:39133/__sandbox` (see "Sandbox control API" in docs/testing.md). */
  controlUrl: string;
  /** The sandbox itself, without Prism in front. */
  sandboxUrl: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/** The spec this package ships: dist/openapi.yaml once built, openapi/pin.yaml in the repository. */
export function specPath(): string {
  const candidates = [join(here, '..', 'openapi.yaml'), join(here, '..', 'openapi', 'pin.yaml')];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`The PIN API spec is missing; looked for ${candidates.join(' and ')}`);
  return found;
}

/**
 * The spec with its security requirements lifted, for Prism only. Prism's own security check answers a
 * keyless request with its own `401` as `application/problem+json`, and has no flag to turn it off; without
 * the requirement the request reaches the server behind Prism, which checks keys itself and answers as the
 * spec documents. Responses are validated exactly as before: a requirement says nothing about them.
 */
function withoutSecurityRequirements(spec: string): string {
  const requirement = /^( *)security:\n\1 +- ApiKey: \[\]$/gm;
  const lifted = spec.replace(requirement, '$1security: []');
  if (lifted === spec)
    throw new Error('The PIN API spec has no `security: - ApiKey: []` requirement to lift for Prism');
  return lifted;
}

/**
 * A private copy of the spec for one Prism. Prism watches the file it serves and reloads it on change;
 * a rebuild that deletes and rewrites dist/ (as `npm start` does on every save) would feed it a missing
 * or half-written spec, and it stops answering. The copy is removed when that Prism has exited.
 * A proxying Prism gets it without security requirements; `prism mock` has no server behind it to ask.
 */
function specSnapshot(proxy: boolean): SpecSnapshot {
  const dir = mkdtempSync(join(tmpdir(), 'equals-card-pin-spec-'));
  const file = join(dir, 'openapi.yaml');
  const spec = readFileSync(specPath(), 'utf8');
  writeFileSync(file, proxy ? withoutSecurityRequirements(spec) : spec);
  return { dir, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

interface SpecSnapshot {
  dir: string;
  file: string;
  remove: () => void;
}

/** Prism validating every answer of `upstream`, a real server, instead of the sandbox (see `upstream`). */
export function startPinMock(options: PinMockOptions & { upstream: string }): Promise<PinMock>;
/**
 * Plain `prism mock` on 127.0.0.1: answers from the spec's examples (or schemas, with `dynamic`), no state.
 *
 * @example
 * ```ts
 * import { startPinMock } from 'equals-card-pin/mock';
 *
 * const mock = await startPinMock({ stateless: true });
 * // give mock.url to the client as its baseUrl, then:
 * await mock.stop();
 * ```
 */
export function startPinMock(options: PinMockOptions & { stateless: true }): Promise<PinMock>;
/**
 * The stateful mock on 127.0.0.1: the sandbox on a node:http server, with `prism proxy` validating every
 * request and answer in front of it. Needs the optional peers `@stoplight/prism-cli` and `@hono/node-server`.
 *
 * @example
 * ```ts
 * import { createPinClient } from 'equals-card-pin';
 * import { startPinMock } from 'equals-card-pin/mock';
 *
 * // The spec's example card, which every sandbox has (PIN 7268).
 * const card = { cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd', accountId: 'F12345', personId: '775596ae-2624-40af-a9dc-9756110a4a04' };
 * const mock = await startPinMock();
 * const pins = createPinClient({ apiKey: 'test-key', baseUrl: mock.url });
 * mock.sandbox.failNext({ status: 503, retryAfter: 0 }); // the client retries it
 * const { pin } = await pins.getPin({ ...card, cardholderVerificationMethod: 'LOGIN' });
 * await mock.stop();
 * ```
 */
export function startPinMock(options?: PinMockOptions & { stateless?: false }): Promise<StatefulPinMock>;
/** One of the three above, as `options` says. */
export function startPinMock(options?: PinMockOptions): Promise<PinMock | StatefulPinMock>;
export async function startPinMock(options: PinMockOptions = {}): Promise<PinMock | StatefulPinMock> {
  const { port = 0, errors = true, startTimeoutMs = 30_000 } = options;
  const flags = errors ? ['--errors'] : [];
  // Every peer checked before anything starts, so that a missing one is the only thing said.
  requirePeers(options.stateless ? [PRISM] : [PRISM, HONO], 'The PIN API mock');
  if (options.dynamic && !options.stateless)
    throw new TypeError('startPinMock: dynamic works with stateless: true only');
  const allowHosts = options.allowHosts ?? [];
  if (!Array.isArray(allowHosts) || !allowHosts.every((name) => typeof name === 'string' && isHostName(name)))
    throw new TypeError('startPinMock: allowHosts must be host names, without a scheme, port or path');
  const rules: GuardRules = { allowHosts, allowOrigins: checkedOrigins(options.allowOrigins ?? []) };
  if (options.upstream !== undefined) checkUpstream(options);
  const spec = specSnapshot(!options.stateless);
  try {
    const launch: Launch = { spec, flags, port, startTimeoutMs, rules };
    if (options.upstream) return await startUpstream(options as PinMockOptions & { upstream: string }, launch);
    if (options.stateless) {
      // Prism on a free port, behind the host guard on the port asked for.
      const prism = await runPrism(
        'mock',
        [spec.file, ...flags, ...(options.dynamic ? ['--dynamic'] : [])],
        0,
        startTimeoutMs,
        spec.dir,
      );
      return await guarded(prism, port, rules, async () => spec.remove());
    }
    return await startStateful(options, launch);
  } catch (error) {
    spec.remove();
    throw error;
  }
}

/** `allowOrigins` as the origins a browser sends (`https://dev.example`), or a TypeError naming the option. */
function checkedOrigins(entries: unknown): string[] {
  const origins = Array.isArray(entries) ? entries.map((entry) => typeof entry === 'string' && originOf(entry)) : [];
  if (!Array.isArray(entries) || !origins.every((origin) => typeof origin === 'string'))
    throw new TypeError('startPinMock: allowOrigins must be origins such as https://dev.example (scheme, host, port)');
  return origins as string[];
}

/** `upstream` as the client would accept it as its baseUrl (mock/base-url.ts), and its opt-in a host name. */
function checkUpstream({ upstream, stateless, insecureUpstreamHost: insecure }: PinMockOptions) {
  if (stateless) throw new TypeError('startPinMock: upstream works without stateless');
  if (insecure !== undefined && !(typeof insecure === 'string' && isHostName(insecure)))
    throw new TypeError('startPinMock: insecureUpstreamHost must be a host name, without a scheme, port or path');
  if (typeof upstream !== 'string' || !httpBaseUrl(upstream, insecure ? [insecure] : []))
    throw new TypeError(`startPinMock: upstream ${BASE_URL_RULE}, or to the host named by insecureUpstreamHost`);
}

/** What `startPinMock` settled before starting anything: the spec copy, Prism's flags, the checked options. */
interface Launch {
  spec: SpecSnapshot;
  flags: string[];
  port: number;
  startTimeoutMs: number;
  rules: GuardRules;
}

/** A key made for one mock: what the guard in front of Prism hands on, and the listener behind it asks for. */
const newPass = () => randomBytes(18).toString('base64url');

async function startStateful(options: PinMockOptions, launch: Launch): Promise<StatefulPinMock> {
  const { spec, flags, port, startTimeoutMs, rules } = launch;
  const sandbox = options.sandbox ?? createPinSandbox({ cards: options.cards, apiKeys: options.apiKeys });
  const server = await serveSandbox(sandbox, options.sandboxPort ?? 0, rules);
  // Prism's own port is on loopback too, unguarded: what it forwards is answered only with the guard's pass.
  const pass = newPass();
  let entry: string | undefined;
  const behindPrism = await serveSandboxForPrism(sandbox, pass, () => entry);
  const closeServers = async () => {
    await Promise.all([server.close(), behindPrism.close()]);
  };
  let prism: PrismProcess;
  try {
    // The server behind answers requests that break the spec (its 400) itself; its answers are still checked.
    const args = [spec.file, behindPrism.url, ...flags, '--validate-request=false'];
    prism = await runPrism('proxy', args, 0, startTimeoutMs, spec.dir);
  } catch (error) {
    await closeServers();
    throw error;
  }
  const close = async () => {
    await closeServers();
    spec.remove();
  };
  const mock = await guarded(prism, port, rules, close, pass);
  entry = mock.url;
  return { ...mock, sandbox, sandboxUrl: server.url, controlUrl: `${server.url}${CONTROL_PREFIX}` };
}

/**
 * Prism proxying to `upstream` without --errors, behind a relay that refuses what it marks (mock/upstream.ts)
 * and, as the guard does for the sandbox, every host name but loopback and `allowHosts`.
 */
async function startUpstream(options: PinMockOptions & { upstream: string }, launch: Launch): Promise<PinMock> {
  const { spec, port, startTimeoutMs, rules } = launch;
  const report = options.onViolation ?? ((line: string) => console.error(line));
  // Prism's own port is unguarded: the gate behind it passes on only what the relay in front let through.
  const pass = newPass();
  const insecure = options.insecureUpstreamHost ? [options.insecureUpstreamHost] : [];
  let entry: string | undefined;
  const gate = await serveUpstreamGate(httpBaseUrl(options.upstream, insecure)!, pass, () => entry);
  let prism: PrismProcess;
  let relay: SandboxServer;
  try {
    prism = await runPrism('proxy', [spec.file, gate.url, '--validate-request=false'], 0, startTimeoutMs, spec.dir);
  } catch (error) {
    await gate.close();
    throw error;
  }
  try {
    relay = await serveRelay(prism.url, port, report, rules, pass);
  } catch (error) {
    await prism.stop();
    await gate.close();
    throw error;
  }
  entry = relay.url;
  return mockOf(prism, relay, async () => {
    await gate.close();
    spec.remove();
  });
}

/** Prism behind the guard (mock/guard.ts) on `port`; if the guard cannot listen, Prism is stopped and `close` runs. */
async function guarded(
  prism: PrismProcess,
  port: number,
  rules: GuardRules,
  close: () => Promise<void>,
  pass?: string,
): Promise<PinMock> {
  let guard: SandboxServer;
  try {
    guard = await guardHosts(prism.url, port, rules, pass);
  } catch (error) {
    await prism.stop();
    await close();
    throw error;
  }
  return mockOf(prism, guard, close);
}

function mockOf(prism: PrismProcess, guard: SandboxServer, closeServer: () => Promise<void>): PinMock {
  const closeAll = async () => {
    await guard.close();
    await closeServer();
  };
  // If Prism goes, the servers around it have no one to answer for: close them too.
  void prism.exited.then(closeAll);
  return {
    url: guard.url,
    pid: prism.pid,
    exited: prism.exited,
    stop: async () => {
      await prism.stop();
      await closeAll();
    },
  };
}
