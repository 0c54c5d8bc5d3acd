// `mock --upstream <url>`: Prism validating every answer of a real server against the spec. Prism proxies
// without --errors, so that it marks a violation in its `sl-violations` header instead of answering for the
// server; this relay in front of it reads that header, prints one line per violation (operation, status,
// field, never a value), and refuses the answer with a problem+json 500, as `prism proxy --errors` does.
import type { Server } from 'node:http';
import { bounded, readCapped, truncated } from '../src/core/body.js';
import { noStoreJson } from '../src/core/answer.js';
import { operationTable, type OperationId, takesBody } from '../src/core/operations.js';
import { MAX_REQUEST_BODY_BYTES, type PinRequest, readPinRequest, requestText } from '../src/core/request.js';
import { documentedAnswer } from '../src/sandbox/documented.js';
import { admission, bodyRefusal, corsHeaders, FORWARDED, type GuardRules, operationAt } from './guard.js';
import { requirePeer } from './peers.js';
import { HONO } from './prism.js';
import {
  closeServer,
  GUARD_PASS_HEADER as PASS_HEADER,
  listenOn,
  requirePass,
  type SandboxServer,
  withHeaders,
} from './server.js';

/** What the relay forwards and returns, at most: a PIN API body is tens of bytes. */
export const BODY_LIMIT = 1024 * 1024;
/** How long one answer may take, Prism and the upstream server together. */
export const DEADLINE_MS = 30_000;
// Answers' hop-by-hop headers, the ones fetch has already acted on (it decodes a gzip body, say), and
// cookies: a server the relay points at sets none on the developer's loopback origins.
export const DROPPED = [
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'set-cookie',
];

/** One entry of Prism's `sl-violations` header. */
interface Violation {
  location?: string[];
  severity?: string;
  code?: string;
  message?: string;
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
 * `request` sent on under `base` to `target` (its own path and query when not given) with `body`: only
 * the {@link FORWARDED} headers (and `pass`, when given), no redirect followed, within the deadline.
 */
function sendOn(
  base: string,
  request: Request,
  body: string | undefined,
  pass?: string,
  target?: string,
): Promise<Response> {
  const url = new URL(request.url);
  const headers = new Headers();
  for (const name of FORWARDED) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (pass) headers.set(PASS_HEADER, pass);
  return fetch(`${base}${target ?? url.pathname + url.search}`, {
    method: request.method,
    headers,
    body: body || undefined,
    redirect: 'manual',
    signal: AbortSignal.timeout(DEADLINE_MS),
  });
}

/**
 * The request the validator accepted, rebuilt from its fields alone, in the spec's places: the path
 * parameters encoded, the query in the spec's order, the body as JSON (when one was sent). Nothing it
 * did not check goes on.
 */
function rebuilt({ operation, input }: PinRequest, sentBody: boolean): { target: string; body?: string } {
  const { path, in: places } = operationTable[operation];
  const target = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(input[name])));
  const query = new URLSearchParams();
  const body: Record<string, unknown> = {};
  for (const [key, place] of Object.entries(places)) {
    if (!Object.hasOwn(input, key)) continue;
    if (place === 'query') query.set(key, String(input[key]));
    if (place === 'body') body[key] = input[key];
  }
  const search = query.size ? `?${query}` : '';
  return { target: `${target}${search}`, body: sentBody ? JSON.stringify(body) : undefined };
}

/**
 * The request through the one validator the sandbox and the forwarder run (src/core/request.ts), its
 * body already read as `text`: the spec's 400 (naming the field and the rule) for a card id that leaves
 * its path segment or is too long, a query parameter or a body field the spec does not name, a missing
 * or malformed one.
 */
async function validated(request: Request, operation: OperationId, text: string) {
  const type = request.headers.get('content-type');
  const copy = new Request(request.url, {
    method: request.method,
    headers: type === null ? {} : { 'content-type': type },
    body: takesBody(operation) && text ? text : undefined,
  });
  return readPinRequest(copy);
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
  const operation = operationAt(request.method, url.pathname);
  if (!operation)
    return noStoreJson(404, { message: "The relay passes on the spec's two operations only", code: 'operation' });
  const { text, truncated: cut } = await readCapped(request.body, MAX_REQUEST_BODY_BYTES, undefined, requestText);
  const broken = bodyRefusal(request, text, cut);
  if (broken) return broken;
  const read = await validated(request, operation, text);
  if (!read.ok) return documentedAnswer(operation, read.status, { message: read.message, code: read.rule });
  const { target, body } = rebuilt(read, takesBody(operation) && text !== '');
  const answer = await sendOn(prismUrl, request, body, pass, target);
  const violations = violationsIn(answer.headers.get('sl-violations'));
  if (violations.length === 0) return passBack(answer, ['sl-violations']);
  await answer.body?.cancel();
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
 * The relay in front of Prism, on `port`: the guard's rules first (mock/guard.ts: a loopback or allowed
 * Host, so that a page that rebinds its name to 127.0.0.1 cannot reach the real server through it, and
 * no page of another site); then only the spec's two operations, with a body Prism can parse. It refuses
 * answers that Prism marks as breaking the spec, and hands Prism `pass` for the gate behind it.
 */
export function serveRelay(
  prismUrl: string,
  port: number,
  report: (line: string) => void,
  rules: GuardRules,
  pass: string,
) {
  return serveFetch(port, async (request) => {
    const early = admission(request, rules);
    if (early) return early;
    return withHeaders(await relay(prismUrl, request, report, pass), corsHeaders(request, rules));
  });
}

/**
 * The gate between Prism and the real server, on a free loopback port: Prism's own port is unguarded, so
 * only what carries the relay's `pass` goes on to `upstream`; the rest gets the pass refusal, which
 * points at the relay's port (`entry`).
 */
export function serveUpstreamGate(upstream: string, pass: string, entry: () => string | undefined) {
  const refusal = requirePass(pass, entry);
  return serveFetch(0, async (request) => {
    const refused = refusal(request);
    if (refused) return refused;
    const sent = await readCapped(request.body, BODY_LIMIT);
    if (sent.truncated) return Response.json({ message: 'Request body too large' }, { status: 413 });
    return passBack(await sendOn(upstream, request, sent.text), []);
  });
}
