// A real HTTP server, in its own process, that misbehaves on request. The card id picks the
// fault: [<prefix>]/v2/cards/<fault>-<anything>/pin. GET /__hits/<cardId> tells how many requests it got.
import { createServer, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';

const hits = new Map<string, number>();
/** Card ids whose answer the client stopped reading: the connection closed before the body ended. */
const cutOff = new Set<string>();
// Started by fault-server-process.ts, which names the PIN this server puts in its answers,
// the loopback address to listen on, and the servers that redirects point at.
const { ECHOED_PIN, HOST, OTHER_PORT, OTHER_HOST } = process.env as Record<string, string>;
const MiB = 1 << 20;

const send = (res: ServerResponse, status: number, type: string | undefined, body: string, headers = {}) => {
  res.writeHead(status, { ...(type && { 'content-type': type }), ...headers });
  res.end(body);
};

/** Writes `chunk` until `total` bytes went out or the client went away, at the pace the socket takes. */
function flood(res: ServerResponse, chunk: Buffer, total = Infinity) {
  let left = total;
  const more = () => {
    while (left > 0 && !res.destroyed) {
      left -= chunk.length;
      if (!res.write(left < 0 ? chunk.subarray(0, chunk.length + left) : chunk)) return;
    }
    if (left <= 0) res.end();
  };
  res.on('drain', more);
  more();
}

/** A gzip stream generated as it is sent: `MiB` MiB of one byte after a JSON prefix. Only ~1/1000 of it is ever on the wire. */
const bomb = (prefix: string, mebibytes: number) =>
  Readable.from(
    (function* () {
      yield Buffer.from(prefix);
      const block = Buffer.alloc(MiB, 'x');
      for (let i = 0; i < mebibytes; i++) yield block;
    })(),
  ).pipe(createGzip({ level: 9 }));

const faults: Record<string, (res: ServerResponse, cardId: string, pin: string | undefined) => void> = {
  // ok-<n> answers with n as a four-digit PIN, so concurrent callers can check they got their own answer.
  ok: (res, cardId) => {
    const n = Number(cardId.split('-')[1]) % 10_000;
    send(res, 200, 'application/json', JSON.stringify({ pin: String(n).padStart(4, '0') }));
  },
  echo: (res, _, pin) => send(res, 200, 'application/json', JSON.stringify({ pin: pin ?? ECHOED_PIN })),
  // A valid answer to either operation: what a redirect target would need to pass as the real API.
  landed: (res, _, pin) =>
    send(res, 200, 'application/json', JSON.stringify({ pin: pin ?? ECHOED_PIN, success: true })),
  reset: (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write(`{"pin":"${ECHOED_PIN}`);
    setTimeout(() => res.socket?.destroy(), 5);
  },
  hang: () => {},
  s500: (res) => send(res, 500, 'application/json', JSON.stringify({ message: `failed for ${ECHOED_PIN}` })),
  s502: (res) => send(res, 502, 'application/json', '{}'),
  s503: (res) => send(res, 503, 'application/json', '{}'),
  s504: (res) => send(res, 504, 'application/json', '{}'),
  retrySeconds: (res) => send(res, 429, 'application/json', '{}', { 'retry-after': '1' }),
  retryDate: (res) =>
    send(res, 429, 'application/json', '{}', { 'retry-after': new Date(Date.now() + 1000).toUTCString() }),
  malformed: (res) => send(res, 200, 'application/json', `{"pin": "${ECHOED_PIN}"`),
  html: (res, _, pin) =>
    send(res, 502, 'text/html', `<html><body><h1>Bad gateway</h1><p>${pin ?? ECHOED_PIN}</p></body></html>`),
  empty: (res) => send(res, 200, 'application/json', ''),
  wrongType: (res) => send(res, 200, 'text/plain', JSON.stringify({ pin: ECHOED_PIN })),
  huge: (res) => send(res, 200, 'application/json', JSON.stringify({ pin: ECHOED_PIN, pad: 'x'.repeat(1_200_000) })),

  // Hostile servers (test/hardening/hostile.test.ts).
  // redirect-<status>-<port|host>-<nonce>: a redirect to landed-<nonce> on another port or another loopback address.
  redirect: (res, cardId) => {
    const [, status, to, nonce] = cardId.split('-');
    const location = `${to === 'host' ? OTHER_HOST : OTHER_PORT}/v2/cards/landed-${nonce}/pin`;
    send(res, Number(status), 'application/json', JSON.stringify({ pin: ECHOED_PIN, success: true }), { location });
  },
  endless: (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(`{"pin":"${ECHOED_PIN}","pad":"`);
    flood(res, Buffer.alloc(64 * 1024, 'x'));
  },
  tenGigabytes: (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10e9) });
    res.write(`{"pin":"${ECHOED_PIN}","pad":"`);
    flood(res, Buffer.alloc(64 * 1024, 'x'), 10e9 - 21);
  },
  // About 1 MiB on the wire that inflates to 1 GiB.
  gzipBomb: (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    pipeline(bomb(`{"pin":"${ECHOED_PIN}","pad":"`, 1024), res).catch(() => {});
  },
  // Compressed data that breaks off into garbage: the decoder fails part-way through the body.
  badGzip: (res) => {
    const packed = gzipSync(JSON.stringify({ pin: ECHOED_PIN, pad: 'x'.repeat(1000) }));
    packed.fill(0xff, 12, 40);
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(packed);
  },
  // One byte of JSON whitespace every 50 ms, for ever.
  drip: (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(`{"pin":"${ECHOED_PIN}"`);
    const timer = setInterval(() => res.write(' '), 50);
    res.on('close', () => clearInterval(timer));
  },
  // 50 MiB error bodies; the 503 one is retried.
  hugeError: (res) => {
    res.writeHead(500, { 'content-type': 'text/plain', 'content-length': String(50 * MiB) });
    flood(res, Buffer.alloc(64 * 1024, `PIN ${ECHOED_PIN} `), 50 * MiB);
  },
  hugeError503: (res) => {
    res.writeHead(503, { 'content-type': 'text/plain', 'content-length': String(50 * MiB) });
    flood(res, Buffer.alloc(64 * 1024, `PIN ${ECHOED_PIN} `), 50 * MiB);
  },
  // Keys that name Object.prototype members, next to a valid answer to either operation.
  protoKeys: (res) =>
    send(
      res,
      200,
      'application/json',
      `{"pin":"${ECHOED_PIN}","success":true,"__proto__":{"pin":"0000"},"constructor":{"name":"x"},"toString":"x","hasOwnProperty":1}`,
    ),
};

