// Run (b) of the flow table: the real client bundled into a page, and MSW's service worker (the one the
// installed msw ships) answering from an in-page sandbox, in Debian's Chromium, once per msw major (msw 3
// is the `msw-3` alias devDependency: the bundler's alias points `msw` at it, and its own worker script is
// served). Beside it, docs/testing.md's setupWorker example runs in a page of its own as an app would use it:
// a keyless client calling its backend path. Pages, bundles and the worker script come from a static
// server on 127.0.0.1: service workers need http, not file://. One Chromium for the whole file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundleForBrowser, canRunChromium, chromiumSkipReason, launchChromium } from '../support/chromium.js';
import { docExample } from '../support/docs.js';
import { root } from '../support/run.js';
import type { FlowResult } from '../support/flows/page.js';
import { exampleCard } from '../../generated/pin-examples.js';
import { flows } from '../support/flows/table.js';
import { MSW_MAJORS, type MswMajor } from './majors.js';

type Files = Record<string, { type: string; body: string | Uint8Array }>;
const JS = 'text/javascript; charset=utf-8';
const html = (script: string) => ({
  type: 'text/html; charset=utf-8',
  body: `<!doctype html><title>PIN</title><link rel="icon" href="data:,"><script type="module" src="${script}"></script>`,
});
// The guide example's app: what a story or component test does with the exports of the guide's block.
const guideApp = `
import { createPinClient, PinHttpError } from 'equals-card-pin';
import { apiDown, noPinSet, pinMocksReady, resetPins } from './pin-mocks.ts';

const pins = createPinClient({ baseUrl: '/api/equals', retry: false });
const card = { cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd', accountId: 'F12345', personId: '775596ae-2624-40af-a9dc-9756110a4a04' };
const reveal = () =>
  pins.getPin({ ...card, cardholderVerificationMethod: 'LOGIN' }).then(
    ({ pin }) => pin,
    (error) => (error instanceof PinHttpError ? 'HTTP ' + error.status : String(error)),
  );
window.guideRun = async () => {
  await pinMocksReady;
  const seen = [await reveal()];
  noPinSet();
  seen.push(await reveal());
  apiDown();
  seen.push(await reveal());
  resetPins();
  seen.push(await reveal());
  return seen;
};
`;

/** Pages and bundles for one msw major, built at test time; the worker script read from that msw. */
async function fixtureFiles(major: MswMajor): Promise<Files> {
  const { pkg, onUnhandled } = MSW_MAJORS[major];
  // `msw` and its subpaths (`msw/browser`) become the major's package, as in an app that installed it.
  const asInstalled = { alias: { msw: pkg }, define: { MSW_UNHANDLED_OPTION: JSON.stringify(onUnhandled) } };
  const flowsBundle = await bundleForBrowser({
    entryPoints: [resolve(import.meta.dirname, '../support/flows/page.ts')],
    ...asInstalled,
  });
  // Inside the repository (gitignored test-results/), so `equals-card-pin` is this package by its own name.
  const dir = join(root, `test-results/msw-browser-${pkg}`);
  mkdirSync(dir, { recursive: true });
  // The guides' setupWorker example for this major: docs/testing.md's (msw 2), docs/msw.md's (msw 3).
  const example =
    major === 'msw 2' ? docExample('docs/testing.md', 'msw-browser') : docExample('docs/msw.md', 'msw3-browser');
  writeFileSync(join(dir, 'pin-mocks.ts'), example);
  const guideBundle = await bundleForBrowser({
    stdin: { contents: guideApp, resolveDir: dir, loader: 'ts' },
    ...asInstalled,
  });
  const worker = createRequire(import.meta.url).resolve(`${pkg}/mockServiceWorker.js`);
  return {
    '/': html('/page.js'),
    '/page.js': { type: JS, body: flowsBundle },
    '/guide': html('/guide.js'),
    '/guide.js': { type: JS, body: guideBundle },
    '/mockServiceWorker.js': { type: JS, body: readFileSync(worker, 'utf8') },
  };
}

/** Serves the fixture files on 127.0.0.1; anything else is a 404 that names itself in `missed`. */
function serve(files: Files, missed: string[]): Promise<Server> {
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://x').pathname];
    if (!file) missed.push(`${request.method} ${request.url}`);
    response.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain', 'cache-control': 'no-store' });
    response.end(file?.body ?? 'not a fixture');
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

let browser: Browser;
beforeAll(async () => {
  if (canRunChromium) browser = await launchChromium();
}, 30_000);
afterAll(() => browser?.close());

describe.runIf(canRunChromium).each(Object.keys(MSW_MAJORS) as MswMajor[])('%s setupWorker in Chromium', (major) => {
  let server: Server;
  let origin: string;
  const missed: string[] = [];
  const pageErrors: string[] = [];
  let pagesOpened = 0;

  /** A page in a context of its own (its own service worker registration), its errors collected. */
  async function open(path: string): Promise<Page> {
    const tab = await (await browser.newContext()).newPage();
    pagesOpened++;
    tab.setDefaultTimeout(10_000);
    tab.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
    // Chromium logs every 4xx/5xx answer as "Failed to load resource"; the flows expect those. MSW's own
    // complaints (an unhandled request, a worker script that does not match the library) are kept.
    tab.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        pageErrors.push(`${path}: ${message.text()}`);
    });
    await tab.goto(`${origin}${path}`);
    return tab;
  }

  beforeAll(async () => {
    server = await serve(await fixtureFiles(major), missed);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 30_000);

  afterAll(async () => {
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

  describe('the flow table', () => {
    let tab: Page;
    beforeAll(async () => {
      tab = await open('/');
      expect(await tab.evaluate(() => window.pinWorkerReady)).toBe(true);
    }, 30_000);

    test('the page runs the same flows as the table', async () => {
      expect(await tab.evaluate(() => window.flowNames)).toEqual(Object.keys(flows));
    });

    test.each(Object.keys(flows))('%s', async (name) => {
      const result: FlowResult = await tab.evaluate((flow) => window.runPinFlow(flow), name);
      expect(result).toEqual({ ok: true });
    });

    test('a scripted network error (Response.error()) reaches the client in the page as a network failure', async () => {
      expect(await tab.evaluate(() => window.scriptedNetworkError())).toBe('PinTransportError network');
    });
  });

  test("the guide's setupWorker example: a keyless client on the backend path is answered in the page", async () => {
    const tab = await open('/guide');
    const seen = await tab.evaluate(() => (window as unknown as { guideRun(): Promise<unknown[]> }).guideRun());
    // The example card's PIN, no PIN after noPinSet(), the API down after apiDown(), all back after resetPins().
    expect(seen).toEqual([exampleCard.pin, null, 'HTTP 503', exampleCard.pin]);
  }, 30_000);

  test('every API request was answered by a worker, and no page logged an error', () => {
    // Run alone (-t), no page was opened and the two lists below would be empty for nothing.
    expect(pagesOpened).toBeGreaterThan(0);
    expect(missed).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

if (!canRunChromium) {
  console.warn(`msw browser test skipped: ${chromiumSkipReason}`);
  test.skip(`setupWorker in Chromium — SKIPPED: ${chromiumSkipReason}`, () => {});
}
