// Names for the generated types. Everything here is derived from generated/pin.ts.
import type { components, operations, paths } from '../../generated/pin.js';

export type { components, operations, paths };

type Flat<T> = { [K in keyof T]: T[K] } & {};
type Op<Id extends keyof operations> = operations[Id];
type JsonBody<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type PathAndQuery<Id extends keyof operations> = Op<Id>['parameters']['path'] & Op<Id>['parameters']['query'];

/** How the cardholder's identity was checked before a PIN is shown: the spec's enum. */
export type CardholderVerificationMethod = components['schemas']['CardholderVerificationMethod'];
export type Pin = components['schemas']['Pin'];
export type Mfa = components['schemas']['Mfa'];
export type ErrorBody = components['schemas']['Error'];

/** Everything `getPin` takes, as one flat object: path and query parameters. */
export type GetPinParams = Flat<PathAndQuery<'getPin'>>;
export type GetPinResponse = JsonBody<Op<'getPin'>['responses'][200]>;

export type UpdatePinRequest = JsonBody<NonNullable<Op<'updatePin'>['requestBody']>>;
/** Everything `updatePin` takes: path and query parameters plus the optional body fields. */
export type UpdatePinParams = Flat<PathAndQuery<'updatePin'> & UpdatePinRequest>;
export type UpdatePinResponse = JsonBody<Op<'updatePin'>['responses'][200]>;
