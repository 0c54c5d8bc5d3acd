// CommonJS consumer, type-checked under node16 and nodenext: what `require` gets is typed.
import pins = require('equals-card-pin');
import type { GetPinParams } from 'equals-card-pin/types';

const params: GetPinParams = { cardId: 'c', accountId: 'F1', personId: 'p', cardholderVerificationMethod: 'LOGIN' };
const client: pins.PinClient = pins.createPinClient({ apiKey: 'k', baseUrl: pins.servers.sandbox });
export const pending: Promise<pins.GetPinResponse> = client.getPin(params);
export const isHttp = (error: unknown): error is pins.PinHttpError => error instanceof pins.PinHttpError;
