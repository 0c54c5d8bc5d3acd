// A fetch to inject into the client: records every request and answers from a script.
import type { GetPinParams, UpdatePinParams } from '../../src/index.js';
import seeds from './fixtures/seed-examples.json' with { type: 'json' };
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

/** The flat client input a seed request stands for: the card id from its path, the rest from its query. */
function inputOf(url: string): Record<string, string> {
  const { pathname, searchParams } = new URL(url);
  return { cardId: decodeURIComponent(pathname.split('/')[3]!), ...Object.fromEntries(searchParams) };
}

const [seedGetRequest, seedPutRequest] = seeds.requests;
/** The guide's GET request, as `getPin` input. */
export const seedGet = inputOf(seedGetRequest!.url) as GetPinParams;
/** The guide's PUT request, as `updatePin` input. */
export const seedPut = { ...inputOf(seedPutRequest!.url), ...seedPutRequest!.body } as UpdatePinParams & {
  pin: string;
};

export const API_KEY = 'test-key-5f2b9c1e';
