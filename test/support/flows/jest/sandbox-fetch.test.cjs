// Run by msw-readme.test.ts under CommonJS Jest, where msw 2.15 does not load: the README's claim that
// the sandbox, handed to the client as its fetch, works there.
const { createPinClient } = require('equals-card-pin');
const { createPinSandbox } = require('equals-card-pin/sandbox');

const card = {
  cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd',
  accountId: 'F12345',
  personId: '775596ae-2624-40af-a9dc-9756110a4a04',
};

test('a changed PIN is the one revealed', async () => {
  const sandbox = createPinSandbox();
  const pins = createPinClient({ apiKey: 'test-key', fetch: sandbox.fetch });
  await pins.updatePin({ ...card, pin: '4826' });
  expect(await pins.getPin({ ...card, cardholderVerificationMethod: 'LOGIN' })).toEqual({ pin: '4826' });
  expect(sandbox.requests.map((request) => request.status)).toEqual([200, 200]);
});
