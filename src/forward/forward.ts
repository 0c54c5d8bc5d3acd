// A forwarder for the team's own backend: the browser calls the backend with its session, the backend
// adds the API key and calls the PIN API. Fetch-standard, `(request) => Promise<Response>`, so it mounts
// as Next.js route handlers, in Hono, Remix or Workers, and in Express or node:http through an adapter.
//
// Order of checks, each one ending the request with nothing sent upstream:
//   0. origin     a browser request from another origin's page (Sec-Fetch-Site): 403
//   1. route      the spec's two operations, matched at the end of the path (any mount prefix): 404, 405
//   2. validate   the same generated table and validator as the client: 400 (field and rule), 415
//   3. authorize  the team's session check, with the operation and the ids (never the PIN): 403
// Validation comes before `authorize` so that the hook gets ids the spec accepts; it does no work
// upstream, and its refusals quote only the spec's public rules, never a value.
//
// Answers (all JSON, all `Cache-Control: no-store`); bodies are the spec's examples and never echo a value:
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
import { responses } from '../../generated/pin-examples.js';
import { createPinClient, type PinClientOptions } from '../client/client.js';
import { PinHttpError, PinTransportError, PinValidationError } from '../client/errors.js';
import { fromAnotherSite, noStoreJson as answer } from '../core/answer.js';
import { operationTable, type OperationId } from '../core/operations.js';
import { readPinRequest, route, type Refusal } from '../core/request.js';
import type { GetPinParams } from '../core/types.js';
import { ruleMessage } from '../core/validate.js';

/** What `authorize` learns about a request: the operation and the ids it names, never the PIN. */
export interface ForwardParams extends Pick<GetPinParams, 'cardId' | 'accountId' | 'personId'> {
  operation: OperationId;
}

/**
 * The team's own check, for example that the session cookie belongs to the card's owner. `true` lets the
 * request through; any other result refuses it with 403, and a `Response` is sent as the refusal instead.
 * The request's body has already been read; its headers, cookies and URL are all there.
 */
export type Authorize = (request: Request, params: ForwardParams) => boolean | Response | Promise<boolean | Response>;

export interface PinForwarderOptions extends Pick<PinClientOptions, 'baseUrl' | 'timeoutMs' | 'retry' | 'fetch'> {
  /** The API key, or a function that returns it. It stays on the server: no answer ever carries it. */
  apiKey: string | (() => string | Promise<string>);
  /** Required: there is no default that lets everyone in. */
  authorize: Authorize;
  /**
   * Told about every failure the answer does not spell out: a throwing `authorize` (answered 500) and
   * every upstream failure (the client's error, whose messages hold no PIN and no key). For logs.
   */
  onError?: (error: unknown) => void;
}

type Body = { message?: string; code?: string };
const examples = responses as Record<OperationId, Record<string, { example: unknown }>>;
const IDS = ['cardId', 'accountId', 'personId'] as const;
const METHODS = [...new Set(Object.values(operationTable).map((op) => op.method))];

/** The spec's example body for `status`, with a `code` naming the cause when one is given. */
const example = (operation: OperationId, status: number, code?: string): Body => ({
  ...(examples[operation][status]?.example as Body | undefined),
  ...(code && { code }),
});

const required = (field: string): never => {
  throw new PinValidationError('createPinForwarder', ruleMessage(field, 'required'), { field, rule: 'required' });
};

