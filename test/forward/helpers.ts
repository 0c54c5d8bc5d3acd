// Shared by the forwarder's socket, guide and browser tests: the sandbox served over HTTP on loopback as
// the upstream API, and the guides' examples written out as files a compiler or Node can take.
import { serve } from '@hono/node-server';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exampleCard } from '../../generated/pin-examples.js';
import { createPinSandbox, type PinSandbox } from '../../src/sandbox.js';
import { docExample, writeDocExamples } from '../support/docs.js';

export const SESSION = 'session=alice-7f3a';

export interface Upstream {
  url: string;
  sandbox: PinSandbox;
  /** Headers of every request that reached the sandbox. */
  headers: Headers[];
  close(): Promise<void>;
}

/** The sandbox on 127.0.0.1, accepting only `apiKey`. */
export async function startUpstream(apiKey: string): Promise<Upstream> {
  const sandbox = createPinSandbox({ apiKeys: [apiKey] });
  const headers: Headers[] = [];
  const handle = (request: Request) => {
    headers.push(new Headers(request.headers));
    return sandbox.handle(request);
  };
  return listen(handle, (url, close) => ({ url, sandbox, headers, close }));
}

/** Serves a Fetch handler on 127.0.0.1 at a free port, through @hono/node-server. */
export function listen<T>(
  fetch: (request: Request) => Response | Promise<Response>,
  done: (url: string, close: () => Promise<void>) => T,
): Promise<T> {
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      const close = () => new Promise<void>((closed) => server.close(() => closed()));
      resolve(done(`http://127.0.0.1:${info.port}`, close));
    });
  });
}

/**
 * The forwarder guide's module and the client guide's browser example as files, and next to them the
 * `./session.js` they import: the spec's example card for the cookie SESSION.
 */
export function writeExamples(): string {
  const dir = writeDocExamples('docs-forward', 'docs/forwarder.md', ['forwarder']);
  writeFileSync(join(dir, 'browser.ts'), docExample('docs/client.md', 'browser'));
  writeFileSync(
    join(dir, 'session.js'),
    `export const cardsOfSession = async (request) => ((request.headers.get('cookie') ?? '').split(/; */).includes(${JSON.stringify(SESSION)}) ? [${JSON.stringify(exampleCard.cardId)}] : []);\n`,
  );
  writeFileSync(
    join(dir, 'session.d.ts'),
    'export declare const cardsOfSession: (request: Request) => Promise<string[]>;\n',
  );
  return dir;
}
