// The spec's operations as every face reads them: the generated table, its ids, and the shape of a row.
import { operations } from '../../generated/pin-constraints.js';
import type { Rule } from './validate.js';

/** An operation of the spec: `getPin` or `updatePin`. */
export type OperationId = keyof typeof operations;

/** One row of the generated table: where an operation lives, where each input goes, and its rules. */
export interface OperationRow {
  readonly method: string;
  readonly path: string;
  /** Where each flat input field travels: `path`, `query` or `body`. */
  readonly in: Readonly<Record<string, string>>;
  readonly input: Rule;
  readonly response: Rule;
}

/** The ids every operation takes: the card in the path, its account and person in the query. */
export const ID_FIELDS = ['cardId', 'accountId', 'personId'] as const;

/** The spec's name of the field that says how the cardholder was verified (the backend's to fill, in the forwarder). */
export const METHOD_FIELD = 'cardholderVerificationMethod' satisfies keyof (typeof operations)['getPin']['in'];

/** The generated table, read through the row type. */
export const operationTable: Readonly<Record<OperationId, OperationRow>> = operations;

/** Whether the spec's operation takes a request body (updatePin does; getPin does not). */
export const takesBody = (id: OperationId): boolean => Object.values(operationTable[id].in).includes('body');
