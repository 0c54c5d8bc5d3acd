// A forwarder for the team's own backend: the browser calls the backend with its session, the backend
// adds the API key and calls the PIN API. Fetch-standard, `(request) => Promise<Response>`, so it mounts
// as Next.js route handlers, in Hono, Remix or Workers, and in Express or node:http through an adapter.
// It trusts the team's backend (its hooks), never the browser.
//
// Order of checks, each one ending the request with nothing sent upstream:
//   1. origin        a browser request from another origin's page (Sec-Fetch-Site): 403 `cross-site`
//   2. route         the spec's two operations, matched at the end of the path (any mount prefix): 404, 405
//   3. validation    the same generated table and validator as the client: 400 (field and rule), 415. The
//                    browser may leave `cardholderVerificationMethod` out: the backend supplies it (5).
//   4. authorize     the team's session check, with the operation and the ids (never the PIN): 403 `authorize`
//   5. verification  the backend's own claim of how the cardholder was verified; a browser method that
//                    differs from it: 403 `verification`; a claim the spec refuses: 500 `verification_config`
//   6. limiter       the team's limiter, per operation and card: 429 `rate_limit` with Retry-After; a store
//                    that fails: 503 `limiter`
//   7. upstream      the client, with the server's key and the backend's method and MFA fields
//   8. audit         one event per request, awaited; a success it cannot record becomes 500 `audit`
// Validation comes before `authorize` so that the hooks get ids the spec accepts; it does no work
// upstream, and its refusals quote only the spec's public rules, never a value. A hook that throws, or
// answers nothing within timeoutMs, fails closed with 500 (the limiter's store with 503).
//
// Answers are JSON with the spec's example bodies, never an echoed value; every one (a Response from
// `authorize` too) carries the security headers of headers.ts. Upstream failures (upstream-status.ts):
//   success                         200, the body the client returned (only the spec's fields)
//   upstream 400 / 404 / 429        the same status (429 and 503 keep Retry-After)
//   upstream 401 / 403              502: the server's own key or IP allow-list is wrong, not the caller's fault
//   upstream 500, 502, other        502
//   upstream 503 / 504              503 / 504
//   timeout (timeoutMs)             504
//   the server's own setup refused  500 (code `config`: an apiKey function returning a malformed key)
//   network, redirect, bad body     502
// `code` names the cause of a 502/504 (`upstream_401`, `timeout`, `network`, `redirect`, `response`).
// The provider's `x-request-id`, when it sent one, is passed on for support requests.
import { createPinClient, type PinClientOptions } from '../client/client.js';
import { PinValidationError } from '../client/errors.js';
import { checkOptions } from '../client/options.js';
import { fromAnotherSite } from '../core/answer.js';
import { METHODS, readPinRequest, route, type Refusal } from '../core/request.js';
import { ID_FIELDS, METHOD_FIELD, type OperationId } from '../core/operations.js';
import { ruleMessage } from '../core/validate.js';
import { recordAudit, type Trace } from './audit.js';
import { watchForConsumedBody } from './consumed-body.js';
import { withinDeadline } from './deadline.js';
import { jsonAnswer, serverFault, type Handled } from './handled.js';
import { withSecurityHeaders } from './headers.js';
import { consumeLimit, limitKeyOf } from './limits.js';
import { checkNoStoreSupported } from './runtime.js';
import type { ForwardParams, PinForwarder, PinForwarderOptions } from './options.js';
import { upstreamFailureAnswer } from './upstream-status.js';
import { type Answered, forwarderTracing } from './trace.js';
import { applyVerification } from './verification.js';

/** The options as the forwarder runs them: checked once, at creation. */
interface Settings extends Omit<PinForwarderOptions, 'onError'> {
  client: Pick<PinClientOptions, 'apiKey' | 'baseUrl' | 'timeoutMs' | 'retry'>;
  deadlineMs: number;
  report: (error: unknown) => void;
  /** Puts the trace context on an upstream request; only with a tracer. */
  inject?: (headers: Headers) => Promise<void>;
}

const ignore = () => {};

const required = (field: string): never => {
  throw new PinValidationError('createPinForwarder', ruleMessage(field, 'required'), { field, rule: 'required' });
};

