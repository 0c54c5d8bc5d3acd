// `equals-card-pin/forward`: the Fetch-standard forwarder for a team's own backend. Re-exports only.
export { createPinForwarder } from './forward/forward.js';
export type { Authorize, ForwardParams, PinForwarderOptions } from './forward/forward.js';
