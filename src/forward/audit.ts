// One audit event per request, refusals included, awaited before the answer leaves. It fails closed for
// what matters: a success whose event could not be recorded is answered 500, so no PIN leaves without its
// record. A refusal's answer stays as it was (it carries nothing to protect); the failure goes to onError.
import type { OperationId } from '../core/operations.js';
import type { GetPinParams } from '../core/types.js';
import { withinDeadline } from './deadline.js';
import { exampleBody, jsonAnswer, type Handled } from './handled.js';
import type { ForwardParams, OnAudit, PinAuditEvent } from './options.js';

/** What the forwarder learnt of a request on its way through, for its audit event. */
export interface Trace {
  readonly startedAt: number;
  operation?: OperationId;
  /** Set once the request passed validation: ids the spec accepts. */
  params?: ForwardParams;
  method?: GetPinParams['cardholderVerificationMethod'];
}

/** The event for a request that ended as `handled`. Only named fields are copied: nothing else can slip in. */
export function auditEventOf(trace: Trace, handled: Handled): PinAuditEvent {
  const { params } = trace;
  const event: PinAuditEvent = {
    time: new Date(trace.startedAt).toISOString(),
    ...(trace.operation && { operation: trace.operation }),
    ...(params && { cardId: params.cardId, accountId: params.accountId, personId: params.personId }),
    ...(trace.method && { cardholderVerificationMethod: trace.method }),
    outcome: handled.outcome,
    status: handled.response.status,
    ...(handled.code && { code: handled.code }),
    forwarded: handled.forwarded,
    ...(handled.requestId && { requestId: handled.requestId }),
    durationMs: Date.now() - trace.startedAt,
  };
  return Object.freeze(event);
}

/** Delivers the event and returns the answer to send: `handled`'s, or a 500 when a success went unrecorded. */
export async function recordAudit(
  onAudit: OnAudit | undefined,
  request: Request,
  trace: Trace,
  handled: Handled,
  options: { deadlineMs: number; report: (error: unknown) => void },
): Promise<Response> {
  if (!onAudit) return handled.response;
  try {
    await withinDeadline('onAudit', options.deadlineMs, () => onAudit(auditEventOf(trace, handled), request));
    return handled.response;
  } catch (error) {
    options.report(error);
    if (handled.outcome !== 'success') return handled.response;
    // Releases what the provider sent; the PIN in it is never read out.
    handled.response.body?.cancel().catch(String);
    return jsonAnswer(500, exampleBody(trace.operation ?? 'getPin', 500, 'audit'), 'error').response;
  }
}
