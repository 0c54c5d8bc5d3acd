// The loopback relay between `redocly respect` and the server `contract` checks. Respect follows redirects
// (its fetch says `redirect: "follow"`, with no flag to change it), so a server that moved every path
// behind a 308 looked conforming while the client refuses each of those calls, and the key went wherever
// the redirect pointed. Here nothing is followed: a 3xx reaches respect as it came, without its Location,
// so respect reports the status itself, and the key is sent to the one server named and nowhere else.
// Only respect can use it: its URL holds a path made for this run, and a request without that path, for
// another Host, or from a browser (Origin, Sec-Fetch-Site) gets 403 and goes nowhere. And only for the
// spec's two operations (all the workflows call): whoever learns the path gets no more than respect
// needs, and anything else gets 404 and goes nowhere.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readCapped } from '../src/core/body.js';
import { FORWARDED, operationAt } from './guard.js';
import { closeServer, listenOn, readBytes } from './server.js';
import { BODY_LIMIT, DEADLINE_MS, DROPPED } from './upstream.js';

export interface ContractRelay {
  /** Where respect is pointed, e.g. `http://127.0.0.1:39133/<path made for this run>`. */
  url: string;
  close(): Promise<void>;
}

/** The request headers the spec's operations read, as the `--upstream` relay passes them: nothing else. */
function headersOf(raw: IncomingMessage['headers']): Headers {
  const headers = new Headers();
  for (const name of FORWARDED) {
    const value = raw[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  return headers;
}

/** Whether `incoming` is respect's: the run's path prefix, the relay's own Host, no browser headers. */
function isRespects(incoming: IncomingMessage, host: string, prefix: string): boolean {
  const { headers } = incoming;
  const browser = headers.origin !== undefined || headers['sec-fetch-site'] !== undefined;
  return !browser && headers.host === host && (incoming.url ?? '').startsWith(`${prefix}/`);
}

async function relayOne(base: string, path: string, incoming: IncomingMessage, outgoing: ServerResponse) {
  const { bytes: body, truncated } = await readBytes(incoming, BODY_LIMIT);
  if (truncated) {
    // The rest is left unread: the answer goes out on the connection, which closes after it.
    outgoing.shouldKeepAlive = false;
    outgoing.writeHead(413).end();
    return void incoming.resume();
  }
  const answer = await fetch(`${base}${path}`, {
    method: incoming.method,
    headers: headersOf(incoming.headers),
    ...(body.length > 0 && { body: new Uint8Array(body) }),
    redirect: 'manual',
    signal: AbortSignal.timeout(DEADLINE_MS),
  });
  const headers = Object.fromEntries([...answer.headers].filter(([name]) => !DROPPED.includes(name)));
  // A redirect goes back without its Location (nothing to follow) and without its body.
  if (answer.status >= 300 && answer.status < 400) {
    await answer.body?.cancel();
    const { location: _dropped, ...rest } = headers;
    return void outgoing.writeHead(answer.status, rest).end();
  }
  const read = await readCapped(answer.body, BODY_LIMIT);
  if (read.truncated) return void outgoing.writeHead(502).end();
  outgoing.writeHead(answer.status, headers).end(read.text);
}

/** A relay on a free port of 127.0.0.1 to `base` (an http(s) URL without a trailing slash) that follows no redirect. */
export async function startContractRelay(base: string): Promise<ContractRelay> {
  const prefix = `/${randomBytes(18).toString('base64url')}`;
  let host = '';
  const server = createServer((incoming, outgoing) => {
    if (!isRespects(incoming, host, prefix)) {
      incoming.resume();
      return void outgoing.writeHead(403).end();
    }
    // As parsed (`//host/…` would name another host): what is checked is what is sent.
    const url = new URL(incoming.url!.slice(prefix.length), 'http://relay');
    if (url.host !== 'relay' || !operationAt(incoming.method ?? '', url.pathname)) {
      incoming.resume();
      return void outgoing.writeHead(404).end();
    }
    // Unreachable, or too slow: no answer, as respect would have seen it without the relay.
    relayOne(base, url.pathname + url.search, incoming, outgoing).catch(() => outgoing.destroy());
  });
  host = `127.0.0.1:${await listenOn(server, 0, 'api')}`;
  return {
    url: `http://${host}${prefix}`,
    close: () => closeServer(server),
  };
}
