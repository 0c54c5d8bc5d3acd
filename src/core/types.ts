// Names for the generated types. Everything here is derived from generated/pin.ts.
import type { components, operations, paths } from '../../generated/pin.js';

export type { components, operations, paths };

/** Flattens an intersection into one object type, so editors show its fields rather than its parts. */
type Flat<T> = { [K in keyof T]: T[K] } & {};
/** One operation of the generated `operations`, by its id. */
type Op<Id extends keyof operations> = operations[Id];
/** The `application/json` body of a generated request body or response (`never` without one). */
type JsonBody<T> = T extends { content: { 'application/json': infer B } } ? B : never;
/** An operation's path and query parameters, as one intersection. */
type PathAndQuery<Id extends keyof operations> = Op<Id>['parameters']['path'] & Op<Id>['parameters']['query'];

/** How the cardholder's identity was checked before the PIN is shown or changed: the spec's enum. */
export type CardholderVerificationMethod = components['schemas']['CardholderVerificationMethod'];
/** A card PIN as the spec describes it: four ASCII digits. */
export type Pin = components['schemas']['Pin'];
/** The second factor from the provider's OTP flow: its session id and the code the cardholder entered. */
export type Mfa = components['schemas']['Mfa'];
/** The JSON body of an error answer: a message, and a machine-readable `code` where there is one. */
export type ErrorBody = components['schemas']['Error'];

/** Everything `getPin` takes, as one flat object: path and query parameters. */
export type GetPinParams = Flat<PathAndQuery<'getPin'>>;
/** What `getPin` resolves with: the card's PIN, `null` when none was ever set. */
export type GetPinResponse = JsonBody<Op<'getPin'>['responses'][200]>;

/** The JSON body of `updatePin`: the new PIN (or none, for a random one), the verification method and MFA. */
export type UpdatePinRequest = JsonBody<NonNullable<Op<'updatePin'>['requestBody']>>;
/** Everything `updatePin` takes: path and query parameters plus the optional body fields. */
export type UpdatePinParams = Flat<PathAndQuery<'updatePin'> & UpdatePinRequest>;
/** What `updatePin` resolves with: whether it succeeded, and the PIN now set. */
export type UpdatePinResponse = JsonBody<Op<'updatePin'>['responses'][200]>;
