// The sandbox on node:http through @hono/node-server (a maintained Fetch-to-node adapter), with the
// control API beside it, and the guard in front of Prism's port. Loopback only, and loopback host
// names only (src/sandbox/hosts.ts): a page that rebinds its name to 127.0.0.1 reaches neither.
import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PinSandbox } from '../src/sandbox.js';
import { control } from '../src/sandbox/control.js';
import { foreignHostRefusal, hostRefusal, isAllowedHost } from '../src/sandbox/hosts.js';
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

/** Serves `sandbox` and its control API on 127.0.0.1 (port 0 picks a free one), for loopback hosts and `allowHosts`. */
export function serveSandbox(sandbox: PinSandbox, port = 0, allowHosts: readonly string[] = []) {
  return sandboxServer(sandbox, port, (request) => foreignHostRefusal(request, allowHosts), true);
}

/**
 * Serves `sandbox` (no control API) on a free loopback port for Prism to proxy to: only requests that
 * carry the guard's `pass` in {@link GUARD_PASS_HEADER} are answered, the rest get the host refusal.
 */
export function serveSandboxForPrism(sandbox: PinSandbox, pass: string) {
  return sandboxServer(sandbox, 0, requirePass(pass), false);
}

/** A check that refuses, with the host refusal, every request that does not carry `pass` in {@link GUARD_PASS_HEADER}. */
export const requirePass =
  (pass: string) =>
  (request: Request): Response | undefined =>
    request.headers.get(GUARD_PASS_HEADER) === pass ? undefined : hostRefusal();

/**
 * Listens on `port` (127.0.0.1) in front of Prism at `target`, refusing a foreign Host with the same 403
 * as the sandbox and passing everything else through as it came. Prism itself cannot check the Host: it
 * forwards its own to the sandbox.
 */
export async function guardHosts(
  target: string,
  port: number,
  allowHosts: readonly string[],
  pass?: string,
): Promise<SandboxServer> {
  const { hostname, port: targetPort } = new URL(target);
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (!isAllowedHost(incoming.headers.host, allowHosts)) {
      const refusal = hostRefusal();
      void refusal
        .text()
        .then((body) => outgoing.writeHead(refusal.status, Object.fromEntries(refusal.headers)).end(body));
      incoming.resume();
      return;
    }
    const upstream = forward({
      hostname,
      port: targetPort,
      method: incoming.method,
      path: incoming.url,
      // The pass is the guard's alone: a caller's own value of the header never goes through.
      headers: withPass(incoming.headers, pass),
    });
    upstream.on('response', (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  const bound = await listenOn(server, port, 'api');
  return { url: `http://127.0.0.1:${bound}`, close: () => closeServer(server) };
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
