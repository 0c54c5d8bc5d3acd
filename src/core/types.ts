// Names for the generated types. Everything here is derived from generated/pin.ts.
import type { components, operations, paths } from '../../generated/pin.js';

export type { components, operations, paths };

/** `T` with its intersections merged into one object type, so editors show one flat list of fields. */
type Flat<T> = { [K in keyof T]: T[K] } & {};
/** The generated description of one operation of the spec. */
type Op<Id extends keyof operations> = operations[Id];
/** The `application/json` body of a generated response or request body. */
type JsonBody<T> = T extends { content: { 'application/json': infer B } } ? B : never;
/** An operation's path and query parameters together. */
type PathAndQuery<Id extends keyof operations> = Op<Id>['parameters']['path'] & Op<Id>['parameters']['query'];

/** How the cardholder proved who they are before a PIN is revealed or set: `BIOMETRIC_FACE`, `LOGIN`, … */
export type CardholderVerificationMethod = components['schemas']['CardholderVerificationMethod'];
/** A card PIN: exactly four ASCII digits. */
export type Pin = components['schemas']['Pin'];
/** The multi-factor authentication proof an `updatePin` may carry. */
export type Mfa = components['schemas']['Mfa'];
/** The JSON error body the API sends with a status outside 2xx (as `PinHttpError.body`). */
export type ErrorBody = components['schemas']['Error'];

/** Everything `getPin` takes, as one flat object: path and query parameters. */
export type GetPinParams = Flat<PathAndQuery<'getPin'>>;
/** What `getPin` resolves to: `{ pin }`, with `pin` `null` when the card has none. */
export type GetPinResponse = JsonBody<Op<'getPin'>['responses'][200]>;

/** The JSON body of `PUT /v2/cards/{cardId}/pin`: the new PIN (optional), the verification method, MFA. */
export type UpdatePinRequest = JsonBody<NonNullable<Op<'updatePin'>['requestBody']>>;
/** Everything `updatePin` takes: path and query parameters plus the optional body fields. */
export type UpdatePinParams = Flat<PathAndQuery<'updatePin'> & UpdatePinRequest>;
/** What `updatePin` resolves to: `{ success }`, and a `pin` when the server sends one. */
export type UpdatePinResponse = JsonBody<Op<'updatePin'>['responses'][200]>;
