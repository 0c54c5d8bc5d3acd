// Redirects as a browser reports them: with `redirect: 'manual'`, Chromium hands the page an opaque
// redirect (status 0, no Location), not the 3xx. A page in Debian's Chromium runs the client in browser
// mode (relative baseUrl, no key) against its own origin, which answers every call with a redirect to
// another loopback address; the client must refuse each one, and nothing may reach the Location.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundleForBrowser, canRunChromium, chromiumSkipReason, launchChromium } from '../../support/chromium.js';
import { startFaultServer, type FaultServer } from '../../support/fault-server-process.js';
import { root } from '../../support/run.js';

const STATUSES = [301, 302, 303, 307, 308];

// The page's script: one updatePin with a PIN per redirect status, each outcome written into #out.
const pageScript = `
import { createPinClient } from 'equals-card-pin';
const pins = createPinClient({ baseUrl: '/api/equals', retry: { baseDelayMs: 1 } });
const ids = { accountId: 'F12345', personId: '775596ae-2624-40af-a9dc-9756110a4a04' };
const outcomes = {};
for (const status of ${JSON.stringify(STATUSES)}) {
  outcomes[status] = await pins.updatePin({ ...ids, cardId: 'redirect-' + status + '-' + window.NONCE, pin: '4821' }).then(
    () => 'resolved',
    (error) => error.name + ' ' + error.code,
  );
}
document.querySelector('#out').textContent = JSON.stringify(outcomes);
`;

describe.runIf(canRunChromium)('redirects in Chromium', () => {
  let target: FaultServer;
  let app: Server;
  let origin: string;
  let browser: Browser;
  const hits: string[] = [];

  beforeAll(async () => {
    target = await startFaultServer({ host: '127.0.0.2' });
    const script = await bundleForBrowser({ stdin: { contents: pageScript, resolveDir: root, loader: 'js' } });
    // The page's own origin: the page, its script, and the API path, which always redirects elsewhere.
    app = createServer((req, res) => {
      const url = new URL(req.url!, 'http://page');
      const api = /^\/api\/equals\/v2\/cards\/redirect-(\d+)-([^/]+)\/pin$/.exec(url.pathname);
      if (api) {
        hits.push(req.method!);
        res.writeHead(Number(api[1]), { location: `${target.url}/v2/cards/landed-${api[2]}/pin` });
        return res.end();
      }
      if (url.pathname === '/app.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      const nonce = url.searchParams.get('nonce');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<!doctype html><pre id="out"></pre><script>window.NONCE = ${JSON.stringify(nonce)}</script><script type="module" src="/app.js"></script>`,
      );
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
    await target?.stop();
  });

  test('every redirect status is refused as code redirect, once, with nothing sent to the Location', async () => {
    const nonce = randomUUID().slice(0, 8);
    const context = await browser.newContext();
    const tab = await context.newPage();
    tab.setDefaultTimeout(15_000);
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto(`${origin}/?nonce=${nonce}`);
    await tab.waitForFunction(() => document.querySelector('#out')?.textContent);
    const outcomes = JSON.parse((await tab.locator('#out').textContent())!);
    await context.close();

    expect(errors).toEqual([]);
    expect(outcomes).toEqual(Object.fromEntries(STATUSES.map((status) => [status, 'PinTransportError redirect'])));
    expect(hits).toEqual(STATUSES.map(() => 'PUT')); // one request each: not retried
    expect(await target.hits(`landed-${nonce}`)).toBe(0);
  }, 30_000);
});

if (!canRunChromium) {
  console.warn(`browser redirect test skipped: ${chromiumSkipReason}`);
  test.skip(`redirects in Chromium — SKIPPED: ${chromiumSkipReason}`, () => {});
}
