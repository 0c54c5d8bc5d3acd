// docs/client.md's TanStack Query recipes, run as written (docs.test.ts type-checks them with the guide's other
// examples, in one compiler run), with @tanstack/query-core's observers (what useQuery and useMutation use)
// against a real loopback server that counts requests.
// Both keep one 503 outage to 3 requests, where TanStack's browser default on top of the client makes 12,
// and both drop the PIN from the query and mutation caches once nothing observes it.
import {
  MutationObserver,
  QueryClient,
  QueryObserver,
  type MutationOptions,
  type QueryObserverOptions,
} from '@tanstack/query-core';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createPinClient, PinHttpError, type UpdatePinParams } from '../../src/index.js';
import { startFaultServer, type FaultServer } from '../support/fault-server-process.js';
import { writeDocExamples } from '../support/docs.js';

const examples = ['tanstack', 'tanstack-retries'];
const ids = { accountId: 'F12345', personId: '775596ae-2624-40af-a9dc-9756110a4a04' };
const PIN = '5173';

let server: FaultServer;
let dir: string;
// The two recipe modules, loaded as a page would: relative baseUrl, resolved against the page.
let recipe: typeof import('../../test-results/docs-tanstack/tanstack.ts');
let ownRetries: typeof import('../../test-results/docs-tanstack/tanstack-retries.ts');

beforeAll(async () => {
  server = await startFaultServer();
  dir = writeDocExamples('docs-tanstack', 'docs/client.md', examples);
  vi.stubGlobal('document', {});
  vi.stubGlobal('location', new URL(`${server.url}/cards`));
  recipe = await import(pathToFileURL(join(dir, 'tanstack.ts')).href);
  ownRetries = await import(pathToFileURL(join(dir, 'tanstack-retries.ts')).href);
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await server?.stop();
});

const card = (fault: string) => ({ ...ids, cardId: `${fault}-${randomUUID().slice(0, 8)}` });

/** Mounts a query as useQuery would, until it settles, then unmounts it. */
async function observeQuery(client: QueryClient, options: QueryObserverOptions<any, any, any, any, any>) {
  const observer = new QueryObserver(client, options);
  return new Promise<{ data?: unknown; error: unknown }>((resolve) => {
    const unsubscribe = observer.subscribe((result) => {
      if (result.status === 'pending' || result.fetchStatus !== 'idle') return;
      unsubscribe();
      resolve(result);
    });
  });
}

/** Runs a mutation as useMutation would, then unmounts it. */
async function runMutation(client: QueryClient, options: MutationOptions<any, any, any, any>, input: object) {
  const observer = new MutationObserver(client, options);
  const unsubscribe = observer.subscribe(() => {});
  const outcome = await observer.mutate(input).then(
    (data) => ({ data, error: undefined }),
    (error: unknown) => ({ data: undefined, error }),
  );
  unsubscribe();
  return outcome;
}

const tick = () => new Promise((r) => setTimeout(r, 20));
/** Everything both caches hold, as text: where a PIN would show. */
const cached = (client: QueryClient) =>
  JSON.stringify([
    client
      .getQueryCache()
      .getAll()
      .map((q) => q.state),
    client
      .getMutationCache()
      .getAll()
      .map((m) => m.state),
  ]);

describe('without the recipe: TanStack’s browser default on top of the client', () => {
  test('one 503 outage makes 12 requests', async () => {
    const pins = createPinClient({ baseUrl: server.url, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    const client = new QueryClient({ defaultOptions: { queries: { retry: 3, retryDelay: 1 } } });
    const { cardId } = card('s503');
    const input = { ...ids, cardId, cardholderVerificationMethod: 'LOGIN' as const };
    const { error } = await observeQuery(client, { queryKey: ['card-pin', cardId], queryFn: () => pins.getPin(input) });
    expect(error).toBeInstanceOf(PinHttpError);
    expect(await server.hits(cardId)).toBe(12);
  });

  test('a finished mutation keeps the PIN in the mutation cache for 5 minutes', async () => {
    const pins = createPinClient({ baseUrl: server.url });
    const client = new QueryClient();
    await runMutation(
      client,
      { mutationFn: (input: UpdatePinParams) => pins.updatePin(input) },
      { ...card('landed'), pin: PIN },
    );
    await tick();
    expect(cached(client)).toContain(PIN);
  });
});

describe.each([
  ['the recipe: the client retries, TanStack does not', () => recipe],
  ['the variant: TanStack retries what isRetryable allows, the client does not', () => ownRetries],
])('%s', (_, load) => {
  // The variant keeps the recipe's query and mutation options (gcTime and all), with its own `pins`, as the
  // guide says: so the cache checks below hold the guide's options, not options written here.
  const setup = () => {
    const loaded = load();
    const updatePin =
      'updatePinMutation' in loaded
        ? loaded.updatePinMutation
        : { ...recipe.updatePinMutation, mutationFn: (input: UpdatePinParams) => loaded.pins.updatePin(input) };
    const query = (cardId: string) => {
      const input = { ...ids, cardId, cardholderVerificationMethod: 'LOGIN' as const };
      if ('pinQuery' in loaded) return loaded.pinQuery(input);
      return { ...recipe.pinQuery(input), queryFn: () => loaded.pins.getPin(input) };
    };
    return { client: loaded.queryClient, query, updatePin };
  };

  test('one 503 outage costs 3 requests, and the error surfaces', async () => {
    const { client, query } = setup();
    const { cardId } = card('s503');
    const { error } = await observeQuery(client, query(cardId));
    expect((error as PinHttpError).status).toBe(503);
    expect(await server.hits(cardId)).toBe(3);
  }, 15_000);

  test('a 500 is sent once', async () => {
    const { client, query } = setup();
    const { cardId } = card('s500');
    await observeQuery(client, query(cardId));
    expect(await server.hits(cardId)).toBe(1);
  });

  test('an updatePin with a PIN is retried like a query; one without a PIN is sent once', async () => {
    const { client, updatePin } = setup();
    const withPin = card('s503');
    const withoutPin = card('s503');
    expect((await runMutation(client, updatePin, { ...withPin, pin: PIN })).error).toBeInstanceOf(Error);
    expect((await runMutation(client, updatePin, withoutPin)).error).toBeInstanceOf(Error);
    expect(await server.hits(withPin.cardId)).toBe(3);
    expect(await server.hits(withoutPin.cardId)).toBe(1);
  }, 15_000);

  test('the PIN leaves both caches once nothing observes it', async () => {
    const { client, query, updatePin } = setup();
    const { cardId } = card('landed');
    const { data } = await observeQuery(client, query(cardId));
    expect(data).toEqual({ pin: expect.stringMatching(/^\d{4}$/) });
    const mutation = await runMutation(client, updatePin, { ...card('landed'), pin: PIN });
    expect(mutation.data).toEqual({ success: true, pin: PIN });
    await tick();
    expect(client.getQueryCache().getAll()).toEqual([]);
    expect(client.getMutationCache().getAll()).toEqual([]);
    expect(cached(client)).not.toContain((data as { pin: string }).pin);
  });
});
