// A CommonJS Jest test, as a team on Jest's defaults writes it: require(), no transform, no ESM flags.
const { createPinClient, PinHttpError, PinValidationError } = require('equals-card-pin');
const { startPinMock } = require('equals-card-pin/mock');
const types = require('equals-card-pin/types');

const ids = {
  cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd',
  accountId: 'F12345',
  personId: '775596ae-2624-40af-a9dc-9756110a4a04',
};

test('the client runs under Jest in CommonJS', async () => {
  const client = createPinClient({ apiKey: 'jest-key', baseUrl: process.env.PIN_API_URL, retry: false });
  await expect(client.getPin({ ...ids, cardholderVerificationMethod: 'LOGIN' })).resolves.toEqual({ pin: '7268' });
  const notFound = createPinClient({
    apiKey: 'k',
    baseUrl: process.env.PIN_API_URL,
    retry: false,
    headers: { Prefer: 'code=404' },
  });
  await expect(notFound.getPin({ ...ids, cardholderVerificationMethod: 'LOGIN' })).rejects.toBeInstanceOf(PinHttpError);
});

test('refusals are the exported class', async () => {
  const client = createPinClient({
    apiKey: 'k',
    baseUrl: 'https://api-sandbox.equalsmoney.com',
    fetch: () => Promise.reject(new Error('nothing may be sent')),
  });
  await expect(client.updatePin({ ...ids, pin: '12a4' })).rejects.toBeInstanceOf(PinValidationError);
});

test('the mock and types entries load', () => {
  expect(typeof startPinMock).toBe('function');
  expect(types).toEqual({});
});
