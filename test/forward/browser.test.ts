// End to end in Debian's Chromium: a page served by the team's backend runs docs/client.md's browser example
// (the client in browser mode, relative baseUrl, no key). The backend mounts the forwarder, which calls
// the sandbox over HTTP. Everything the page sends (as Chromium reports it) and everything the backend
// answers it (recorded on the server, bodies included) is searched for the key.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { createPinForwarder, type PinAuditEvent } from '../../src/forward.js';
import { bundleForBrowser, canRunChromium, chromiumSkipReason, launchChromium } from '../support/chromium.js';
import { docExample } from '../support/docs.js';
import { root } from '../support/run.js';
import { listen, SESSION, startUpstream, type Upstream } from './helpers.js';

const KEY = 'server-only-key-8e21b7';
const PIN_SET_BY_EXAMPLE = '4821';

/** A request as the page sent it (Chromium's view, cookies included). */
interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A request and its answer as the backend handled them. */
interface Exchange {
  method: string;
  path: string;
  status: number;
  answer: string;
}

const isApi = (entry: { path: string }) => entry.path.startsWith('/api/equals/');
const headerText = (headers: Headers) => [...headers].map(([name, value]) => `${name}: ${value}`).join('\n');

describe.runIf(canRunChromium)('the browser example through the forwarder, in Chromium', () => {
  let upstream: Upstream;
  let app: { url: string; close(): Promise<void> };
  let browser: Browser;
  let exchanges: Exchange[] = [];
  let audited: PinAuditEvent[] = [];
  let methodsUpstream: (string | null)[] = [];

  beforeAll(async () => {
    upstream = await startUpstream(KEY);
    const forward = createPinForwarder({
      apiKey: KEY,
      baseUrl: upstream.url,
      // Records the method each upstream call carried: the backend's, for the GET's query and the PUT's body.
      fetch: async (request) => {
        const body = request.method === 'PUT' ? await request.clone().json() : {};
        methodsUpstream.push(
          new URL(request.url).searchParams.get('cardholderVerificationMethod') ?? body.cardholderVerificationMethod,
        );
        return fetch(request);
      },
      // The backend's own record of how this session signed in (the page claims LOGIN too).
      verification: () => ({ method: 'LOGIN' }),
      onAudit: (event) => void audited.push(event),
      // The team's session check: the cookie names the user, who owns the spec's example card.
      authorize: (request, { cardId }) =>
        (request.headers.get('cookie') ?? '').split(/; */).includes(SESSION) && cardId === exampleCard.cardId,
    });
    // The guide's block, bundled as an app's bundler would for the browser, from this package by its own name.
    const script = await bundleForBrowser({
      stdin: { contents: docExample('docs/client.md', 'browser'), resolveDir: root, loader: 'ts' },
    });
    const page = '<!doctype html><title>PIN</title><p id="pin"></p><script type="module" src="/app.js"></script>';
    const serve = (request: Request): Response | Promise<Response> => {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith('/api/equals/')) return forward(request);
      if (pathname === '/app.js') return new Response(script, { headers: { 'content-type': 'text/javascript' } });
      return new Response(page, { headers: { 'content-type': 'text/html' } });
    };
    app = await listen(
      async (request) => {
        const { pathname } = new URL(request.url);
        // Chromium's own favicon request is not the page's (Playwright does not report it either).
        if (pathname === '/favicon.ico') return new Response(null, { status: 404 });
        const response = await serve(request);
        const answer = `${headerText(response.headers)}\n${await response.clone().text()}`;
        exchanges.push({ method: request.method, path: pathname, status: response.status, answer });
        return response;
      },
      (url, close) => ({ url, close }),
    );
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await upstream?.close();
  });

  beforeEach(() => {
    upstream.sandbox.reset();
    upstream.headers.length = 0;
    exchanges = [];
    audited = [];
    methodsUpstream = [];
  });

  /** Opens the page in a fresh context until its script is done, with everything it sent. */
  async function open(signedIn: boolean) {
    const context = await browser.newContext();
    if (signedIn) {
      const [name, value] = SESSION.split('=') as [string, string];
      await context.addCookies([{ name, value, url: app.url }]);
    }
    const tab = await context.newPage();
    tab.setDefaultTimeout(10_000); // a busy CI runner is slow; a real hang still fails well inside the test timeout
    const sent: Promise<Sent>[] = [];
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      sent.push(
        request
          .allHeaders()
          .then((headers) => ({ method: request.method(), path, headers, body: request.postData() ?? '' })),
      );
    });
    // Done when the PIN is on the page, or when the script failed; whichever loses is let go.
    const pinShown = tab.waitForFunction(() => document.querySelector('#pin')?.textContent);
    const failed = tab.waitForEvent('pageerror');
    await tab.goto(app.url);
    await Promise.race([pinShown, failed]);
    pinShown.catch(() => {});
    failed.catch(() => {});
    // The backend has answered every request the page made.
    await expect.poll(() => exchanges.length, { timeout: 10_000, interval: 20 }).toBe(sent.length);
    const pin = await tab.locator('#pin').textContent();
    await context.close();
    return { pin, sent: await Promise.all(sent), errors };
  }

  test('changes and reveals the PIN; the key appears in nothing the page sent or got', async () => {
    const { pin, sent, errors } = await open(true);
    expect(errors).toEqual([]);
    expect(pin).toBe(PIN_SET_BY_EXAMPLE);
    expect(upstream.sandbox.pinOf(exampleCard.cardId)).toBe(PIN_SET_BY_EXAMPLE);

    expect(exchanges.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET / 200',
      'GET /app.js 200',
      `PUT /api/equals/v2/cards/${exampleCard.cardId}/pin 200`,
      `GET /api/equals/v2/cards/${exampleCard.cardId}/pin 200`,
    ]);
    // The search covers bodies: the PIN the page set is in what it sent and in both answers.
    expect(sent.filter(isApi).map((s) => s.body)).toContain(JSON.stringify({ pin: PIN_SET_BY_EXAMPLE }));
    expect(exchanges.filter(isApi).every((e) => e.answer.includes(PIN_SET_BY_EXAMPLE))).toBe(true);
    for (const s of sent) expect(JSON.stringify(s), `${s.method} ${s.path}`).not.toContain(KEY);
    for (const e of exchanges) expect(e.answer, `answer to ${e.method} ${e.path}`).not.toContain(KEY);
    for (const s of sent.filter(isApi)) {
      expect(s.headers.authorization, 'the browser sends no Authorization').toBeUndefined();
      expect(s.headers.cookie, 'the session cookie went along').toContain(SESSION);
    }
    // Upstream got the key from the backend, and none of the browser's cookies.
    expect(upstream.headers.map((h) => [h.get('authorization'), h.get('cookie')])).toEqual([
      [`ApiKey ${KEY}`, null],
      [`ApiKey ${KEY}`, null],
    ]);
    // Both calls carried the backend's method, and each was audited once, with no secret in its record.
    expect(methodsUpstream).toEqual(['LOGIN', 'LOGIN']);
    expect(audited.map((e) => `${e.operation} ${e.status} ${e.outcome} ${e.cardholderVerificationMethod}`)).toEqual([
      'updatePin 200 success LOGIN',
      'getPin 200 success LOGIN',
    ]);
    for (const secret of [KEY, PIN_SET_BY_EXAMPLE, SESSION]) expect(JSON.stringify(audited)).not.toContain(secret);
    // What the browser may cache of an answer that holds a PIN: nothing.
    for (const e of exchanges.filter(isApi)) expect(e.answer).toMatch(/^cache-control: no-store$/m);
  });

  test('without the session, authorize refuses: the page gets a 403 and nothing reaches upstream', async () => {
    const { pin, sent, errors } = await open(false);
    expect(pin).toBe('');
    expect(errors.join('\n')).toMatch(/updatePin: HTTP 403/);
    expect(sent.filter(isApi).map((s) => s.method)).toEqual(['PUT']);
    expect(exchanges.filter(isApi).map((e) => e.status)).toEqual([403]);
    expect(audited.map((e) => `${e.status} ${e.outcome} ${e.code}`)).toEqual(['403 refused authorize']);
    expect(upstream.sandbox.requests).toEqual([]);
    expect(upstream.headers).toEqual([]);
    expect(upstream.sandbox.pinOf(exampleCard.cardId)).toBe(exampleCard.pin);
  });

  test('a page of another origin, with the session cookie sent along, can neither change nor read the PIN, and reaches nothing upstream', async () => {
    const { cardId, accountId, personId } = exampleCard;
    const target = `${app.url}/api/equals/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}`;
    // Another port is another origin but the same site: the Lax session cookie still goes along.
    const attack = `
      const results = {};
      try {
        const put = await fetch(${JSON.stringify(target)}, { method: 'PUT', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{"pin":"6666"}' });
        results.put = put.status;
      } catch { results.put = 'blocked'; }
      try {
        const got = await fetch(${JSON.stringify(`${target}&cardholderVerificationMethod=LOGIN`)}, { credentials: 'include' });
        results.get = await got.text();
      } catch { results.get = 'blocked'; }
      document.body.dataset.results = JSON.stringify(results);`;
    const other = await listen(
      () =>
        new Response(`<!doctype html><script type="module">${attack}</script>`, {
          headers: { 'content-type': 'text/html' },
        }),
      (url, close) => ({ url, close }),
    );
    const context = await browser.newContext();
    try {
      const [name, value] = SESSION.split('=') as [string, string];
      await context.addCookies([{ name, value, url: app.url, sameSite: 'Lax' }]);
      const tab = await context.newPage();
      await tab.goto(other.url);
      const results = JSON.parse(
        (await tab.locator('body[data-results]').getAttribute('data-results', { timeout: 10_000 }))!,
      );
      expect(results).toEqual({ put: 'blocked', get: 'blocked' });
    } finally {
      await context.close();
      await other.close();
    }
    // Chromium marked both as cross-site (Sec-Fetch-Site): the PUT's preflight was refused, so the PUT was
    // never sent, and the GET, sent with the cookie, was refused before anything reached upstream.
    expect(exchanges.filter(isApi).map((e) => `${e.method} ${e.status}`)).toEqual(['OPTIONS 403', 'GET 403']);
    expect(audited.map((e) => `${e.status} ${e.code}`)).toEqual(['403 cross-site', '403 cross-site']);
    expect(upstream.sandbox.requests).toEqual([]);
    expect(upstream.sandbox.pinOf(cardId)).toBe(exampleCard.pin);
  });
});

if (!canRunChromium) {
  console.warn(`forwarder browser test skipped: ${chromiumSkipReason}`);
  test.skip(`browser through the forwarder — SKIPPED: ${chromiumSkipReason}`, () => {});
}
