// A real HTTP server, in its own process, that misbehaves on request. The card id picks the
// fault: /v2/cards/<fault>-<anything>/pin. GET /__hits/<cardId> tells how many requests it got.
import { createServer, type ServerResponse } from 'node:http';

const hits = new Map<string, number>();
// Started by fault-server-process.ts, which names the PIN this server puts in its answers.
const ECHOED_PIN = process.env.ECHOED_PIN!;

const send = (res: ServerResponse, status: number, type: string | undefined, body: string, headers = {}) => {
  res.writeHead(status, { ...(type && { 'content-type': type }), ...headers });
  res.end(body);
};

const faults: Record<string, (res: ServerResponse, cardId: string, pin: string | undefined) => void> = {
  // ok-<n> answers with n as a four-digit PIN, so concurrent callers can check they got their own answer.
  ok: (res, cardId) => {
    const n = Number(cardId.split('-')[1]) % 10_000;
    send(res, 200, 'application/json', JSON.stringify({ pin: String(n).padStart(4, '0') }));
  },
  echo: (res, _, pin) => send(res, 200, 'application/json', JSON.stringify({ pin: pin ?? ECHOED_PIN })),
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
  retryDate: (res) => send(res, 429, 'application/json', '{}', { 'retry-after': new Date(Date.now() + 1000).toUTCString() }),
  malformed: (res) => send(res, 200, 'application/json', `{"pin": "${ECHOED_PIN}"`),
  html: (res, _, pin) => send(res, 502, 'text/html', `<html><body><h1>Bad gateway</h1><p>${pin ?? ECHOED_PIN}</p></body></html>`),
  empty: (res) => send(res, 200, 'application/json', ''),
  wrongType: (res) => send(res, 200, 'text/plain', JSON.stringify({ pin: ECHOED_PIN })),
  huge: (res) => send(res, 200, 'application/json', JSON.stringify({ pin: ECHOED_PIN, pad: 'x'.repeat(1_200_000) })),
};

const server = createServer((req, res) => {
  const url = new URL(req.url!, 'http://localhost');
  if (url.pathname.startsWith('/__hits/')) return send(res, 200, 'application/json', String(hits.get(url.pathname.slice(8)) ?? 0));
  const cardId = decodeURIComponent(/^\/v2\/cards\/([^/]+)\/pin$/.exec(url.pathname)?.[1] ?? '');
  const fault = faults[cardId.split('-')[0]!];
  if (!fault) return send(res, 404, 'application/json', '{}');
  hits.set(cardId, (hits.get(cardId) ?? 0) + 1);
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => fault(res, cardId, body ? JSON.parse(body).pin : undefined));
});

server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  const address = server.address();
  console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
process.stdin.on('end', () => process.exit(0)).resume(); // exit with the test process
