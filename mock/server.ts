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

/** Serves `sandbox` on 127.0.0.1 (port 0 picks a free one), for loopback hosts and `allowHosts`. */
export async function serveSandbox(
  sandbox: PinSandbox,
  port = 0,
  allowHosts: readonly string[] = [],
): Promise<SandboxServer> {
  requirePeer(HONO, 'The PIN API mock server');
  const { createAdaptorServer } = await import('@hono/node-server');
  const server = createAdaptorServer({
    hostname: '127.0.0.1',
    // Leave this process's Request and Response alone: tests share it.
    overrideGlobalObjects: false,
    async fetch(request: Request, env: { incoming: { socket: { destroy(): unknown } } }) {
      const refused = foreignHostRefusal(request, allowHosts);
      if (refused) return refused;
      const response = (await control(sandbox, request)) ?? (await sandbox.handle(request));
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
 * Listens on `port` (127.0.0.1) in front of Prism at `target`, refusing a foreign Host with the same 403
 * as the sandbox and passing everything else through as it came. Prism itself cannot check the Host: it
 * forwards its own to the sandbox.
 */
export async function guardHosts(target: string, port: number, allowHosts: readonly string[]): Promise<SandboxServer> {
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
      headers: incoming.headers,
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

async function listenOn(server: Server, port: number, role: 'api' | 'sandbox'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, role) : error),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
