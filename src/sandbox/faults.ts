// Scripted answers (`failNext`): checked against the spec when queued, taken in order by the requests they match.
import type { OperationId } from '../core/operations.js';
import { documented, fieldError } from './documented.js';
import type { SandboxFault } from './types.js';

/** The queue of scripted faults; `take` counts a fault down and drops it when used up. */
export interface FaultQueue {
  add(fault: SandboxFault): void;
  take(operation: OperationId): SandboxFault | undefined;
  clear(): void;
}

/** Refuses a fault the spec does not document: a status that is not an error of the operation(s), a bad count. */
function checkFault(fault: SandboxFault, times: number) {
  if (!(Number.isInteger(times) && times > 0)) {
    throw fieldError(RangeError, 'failNext: times must be a positive integer', 'times');
  }
  if ('network' in fault) return;
  const ops = fault.operation ? [fault.operation] : (Object.keys(documented) as OperationId[]);
  const undocumented = ops.some((op) => !Object.hasOwn(documented[op], String(fault.status)) || fault.status < 400);
  if (undocumented) {
    const message = `failNext: status ${fault.status} is not a documented error of ${ops.join(' and ')}`;
    throw fieldError(RangeError, message, 'status');
  }
  if (fault.retryAfter !== undefined && !(Number.isInteger(fault.retryAfter) && fault.retryAfter >= 0)) {
    throw fieldError(RangeError, 'failNext: retryAfter must be a whole number of seconds', 'retryAfter');
  }
}

export function createFaultQueue(): FaultQueue {
  let queue: Array<SandboxFault & { times: number }> = [];
  return {
    add(fault) {
      const times = fault.times ?? 1;
      checkFault(fault, times);
      queue.push({ ...fault, times });
    },
    take(operation) {
      const index = queue.findIndex((fault) => !fault.operation || fault.operation === operation);
      if (index < 0) return;
      const fault = queue[index]!;
      fault.times -= 1;
      if (fault.times <= 0) queue.splice(index, 1);
      return fault;
    },
    clear() {
      queue = [];
    },
  };
}
