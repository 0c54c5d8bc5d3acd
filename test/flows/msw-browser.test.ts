// Run (b) of the flow table: the real client bundled into a page, and MSW's service worker (the one the
// installed msw ships) answering from an in-page sandbox, in Debian's Chromium. The page, its bundle and
// the worker script come from a static server on 127.0.0.1: service workers need http, not file://.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FlowResult } from './browser/page.js';
import { flows } from './table.js';

const CHROMIUM = '/usr/bin/chromium';
// A missing browser fails in CI (.ci/run installs it); elsewhere the skip says how to get one.
const canRun = existsSync(CHROMIUM) || !!process.env.CI;
const skipReason = `${CHROMIUM} not found; install it with \`apt-get install -y chromium\` to run this test (CI installs it)`;

/** The page's files, built and read at test time: the worker script from the msw that is installed. */
async function fixtureFiles(): Promise<Record<string, { type: string; body: string | Uint8Array }>> {
  const bundle = await build({
    entryPoints: [resolve(import.meta.dirname, 'browser/page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const worker = createRequire(import.meta.url).resolve('msw/mockServiceWorker.js');
  const js = 'text/javascript; charset=utf-8';
  return {
    '/': { type: 'text/html; charset=utf-8', body: '<!doctype html><title>PIN flows</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>' },
    '/page.js': { type: js, body: bundle.outputFiles[0]!.contents },
    '/mockServiceWorker.js': { type: js, body: readFileSync(worker, 'utf8') },
  };
}

/** Serves the fixture files on 127.0.0.1; anything else is a 404 that names itself in `missed`. */
function serve(files: Awaited<ReturnType<typeof fixtureFiles>>, missed: string[]): Promise<Server> {
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://x').pathname];
    if (!file) missed.push(`${request.method} ${request.url}`);
    response.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain', 'cache-control': 'no-store' });
    response.end(file?.body ?? 'not a fixture');
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

describe.runIf(canRun)('flow table through msw setupWorker (Chromium)', () => {
  let server: Server;
  let browser: Browser;
  let tab: Page;
  const missed: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await serve(await fixtureFiles(), missed);
    const { port } = server.address() as AddressInfo;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    tab = await browser.newPage();
    tab.setDefaultTimeout(10_000);
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    // Chromium logs every 4xx/5xx answer as "Failed to load resource"; the flows expect those. MSW's own
    // complaints (an unhandled request, a worker script that does not match the library) are kept.
    tab.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
    await tab.goto(`http://127.0.0.1:${port}/`);
    expect(await tab.evaluate(() => window.pinWorkerReady)).toBe(true);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

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

  test('every API request was answered by the worker, and the page logged no error', () => {
    expect(missed).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

if (!canRun) {
  console.warn(`msw browser flow test skipped: ${skipReason}`);
  test.skip(`flow table in Chromium — SKIPPED: ${skipReason}`, () => {});
}
