// docs/runtimes.md's Worker, bundled as Wrangler bundles it (esbuild, the `workerd`, `worker` and
// `browser` conditions) and run by workerd through Miniflare 4 on 127.0.0.1: once with the guide's own
// compatibility date, once with the day before the one the guide says is needed.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { typeCheck } from '../support/docs.js';
import { forwarderTests, KEY, runtimeExample, scratchProject, SESSION, whenInstalled } from './harness.js';

const { cardId, accountId, personId } = exampleCard;
const card = { cardId, accountId, personId };

// workerd's package resolves to the binary's path; it is absent when its platform package is.
const workerd = (() => {
  try {
    return !!createRequire(import.meta.url)('workerd').default;
  } catch {
    return false;
  }
})();

/**
 * The test's own entry around the guide's Worker: an uncaught error answers a bare 500, so this puts the
 * error's message in it; and /client-alone runs the client by itself (the sandbox as its fetch), answering
 * with the PIN or with what it threw.
 */
const testEntry = `import { createPinClient } from 'equals-card-pin';
import { createPinSandbox } from 'equals-card-pin/sandbox';
import worker from './index.ts';

async function clientAlone() {
  const pins = createPinClient({ apiKey: 'worker-key-1234', fetch: createPinSandbox().fetch, retry: { retries: 0 } });
  try {
    return Response.json(await pins.getPin(${JSON.stringify({ ...card, cardholderVerificationMethod: 'LOGIN' })}));
  } catch (error) {
    return Response.json({ name: error.name, code: error.code, cause: error.cause }, { status: 500 });
  }
}

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === '/client-alone') return clientAlone();
    try {
      return await worker.fetch(request, env, ctx);
    } catch (error) {
      return new Response(String(error), { status: 500 });
    }
  },
};
`;

const OLD_DATE = '2024-11-10';

whenInstalled(
  'workerd',
  workerd,
  'run `npm install` (the devDependency `miniflare` brings workerd for this platform; Node >= 22)',
  () => {
    const { Miniflare } = createRequire(import.meta.url)('miniflare') as typeof import('miniflare');
    let script: string;
    const guideDate = /"compatibility_date": "(\d{4}-\d\d-\d\d)"/.exec(runtimeExample('wrangler', 'jsonc'))![1]!;

    /** The Worker under `compatibilityDate` on 127.0.0.1, a free port; the origin and how to dispose of it. */
    async function startWorker(compatibilityDate: string) {
      const mf = new Miniflare({
        modules: true,
        script,
        compatibilityDate,
        bindings: { EQUALS_API_KEY: KEY, PIN_SANDBOX: '1' },
        host: '127.0.0.1',
        port: 0,
        // The example's onError logs each upstream failure; the assertions read the answers.
        handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
          stdout.resume();
          stderr.resume();
        },
      });
      return { origin: (await mf.ready).origin, dispose: () => mf.dispose() };
    }

    let dir: string;
    beforeAll(async () => {
      dir = scratchProject('workerd', { 'index.ts': runtimeExample('worker'), 'entry.js': testEntry });
      const bundled = await build({
        entryPoints: [join(dir, 'entry.js')],
        bundle: true,
        format: 'esm',
        platform: 'neutral',
        conditions: ['workerd', 'worker', 'browser'],
        mainFields: ['browser', 'module', 'main'],
        write: false,
        logLevel: 'silent',
      });
      script = bundled.outputFiles[0]!.text;
    });

    test("the Worker type-checks strictly against the built package, with the DOM's Fetch types", async () => {
      const { status, output } = await typeCheck(dir, ['session.d.ts', 'index.ts']);
      expect(output).toBe('');
      expect(status).toBe(0);
    }, 60_000);

    test('the guide names a compatibility date on or after 2024-11-11', () => {
      expect(guideDate >= '2024-11-11').toBe(true);
    });

    describe(`with the guide's compatibility date`, () => {
      let worker: Awaited<ReturnType<typeof startWorker>>;
      beforeAll(async () => {
        worker = await startWorker(guideDate);
      });
      afterAll(() => worker?.dispose());

      forwarderTests(() => worker.origin);

      test('the client alone reveals the PIN with the sandbox as its fetch', async () => {
        const got = await fetch(`${worker.origin}/client-alone`);
        expect([got.status, await got.json()]).toEqual([200, { pin: exampleCard.pin }]);
      });
    });

    describe(`with compatibility date ${OLD_DATE}, before Request's cache field`, () => {
      let worker: Awaited<ReturnType<typeof startWorker>>;
      beforeAll(async () => {
        worker = await startWorker(OLD_DATE);
      });
      afterAll(() => worker?.dispose());

      test('the forwarder refuses to start, saying which date it needs, and nothing is revealed', async () => {
        const got = await fetch(
          `${worker.origin}/api/equals/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}`,
          { headers: { cookie: SESSION } },
        );
        const text = await got.text();
        expect(got.status).toBe(500);
        expect(text).toContain('PinValidationError: createPinForwarder:');
        expect(text).toContain(
          'set compatibility_date to 2024-11-11 or later (or the compatibility flag cache_option_enabled)',
        );
        expect(text).not.toContain(exampleCard.pin);
      });

      // The cause is the scrubbed copy the client keeps of any fetch failure (issue 21: its name and codes,
      // never a message that could quote the URL); the forwarder's setup error above is what names the date.
      test('the client alone fails each call with a network PinTransportError, its cause scrubbed to a name', async () => {
        const got = await fetch(`${worker.origin}/client-alone`);
        expect([got.status, await got.json()]).toEqual([
          500,
          {
            name: 'PinTransportError',
            code: 'network',
            cause: { name: 'Error' },
          },
        ]);
      });
    });
  },
);
