// The backend vouches for how the cardholder was verified. Its claim is checked by the one validator
// against rules derived from the generated table (the method's enum, the MFA fields' bounds), then
// written into the upstream input wherever the spec has the fields: the GET's query, the PUT's body.
import { PinValidationError } from '../client/errors.js';
import { METHOD_FIELD, operationTable, type OperationId } from '../core/operations.js';
import { ruleMessage, violation, type Rule } from '../core/validate.js';
import type { VerificationClaim } from './options.js';

interface Placement {
  /** The claim's shape: `method` required, `sessionId` and `token` as the spec bounds them. */
  claim: Rule;
  /** Where the MFA fields live in the input: at the top (the GET's query) or under a parent (the PUT's `mfa`). */
  mfaParent?: string;
}

/** Where an operation's MFA fields are: the top-level field with `sessionId`, or the object that holds it. */
function placementOf(operation: OperationId): Placement {
  const fields = operationTable[operation].input.properties!;
  const mfaParent = Object.hasOwn(fields, 'sessionId')
    ? undefined
    : Object.keys(fields).find((key) => Object.hasOwn(fields[key]!.properties ?? {}, 'sessionId'));
  const mfa = mfaParent ? fields[mfaParent]!.properties! : fields;
  const properties = { method: fields[METHOD_FIELD]!, sessionId: mfa.sessionId!, token: mfa.token! };
  return { claim: { type: 'object', properties, required: ['method'] }, mfaParent };
}

const placements = Object.fromEntries(
  Object.keys(operationTable).map((id) => [id, placementOf(id as OperationId)]),
) as Record<OperationId, Placement>;

/** The upstream input with the backend's claim in it, or why the claim cannot be used. */
export type Verified =
  | { ok: true; input: Record<string, unknown>; method: VerificationClaim['method'] }
  | { ok: false; status: 403 }
  | { ok: false; status: 500; error: PinValidationError };

const setupFault = (field: string, rule: string, limit?: unknown): Verified => {
  const message = `verification() returned a claim that ${ruleMessage(field, rule, limit)}`;
  return { ok: false, status: 500, error: new PinValidationError('createPinForwarder', message, { field, rule }) };
};

/**
 * Checks the backend's claim and writes it into a copy of `input` (the browser's validated fields). A
 * browser method other than the backend's is a 403; a claim the spec would refuse is this server's 500.
 */
export function applyVerification(operation: OperationId, input: Record<string, unknown>, claim: unknown): Verified {
  const { claim: rule, mfaParent } = placements[operation];
  const broken = violation(claim, rule);
  if (broken) return setupFault(broken[0] ? `verification.${broken[0]}` : 'verification', broken[1], broken[2]);
  // Own properties only, as the validator read them.
  const field = (key: keyof VerificationClaim) =>
    Object.hasOwn(claim as object, key) ? (claim as any)[key] : undefined;
  const [method, sessionId, token] = [field('method'), field('sessionId'), field('token')];
  // One proof in two fields: the GET's query takes them apart, so the pair is checked here for every operation.
  if ((sessionId === undefined) !== (token === undefined))
    return setupFault(`verification.${sessionId === undefined ? 'sessionId' : 'token'}`, 'required');
  if (input[METHOD_FIELD] !== undefined && input[METHOD_FIELD] !== method) return { ok: false, status: 403 };

  const upstream: Record<string, unknown> = { ...input };
  // Wherever the spec has the field: both operations today, from the generated table.
  if (Object.hasOwn(operationTable[operation].in, METHOD_FIELD)) upstream[METHOD_FIELD] = method;
  if (sessionId !== undefined) {
    // The backend's MFA fields (both, checked above) replace the browser's: none of the browser's is mixed in.
    const mfa = { sessionId, token };
    if (mfaParent) upstream[mfaParent] = mfa;
    else {
      delete upstream.sessionId;
      delete upstream.token;
      Object.assign(upstream, mfa);
    }
  }
  // The browser's fields passed already: what breaks now is the backend's claim in its place.
  const merged = violation(upstream, operationTable[operation].input);
  if (merged) return setupFault(`verification.${merged[0]}`, merged[1], merged[2]);
  return { ok: true, input: upstream, method };
}
