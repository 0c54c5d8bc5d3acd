// An in-process sandbox seen through the flow table's `SandboxControl`: what both MSW runs (Node and the
// browser page) hand to `runFlow`. No Node imports, since the page bundles it.
import { createPinSandbox, type PinSandbox } from '../../../src/sandbox.js';
import { FLOW_API_KEY, type SandboxControl } from './table.js';

/** The sandbox every MSW run serves: only the flows' key is known to it. */
export const flowSandbox = (): PinSandbox => createPinSandbox({ apiKeys: [FLOW_API_KEY] });

export const controlOf = (sandbox: PinSandbox): SandboxControl => ({
  reset: () => sandbox.reset(),
  pinOf: (cardId) => sandbox.pinOf(cardId),
  failNext: (fault) => sandbox.failNext(fault),
  requests: () => sandbox.requests,
});
