// `equals-card-pin/forward`: the Fetch-standard forwarder for a team's own backend. Re-exports only.
export { createPinForwarder } from './forward/forward.js';
export { SECURITY_HEADERS } from './forward/headers.js';
export type { PinSpan, PinTracer } from './client/trace.js';
export type {
  Authorize,
  ForwardParams,
  LimitKey,
  OnAudit,
  PinAuditEvent,
  PinAuditOutcome,
  PinForwarder,
  PinForwarderOptions,
  PinRateLimiter,
  Verification,
  VerificationClaim,
} from './forward/options.js';