/**
 * The backend half of browser use: a Fetch handler that serves the spec's two operations under any path
 * prefix, checks each request (origin, route, validation, `authorize`, `verification`, `limiter`), calls
 * the PIN API with the server's key and the backend's verification claim, and records one `onAudit` event
 * per request. Every answer is JSON, `no-store` and framed by no one; none echoes a secret.
 *
 * @example
 * ```ts
 * import { createPinForwarder } from 'equals-card-pin/forward';
 *
 * const forward = createPinForwarder({
 *   apiKey: process.env.EQUALS_API_KEY!,
 *   authorize: async (request, { cardId }) => (await cardsOfSession(request)).includes(cardId),
 *   verification: async (request) => ({ method: (await sessionOf(request)).stepUp ? 'OTP' : 'LOGIN' }),
 *   onAudit: (event) => auditLog.write(event),
 * });
 * export { forward as GET, forward as PUT };
 * ```
 */
export function createPinForwarder(options: PinForwarderOptions): PinForwarder {
  const settings = settingsOf(options);
  // Only with a tracer: one span per request (src/forward/trace.ts), and the context sent upstream.
  const tracing = settings.tracer && forwarderTracing(settings.tracer, settings.report);
  settings.inject = tracing ? tracing.inject : undefined;
  const forward = async (request: Request, answered?: Answered) => {
    const trace: Trace = { startedAt: Date.now() };
    let handled: Handled;
    try {
      handled = await checkAndForward(settings, request, trace);
    } catch (error) {
      // A body stream that broke mid-read, for instance.
      settings.report(error);
      handled = serverFault(trace.operation, 'internal');
    }
    // The headers first, so that the audit event records the answer that is sent.
    const secured = securedAnswer(handled, settings, trace);
    const answer = await recordAudit(settings.onAudit, request, trace, secured, settings);
    // recordAudit's own 500 (a success it could not record) still needs them.
    const response = answer === secured.response ? answer : withSecurityHeaders(answer);
    answered?.(trace, secured, response);
    return response;
  };
  return tracing ? (request) => tracing.handle(request, forward) : (request) => forward(request);
}

/** `handled` with the security headers on its answer, or the 500 that replaces an answer they cannot go on. */
function securedAnswer(handled: Handled, settings: Settings, trace: Trace): Handled {
  try {
    return { ...handled, response: withSecurityHeaders(handled.response) };
  } catch (error) {
    // A Response from authorize whose body was already read cannot be copied: refused all the same.
    settings.report(error);
    const fault = serverFault(trace.operation, 'internal');
    return { ...fault, response: withSecurityHeaders(fault.response) };
  }
}

function settingsOf(options: PinForwarderOptions): Settings {
  const { apiKey, authorize, verification, onError, baseUrl, timeoutMs, retry } = options ?? ({} as never);
  if (typeof authorize !== 'function') required('authorize');
  if (typeof verification !== 'function') required('verification');
  // The browser side runs without a key; this side must have one, or every call would be a 401 upstream.
  if (!apiKey) required('apiKey');
  if (options.limiter && typeof options.limiter.consume !== 'function') required('limiter.consume');
  checkNoStoreSupported();
  const client = { apiKey, baseUrl, timeoutMs, retry };
  // Refuses a bad baseUrl or timeoutMs now, as the client does, rather than on the first request.
  checkOptions(client, 'createPinForwarder');
  const report = (error: unknown) => {
    try {
      // A log sink that is down rejects: that rejection is ignored here, never left unhandled (Node's default
      // for one ends the process, and an unauthenticated browser can cause a report, with a body that never ends).
      Promise.resolve(onError?.(error)).catch(ignore);
    } catch {
      // A logger that throws must not change the answer.
    }
  };
  return { ...options, client, deadlineMs: timeoutMs ?? 10_000, report };
}

/** Steps 1 to 7 of the module header; the first that refuses ends the request. */
async function checkAndForward(settings: Settings, request: Request, trace: Trace): Promise<Handled> {
  if (fromAnotherSite(request))
    return jsonAnswer(403, { message: 'Not allowed from another origin', code: 'cross-site' }, 'refused');
  const watched = watchForConsumedBody(request);
  // A browser that never finishes its body must not hold the request past timeoutMs either (answered 500).
  const read = await withinDeadline('reading the request body', settings.deadlineMs, () =>
    readPinRequest(watched.request, [METHOD_FIELD]),
  );
  trace.operation = read.operation;
  if (watched.bodyWasConsumed()) {
    settings.report(
      new Error('createPinForwarder: the request body was read before the forwarder; mount it before any body parser'),
    );
    return serverFault(read.operation, 'body_consumed');
  }
  if (!read.ok) return validationRefusal(request, read);
  const { operation, input } = read;
  const params = { operation } as ForwardParams;
  for (const id of ID_FIELDS) params[id] = input[id] as string;
  trace.params = params;

  const denied = await askAuthorize(settings, request, params);
  if (denied) return denied;
  const verified = await askVerification(settings, request, params, input);
  if ('handled' in verified) return verified.handled;
  trace.method = verified.method;
  const limited = await countRequest(settings, request, params);
  if (limited) return limited;
  return callUpstream(settings, operation, verified.input);
}

