// What the mock lets in, in front of Prism (server.ts) and in the --upstream relay (upstream.ts): one set of
// rules, each refusal naming its own. A page the developer has open in another tab is the threat: it can
// send requests to 127.0.0.1 (a simple request needs no preflight), and with CORS granted it could read
// the answers. So a loopback Host only (hosts.ts, against DNS rebinding), a loopback or named Origin only,
// CORS granted to those alone, and a body Prism can parse: Prism never answers one it cannot.
import { LOOPBACK_HOSTNAMES } from '../src/core/base-url.js';
import { fromAnotherSite, noStoreJson } from '../src/core/answer.js';
import { documentedResponses } from '../src/core/documented.js';
import { operationTable, type OperationId, takesBody } from '../src/core/operations.js';
import { bodyFields, isJsonType, METHODS, route } from '../src/core/request.js';
import { foreignHostRefusal } from '../src/sandbox/hosts.js';
import { documentedAnswer } from '../src/sandbox/documented.js';

/** Who may use the mock besides tools and loopback pages: host names (`allowHosts`) and page origins (`allowOrigins`). */
export interface GuardRules {
  allowHosts: readonly string[];
  allowOrigins: readonly string[];
}

const ids = Object.keys(operationTable) as OperationId[];
/** The spec's methods, which a preflight is told it may use. */
const ALLOWED_METHODS = METHODS.join(', ');
/** The headers the spec documents on its answers (Retry-After), which a page may read. */
const EXPOSED = [
  ...new Set(ids.flatMap((id) => Object.values(documentedResponses[id]).flatMap((answer) => answer.headers))),
].join(', ');
/** The operation that takes a body: a body elsewhere is checked by its rule too. */
const BODY_OPERATION = ids.find(takesBody)!;
/**
 * The only request headers the relays pass on, at each hop: what the spec's operations read. An allow-list,
 * so that what a browser adds (Cookie, Origin, Referer, Sec-Fetch-*, client hints) never reaches the server.
 */
export const FORWARDED = ['accept', 'authorization', 'content-type'];
const HEADER_LIST = /^[\w-]+(?:\s*,\s*[\w-]+)*$/;

/** A 403 that names the rule that refused, as `code`; nothing was read or changed. */
const refusal = (code: string, message: string) => noStoreJson(403, { message, code });

/**
 * `entry` as an origin (`https://dev.example`, `http://localhost:6006`), or `undefined` when it is
 * anything else: a bare host name, a path, user-info, `*` or `null`.
 */
export function originOf(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return undefined;
  }
  const plain = !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
  const http = url.protocol === 'http:' || url.protocol === 'https:';
  return plain && http && entry.replace(/\/$/, '').toLowerCase() === url.origin ? url.origin : undefined;
}

/**
 * Whether a page of `origin` (an Origin header) may use the mock: loopback on any port, named in
 * `allowOrigins`, or the request's own origin (its `Host`, which the host rule has already let in), as
 * for a page served through a dev proxy under a container's name.
 */
export function isAllowedOrigin(origin: string, allowOrigins: readonly string[], host?: string | null): boolean {
  if (allowOrigins.includes(origin)) return true;
  const exact = originOf(origin);
  if (exact !== origin) return false;
  const url = new URL(origin);
  return LOOPBACK_HOSTNAMES.includes(url.hostname) || (!!host && url.host === host.toLowerCase());
}

/**
 * The 403 for a request from another site's page: an Origin neither loopback nor allowed (`null`
 * included), or, without an Origin, `Sec-Fetch-Site` saying another site sent it. Tools send neither.
 */
export function originRefusal(request: Request, allowOrigins: readonly string[]): Response | undefined {
  const origin = request.headers.get('origin');
  if (origin !== null) {
    if (isAllowedOrigin(origin, allowOrigins, request.headers.get('host'))) return undefined;
    return refusal(
      'origin',
      "This page's origin may not use the mock: only loopback origins, and those added with --allow-origin ORIGIN (or allowOrigins)",
    );
  }
  if (fromAnotherSite(request)) return refusal('cross-site', "The mock takes no requests from other sites' pages");
}

/** The CORS headers for an answer to a page of an allowed origin; none for tools and same-origin pages. */
export function corsHeaders(request: Request, rules: GuardRules): Record<string, string> {
  const origin = request.headers.get('origin');
  if (origin === null || !isAllowedOrigin(origin, rules.allowOrigins, request.headers.get('host'))) return {};
  // No Access-Control-Allow-Credentials: the mock reads no cookies, and a page has none to send it.
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED, vary: 'Origin' };
}

/** The answer to a CORS preflight from an allowed origin, or `undefined` when the request is not one. */
function preflight(request: Request, rules: GuardRules): Response | undefined {
  const { headers } = request;
  if (request.method !== 'OPTIONS' || !headers.get('access-control-request-method')) return undefined;
  const asked = headers.get('access-control-request-headers') ?? '';
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(request, rules),
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': HEADER_LIST.test(asked) ? asked : FORWARDED.join(', '),
      'access-control-max-age': '600',
    },
  });
}

/**
 * The guard's answer before anything goes on, if it has one: the host refusal, the origin refusals, or
 * a preflight answered here (Prism runs with --cors=false and grants nothing itself).
 */
export function admission(request: Request, rules: GuardRules): Response | undefined {
  return (
    foreignHostRefusal(request, rules.allowHosts) ??
    originRefusal(request, rules.allowOrigins) ??
    preflight(request, rules)
  );
}

/**
 * The spec's 400 (or 415) for a body Prism must not see, read up to the limit (`truncated` when more
 * came): the sandbox's own rule for updatePin's body (src/core/request.ts). Elsewhere a body whose type
 * names JSON must be a JSON object too: Prism parses such a body on any path, and never answers one
 * that is not JSON.
 */
export function bodyRefusal(request: Request, text: string, truncated: boolean): Response | undefined {
  const found = route(request.method, new URL(request.url).pathname);
  const operation = 'ok' in found ? undefined : found.operation;
  const type = request.headers.get('content-type');
  const checked = operation === BODY_OPERATION;
  if (!checked && !truncated && !(text && /json/i.test(type ?? ''))) return undefined;
  // Elsewhere a type such as text/json is read as JSON too; one that names a charset keeps it, to be checked.
  const read = bodyFields(BODY_OPERATION, text, truncated, checked || isJsonType(type) ? type : 'application/json');
  if (read.ok) return undefined;
  return documentedAnswer(operation, read.status, { message: read.message, code: read.rule });
}

/**
 * The spec's operation at exactly this method and path, else undefined: for the relays (`mock --upstream`
 * and the contract command's), which pass on nothing else. route() matches a path by its end, for faces
 * mounted under a prefix; a relay has no prefix, so the path must have the template's segments and no
 * more (`/anything/v2/cards/x/pin` is not an operation here).
 */
export function operationAt(method: string, pathname: string): OperationId | undefined {
  const found = route(method, pathname);
  if ('ok' in found) return undefined;
  const segments = (path: string) => path.split('/').length;
  return segments(pathname) === segments(operationTable[found.operation].path) ? found.operation : undefined;
}
