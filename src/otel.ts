// `equals-card-pin/otel`: the PIN API's URLs redacted for OpenTelemetry and any other agent that records URLs.
// Safe in Node and in browsers; it imports nothing of OpenTelemetry. Re-exports only.
export { redactPinUrl, REDACTED } from './otel/redact.js';
export { pinFetchRequestHook, pinRedactingSpanProcessor, pinStartSpanHook } from './otel/hooks.js';
export type { PinAttributeValue, PinRedactableSpan, PinSpanProcessor } from './otel/hooks.js';
