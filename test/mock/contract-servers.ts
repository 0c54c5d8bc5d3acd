// Two PIN API servers written for the contract tests, neither of them the package's sandbox: one that
// keeps to the spec, and one drifted from it (the PIN as a number, a keyless GET answered 200). Each
// records what it was sent and every PIN it held, for the no-PUT and no-secret checks.
import { randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CARD = {
  cardId: '3f6c1f0e-9a43-4a43-8d7e-0c2f7b9a1d55',
  accountId: 'F50091',
  personId: '0b7d8f8a-3c1e-4f7a-9e55-6a1d2c3b4e5f',
};
export const KEY = 'contract-test-key-5d1e';
const METHODS = ['BIOMETRIC_FACE', 'BIOMETRIC_FINGERPRINT', 'LOGIN', 'OTP'];

export interface TestServer {
  url: string;
  /** `GET` and `PUT`, in the order they came. */
  methods: string[];
  /** The card's PIN now. */
  pin(): string;
  /** Every PIN the card ever held, or was answered with. */
  pins: Set<string>;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, body: string, res: ServerResponse, state: { pin: string; drifted: boolean }) {
  const url = new URL(req.url ?? '/', 'http://x');
  const auth = req.headers.authorization;
  if (auth === undefined && !(state.drifted && req.method === 'GET')) return answer(res, 401, { message: 'no key' });
  if (auth !== undefined && auth !== `ApiKey ${KEY}`) return answer(res, 403, { message: 'bad key' });
  const ids =
    url.searchParams.get('accountId') === CARD.accountId && url.searchParams.get('personId') === CARD.personId;
  if (url.pathname !== `/v2/cards/${CARD.cardId}/pin` || !ids) return answer(res, 404, { message: 'no such card' });
  if (req.method === 'GET') {
    if (!METHODS.includes(url.searchParams.get('cardholderVerificationMethod') ?? ''))
      return answer(res, 400, { message: 'bad method' });
    return answer(res, 200, { pin: state.drifted ? Number(state.pin) : state.pin });
  }
  let sent: { pin?: unknown } = {};
  try {
    sent = body ? JSON.parse(body) : {};
  } catch {
    return answer(res, 400, { message: 'not JSON' });
  }
  if (sent.pin !== undefined && !(typeof sent.pin === 'string' && /^[0-9]{4}$/.test(sent.pin)))
    return answer(res, 400, { message: 'bad pin' });
  state.pin = (sent.pin as string | undefined) ?? String(randomInt(0, 10_000)).padStart(4, '0');
  return answer(res, 200, { success: true, pin: state.pin });
}

/** A server on 127.0.0.1 for `CARD` and `KEY`, starting with PIN `pin`; `drifted` breaks the spec in two places. */
export async function startTestServer(pin: string, drifted = false): Promise<TestServer> {
  const state = { pin, drifted };
  const methods: string[] = [];
  const pins = new Set([pin]);
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      methods.push(req.method ?? '');
      handle(req, body, res, state);
      pins.add(state.pin);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    methods,
    pins,
    pin: () => state.pin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
