// The root entry, `equals-card-pin`: the client, its errors and the spec's types. Re-exports only.
export { createPinClient, servers } from './client/client.js';
export type { BackendVerifiedGetPinParams, PinClient } from './client/client.js';
export type { CallOptions, PinClientOptions } from './client/options.js';
export type { RetryOptions } from './client/retry.js';
export type { PinSpan, PinTracer } from './client/trace.js';
export {
  isRetryable,
  PinApiError,
  PinHttpError,
  PinRateLimitError,
  PinTransportError,
  PinValidationError,
} from './client/errors.js';
export type { PinError, TransportFailure } from './client/errors.js';
export type * from './core/types.js';
