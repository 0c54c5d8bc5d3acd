// PIN API servers written for the contract tests, none of them the package's sandbox: one that keeps to
// the spec; one drifted from it (the PIN as a number, a keyless GET answered 200); one that stores the
// wrong PIN on a PUT (the one sent, plus one); one whose first read after the first PUT answers the PIN
// from before it; one that answers every spec path with a 308 to the same server under /moved, where it
// keeps to the spec; one that answers a PUT with `{"success": true}` only, as the seeds show (conforming),
// and one that does so and stores the wrong PIN. Each records what it was sent and every PIN it held, for the no-PUT and no-secret checks.
import { randomInt } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
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
  /** The path of each request, in the order they came (`/moved/…` for one that followed a redirect). */
  paths: string[];
  /** The headers of each request, in the order they came. */
  headers: IncomingHttpHeaders[];
  /** The card's PIN now. */
  pin(): string;
  /** Every PIN the card ever held, or was answered with. */
  pins: Set<string>;
  /** With `hold`: settles when the first request has come (and is being held). */
  arrived: Promise<void>;
  /** With `hold`: answers the requests held so far, and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * How a server departs from the spec: `types` (the two drifts above), `wrongPin`, `staleOnce`, `redirect`,
 * `successOnlyWrongPin`; or, not departing, how it answers: `successOnly`.
 */
export type Drift = 'types' | 'wrongPin' | 'staleOnce' | 'redirect' | 'successOnly' | 'successOnlyWrongPin' | undefined;

/** Where the `redirect` server sends every request, on itself. */
const MOVED = '/moved';

interface State {
  pin: string;
  drift: Drift;
  /** With `staleOnce`: the PIN the next GET answers instead of the card's. */
  stale?: string;
  staleUsed?: boolean;
}

const plusOne = (pin: string) => String((Number(pin) + 1) % 10_000).padStart(4, '0');

function handle(req: IncomingMessage, body: string, res: ServerResponse, state: State) {
  const drifted = state.drift === 'types';
  const url = new URL(req.url ?? '/', 'http://x');
  if (state.drift === 'redirect') {
    if (!url.pathname.startsWith(`${MOVED}/`)) {
      res.writeHead(308, { location: `${MOVED}${req.url}`, 'cache-control': 'no-store' });
      return res.end();
    }
    url.pathname = url.pathname.slice(MOVED.length);
  }
  const auth = req.headers.authorization;
  if (auth === undefined && !(drifted && req.method === 'GET')) return answer(res, 401, { message: 'no key' });
  if (auth !== undefined && auth !== `ApiKey ${KEY}`) return answer(res, 403, { message: 'bad key' });
  const ids =
    url.searchParams.get('accountId') === CARD.accountId && url.searchParams.get('personId') === CARD.personId;
  if (url.pathname !== `/v2/cards/${CARD.cardId}/pin` || !ids) return answer(res, 404, { message: 'no such card' });
  if (req.method === 'GET') {
    if (!METHODS.includes(url.searchParams.get('cardholderVerificationMethod') ?? ''))
      return answer(res, 400, { message: 'bad method' });
    const stale = state.stale;
    state.stale = undefined;
    return answer(res, 200, { pin: drifted ? Number(state.pin) : (stale ?? state.pin) });
  }
  let sent: { pin?: unknown } = {};
  try {
    sent = body ? JSON.parse(body) : {};
  } catch {
    return answer(res, 400, { message: 'not JSON' });
  }
  if (sent.pin !== undefined && !(typeof sent.pin === 'string' && /^[0-9]{4}$/.test(sent.pin)))
    return answer(res, 400, { message: 'bad pin' });
  const chosen = (sent.pin as string | undefined) ?? String(randomInt(0, 10_000)).padStart(4, '0');
  if (state.drift === 'staleOnce' && !state.staleUsed) {
    state.stale = state.pin;
    state.staleUsed = true;
  }
  const wrong = state.drift === 'wrongPin' || state.drift === 'successOnlyWrongPin';
  state.pin = wrong ? plusOne(chosen) : chosen;
  const successOnly = state.drift === 'successOnly' || state.drift === 'successOnlyWrongPin';
  return answer(res, 200, successOnly ? { success: true } : { success: true, pin: chosen });
}

/**
 * A server on 127.0.0.1 for `CARD` and `KEY`, starting with PIN `pin`, departing from the spec as `drift`
 * says. With `hold`, requests wait unanswered until `release()`: a run caught in the middle.
 */
export async function startTestServer(pin: string, drift?: Drift, { hold = false } = {}): Promise<TestServer> {
  const state: State = { pin, drift };
  const methods: string[] = [];
  const paths: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const pins = new Set([pin]);
  let release = () => {};
  let arrive = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  if (!hold) release();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', async () => {
      arrive();
      await released;
      methods.push(req.method ?? '');
      paths.push(new URL(req.url ?? '/', 'http://x').pathname);
      headers.push(req.headers);
      handle(req, body, res, state);
      pins.add(state.pin);
      pins.add(plusOne(state.pin));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    methods,
    paths,
    headers,
    pins,
    pin: () => state.pin,
    arrived,
    release: () => release(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
