// `equals-card-pin/msw`: MSW 2 and 3 handlers over the sandbox. Re-exports only.
export { createPinHandlers } from './msw/handlers.js';
export type { PinHandlersOptions, PinPathParams, PinRequestBody, PinResponseBody } from './msw/handlers.js';