/** Step 6: undefined when there is no limiter or the request is under its limit, else the refusal. */
async function countRequest(settings: Settings, request: Request, params: ForwardParams): Promise<Handled | undefined> {
  if (!settings.limiter) return;
  let key: string;
  try {
    key = await limitKeyOf(request, params, settings.limitKey, settings.deadlineMs);
  } catch (error) {
    settings.report(error);
    return serverFault(params.operation, 'limit_key_error');
  }
  return consumeLimit(settings.limiter, key, params, settings.deadlineMs, settings.report);
}

/** 404, 405 (with Allow), 400 and 415 from reading the request. */
function validationRefusal(request: Request, { status, message, rule }: Refusal): Handled {
  const headers: Record<string, string> = {};
  if (status === 405) {
    const { pathname } = new URL(request.url);
    headers.allow = METHODS.filter((method) => !('ok' in route(method, pathname))).join(', ');
  }
  return jsonAnswer(status, { message, ...(rule && { code: rule }) }, 'refused', { headers });
}

/**
 * Whether `authorize`'s verdict is a Response, whichever class made it: an adapter may swap the global
 * Response for its own (@hono/node-server's overrideGlobalObjects, on by default), and one that the
 * backend made with the engine's `Response.json` is then no instance of the global it sees.
 */
const isResponse = (verdict: unknown): verdict is Response =>
  verdict instanceof Response || Object.prototype.toString.call(verdict) === '[object Response]';

/** Step 4: undefined when `authorize` lets the request through, else its refusal. */
async function askAuthorize(settings: Settings, request: Request, params: ForwardParams): Promise<Handled | undefined> {
  let verdict: boolean | Response;
  try {
    verdict = await withinDeadline('authorize', settings.deadlineMs, () => settings.authorize(request, params));
  } catch (error) {
    // Fails closed: a session check that breaks lets nobody through.
    settings.report(error);
    return serverFault(params.operation, 'authorize_error');
  }
  if (isResponse(verdict)) return { response: verdict, outcome: 'refused', code: 'authorize', forwarded: false };
  if (verdict !== true) return jsonAnswer(403, { message: 'Not allowed', code: 'authorize' }, 'refused');
}

/** Step 5: the upstream input with the backend's claim in it, or the refusal. */
async function askVerification(
  settings: Settings,
  request: Request,
  params: ForwardParams,
  input: Record<string, unknown>,
): Promise<{ input: Record<string, unknown>; method: Trace['method'] } | { handled: Handled }> {
  let claim: unknown;
  try {
    claim = await withinDeadline('verification', settings.deadlineMs, () => settings.verification(request, params));
  } catch (error) {
    settings.report(error);
    return { handled: serverFault(params.operation, 'verification_error') };
  }
  const verified = applyVerification(params.operation, input, claim);
  if (verified.ok) return verified;
  if (verified.status === 403) {
    const body = { message: 'The verification method is not the one the server established', code: 'verification' };
    return { handled: jsonAnswer(403, body, 'refused') };
  }
  settings.report(verified.error);
  return { handled: serverFault(params.operation, 'verification_config') };
}

/** Step 7: the call through the client, and the provider's x-request-id for the audit trail. */
async function callUpstream(settings: Settings, operation: OperationId, input: Record<string, unknown>) {
  let requestId: string | undefined;
  const { fetch: upstreamFetch } = settings;
  const client = createPinClient({
    ...settings.client,
    tracer: settings.tracer,
    // The client builds each upstream request itself: inbound cookies and Authorization never reach it.
    fetch: async (request) => {
      await settings.inject?.(request.headers);
      const response = await (upstreamFetch ?? fetch)(request);
      requestId = response.headers.get('x-request-id') ?? undefined;
      return response;
    },
  });
  try {
    // The browser going away does not cancel the call: a PIN change, once sent, is seen through.
    const body = await (operation === 'getPin' ? client.getPin(input as never) : client.updatePin(input as never));
    const answer = jsonAnswer(200, body as never, 'success', { forwarded: true, requestId });
    return { ...answer, code: undefined } satisfies Handled;
  } catch (error) {
    settings.report(error);
    return upstreamFailureAnswer(operation, error);
  }
}
