// Shared by the tests of issue 17's controls (verification, limits, audit, headers): a forwarder over the
// in-process sandbox, the requests a browser sends, and one table of every way a request can end, so each
// control is checked on every branch.
import { expect } from 'vitest';
import { servers } from '../../generated/pin-constraints.js';
import { createPinForwarder, type PinForwarderOptions } from '../../src/forward.js';
import { createPinSandbox, type PinSandbox } from '../../src/sandbox.js';
import { API_KEY, seedPut } from '../support/fetch.js';

export const { cardId, accountId, personId, pin: EXAMPLE_PIN } = seedPut;
export const NEW_PIN = '5831';
export const APP = 'https://app.example/api/equals';
export const USER_TOKEN = 'Bearer user-session-token-91';
export const COOKIE = 'session=alice-cookie-3c7';
export const MFA_SESSION = 'mfa-session-from-browser-77aa';
export const MFA_TOKEN = '918273';
export const BACKEND_MFA = { sessionId: 'mfa-session-of-backend-31c9', token: '564738' };
/** Everything no answer, error or audit event may hold. */
export const SECRETS = [
  API_KEY,
  EXAMPLE_PIN,
  NEW_PIN,
  COOKIE,
  USER_TOKEN,
  MFA_SESSION,
  MFA_TOKEN,
  BACKEND_MFA.sessionId,
  BACKEND_MFA.token,
];

export interface Upstream {
  sandbox: PinSandbox;
  /** Every request that reached the sandbox, cloned. */
  requests: Request[];
  fetch: (request: Request) => Promise<Response>;
}

/** The sandbox as upstream `fetch`, recording each request; it answers with `x-request-id: req-<n>`. */
export function sandboxUpstream(): Upstream {
  const sandbox = createPinSandbox({ apiKeys: [API_KEY] });
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request.clone());
    const response = await sandbox.handle(request);
    if (response.type === 'error') throw new TypeError('fetch failed');
    const copy = new Response(response.body, response);
    copy.headers.set('x-request-id', `req-${requests.length}`);
    return copy;
  };
  return { sandbox, requests, fetch };
}

/** A forwarder over `upstream` that lets everyone in and vouches for LOGIN, unless `options` say otherwise. */
export const forwarderOver = (upstream: Upstream, options: Partial<PinForwarderOptions> = {}) =>
  createPinForwarder({
    apiKey: API_KEY,
    baseUrl: servers.sandbox,
    authorize: () => true,
    verification: () => ({ method: 'LOGIN' }),
    fetch: upstream.fetch,
    retry: { baseDelayMs: 1 },
    ...options,
  } as PinForwarderOptions);

