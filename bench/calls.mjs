// The three ways to make each call that the benchmark compares, over one injected fetch.
import createClient from 'openapi-fetch';
import { createPinClient } from '../dist/src/index.mjs';

const ids = {
  cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd',
  accountId: 'F12345',
  personId: '775596ae-2624-40af-a9dc-9756110a4a04',
};
const KEY = 'bench-key';

export function contenders(baseUrl, fetch) {
  const bare = createClient({ baseUrl, fetch, headers: { Authorization: `ApiKey ${KEY}` } });
  // openapi-fetch doing what this client must on every call, before any code of ours: the key added by
  // a middleware, and a per-call deadline signal (Node's Request pays for cancellation support).
  const withMiddleware = createClient({ baseUrl, fetch });
  withMiddleware.use({ onRequest: ({ request }) => void request.headers.set('Authorization', `ApiKey ${KEY}`) });
  const withDeadline = async (call) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    try {
      return (await call(controller.signal)).data;
    } finally {
      clearTimeout(timer);
    }
  };
  const client = createPinClient({ apiKey: KEY, baseUrl, fetch });
  const url = `${baseUrl}/v2/cards/${encodeURIComponent(ids.cardId)}/pin`;
  const query = `accountId=${encodeURIComponent(ids.accountId)}&personId=${encodeURIComponent(ids.personId)}`;
  const headers = { Authorization: `ApiKey ${KEY}` };
  const putParams = { path: { cardId: ids.cardId }, query: { accountId: ids.accountId, personId: ids.personId } };
  const getParams = {
    path: putParams.path,
    query: { ...putParams.query, cardholderVerificationMethod: 'BIOMETRIC_FACE' },
  };
  return {
    getPin: {
      'a raw fetch': async () => {
        const res = await fetch(
          new Request(`${url}?${query}&cardholderVerificationMethod=BIOMETRIC_FACE`, { headers, cache: 'no-store' }),
        );
        return res.json();
      },
      'b openapi-fetch': async () =>
        (await bare.GET('/v2/cards/{cardId}/pin', { params: getParams, cache: 'no-store' })).data,
      'b+ middleware, deadline': () =>
        withDeadline((signal) =>
          withMiddleware.GET('/v2/cards/{cardId}/pin', { params: getParams, cache: 'no-store', signal }),
        ),
      'c this client': () => client.getPin({ ...ids, cardholderVerificationMethod: 'BIOMETRIC_FACE' }),
    },
    updatePin: {
      'a raw fetch': async () => {
        const res = await fetch(
          new Request(`${url}?${query}`, {
            method: 'PUT',
            headers: { ...headers, 'Content-Type': 'application/json' },
            body: JSON.stringify({ pin: '7268' }),
            cache: 'no-store',
          }),
        );
        return res.json();
      },
      'b openapi-fetch': async () =>
        (await bare.PUT('/v2/cards/{cardId}/pin', { params: putParams, body: { pin: '7268' }, cache: 'no-store' }))
          .data,
      'b+ middleware, deadline': () =>
        withDeadline((signal) =>
          withMiddleware.PUT('/v2/cards/{cardId}/pin', {
            params: putParams,
            body: { pin: '7268' },
            cache: 'no-store',
            signal,
          }),
        ),
      'c this client': () => client.updatePin({ ...ids, pin: '7268' }),
    },
  };
}
