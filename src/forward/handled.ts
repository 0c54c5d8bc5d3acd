// What each step of the forwarder ends a request with: the answer and what the audit trail says of it.
import { noStoreJson } from '../core/answer.js';
import { documentedResponses } from '../core/documented.js';
import type { OperationId } from '../core/operations.js';
import type { PinAuditOutcome } from './options.js';

/** A request's end: the answer, and the facts its audit event records. */
export interface Handled {
  response: Response;
  outcome: PinAuditOutcome;
  code?: string;
  /** Whether a call went to the provider. */
  forwarded: boolean;
  requestId?: string;
}

type Body = { message?: string; code?: string };

/** The spec's example body for `status`, with a `code` naming the cause when one is given. */
export const exampleBody = (operation: OperationId, status: number, code?: string): Body => ({
  ...(documentedResponses[operation][status]?.example as Body | undefined),
  ...(code && { code }),
});

/** A JSON answer of the forwarder's own; `code` goes in the body and in the audit event. */
export function jsonAnswer(
  status: number,
  body: Body,
  outcome: PinAuditOutcome,
  extra: { headers?: Record<string, string>; forwarded?: boolean; requestId?: string } = {},
): Handled {
  const { headers, forwarded = false, requestId } = extra;
  return { response: noStoreJson(status, body, headers), outcome, code: body.code, forwarded, requestId };
}

/** A fault on this server (a hook that threw, a setup mistake): the spec's 500, nothing forwarded. */
export const serverFault = (operation: OperationId | undefined, code: string): Handled =>
  jsonAnswer(500, exampleBody(operation ?? 'getPin', 500, code), 'error');
