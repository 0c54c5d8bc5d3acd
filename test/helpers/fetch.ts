// A fetch to inject into the client: records every request and answers from a script.
export interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  cache: RequestCache;
  body: string;
}

export function scriptedFetch(answer: (request: Request, attempt: number) => Response | Promise<Response>) {
  const calls: Recorded[] = [];
  const fetch = async (request: Request) => {
    calls.push({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      cache: request.cache,
      body: await request.clone().text(),
    });
    return answer(request, calls.length);
  };
  return { fetch, calls };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export const seedGet = {
  cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd',
  accountId: 'F12345',
  personId: '775596ae-2624-40af-a9dc-9756110a4a04',
  cardholderVerificationMethod: 'BIOMETRIC_FACE',
} as const;

export const seedPut = {
  cardId: seedGet.cardId,
  accountId: seedGet.accountId,
  personId: seedGet.personId,
  pin: '7268',
} as const;

export const API_KEY = 'test-key-5f2b9c1e';
