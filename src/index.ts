export { createPinClient, servers } from './client.js';
export type { CallOptions, PinClient, PinClientOptions } from './client.js';
export type { RetryOptions } from './retry.js';
export { isRetryable, PinApiError, PinHttpError, PinRateLimitError, PinTransportError, PinValidationError } from './errors.js';
export type { PinError, TransportFailure } from './errors.js';
export type * from './types.js';
