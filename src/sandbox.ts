// `equals-card-pin/sandbox`: the stateful, in-memory PIN API. Re-exports only.
export { createPinSandbox, REQUEST_LOG_LIMIT } from './sandbox/sandbox.js';
export type { PinSandbox, PinSandboxOptions, SandboxCard, SandboxFault, SandboxLogEntry } from './sandbox/types.js';
