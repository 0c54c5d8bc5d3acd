// createPinHandlers under msw's real setupServer: where the handlers sit (paths from the generated table,
// under any base URL), that a scripted network error reaches the client as one, that one sandbox is
// made per call when none is given, and `apiKey` standing in for a backend that adds the key. Called once
// per msw major (setup-server.test.ts, msw-3.test.ts).
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { operations, servers } from '../../generated/pin-constraints.js';
import { createPinClient, PinTransportError } from '../../src/index.js';
import { createPinHandlers } from '../../src/msw.js';
import { createPinSandbox } from '../../src/sandbox.js';
import { type MswMajor, unhandledIsError } from './majors.js';

const { cardId, accountId, personId } = exampleCard;
const reveal = { cardId, accountId, personId, cardholderVerificationMethod: 'LOGIN' } as const;
const UNHANDLED = 418;

const pinUrl = (base: string) =>
  `${base}/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}&cardholderVerificationMethod=LOGIN`;
const get = (url: string) => fetch(url, { headers: { authorization: 'ApiKey test' } });

export const handlersSuite = (major: MswMajor) =>
  describe(`createPinHandlers with ${major}`, () => {
    // Anything the handlers under test leave alone lands here, so a miss is a status rather than a thrown error.
    const server = setupServer();
    beforeAll(() => server.listen(unhandledIsError(major)));
    afterEach(() => server.resetHandlers());
    afterAll(() => server.close());

    const use = (...handlers: ReturnType<typeof createPinHandlers>) =>
      server.use(
        ...handlers,
        http.all('*', () => new HttpResponse(null, { status: UNHANDLED })),
      );

    test('one handler per operation in the table, on the production server by default', () => {
      const handlers = createPinHandlers();
      const expected = Object.values(operations).map((op) => ({
        method: op.method,
        path: `${servers.production}${op.path.replace('{cardId}', ':cardId')}`,
      }));
      expect(handlers.map(({ info }) => ({ method: info.method, path: info.path }))).toEqual(expected);
    });

    test('the default base URL is answered, another origin is not', async () => {
      use(...createPinHandlers());
      expect((await get(pinUrl(servers.production))).status).toBe(200);
      expect((await get(pinUrl(servers.sandbox))).status).toBe(UNHANDLED);
    });

    test('a base URL with a path prefix (and a trailing slash) is answered under that prefix only', async () => {
      use(...createPinHandlers({ baseUrl: 'http://127.0.0.1:9999/mount/' }));
      const answer = await get(pinUrl('http://127.0.0.1:9999/mount'));
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ pin: exampleCard.pin });
      expect((await get(pinUrl('http://127.0.0.1:9999'))).status).toBe(UNHANDLED);
      expect((await get(pinUrl('http://127.0.0.1:9999/other'))).status).toBe(UNHANDLED);
    });

    test('the sandbox given is the one that answers; without one, each call gets its own', async () => {
      const sandbox = createPinSandbox();
      sandbox.setPin(cardId, '1111');
      use(
        ...createPinHandlers({ sandbox, baseUrl: 'https://a.test' }),
        ...createPinHandlers({ baseUrl: 'https://b.test' }),
      );
      expect(await (await get(pinUrl('https://a.test'))).json()).toEqual({ pin: '1111' });
      expect(await (await get(pinUrl('https://b.test'))).json()).toEqual({ pin: exampleCard.pin });
      expect(sandbox.requests).toHaveLength(1);
    });

    test('with apiKey, they stand in for a backend: a keyless request gets that key, one with a header keeps it', async () => {
      const sandbox = createPinSandbox({ apiKeys: ['backend-key'] });
      use(...createPinHandlers({ sandbox, baseUrl: 'https://app.test/api/equals', apiKey: 'backend-key' }));
      const url = pinUrl('https://app.test/api/equals');
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(url, { headers: { authorization: 'ApiKey someone-else' } })).status).toBe(403);
      expect((await fetch(url, { headers: { authorization: 'Bearer token' } })).status).toBe(403);
      const put = await fetch(url.replace(/&cardholder.*$/, ''), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{"pin":"5190"}',
      });
      expect([put.status, sandbox.pinOf(cardId)]).toEqual([200, '5190']);
    });

    test('without apiKey, a keyless request is the 401 the API gives', async () => {
      use(...createPinHandlers());
      expect((await fetch(pinUrl(servers.production))).status).toBe(401);
    });

    test('a scripted network error fails the fetch, and the client reports it as a network failure', async () => {
      const sandbox = createPinSandbox();
      use(...createPinHandlers({ sandbox }));
      sandbox.failNext({ network: true });
      await expect(get(pinUrl(servers.production))).rejects.toThrow(TypeError);

      sandbox.failNext({ network: true, times: 10 });
      const client = createPinClient({ apiKey: 'test', retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
      const error = await client.getPin(reveal).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PinTransportError);
      expect((error as PinTransportError).code).toBe('network');
      expect(sandbox.requests.map((entry) => entry.status)).toEqual([0, 0, 0]);
    });
  });
