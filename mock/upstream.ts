// `mock --upstream <url>`: Prism validating every answer of a real server against the spec. Prism proxies
// without --errors, so that it marks a violation in its `sl-violations` header instead of answering for the
// server; this relay in front of it reads that header, prints one line per violation (operation, status,
// field, never a value), and refuses the answer with a problem+json 500, as `prism proxy --errors` does.
import type { Server } from 'node:http';
import { bounded, readCapped, truncated } from '../src/core/body.js';
import { route } from '../src/core/request.js';
import { foreignHostRefusal } from '../src/sandbox/hosts.js';
import { requirePeer } from './peers.js';
import { HONO } from './prism.js';
import { closeServer, GUARD_PASS_HEADER as PASS_HEADER, listenOn, requirePass, type SandboxServer } from './server.js';

/** What the relay forwards and returns, at most: a PIN API body is tens of bytes. */
const BODY_LIMIT = 1024 * 1024;
/** How long one answer may take, Prism and the upstream server together. */
const DEADLINE_MS = 30_000;
// Hop-by-hop headers, and the ones fetch has already acted on (it decodes a gzip body, say).
const DROPPED = ['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host'];

/** One entry of Prism's `sl-violations` header. */
interface Violation {
  location?: string[];
  severity?: string;
  code?: string;
  message?: string;
}

/** The spec's operation a method and path belong to, e.g. `getPin`; else the method and path. */
function operationOf(method: string, path: string): string {
  const found = route(method, path);
  return 'ok' in found ? `${method} ${path}` : found.operation;
}

/** "getPin 200: /pin must be string": the field as a pointer into the body, Prism's rule without its preamble. */
function violationLine(operation: string, status: number, violation: Violation): string {
  const [, part = '', ...rest] = violation.location ?? [];
  const field = part === 'body' ? `/${rest.join('/')}` : [part, ...rest].join('.');
  const rule = (violation.message ?? violation.code ?? 'breaks the spec').replace(
    /^Response (body|header)( property \S+)?\s*/i,
    '',
  );
  return `${operation} ${status}: ${field} ${rule}`;
}

function violationsIn(header: string | null): Violation[] {
  if (!header) return [];
  try {
    const parsed = JSON.parse(header) as Violation[];
    return Array.isArray(parsed) ? parsed.filter((violation) => violation.severity === 'Error') : [];
  } catch {
    return [{ location: ['response'], severity: 'Error', message: 'Prism reported violations it could not list' }];
  }
}

/**
 * `request` sent on to the same path under `base`: hop-by-hop headers and the pass dropped (`pass` set
 * instead, when given), the body bounded, no redirect followed, within the deadline.
 */
async function sendOn(base: string, request: Request, pass?: string): Promise<Response> {
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  for (const name of [...DROPPED, PASS_HEADER]) headers.delete(name);
  if (pass) headers.set(PASS_HEADER, pass);
  const sent = request.body ? await readCapped(request.body, BODY_LIMIT) : undefined;
  if (sent?.truncated) return Response.json({ message: 'Request body too large' }, { status: 413 });
  return fetch(`${base}${url.pathname}${url.search}`, {
    method: request.method,
    headers,
    body: sent?.text,
    redirect: 'manual',
    signal: AbortSignal.timeout(DEADLINE_MS),
  });
}

/** `answer` as it came, less `dropped` headers, its body bounded; one over the limit is refused with 502. */
async function passBack(answer: Response, dropped: readonly string[]): Promise<Response> {
  const headers = new Headers(answer.headers);
  for (const name of [...DROPPED, ...dropped]) headers.delete(name);
  const copy = await bounded(new Response(answer.body, { status: answer.status, headers }), BODY_LIMIT);
  // Cut short, the answer would reach the app as a different body: refused instead.
  if (truncated.has(copy))
    return Response.json({ message: "The upstream answer is over the relay's limit" }, { status: 502 });
  return copy;
}

/** The relay's answer to one request: the upstream answer through Prism, or a refusal when it breaks the spec. */

async function relay(
  prismUrl: string,
  request: Request,
  report: (line: string) => void,
  pass: string,
): Promise<Response> {
  const url = new URL(request.url);
  const answer = await sendOn(prismUrl, request, pass);
  const violations = violationsIn(answer.headers.get('sl-violations'));
  if (violations.length === 0) return passBack(answer, ['sl-violations']);
  await answer.body?.cancel();
  const operation = operationOf(request.method, url.pathname);
  for (const violation of violations) report(violationLine(operation, answer.status, violation));
  const validation = violations.map(({ location, severity, code, message }) => ({ location, severity, code, message }));
  const refusal = {
    type: 'https://stoplight.io/prism/errors#VIOLATIONS',
    title: 'Response not valid',
    status: 500,
    detail: `The upstream server answered ${answer.status}, and that answer breaks the spec; it was refused.`,
    validation,
  };
  return new Response(JSON.stringify(refusal), {
    status: 500,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
  });
}

/** A server on 127.0.0.1 (port 0 picks a free one) that answers with `handle`. */
async function serveFetch(port: number, handle: (request: Request) => Promise<Response>): Promise<SandboxServer> {
  requirePeer(HONO, 'The PIN API mock server');
  const { createAdaptorServer } = await import('@hono/node-server');
  const server = createAdaptorServer({
    hostname: '127.0.0.1',
    overrideGlobalObjects: false,
    fetch: (request: Request) =>
      handle(request).catch(() =>
        Response.json({ message: 'The mock could not reach Prism or the upstream server in time' }, { status: 502 }),
      ),
  }) as Server;
  const bound = await listenOn(server, port, 'api');
  return { url: `http://127.0.0.1:${bound}`, close: () => closeServer(server) };
}

/**
 * The relay in front of Prism, on `port`: it refuses requests for a host other than loopback and
 * `allowHosts` (a page that rebinds its name to 127.0.0.1 must not reach the real server through it) and
 * answers that Prism marks as breaking the spec, and hands Prism `pass` for the gate behind it.
 */
export function serveRelay(
  prismUrl: string,
  port: number,
  report: (line: string) => void,
  allowHosts: readonly string[],
  pass: string,
) {
  return serveFetch(
    port,
    async (request) => foreignHostRefusal(request, allowHosts) ?? relay(prismUrl, request, report, pass),
  );
}

/**
 * The gate between Prism and the real server, on a free loopback port: Prism's own port is unguarded, so
 * only what carries the relay's `pass` goes on to `upstream`; the rest gets the host refusal.
 */
export function serveUpstreamGate(upstream: string, pass: string) {
  const refusal = requirePass(pass);
  return serveFetch(0, async (request) => refusal(request) ?? passBack(await sendOn(upstream, request), []));
}