export function createPinForwarder(options: PinForwarderOptions): (request: Request) => Promise<Response> {
  const { apiKey, authorize, onError, baseUrl, timeoutMs, retry, fetch } = options ?? ({} as PinForwarderOptions);
  if (typeof authorize !== 'function') required('authorize');
  // The browser side runs without a key; this side must have one, or every call would be a 401 upstream.
  if (!apiKey) required('apiKey');
  // The client builds each upstream request itself: inbound cookies and Authorization never reach it.
  const client = createPinClient({ apiKey, baseUrl, timeoutMs, retry, fetch });
  const report = (error: unknown) => {
    try {
      onError?.(error);
    } catch {
      // A logger that throws must not change the answer.
    }
  };

  async function forward(request: Request): Promise<Response> {
    // Browsers say where a request comes from. The forwarder serves pages of its own origin only (it sends
    // no CORS headers), so what another origin's page sent is refused before anything else happens.
    if (fromAnotherSite(request))
      return answer(403, { message: 'Not allowed from another origin', code: 'cross-site' });
    const body = counted(request);
    const read = await readPinRequest(body.request);
    if (body.consumed()) {
      // Read first by a body parser (express.json(), for one): a PUT would arrive PIN-less and the
      // provider would set a random PIN. A setup fault, so it is a 500 and nothing is forwarded.
      report(
        new Error(
          'createPinForwarder: the request body was read before the forwarder; mount it before any body parser',
        ),
      );
      return answer(500, example(read.operation ?? 'getPin', 500));
    }
    if (!read.ok) return refused(request, read);
    const { operation, input } = read;
    const params = { operation } as ForwardParams;
    for (const id of IDS) params[id] = input[id] as string;

    let verdict: boolean | Response;
    try {
      verdict = await authorize(request, params);
    } catch (error) {
      // Fails closed: a session check that breaks lets nobody through.
      report(error);
      return answer(500, example(operation, 500));
    }
    if (verdict instanceof Response) return noStore(verdict);
    if (verdict !== true) return answer(403, { message: 'Not allowed', code: 'authorize' });

    try {
      // The browser going away does not cancel the call: a PIN change, once sent, is seen through.
      return answer(
        200,
        await (operation === 'getPin' ? client.getPin(input as never) : client.updatePin(input as never)),
      );
    } catch (error) {
      report(error);
      return failed(operation, error);
    }
  }

  return async (request) => {
    try {
      return await forward(request);
    } catch (error) {
      // A body stream that broke mid-read, for instance.
      report(error);
      return answer(500, example('getPin', 500));
    }
  };
}

/**
 * The request with its body watched as it is read: `consumed()` is true when a body announced by
 * Content-Length turned out empty, because something in front of the forwarder had read it already.
 */
function counted(request: Request): { request: Request; consumed: () => boolean } {
  // A body announced by its length, or streamed in chunks (which announces one without saying how long).
  const announced = Number(request.headers.get('content-length')) > 0 || request.headers.has('transfer-encoding');
  if (!request.body || !announced) return { request, consumed: () => false };
  let bytes = 0;
  let empty = false;
  const body = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
      flush() {
        empty = bytes === 0;
      },
    }),
  );
  // `duplex` is how a streamed body is declared in a Request; not yet in every RequestInit type.
  return { request: new Request(request, { body, duplex: 'half' } as RequestInit), consumed: () => empty };
}

/** 404, 405 (with Allow), 400 and 415 from reading the request. */
function refused(request: Request, { status, message, rule }: Refusal): Response {
  const headers: Record<string, string> = {};
  if (status === 405) {
    const { pathname } = new URL(request.url);
    headers.allow = METHODS.filter((method) => !('ok' in route(method, pathname))).join(', ');
  }
  return answer(status, { message, ...(rule && { code: rule }) }, headers);
}

/** A refusal from `authorize`, sent as it is, but never cached. */
function noStore(response: Response): Response {
  const copy = new Response(response.body, response);
  copy.headers.set('cache-control', 'no-store');
  return copy;
}

/** An upstream failure as the documented status this backend answers with. */
function failed(operation: OperationId, error: unknown): Response {
  // The inbound request was validated already: what the client still refuses is this server's own setup
  // (an apiKey function returning a malformed key, say). Not the caller's fault, and nothing for it to see.
  if (error instanceof PinValidationError) return answer(500, example(operation, 500, 'config'));
  if (error instanceof PinHttpError) {
    const { status, retryAfterMs, requestId } = error;
    const headers: Record<string, string> = requestId ? { 'x-request-id': requestId } : {};
    if (retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
    if ([400, 404, 429, 503, 504].includes(status)) return answer(status, example(operation, status), headers);
    return answer(502, example(operation, 502, `upstream_${status}`), headers);
  }
  const code = error instanceof PinTransportError ? error.code : 'network';
  return code === 'timeout' ? answer(504, example(operation, 504, code)) : answer(502, example(operation, 502, code));
}