const server = createServer((req, res) => {
  const url = new URL(req.url!, 'http://localhost');
  if (url.pathname.startsWith('/__hits/'))
    return send(res, 200, 'application/json', String(hits.get(url.pathname.slice(8)) ?? 0));
  if (url.pathname.startsWith('/__cut/'))
    return send(res, 200, 'application/json', String(cutOff.has(url.pathname.slice(7))));
  // Under any prefix, as behind a team's own backend (`/api/equals/v2/cards/…`).
  const cardId = decodeURIComponent(/\/v2\/cards\/([^/]+)\/pin$/.exec(url.pathname)?.[1] ?? '');
  hits.set(cardId, (hits.get(cardId) ?? 0) + 1);
  res.on('close', () => res.writableFinished || cutOff.add(cardId));
  const fault = Object.hasOwn(faults, cardId.split('-')[0]!) ? faults[cardId.split('-')[0]!] : undefined;
  if (!fault) return send(res, 404, 'application/json', '{}');
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => fault(res, cardId, body ? JSON.parse(body).pin : undefined));
});

server.listen({ host: HOST, port: 0, backlog: 4096 }, () => {
  const address = server.address();
  console.log(`listening on http://${HOST}:${typeof address === 'object' && address ? address.port : 0}`);
});
process.stdin.on('end', () => process.exit(0)).resume(); // exit with the test process
