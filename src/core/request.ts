// Reads an inbound Request as one of the spec's operations, with its flat input checked by the same
// table and validator the client uses. Shared by the sandbox and the forwarder, so a request is judged
// by one set of rules wherever it lands. Values never reach a refusal: only field names and rules do.
import { parseJsonObject, readCapped } from './body.js';
import { operationTable as table, type OperationId, type OperationRow, takesBody } from './operations.js';

/** The spec's HTTP methods, once each, as the table spells them (`GET`, `PUT`). Here, not in operations.ts: the client takes that module and needs none. */
export const METHODS: readonly string[] = [...new Set(Object.values(table).map((op) => op.method))];
import { ruleMessage, violation } from './validate.js';

export type { OperationId };

/** A request the spec accepts: which operation, and everything it carries as one flat object. */
export interface PinRequest {
  ok: true;
  operation: OperationId;
  input: Record<string, unknown>;
}

/** Why a request was refused, as a status and, for a 400, the field and the rule it broke. */
export interface Refusal {
  ok: false;
  status: 400 | 404 | 405 | 415;
  message: string;
  operation?: OperationId;
  field?: string;
  rule?: string;
}

/** What a path parameter may hold once decoded: no character that ends or leaves its segment. */
const PATH_SEGMENT = '^[^/\\\\?#]+$';

/** Request bodies are small JSON objects; anything longer is refused unread. */
export const MAX_REQUEST_BODY_BYTES = 16_384;

// Each path template becomes a pattern anchored at the end, so the operations work under any mount prefix.
const routes = Object.entries(table).map(([id, op]) => {
  const names: string[] = [];
  const source = op.path
    .split('/')
    .map((segment) => {
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!name) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('/');
  return { id: id as OperationId, op, names, pattern: new RegExp(`${source}$`) };
});

const refuse = (status: Refusal['status'], message: string, extra: Partial<Refusal> = {}): Refusal => ({
  ok: false,
  status,
  message,
  ...extra,
});

/** A 400 naming the field and the rule. */
function invalid(operation: OperationId, field: string, rule: string, limit?: unknown): Refusal {
  return refuse(400, ruleMessage(field, rule, limit), { operation, field, rule });
}

/** Which operation a method and path name, with the path's parameters still percent-encoded. */
export function route(
  method: string,
  pathname: string,
): { operation: OperationId; path: Record<string, string> } | Refusal {
  let pathMatched = false;
  for (const { id, op, names, pattern } of routes) {
    const match = pattern.exec(pathname);
    if (!match) continue;
    pathMatched = true;
    if (op.method !== method.toUpperCase()) continue;
    return { operation: id, path: Object.fromEntries(names.map((name, i) => [name, match[i + 1]!])) };
  }
  return pathMatched
    ? refuse(405, `${method} is not an operation of this path`)
    : refuse(404, 'No operation at this path');
}

const placed = (op: OperationRow, key: string, place: string) => Object.hasOwn(op.in, key) && op.in[key] === place;

/** `rule` with the fields in `optional` no longer required (derived, so the spec stays the one source). */
const waived = (rule: OperationRow['input'], optional: readonly string[]) =>
  optional.length ? { ...rule, required: rule.required?.filter((key) => !optional.includes(key)) } : rule;

/**
 * Reads and checks a whole request: route, path, query and JSON body, then the spec's rules. Fields in
 * `optional` may be left out even where the spec requires them: the forwarder fills in the method itself.
 */
export async function readPinRequest(
  request: Request,
  optional: readonly string[] = [],
): Promise<PinRequest | Refusal> {
  const url = new URL(request.url);
  const found = route(request.method, url.pathname);
  if ('ok' in found) return found;
  const { operation } = found;
  const op = table[operation];
  // No prototype: a wire key such as "__proto__" stays an ordinary (and refused) field.
  const input: Record<string, unknown> = Object.create(null);

  for (const [key, raw] of Object.entries(found.path)) {
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      return invalid(operation, key, 'format', 'percent-encoding');
    }
    // Sent on, such a value would name another path or cut this one short (`..%2Faccounts%3F`), once a
    // server or a proxy decodes it. A whole `.` or `..` never gets here: URL parsing folds it away.
    if (/[/\\?#]/.test(value)) return invalid(operation, key, 'pattern', PATH_SEGMENT);
    input[key] = value;
  }
  for (const [key, value] of url.searchParams) {
    if (!placed(op, key, 'query')) return invalid(operation, key, 'additionalProperties', false);
    if (Object.hasOwn(input, key)) return invalid(operation, key, 'type', 'string');
    input[key] = value;
  }

  if (takesBody(operation)) {
    const body = await readBody(request, operation);
    if (!body.ok) return body;
    for (const [key, value] of Object.entries(body.fields)) {
      if (!placed(op, key, 'body')) return invalid(operation, key, 'additionalProperties', false);
      input[key] = value;
    }
  }

  const broken = violation(input, waived(op.input, optional));
  if (broken) return invalid(operation, broken[0] || 'input', broken[1], broken[2]);
  return { ok: true, operation, input: { ...input } };
}

/**
 * Decodes a request body as it was sent: UTF-8, bad bytes replaced, a leading BOM kept, so that the body
 * rule refuses it (RFC 8259 forbids one; Prism 5.16 never answers such a body). For every reader of
 * request bodies: the sandbox, the forwarder, the mock's guard and its relay.
 */
export const requestText = new TextDecoder('utf-8', { ignoreBOM: true });

/** The JSON body's fields; an empty body has none. */
async function readBody(request: Request, operation: OperationId): Promise<{ ok: true; fields: object } | Refusal> {
  const { text, truncated } = await readCapped(request.body, MAX_REQUEST_BODY_BYTES, undefined, requestText);
  return bodyFields(operation, text, truncated, request.headers.get('content-type'));
}

/** Whether a Content-Type names JSON: `application/json`, or a `+json` type such as `application/merge-patch+json`. */
export const isJsonType = (contentType: string | null): boolean =>
  /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType ?? '');

/** The charset a Content-Type names, lower-cased, or `undefined` when it names none. */
const charsetOf = (contentType: string) => /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType)?.[1]?.toLowerCase();

/**
 * A body read up to {@link MAX_REQUEST_BODY_BYTES} (`truncated` when more was sent) as an operation's
 * fields, or why it is refused: the one rule for request bodies, for the sandbox, the forwarder and the
 * mock's guard in front of Prism. An empty body has no fields. JSON is UTF-8 (RFC 8259): a type that
 * names another charset is refused with 415, and a leading BOM (kept by {@link requestText}) with 400.
 */
export function bodyFields(
  operation: OperationId,
  text: string,
  truncated: boolean,
  contentType: string | null,
): { ok: true; fields: object } | Refusal {
  if (truncated) return invalid(operation, 'body', 'maxBytes', MAX_REQUEST_BODY_BYTES);
  if (!text) return { ok: true, fields: {} };
  const charset = isJsonType(contentType) ? charsetOf(contentType!) : 'none';
  if (charset !== undefined && charset !== 'utf-8')
    return refuse(415, 'The body must be sent as application/json, in UTF-8', { operation });
  const parsed = parseJsonObject(text);
  if ('broken' in parsed)
    return invalid(operation, 'body', parsed.broken, parsed.broken === 'format' ? 'json' : 'object');
  return { ok: true, fields: parsed.object };
}
