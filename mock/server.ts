// The sandbox on node:http through @hono/node-server (a maintained Fetch-to-node adapter), with the
// control API beside it, and the guard in front of Prism's port. Loopback only, loopback host names only
// (src/sandbox/hosts.ts: a page that rebinds its name to 127.0.0.1 reaches neither), and no page of
// another site (mock/guard.ts).
import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PinSandbox } from '../src/sandbox.js';
import { control } from '../src/sandbox/control.js';
import { noStoreJson } from '../src/core/answer.js';
import { MAX_REQUEST_BODY_BYTES, requestText } from '../src/core/request.js';
import { foreignHostRefusal } from '../src/sandbox/hosts.js';
import { admission, bodyRefusal, corsHeaders, type GuardRules, originRefusal } from './guard.js';
import { requirePeer } from './peers.js';
import { HONO, PortInUseError } from './prism.js';

export interface SandboxServer {
  /** Where the sandbox answers, unvalidated; Prism proxies to it. */
  url: string;
  close(): Promise<void>;
}

/**
 * The header the guard in front of Prism adds, with a key made for each mock, to every request it lets
 * through. Prism passes it on; the sandbox's listener for Prism refuses any request without it, so a page
 * that reaches Prism's own (unguarded) port directly finds no sandbox behind it.
 */
export const GUARD_PASS_HEADER = 'x-pin-mock-pass';

/** `sandbox` as a Fetch handler for @hono/node-server; `admit` refuses a request before anything is read. */
async function sandboxServer(
  sandbox: PinSandbox,
  port: number,
  admit: (request: Request) => Response | undefined,
  withControl: boolean,
): Promise<SandboxServer> {
  requirePeer(HONO, 'The PIN API mock server');
  const { createAdaptorServer } = await import('@hono/node-server');
  const server = createAdaptorServer({
    hostname: '127.0.0.1',
    // Leave this process's Request and Response alone: tests share it.
    overrideGlobalObjects: false,
    async fetch(request: Request, env: { incoming: { socket: { destroy(): unknown } } }) {
      const refused = admit(request);
      if (refused) return refused;
      const response = (withControl && (await control(sandbox, request))) || (await sandbox.handle(request));
      if (response.type !== 'error') return response;
      // A scripted network error: drop the connection unanswered, as a failing network would.
      env.incoming.socket.destroy();
      return new Response(null, { headers: { 'x-hono-already-sent': '1' } });
    },
  }) as Server;
  const bound = await listenOn(server, port, 'sandbox');
  return { url: `http://127.0.0.1:${bound}`, close: () => closeServer(server) };
}

/**
 * Serves `sandbox` and its control API on 127.0.0.1 (port 0 picks a free one), for loopback hosts and
 * `allowHosts`, and for no page of another site (mock/guard.ts; it grants no CORS).
 */
export function serveSandbox(sandbox: PinSandbox, port = 0, rules: GuardRules = { allowHosts: [], allowOrigins: [] }) {
  const admit = (request: Request) =>
    foreignHostRefusal(request, rules.allowHosts) ?? originRefusal(request, rules.allowOrigins);
  return sandboxServer(sandbox, port, admit, true);
}

/**
 * Serves `sandbox` (no control API) on a free loopback port for Prism to proxy to: only requests that
 * carry the guard's `pass` in {@link GUARD_PASS_HEADER} are answered, the rest get the pass refusal.
 * `entry` says where the mock's API port is, once it listens.
 */
export function serveSandboxForPrism(sandbox: PinSandbox, pass: string, entry: () => string | undefined) {
  return sandboxServer(sandbox, 0, requirePass(pass, entry), false);
}

/**
 * A check that refuses every request that does not carry `pass` in {@link GUARD_PASS_HEADER}: it reached
 * Prism's own port (or this listener) directly, not through the mock's API port. `entry` is that port's URL.
 */
export const requirePass =
  (pass: string, entry: () => string | undefined) =>
  (request: Request): Response | undefined =>
    request.headers.get(GUARD_PASS_HEADER) === pass ? undefined : passRefusal(entry());

/** The 403 for a request that came around the mock's API port (issue 22: it named the host rule before). */
const passRefusal = (entry: string | undefined) =>
  noStoreJson(403, {
    message: `This port is behind the mock; send requests to the mock's API port${entry ? ` (${entry})` : ''}: this one came without its per-mock key`,
    code: 'pass',
  });

