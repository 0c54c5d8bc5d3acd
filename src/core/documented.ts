// The spec's documented responses (generated/pin-examples.ts) read by status, for the faces that answer
// requests themselves: the sandbox and the forwarder. The client never imports this: its entry stays small.
import { responses } from '../../generated/pin-examples.js';
import type { OperationId } from './operations.js';

/** One documented response: its example body and the names of the headers it carries. */
export interface DocumentedResponse {
  readonly example: unknown;
  readonly headers: readonly string[];
}

/** Every documented response per operation, keyed by status. */
export const documentedResponses = responses as Readonly<
  Record<OperationId, Readonly<Record<string, DocumentedResponse>>>
>;