export interface Inbound {
  method?: string;
  path?: string;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A request as the browser sends it to the backend: session cookie, a bearer token, JSON body. */
export function inbound({ method = 'GET', path, query, body, rawBody, headers = {} }: Inbound = {}): Request {
  const url = new URL(`${APP}${path ?? `/v2/cards/${cardId}/pin`}`);
  for (const [key, value] of Object.entries(query ?? { accountId, personId })) url.searchParams.set(key, value);
  return new Request(url, {
    method,
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    headers: {
      cookie: COOKIE,
      authorization: USER_TOKEN,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
  });
}

/** What a GET carries besides the ids. */
export const revealQuery = (extra: Record<string, string> = {}) => ({ accountId, personId, ...extra });

/** The query or body an upstream request carried, as one flat object (mfa kept nested). */
export async function sentUpstream(request: Request): Promise<Record<string, unknown>> {
  const url = new URL(request.url);
  const text = await request.text();
  return { ...Object.fromEntries(url.searchParams), ...(text ? JSON.parse(text) : {}) };
}

/** A limiter that refuses as rate-limiter-flexible does (its RateLimiterRes has msBeforeNext on the prototype). */
export class OverLimit {
  constructor(private readonly ms: number) {}
  get msBeforeNext() {
    return this.ms;
  }
}

export interface Branch {
  /** What the browser sends. */
  request: () => Request;
  /** Options that make the forwarder end the request this way. */
  options?: (upstream: Upstream) => Partial<PinForwarderOptions>;
  /** Prepares the sandbox. */
  arrange?: (upstream: Upstream) => void;
  status: number;
  outcome: 'success' | 'refused' | 'upstream_error' | 'error';
  code?: string;
  /** Whether the ids are known (the request passed validation). */
  ids: boolean;
  /** The body is the team's (a Response from authorize), not the forwarder's. */
  teamsBody?: boolean;
}

const stranger = { authorize: () => false };
const throwing = () => {
  throw new Error('session store down');
};

/** Every way a request can end, by the status the browser gets. */
export const branches: Record<string, Branch> = {
  'GET revealed (200)': {
    // With the provider's MFA fields from the browser: they go upstream, and into no event.
    request: () => inbound({ query: revealQuery({ sessionId: MFA_SESSION, token: MFA_TOKEN }) }),
    status: 200,
    outcome: 'success',
    ids: true,
  },
  'PUT changed (200)': {
    request: () => inbound({ method: 'PUT', body: { pin: NEW_PIN } }),
    status: 200,
    outcome: 'success',
    ids: true,
  },
  'invalid PIN (400)': {
    request: () => inbound({ method: 'PUT', body: { pin: '12' } }),
    status: 400,
    outcome: 'refused',
    code: 'minLength',
    ids: false,
  },
  'another origin (403)': {
    request: () => inbound({ query: revealQuery(), headers: { 'sec-fetch-site': 'cross-site' } }),
    status: 403,
    outcome: 'refused',
    code: 'cross-site',
    ids: false,
  },
  'authorize says no (403)': {
    request: () => inbound({ query: revealQuery() }),
    options: () => stranger,
    status: 403,
    outcome: 'refused',
    code: 'authorize',
    ids: true,
  },
  'authorize answers its own Response (401)': {
    request: () => inbound({ query: revealQuery() }),
    options: () => ({ authorize: () => Response.json({ message: 'Sign in again' }, { status: 401 }) }),
    status: 401,
    outcome: 'refused',
    code: 'authorize',
    ids: true,
    teamsBody: true,
  },
  'browser claims another method (403)': {
    request: () =>
      inbound({
        query: revealQuery({
          cardholderVerificationMethod: 'BIOMETRIC_FACE',
          sessionId: MFA_SESSION,
          token: MFA_TOKEN,
        }),
      }),
    status: 403,
    outcome: 'refused',
    code: 'verification',
    ids: true,
  },
  'no such path (404)': { request: () => inbound({ path: '/v2/cards' }), status: 404, outcome: 'refused', ids: false },
  'another method (405)': { request: () => inbound({ method: 'DELETE' }), status: 405, outcome: 'refused', ids: false },
  'a body that is not JSON (415)': {
    request: () => inbound({ method: 'PUT', rawBody: `pin=${NEW_PIN}`, headers: { 'content-type': 'text/plain' } }),
    status: 415,
    outcome: 'refused',
    ids: false,
  },
  'over the limit (429)': {
    request: () => inbound({ query: revealQuery() }),
    options: () => ({ limiter: { consume: () => Promise.reject(new OverLimit(1500)) } }),
    status: 429,
    outcome: 'refused',
    code: 'rate_limit',
    ids: true,
  },
  'authorize throws (500)': {
    request: () => inbound({ query: revealQuery() }),
    options: () => ({ authorize: throwing }),
    status: 500,
    outcome: 'error',
    code: 'authorize_error',
    ids: true,
  },
  'verification returns a method outside the spec (500)': {
    request: () => inbound({ query: revealQuery() }),
    options: () => ({ verification: () => ({ method: 'PASSWORD' as never }) }),
    status: 500,
    outcome: 'error',
    code: 'verification_config',
    ids: true,
  },
  'the limiter store fails (503)': {
    request: () => inbound({ query: revealQuery() }),
    options: () => ({ limiter: { consume: () => Promise.reject(new Error(`redis down ${EXAMPLE_PIN}`)) } }),
    status: 503,
    outcome: 'error',
    code: 'limiter',
    ids: true,
  },
  'unknown card upstream (404)': {
    request: () => inbound({ path: '/v2/cards/no-such-card/pin', query: revealQuery() }),
    status: 404,
    outcome: 'upstream_error',
    ids: true,
  },
  'upstream 500 (502)': {
    request: () => inbound({ query: revealQuery() }),
    arrange: ({ sandbox }) => sandbox.failNext({ status: 500, times: 5 }),
    status: 502,
    outcome: 'upstream_error',
    code: 'upstream_500',
    ids: true,
  },
  'upstream 503 (503)': {
    request: () => inbound({ query: revealQuery() }),
    arrange: ({ sandbox }) => sandbox.failNext({ status: 503, times: 5 }),
    status: 503,
    outcome: 'upstream_error',
    ids: true,
  },
};

/** The text of every header of an answer, one per line. */
export const headerText = (headers: Headers) => [...headers].map(([name, value]) => `${name}: ${value}`).join('\n');

/** Checks that no secret is in an answer's body or headers; returns the body text. */
export async function expectNoSecretIn(response: Response, secrets: string[] = SECRETS): Promise<string> {
  const text = await response.text();
  for (const secret of secrets) {
    expect(text, 'body').not.toContain(secret);
    expect(headerText(response.headers), 'headers').not.toContain(secret);
  }
  return text;
}
