// The ways to make each call that the benchmark compares, over one injected fetch.
import createClient from 'openapi-fetch';
import { operations } from '../dist/generated/pin-constraints.mjs';
import { exampleCard } from '../dist/generated/pin-examples.mjs';
import { createPinClient } from '../dist/src/index.mjs';

// The spec's example card and path, as generated/ holds them.
const { pin: examplePin, ...ids } = exampleCard;
const KEY = 'bench-key';
const PATH = operations.getPin.path;
const putParams = { path: { cardId: ids.cardId }, query: { accountId: ids.accountId, personId: ids.personId } };
const getParams = {
  path: putParams.path,
  query: { ...putParams.query, cardholderVerificationMethod: 'BIOMETRIC_FACE' },
};
const pinBody = { pin: examplePin };

/** A per-call deadline signal, as every careful caller needs, cleared on the way out. */
async function withDeadline(call) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    return await call(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** Raw fetch: the URL, the key and the body written by hand. */
function rawFetch(baseUrl, fetch) {
  const url = `${baseUrl}/v2/cards/${encodeURIComponent(ids.cardId)}/pin`;
  const query = `accountId=${encodeURIComponent(ids.accountId)}&personId=${encodeURIComponent(ids.personId)}`;
  const headers = { Authorization: `ApiKey ${KEY}` };
  return {
    getPin: async () => {
      const init = { headers, cache: 'no-store' };
      return (await fetch(new Request(`${url}?${query}&cardholderVerificationMethod=BIOMETRIC_FACE`, init))).json();
    },
    updatePin: async () => {
      const init = {
        method: 'PUT',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(pinBody),
        cache: 'no-store',
      };
      return (await fetch(new Request(`${url}?${query}`, init))).json();
    },
  };
}

/** openapi-fetch with a fixed key header and nothing else. */
function bareOpenapiFetch(baseUrl, fetch) {
  const bare = createClient({ baseUrl, fetch, headers: { Authorization: `ApiKey ${KEY}` } });
  return {
    getPin: async () => (await bare.GET(PATH, { params: getParams, cache: 'no-store' })).data,
    updatePin: async () => (await bare.PUT(PATH, { params: putParams, body: pinBody, cache: 'no-store' })).data,
  };
}

/**
 * openapi-fetch with the key added by a middleware, and a per-call deadline signal (Node's Request pays for
 * cancellation support).
 */
function middlewareOpenapiFetch(baseUrl, fetch) {
  const client = createClient({ baseUrl, fetch });
  client.use({ onRequest: ({ request }) => void request.headers.set('Authorization', `ApiKey ${KEY}`) });
  const init = (signal) => ({ params: getParams, cache: 'no-store', signal });
  return {
    getPin: async () => (await withDeadline((signal) => client.GET(PATH, init(signal)))).data,
    updatePin: async () =>
      (await withDeadline((signal) => client.PUT(PATH, { ...init(signal), params: putParams, body: pinBody }))).data,
  };
}

/**
 * openapi-fetch doing the same careful job as this client (issue 16's comparison, the one the targets are
 * against): the key, no HTTP cache, no redirect followed, a per-call deadline signal, the body read as text
 * and then parsed.
 */
function carefulOpenapiFetch(baseUrl, fetch) {
  const client = createClient({
    baseUrl,
    fetch,
    headers: { Authorization: `ApiKey ${KEY}` },
    cache: 'no-store',
    redirect: 'manual',
  });
  const parsed = async (call) => JSON.parse((await withDeadline(call)).data);
  return {
    getPin: () => parsed((signal) => client.GET(PATH, { params: getParams, parseAs: 'text', signal })),
    updatePin: () =>
      parsed((signal) => client.PUT(PATH, { params: putParams, body: pinBody, parseAs: 'text', signal })),
  };
}

function thisClient(baseUrl, fetch) {
  const client = createPinClient({ apiKey: KEY, baseUrl, fetch });
  return {
    getPin: () => client.getPin({ ...ids, cardholderVerificationMethod: 'BIOMETRIC_FACE' }),
    updatePin: () => client.updatePin({ ...ids, ...pinBody }),
  };
}

/** Names as the bench prints them; `b=` is what the targets compare `c` with. */
const makers = {
  'a raw fetch': rawFetch,
  'b openapi-fetch': bareOpenapiFetch,
  'b+ middleware, deadline': middlewareOpenapiFetch,
  'b= openapi-fetch, careful': carefulOpenapiFetch,
  'c this client': thisClient,
};

/** `{ getPin: { name: call }, updatePin: { name: call } }` over one base URL and fetch. */
export function contenders(baseUrl, fetch) {
  const made = Object.entries(makers).map(([name, make]) => [name, make(baseUrl, fetch)]);
  return Object.fromEntries(
    ['getPin', 'updatePin'].map((op) => [op, Object.fromEntries(made.map(([name, calls]) => [name, calls[op]]))]),
  );
}
