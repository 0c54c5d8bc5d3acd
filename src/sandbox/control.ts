// The sandbox's control API over HTTP, for tests in another process or language: a thin adapter over
// reset, pinOf, setPin, failNext and the request log, under /__sandbox/ on the sandbox's own URL (Prism
// proxies only the spec's paths, so these never reach, or pass through, the validating proxy).
import { fromAnotherSite, noStoreJson } from '../core/answer.js';
import { parseJsonObject, readCapped } from '../core/body.js';
import { operationTable } from '../core/operations.js';
import type { PinSandbox, SandboxFault } from './types.js';

export const CONTROL_PREFIX = '/__sandbox';
const MAX_CONTROL_BODY_BYTES = 4096;
const FAULT_FIELDS = new Set(['status', 'retryAfter', 'times', 'operation', 'network']);
const OPERATIONS = new Set(Object.keys(operationTable));

/** A control answer: JSON, or no body at all (204). */
const reply = (status: number, body?: unknown) =>
  body === undefined ? new Response(null, { status }) : noStoreJson(status, body);

/** A refused control call: the field and the rule, never the value. */
class ControlError extends Error {
  constructor(
    readonly field: string,
    rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}

async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  const { text, truncated } = await readCapped(request.body, MAX_CONTROL_BODY_BYTES);
  if (truncated) throw new ControlError('body', `must be at most ${MAX_CONTROL_BODY_BYTES} bytes`);
  const parsed = parseJsonObject(text);
  if ('broken' in parsed)
    throw new ControlError('body', parsed.broken === 'format' ? 'must be JSON' : 'must be a JSON object');
  return parsed.object;
}

/** Checks the shape a fault must have on the wire; failNext itself checks the statuses against the spec. */
function faultOf(body: Record<string, unknown>): SandboxFault {
  for (const key of Object.keys(body)) {
    if (!FAULT_FIELDS.has(key)) throw new ControlError(key, `is not a fault field (${[...FAULT_FIELDS].join(', ')})`);
  }
  const integer = (key: string) => {
    if (Object.hasOwn(body, key) && !Number.isInteger(body[key])) throw new ControlError(key, 'must be an integer');
  };
  ['status', 'retryAfter', 'times'].forEach(integer);
  if (Object.hasOwn(body, 'operation') && !OPERATIONS.has(body.operation as string)) {
    throw new ControlError('operation', `must be one of ${[...OPERATIONS].join(', ')}`);
  }
  if (Object.hasOwn(body, 'network')) {
    if (body.network !== true) throw new ControlError('network', 'must be true');
    if (Object.hasOwn(body, 'status') || Object.hasOwn(body, 'retryAfter'))
      throw new ControlError('network', 'takes no status or retryAfter');
  } else if (!Object.hasOwn(body, 'status')) {
    throw new ControlError('status', 'is required (or network: true)');
  }
  return body as unknown as SandboxFault;
}

/** The path's card id, decoded; a broken percent-encoding is the caller's error, not the server's. */
function cardIdOf(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ControlError('cardId', 'is not valid percent-encoding');
  }
}

async function route(sandbox: PinSandbox, request: Request, path: string): Promise<Response> {
  const pin = /^\/cards\/([^/]+)\/pin$/.exec(path);
  const call = `${request.method} ${pin ? '/cards/{cardId}/pin' : path}`;
  switch (call) {
    case 'POST /reset':
      sandbox.reset();
      return reply(204);
    case 'GET /requests':
      return reply(200, sandbox.requests);
    case 'POST /faults':
      sandbox.failNext(faultOf(await jsonBody(request)));
      return reply(204);
    case 'GET /cards/{cardId}/pin':
      return reply(200, { pin: sandbox.pinOf(cardIdOf(pin![1]!)) });
    case 'PUT /cards/{cardId}/pin': {
      const body = await jsonBody(request);
      if (!Object.hasOwn(body, 'pin') || (body.pin !== null && typeof body.pin !== 'string')) {
        throw new ControlError('pin', 'is required, a string or null');
      }
      sandbox.setPin(cardIdOf(pin![1]!), body.pin as string | null);
      return reply(204);
    }
    default:
      return reply(404, { message: `No control call ${call}; see "Sandbox control API" in docs/testing.md` });
  }
}

/** Answers a control call, or `undefined` when the request is not one (it is then the API's). */
export async function control(sandbox: PinSandbox, request: Request): Promise<Response | undefined> {
  const { pathname } = new URL(request.url);
  if (pathname !== CONTROL_PREFIX && !pathname.startsWith(`${CONTROL_PREFIX}/`)) return undefined;
  // Any page in a browser could send a simple POST here (a reset, a fault) without a preflight; browsers
  // mark such requests, and only tools and same-origin pages may drive the sandbox.
  if (fromAnotherSite(request)) {
    return reply(403, {
      message: "The control API takes no requests from other sites' pages",
      field: 'sec-fetch-site',
    });
  }
  try {
    return await route(sandbox, request, pathname.slice(CONTROL_PREFIX.length));
  } catch (error) {
    if (error instanceof ControlError) return reply(400, { message: error.message, field: error.field });
    // The sandbox's own refusals (an unknown card, a PIN that breaks the spec's rule, an undocumented
    // status) name their field and no value; the only one about a card id is that it is unknown.
    const field = (error as { field?: unknown }).field;
    if ((error instanceof RangeError || error instanceof TypeError) && typeof field === 'string') {
      return reply(field === 'cardId' ? 404 : 400, { message: error.message, field });
    }
    throw error;
  }
}