/** A request the guard cannot read as a Fetch Request (a method such as TRACE): refused, never sent on. */
const unreadable = () => noStoreJson(405, { message: 'The mock does not serve this method', code: 'method' });

/** The request line and headers as a Fetch Request (no body) for the guard's checks, with the URL Prism is sent. */
function askedOf(incoming: IncomingMessage): Request | undefined {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  try {
    for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
    return new Request(new URL(incoming.url ?? '/', 'http://127.0.0.1'), { method: incoming.method, headers });
  } catch {
    return undefined;
  }
}

/**
 * Up to `limit` bytes of the body as they came; `truncated` when more was sent. The rest is left unread,
 * with the stream paused and the connection whole, so that the refusal can still be sent on it.
 */
export function readBytes(incoming: IncomingMessage, limit: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const take = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      incoming.off('data', take).pause();
      resolve({ bytes: Buffer.concat(chunks), truncated: true });
    };
    incoming.on('data', take);
    incoming.once('end', () => resolve({ bytes: Buffer.concat(chunks), truncated: false }));
    incoming.once('error', reject);
  });
}

/**
 * Sends one of the guard's own answers, and lets the request's body go: drained, and the connection
 * closed after this answer when the body was not read to its end.
 */
async function answerWith(incoming: IncomingMessage, outgoing: ServerResponse, response: Response) {
  const body = await response.text();
  if (!incoming.complete) outgoing.shouldKeepAlive = false;
  outgoing.writeHead(response.status, Object.fromEntries(response.headers)).end(body);
  incoming.resume();
}

/**
 * Listens on `port` (127.0.0.1) in front of Prism at `target`. It refuses, each with a 403 naming its
 * rule, a foreign Host (as the sandbox does: Prism itself cannot check it, it forwards its own) and a
 * page of another site; it answers CORS preflights for loopback and allowed origins itself (Prism runs
 * with --cors=false), refuses a body Prism could not parse with the spec's 400, and passes everything
 * else on: the body bytes as they came, the pass added, the caller's own pass dropped.
 */
export async function guardHosts(
  target: string,
  port: number,
  rules: GuardRules,
  pass?: string,
): Promise<SandboxServer> {
  const { hostname, port: targetPort } = new URL(target);
  const guard = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const asked = askedOf(incoming);
    if (!asked) return answerWith(incoming, outgoing, unreadable());
    const early = admission(asked, rules);
    if (early) return answerWith(incoming, outgoing, early);
    const { bytes, truncated } = await readBytes(incoming, MAX_REQUEST_BODY_BYTES);
    const cors = corsHeaders(asked, rules);
    const broken = bodyRefusal(asked, requestText.decode(bytes), truncated);
    if (broken) return answerWith(incoming, outgoing, withHeaders(broken, cors));
    const url = new URL(asked.url);
    const { 'transfer-encoding': _chunked, 'content-length': length, ...headers } = withPass(incoming.headers, pass);
    const sized = length !== undefined || bytes.length ? { 'content-length': String(bytes.length) } : {};
    const upstream = forward({
      hostname,
      port: targetPort,
      method: incoming.method,
      path: `${url.pathname}${url.search}`,
      headers: { ...headers, ...sized },
    });
    upstream.on('response', (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, [...answer.rawHeaders, ...Object.entries(cors).flat()]);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    upstream.end(bytes.length ? bytes : undefined);
  };
  const server = createServer((incoming, outgoing) => {
    guard(incoming, outgoing).catch(() => outgoing.destroy());
  });
  const bound = await listenOn(server, port, 'api');
  return { url: `http://127.0.0.1:${bound}`, close: () => closeServer(server) };
}

/** `response` with `headers` added (the CORS headers of a refusal to an allowed page, so that it can read it). */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** The headers as they came, but for the pass: the guard's own, or none at all. */
function withPass(headers: IncomingMessage['headers'], pass: string | undefined) {
  const { [GUARD_PASS_HEADER]: _callers, ...rest } = headers;
  return pass === undefined ? rest : { ...rest, [GUARD_PASS_HEADER]: pass };
}

/** Listens on `port` of 127.0.0.1 and resolves with the port bound; a busy one is a {@link PortInUseError}. */
export async function listenOn(server: Server, port: number, role: 'api' | 'sandbox'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, role) : error),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Closes `server`, its open connections included. */
export const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
