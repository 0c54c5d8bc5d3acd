// The sandbox on node:http through @hono/node-server (a maintained Fetch-to-node adapter), with the
// control API beside it. Loopback only.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { PinSandbox } from '../src/sandbox.js';
import { control } from '../src/sandbox/control.js';
import { requirePeer } from './peers.js';
import { HONO, PortInUseError } from './prism.js';

export interface SandboxServer {
  /** Where the sandbox answers, unvalidated; Prism proxies to it. */
  url: string;
  close(): Promise<void>;
}

/** Serves `sandbox` on 127.0.0.1 (port 0 picks a free one). */
export async function serveSandbox(sandbox: PinSandbox, port = 0): Promise<SandboxServer> {
  requirePeer(HONO, 'The PIN API mock server');
  const { createAdaptorServer } = await import('@hono/node-server');
  const server = createAdaptorServer({
    hostname: '127.0.0.1',
    // Leave this process's Request and Response alone: tests share it.
    overrideGlobalObjects: false,
    async fetch(request: Request, env: { incoming: { socket: { destroy(): unknown } } }) {
      const response = (await control(sandbox, request)) ?? (await sandbox.handle(request));
      if (response.type !== 'error') return response;
      // A scripted network error: drop the connection unanswered, as a failing network would.
      env.incoming.socket.destroy();
      return new Response(null, { headers: { 'x-hono-already-sent': '1' } });
    },
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, 'sandbox') : error),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
