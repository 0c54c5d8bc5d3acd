// The spec's documented responses as the sandbox answers with them: example bodies, and which carry Retry-After.
import { noStoreJson } from '../core/answer.js';
import { documentedResponses as documented } from '../core/documented.js';
import type { OperationId } from '../core/operations.js';

export { documented };

/** What a documented answer says beyond its status. */
export interface AnswerDetail {
  /** A message of the sandbox's own in place of the spec's example body. */
  message?: string;
  /** Sent beside `message`: the rule or cause, machine-readable. */
  code?: string;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
}

/** The spec's example body for a documented status, or the sandbox's own message when one is given. */
export function documentedAnswer(operation: OperationId | undefined, status: number, detail: AnswerDetail = {}) {
  const { message, code, retryAfter } = detail;
  const known = documented[operation ?? 'getPin'][status];
  const body = message === undefined ? known?.example : { message, ...(code && { code }) };
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  return noStoreJson(status, body ?? { message: 'Error' }, headers);
}

/** An error that names its field, so that an adapter (the control API) answers without parsing the message. */
export const fieldError = (Kind: TypeErrorConstructor | RangeErrorConstructor, message: string, field: string) =>
  Object.assign(new Kind(message), { field });
