// The PIN elements in Debian's Chromium, against the real forwarder over the sandbox on loopback: a page of
// the team's backend loads a bare `import 'equals-card-pin/elements'` as a bundler ships it, and the
// elements call the forwarder, which calls the sandbox over HTTP with the key and the backend's method.
// Every state and transition, the timer, the page events, the errors, keyboard-only use, axe-core on every
// state (with a screenshot of each), and the PIN searched for in the DOM, every event, the console and storage.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { createPinForwarder } from '../../src/forward.js';
import { listen, startUpstream, type Upstream } from '../forward/helpers.js';
import { bundleForBrowser, canRunChromium, chromiumSkipReason, launchChromium } from '../support/chromium.js';
import { root } from '../support/run.js';
import { docExample } from './docs.js';

const KEY = 'server-only-key-5d10c2';
const { cardId, accountId, personId } = exampleCard;
const SHOTS = join(root, 'test-results/elements');
const DOCS_SHOTS = join(root, 'docs/elements');
/** Every state of each element: each is audited by axe and photographed (`npm run` with UPDATE_SCREENSHOTS=1 refreshes docs/). */
const STATES = {
  reveal: ['masked', 'loading', 'shown', 'empty', 'error', 'setup-error'],
  change: ['ready', 'invalid', 'sending', 'changed', 'error', 'setup-error'],
} as const;
const axeSource = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** What the forwarder does for the next requests: the team's session check and limiter, as a test sets them. */
const mode = { authorize: 'allow' as 'allow' | 'deny' | 'step-up', limitedMs: 0 };
const attrs = (ids: { cardId?: string } = {}) =>
  `base-url="/api/equals" card-id="${ids.cardId ?? cardId}" account-id="${accountId}" person-id="${personId}"`;

interface Recorded {
  type: string;
  detail: unknown;
  bubbles: boolean;
  composed: boolean;
  target: string;
}

describe.runIf(canRunChromium)('PIN elements in Chromium, through the forwarder', () => {
  let upstream: Upstream;
  let app: { url: string; close(): Promise<void> };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pin: string;
  /** A run (weak), as unused as `pin`. */
  let weakPin: string;
  let api: string[] = [];
  let methodsUpstream: (string | null)[] = [];
  let consoleTexts: string[] = [];
  const audited = new Set<string>();

  beforeAll(async () => {
    upstream = await startUpstream(KEY);
    const forward = createPinForwarder({
      apiKey: KEY,
      baseUrl: upstream.url,
      retry: false,
      fetch: async (request) => {
        const body = request.method === 'PUT' ? await request.clone().json() : {};
        methodsUpstream.push(
          new URL(request.url).searchParams.get('cardholderVerificationMethod') ?? body.cardholderVerificationMethod,
        );
        return fetch(request);
      },
      // The backend stepped the cardholder up to OTP; the page says nothing about it.
      verification: () => ({ method: 'OTP' }),
      // The team's session check; for 'step-up' it answers as its own refusal that the cardholder must verify again.
      authorize: () =>
        mode.authorize === 'allow' ||
        (mode.authorize === 'step-up' &&
          new Response(JSON.stringify({ message: 'Confirm it is you', code: 'verification' }), {
            status: 403,
            headers: { 'content-type': 'application/json' },
          })),
      limiter: {
        consume: async () => {
          if (mode.limitedMs) throw { msBeforeNext: mode.limitedMs };
        },
      },
    });
    const bundle = await bundleForBrowser({
      stdin: { contents: "import 'equals-card-pin/elements';", resolveDir: root, loader: 'js' },
    });
    const html = (head: string) =>
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Card</title><link rel="icon" href="data:,">${head}</head><body><main><h1>Card</h1><div id="slot"></div></main></body></html>`;
    const importMap = '<script type="importmap">{"imports":{"equals-card-pin/elements":"/elements.js"}}</script>';
    const pages: Record<string, string> = {
      '/': html('<script type="module" src="/elements.js"></script>'),
      // Another library took the name first: the import leaves it alone.
      '/taken': html(
        '<script>customElements.define(\'equals-pin-reveal\', class extends HTMLElement { connectedCallback() { this.textContent = \'theirs\'; } });</script><script type="module" src="/elements.js"></script>',
      ),
      // The guide's HTML example as written; the import map stands in for the bundler.
      '/example': docExample('html', 'html').replace('<head>', `<head>${importMap}`),
    };
    app = await listen(
      async (request) => {
        const { pathname } = new URL(request.url);
        if (pathname.startsWith('/api/equals/')) {
          const response = await forward(request);
          api.push(`${request.method} ${response.status}`);
          return response;
        }
        if (pathname === '/elements.js')
          return new Response(bundle, { headers: { 'content-type': 'text/javascript' } });
        const page = pages[pathname];
        return page
          ? new Response(page, { headers: { 'content-type': 'text/html' } })
          : new Response(null, { status: 404 });
      },
      (url, close) => ({ url, close }),
    );
    // A PIN that no URL, port or id of the test contains, so that a search for it finds only the PIN.
    const unused = (candidates: string[]) =>
      candidates.find((p) => !`${app.url}${cardId}${accountId}${personId}`.includes(p))!;
    pin = unused(['4739', '5820', '6184', '3057']);
    weakPin = unused(['6789', '3456', '8765']);
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await upstream?.close();
  });

  beforeEach(async () => {
    upstream.sandbox.reset();
    upstream.sandbox.setPin(cardId, pin);
    Object.assign(mode, { authorize: 'allow', limitedMs: 0 });
    api = [];
    methodsUpstream = [];
    consoleTexts = [];
    await context?.close();
  });

  /** A fresh context and page at `path`, recording every pin-* event the document hears and the console. */
  async function open(path = '/', options: Parameters<Browser['newContext']>[0] = {}) {
    context = await browser.newContext({ viewport: { width: 520, height: 420 }, ...options });
    await context.addInitScript(() => {
      const seen: unknown[] = [];
      (window as any).__events = seen;
      for (const type of ['pin-shown', 'pin-hidden', 'pin-error', 'pin-changed']) {
        // Bubble phase on the document: only bubbling events get here.
        document.addEventListener(type, (event) => {
          const { detail, bubbles, composed, target } = event as CustomEvent;
          seen.push({ type, detail, bubbles, composed, target: (target as Element).localName });
        });
      }
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => consoleTexts.push(message.text()));
    page.on('pageerror', (error) => consoleTexts.push(`pageerror: ${error.message}`));
    await page.goto(`${app.url}${path}`);
    await page.waitForFunction(() => customElements.get('equals-pin-change'));
    return page;
  }

  const mount = (html: string) =>
    page.evaluate((markup) => {
      document.querySelector('#slot')!.innerHTML = markup;
    }, html);
  const stateOf = (tag: string) => page.evaluate((t) => (document.querySelector(t) as any).state as string, tag);
  const waitForState = (tag: string, state: string) =>
    page.waitForFunction(([t, s]) => (document.querySelector(t!) as any)?.state === s, [tag, state]);
  const events = () => page.evaluate(() => (window as any).__events as Recorded[]);
  const waitForEvent = (type: string, count = 1) =>
    page.waitForFunction(
      ([t, n]) => (window as any).__events.filter((e: Recorded) => e.type === t).length >= Number(n),
      [type, count],
    );
  const shadowText = (tag: string, id: string) =>
    page.evaluate(([t, i]) => document.querySelector(t!)!.shadowRoot!.getElementById(i!)!.textContent, [tag, id]);
  const shadowHtml = (tag: string) => page.evaluate((t) => document.querySelector(t)!.shadowRoot!.innerHTML, tag);

  /** axe-core into the page; its script element is removed once it ran, so that the page's own DOM is what gets scanned. */
  async function injectAxe() {
    if (await page.evaluate(() => 'axe' in window)) return;
    const script = await page.addScriptTag({ content: axeSource });
    await script.evaluate((element) => (element as Element).remove());
  }

  /** axe-core over the whole page (into the open shadow roots): no violation; and a screenshot of the element. */
  async function audit(element: 'reveal' | 'change', state: string) {
    const tag = `equals-pin-${element}`;
    expect(await stateOf(tag)).toBe(state);
    // Measured once the fade-in is over, as the cardholder sees it.
    await page.evaluate(
      (t) =>
        Promise.all(
          document
            .querySelector(t)!
            .shadowRoot!.getAnimations()
            .map((a) => a.finished),
        ),
      tag,
    );
    await injectAxe();
    const { violations } = await page.evaluate(() => (window as any).axe.run(document));
    const found = violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
    expect(found, `${tag} ${state}`).toEqual([]);
    const file = `${element}-${state}.png`;
    await page.locator(tag).screenshot({ path: join(SHOTS, file), animations: 'disabled', caret: 'hide' });
    if (process.env.UPDATE_SCREENSHOTS) copyFileSync(join(SHOTS, file), join(DOCS_SHOTS, file));
    audited.add(`${element}:${state}`);
  }

  /** The PIN, plain and as the live region spells it, in none of what the page or its scripts can read outside the shadow roots. */
  async function expectNoLeak(secret = pin) {
    const seen = await page.evaluate(async () => ({
      light: document.documentElement.outerHTML,
      hosts: [...document.querySelectorAll('equals-pin-reveal, equals-pin-change')]
        .map((e) => [...e.attributes].map((a) => `${a.name}=${a.value}`).join(' '))
        .join('\n'),
      events: JSON.stringify((window as any).__events),
      url: `${location.href} ${history.length}`,
      storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
      databases: JSON.stringify(await indexedDB.databases()),
      caches: JSON.stringify(await caches.keys()),
    }));
    const spaced = [...secret].join(' ');
    for (const [where, text] of Object.entries({ ...seen, console: consoleTexts.join('\n') })) {
      expect(text, where).not.toContain(secret);
      expect(text, where).not.toContain(spaced);
    }
  }

  describe('<equals-pin-reveal>', () => {
    test('starts masked and fetches nothing; shows the PIN with a countdown, announced once; hides on the button', async () => {
      await open();
      await mount(`<equals-pin-reveal ${attrs()}></equals-pin-reveal>`);
      const show = page.getByRole('button', { name: 'Show PIN' });
      await expect(show.isVisible()).resolves.toBe(true);
      expect(await shadowText('equals-pin-reveal', 'digits')).toBe('••••');
      expect(await page.getByRole('img', { name: 'PIN hidden' }).count()).toBe(1);
      expect(api).toEqual([]);
      await audit('reveal', 'masked');

      await show.click();
      await waitForEvent('pin-shown');
      expect(await shadowText('equals-pin-reveal', 'digits')).toBe(pin);
      expect(await shadowText('equals-pin-reveal', 'countdown')).toMatch(/^Hides in (10|9) s$/);
      expect(await shadowText('equals-pin-reveal', 'live')).toBe(`Your PIN is ${[...pin].join(' ')}.`);
      expect(await page.getByRole('button', { name: 'Hide PIN' }).count()).toBe(1);
      // The page sent no method; the backend's went upstream.
      expect(api).toEqual(['GET 200']);
      expect(methodsUpstream).toEqual(['OTP']);
      await audit('reveal', 'shown');
      await expectNoLeak();

      await page.getByRole('button', { name: 'Hide PIN' }).click();
      await waitForEvent('pin-hidden');
      expect(await stateOf('equals-pin-reveal')).toBe('masked');
      expect(await shadowText('equals-pin-reveal', 'digits')).toBe('••••');
      expect(await shadowText('equals-pin-reveal', 'live')).toBe('PIN hidden.');
      // Gone from the shadow root too: the element keeps it nowhere once hidden.
      const shadow = await shadowHtml('equals-pin-reveal');
      expect(shadow).not.toContain(pin);
      expect(shadow).not.toContain([...pin].join(' '));
      expect(await events()).toEqual([
        { type: 'pin-shown', detail: null, bubbles: true, composed: true, target: 'equals-pin-reveal' },
        {
          type: 'pin-hidden',
          detail: { reason: 'button' },
          bubbles: true,
          composed: true,
          target: 'equals-pin-reveal',
        },
      ]);
      await expectNoLeak();
      expect(consoleTexts, consoleTexts.join('\n')).toEqual([]);
    });

    test('hides by itself after a short auto-hide, counting down', async () => {
      await open();
      await mount(`<equals-pin-reveal ${attrs()} auto-hide="1"></equals-pin-reveal>`);
      await page.getByRole('button', { name: 'Show PIN' }).click();
      await waitForEvent('pin-shown');
      expect(await shadowText('equals-pin-reveal', 'countdown')).toBe('Hides in 1 s');
      await waitForEvent('pin-hidden');
      expect((await events()).map((e) => [e.type, e.detail])).toEqual([
        ['pin-shown', null],
        ['pin-hidden', { reason: 'timer' }],
      ]);
      expect(await shadowText('equals-pin-reveal', 'digits')).toBe('••••');
      expect(await shadowText('equals-pin-reveal', 'countdown')).toBe('');
      expect(await shadowHtml('equals-pin-reveal')).not.toContain(pin);
      await expectNoLeak();
    });

    test('hides at once when the page is hidden, when it is left (pagehide), and when the element is removed', async () => {
      await open();
      await mount(`<equals-pin-reveal ${attrs()}></equals-pin-reveal>`);
      const reveal = async (times: number) => {
        await page.getByRole('button', { name: 'Show PIN' }).click();
        await waitForEvent('pin-shown', times);
      };
      await reveal(1);
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
        Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      });
      await waitForEvent('pin-hidden', 1);
      await reveal(2);
      await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
      await waitForEvent('pin-hidden', 2);
      await reveal(3);
      const detached = await page.evaluateHandle(() => {
        const element = document.querySelector('equals-pin-reveal')!;
        const heard: unknown[] = [];
        element.addEventListener('pin-hidden', (event) => heard.push((event as CustomEvent).detail));
        element.remove();
        return { element, heard };
      });
      expect(await detached.evaluate(({ heard }) => heard)).toEqual([{ reason: 'page' }]);
      expect(await detached.evaluate(({ element }) => element.shadowRoot!.innerHTML)).not.toContain(pin);
      expect((await events()).filter((e) => e.type === 'pin-hidden').map((e) => e.detail)).toEqual([
        { reason: 'page' },
        { reason: 'page' },
      ]);
      await expectNoLeak();
    });

    test('a PIN that arrives after the page was hidden is never shown', async () => {
      await open();
      await mount(`<equals-pin-reveal ${attrs()}></equals-pin-reveal>`);
      const held = new Promise<import('playwright-core').Route>((resolve) => page.route('**/api/equals/**', resolve));
      await page.getByRole('button', { name: 'Show PIN' }).click();
      const route = await held;
      await waitForState('equals-pin-reveal', 'loading');
      expect(await page.getByRole('button', { name: 'Show PIN' }).getAttribute('aria-disabled')).toBe('true');
      await audit('reveal', 'loading');
      await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide')));
      await waitForState('equals-pin-reveal', 'masked');
      await route.continue().catch(() => {}); // the page already let go of the request
      expect(await shadowText('equals-pin-reveal', 'digits')).toBe('••••');
      expect(await events()).toEqual([]);
    });

    test('a card without a PIN says so', async () => {
      await open();
      upstream.sandbox.setPin(cardId, null);
      await mount(`<equals-pin-reveal ${attrs()}></equals-pin-reveal>`);
      await page.getByRole('button', { name: 'Show PIN' }).click();
      await waitForState('equals-pin-reveal', 'empty');
      expect(await shadowText('equals-pin-reveal', 'error')).toBe('This card has no PIN yet.');
      await audit('reveal', 'empty');
    });

    test('keyboard only: Tab reaches the button, Enter shows, Space hides, focus stays on the button', async () => {
      await open();
      await mount(`<equals-pin-reveal ${attrs()}></equals-pin-reveal>`);
      await page.keyboard.press('Tab');
      const focused = () =>
        page.evaluate(() => document.querySelector('equals-pin-reveal')!.shadowRoot!.activeElement?.textContent);
      expect(await focused()).toBe('Show PIN');
      await page.keyboard.press('Enter');
      await waitForEvent('pin-shown');
      expect(await focused()).toBe('Hide PIN');
      await page.keyboard.press('Space');
      await waitForEvent('pin-hidden');
      expect(await focused()).toBe('Show PIN');
      expect((await events()).at(-1)!.detail).toEqual({ reason: 'button' });
    });

    test('respects prefers-reduced-motion', async () => {
      const animation = async (reducedMotion: 'reduce' | 'no-preference') => {
        await open('/', { reducedMotion });
        await mount(`<equals-pin-reveal ${attrs()}></equals-pin-reveal>`);
        await page.getByRole('button', { name: 'Show PIN' }).click();
        await waitForEvent('pin-shown');
        return page.evaluate(() => {
          const root = document.querySelector('equals-pin-reveal')!.shadowRoot!;
          const style = (id: string) => getComputedStyle(root.getElementById(id)!);
          return [style('digits').animationName, style('button').transitionDuration];
        });
      };
      expect(await animation('no-preference')).toEqual(['equals-pin-in', '0.15s']);
      await context.close();
      expect(await animation('reduce')).toEqual(['none', '0s']);
    });
  });

  describe('errors, in plain words, with pin-error', () => {
    const fails = async (
      setup: () => Promise<void> | void,
      html = `<equals-pin-reveal ${attrs()}></equals-pin-reveal>`,
    ) => {
      await open();
      await setup();
      await mount(html);
      await page.getByRole('button', { name: 'Show PIN' }).click();
      await waitForEvent('pin-error');
      const [event] = await events();
      return { detail: event!.detail, text: await shadowText('equals-pin-reveal', 'error') };
    };

    test('404: a card the API does not know', async () => {
      const { detail, text } = await fails(
        () => {},
        `<equals-pin-reveal ${attrs({ cardId: 'no-such-card' })}></equals-pin-reveal>`,
      );
      expect(detail).toEqual({ status: 404, code: undefined, retryAfterMs: undefined });
      expect(text).toBe('This card was not found.');
      await audit('reveal', 'error');
      await expectNoLeak();
    });

    test('403: the backend refuses until the cardholder verifies again', async () => {
      const { detail, text } = await fails(() => {
        mode.authorize = 'step-up';
      });
      expect(detail, JSON.stringify(detail)).toEqual({ status: 403, code: 'verification', retryAfterMs: undefined });
      expect(text).toBe('Please confirm it’s you again, then try once more to see your PIN.');
      expect(methodsUpstream).toEqual([]);
    });

    test('403: not allowed', async () => {
      const { detail, text } = await fails(() => {
        mode.authorize = 'deny';
      });
      expect(detail).toEqual({ status: 403, code: 'authorize', retryAfterMs: undefined });
      expect(text).toBe('You are not allowed to see the PIN of this card.');
    });

    test('429: too many attempts, with a countdown from Retry-After that holds the button, then free again', async () => {
      const { detail, text } = await fails(() => {
        mode.limitedMs = 2000;
      });
      expect(detail).toEqual({ status: 429, code: 'rate_limit', retryAfterMs: 2000 });
      expect(text).toBe('Too many attempts.');
      expect(await shadowText('equals-pin-reveal', 'retry')).toMatch(/^You can try again in [12] s\.$/);
      const button = page.getByRole('button', { name: 'Show PIN' });
      expect(await button.getAttribute('aria-disabled')).toBe('true');
      // Playwright's click would wait for the button to be free again; a keypress does not.
      await button.focus();
      await page.keyboard.press('Enter');
      // Still counting down after the keypress, so it came while the button was held: it sent nothing.
      expect(await shadowText('equals-pin-reveal', 'retry')).toMatch(/^You can try again in [12] s\.$/);
      expect(api).toEqual(['GET 429']);
      await page.waitForFunction(() =>
        document.querySelector('equals-pin-reveal')!.shadowRoot!.querySelector('[aria-disabled="false"]'),
      );
      expect(await shadowText('equals-pin-reveal', 'error')).toBe('Too many attempts. You can try again now.');
      expect(await shadowText('equals-pin-reveal', 'retry')).toBe('');
      // Held again, then moved in the page (as a framework may): the move does not leave it held for ever.
      await button.focus();
      await page.keyboard.press('Enter');
      await waitForEvent('pin-error', 2);
      expect(await button.getAttribute('aria-disabled')).toBe('true');
      await page.evaluate(() => document.querySelector('main')!.append(document.querySelector('equals-pin-reveal')!));
      expect(await button.getAttribute('aria-disabled')).toBe('false');
      expect(await shadowText('equals-pin-reveal', 'retry')).toBe('');
      mode.limitedMs = 0;
      await button.click();
      await waitForEvent('pin-shown');
      expect(api).toEqual(['GET 429', 'GET 429', 'GET 200']);
    });

    test('network: the backend cannot be reached', async () => {
      const { detail, text } = await fails(async () => {
        await page.route('**/api/equals/**', (route) => route.abort('failed'));
      });
      expect(detail).toEqual({ status: undefined, code: 'network', retryAfterMs: undefined });
      expect(text).toBe('Could not reach the service. Check your connection and try again.');
      // Network errors in the console are Chromium's own (the failed request), never the PIN.
      await expectNoLeak();
    });

    test.each([
      [
        'base-url missing',
        `card-id="${cardId}" account-id="${accountId}" person-id="${personId}"`,
        'the base-url attribute is missing',
      ],
      [
        'card-id missing',
        `base-url="/api/equals" account-id="${accountId}" person-id="${personId}"`,
        'the card-id attribute is missing',
      ],
      [
        'person-id missing',
        `base-url="/api/equals" card-id="${cardId}" account-id="${accountId}"`,
        'the person-id attribute is missing',
      ],
      ['auto-hide 0', `${attrs()} auto-hide="0"`, 'auto-hide must be a whole number of seconds from 1 to 60'],
      ['auto-hide 61', `${attrs()} auto-hide="61"`, 'auto-hide must be a whole number of seconds from 1 to 60'],
      ['auto-hide 2.5', `${attrs()} auto-hide="2.5"`, 'auto-hide must be a whole number of seconds from 1 to 60'],
      [
        'base-url of another origin',
        attrs().replace('/api/equals', 'https://elsewhere.example/api'),
        'base-url must be on this page’s own origin',
      ],
      ['an id the spec refuses', attrs({ cardId: 'x'.repeat(37) }), 'card-id fails the rule maxLength'],
    ])('setup error (%s): shown in the element, pin-error code setup, nothing sent', async (_, attributes, words) => {
      const { detail, text } = await fails(() => {}, `<equals-pin-reveal ${attributes}></equals-pin-reveal>`);
      expect(detail).toEqual({ status: undefined, code: 'setup', retryAfterMs: undefined });
      expect(text).toBe(`This element is not set up correctly: ${words}.`);
      expect(await stateOf('equals-pin-reveal')).toBe('setup-error');
      expect(api).toEqual([]);
      if (_ === 'base-url missing') await audit('reveal', 'setup-error');
    });
  });

  describe('attributes and names', () => {
    test('attributes are read when the element acts: set after mount, as a framework does', async () => {
      await open();
      await mount('<equals-pin-reveal></equals-pin-reveal>');
      await page.evaluate(
        ([c, a, p]) => {
          const element = document.querySelector('equals-pin-reveal')!;
          for (const [name, value] of Object.entries({
            'base-url': '/api/equals',
            'card-id': c,
            'account-id': a,
            'person-id': p,
          }))
            element.setAttribute(name, value!);
        },
        [cardId, accountId, personId],
      );
      await page.getByRole('button', { name: 'Show PIN' }).click();
      await waitForEvent('pin-shown');
      expect(api).toEqual(['GET 200']);
    });

    test('a name already taken is left alone', async () => {
      await open('/taken');
      await mount('<equals-pin-reveal></equals-pin-reveal>');
      expect(await page.locator('equals-pin-reveal').textContent()).toBe('theirs');
      expect(consoleTexts).toEqual([]);
    });
  });

  describe('<equals-pin-change>', () => {
    const fill = async (first: string, second: string) => {
      await page.getByLabel('New PIN', { exact: true }).fill(first);
      await page.getByLabel('Repeat new PIN').fill(second);
    };
    const submit = () => page.getByRole('button', { name: 'Change PIN' }).click();
    const fieldErrors = async () => [
      await shadowText('equals-pin-change', 'pin-error'),
      await shadowText('equals-pin-change', 'confirm-error'),
    ];

    test('checks before sending: length, digits, the match and weak PINs, each said next to its field', async () => {
      await open();
      await mount(`<equals-pin-change ${attrs()}></equals-pin-change>`);
      await audit('change', 'ready');
      const cases: [string, string, string[]][] = [
        ['', '', ['Enter a new PIN.', 'Enter the new PIN again.']],
        ['12', '12', ['The PIN must have exactly 4 digits.', '']],
        ['48201', '48201', ['The PIN must have exactly 4 digits.', '']],
        ['48a1', '48a1', ['Use digits 0–9 only.', '']],
        ['4821', '4812', ['', 'The two PINs do not match.']],
        ['7777', '7777', ['All the digits are the same. Choose a PIN that is harder to guess.', '']],
        ['1234', '1234', ['The digits count up (like 1234). Choose a PIN that is harder to guess.', '']],
        ['9876', '9876', ['The digits count down (like 9876). Choose a PIN that is harder to guess.', '']],
      ];
      for (const [first, second, words] of cases) {
        await fill(first, second);
        await submit();
        await waitForState('equals-pin-change', 'invalid');
        expect(await fieldErrors(), `${first}/${second}`).toEqual(words);
      }
      expect(await page.getByLabel('New PIN', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await audit('change', 'invalid');
      expect(api).toEqual([]);
      expect(upstream.sandbox.pinOf(cardId)).toBe(pin);
      expect(await events()).toEqual([]);
    });

    test('allow-weak lets a run through; success clears both fields and fires pin-changed without a value', async () => {
      await open();
      await mount(`<equals-pin-change ${attrs()} allow-weak></equals-pin-change>`);
      await fill(weakPin, weakPin);
      await submit();
      await waitForEvent('pin-changed');
      expect(upstream.sandbox.pinOf(cardId)).toBe(weakPin);
      expect(methodsUpstream).toEqual(['OTP']);
      expect(await page.getByLabel('New PIN', { exact: true }).inputValue()).toBe('');
      expect(await page.getByLabel('Repeat new PIN').inputValue()).toBe('');
      expect(await shadowText('equals-pin-change', 'status')).toBe('Your PIN has been changed.');
      expect(await events()).toEqual([
        { type: 'pin-changed', detail: null, bubbles: true, composed: true, target: 'equals-pin-change' },
      ]);
      await audit('change', 'changed');
      await expectNoLeak(weakPin);
    });

    test('keyboard only, and while sending the submit is held and a second submit sends nothing', async () => {
      await open();
      await mount(`<equals-pin-change ${attrs()}></equals-pin-change>`);
      const routes: import('playwright-core').Route[] = [];
      await page.route('**/api/equals/**', (route) => void routes.push(route));
      await page.keyboard.press('Tab');
      await page.keyboard.type('5831');
      await page.keyboard.press('Tab');
      await page.keyboard.type('5831');
      await page.keyboard.press('Enter');
      await waitForState('equals-pin-change', 'sending');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      const button = page.getByRole('button', { name: 'Change PIN' });
      expect(await button.getAttribute('aria-disabled')).toBe('true');
      await page.keyboard.press('Enter'); // on the held button
      await audit('change', 'sending');
      expect(routes).toHaveLength(1);
      await routes[0]!.continue();
      await waitForEvent('pin-changed');
      expect(api).toEqual(['PUT 200']);
      expect(upstream.sandbox.pinOf(cardId)).toBe('5831');
      expect(await button.getAttribute('aria-disabled')).toBe('false');
      await expectNoLeak('5831');
    });

    test('a failure fires pin-error and says it in words; a setup error sends nothing', async () => {
      await open();
      mode.limitedMs = 2000;
      await mount(`<equals-pin-change ${attrs()}></equals-pin-change>`);
      await fill('5831', '5831');
      await submit();
      await waitForEvent('pin-error');
      expect((await events())[0]!.detail).toEqual({ status: 429, code: 'rate_limit', retryAfterMs: 2000 });
      expect(await shadowText('equals-pin-change', 'error')).toBe('Too many attempts.');
      expect(await shadowText('equals-pin-change', 'retry')).toMatch(/^You can try again in [12] s\.$/);
      await audit('change', 'error');
      await expectNoLeak('5831');

      await mount(`<equals-pin-change account-id="${accountId}"></equals-pin-change>`);
      await fill('5831', '5831');
      await submit();
      await waitForEvent('pin-error', 2);
      expect((await events())[1]!.detail).toEqual({ status: undefined, code: 'setup', retryAfterMs: undefined });
      expect(await shadowText('equals-pin-change', 'error')).toBe(
        'This element is not set up correctly: the base-url attribute is missing.',
      );
      await audit('change', 'setup-error');
      expect(api).toEqual(['PUT 429']);
      expect(upstream.sandbox.pinOf(cardId)).toBe(pin);
    });

    test('typed PINs are cleared when the page is left', async () => {
      await open();
      await mount(`<equals-pin-change ${attrs()}></equals-pin-change>`);
      await fill('5831', '58');
      await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
      expect(await page.getByLabel('New PIN', { exact: true }).inputValue()).toBe('');
      expect(await page.getByLabel('Repeat new PIN').inputValue()).toBe('');
    });
  });

  describe('the guide', () => {
    test('the HTML example runs as written: reveal, change, and its own listener; axe finds nothing', async () => {
      await open('/example');
      await page.getByRole('button', { name: 'Show PIN' }).click();
      await waitForEvent('pin-shown');
      await page.getByLabel('New PIN', { exact: true }).fill('5831');
      await page.getByLabel('Repeat new PIN').fill('5831');
      await page.getByRole('button', { name: 'Change PIN' }).click();
      await waitForEvent('pin-changed');
      expect(await page.locator('#note').textContent()).toBe('Your new PIN is set.');
      expect(upstream.sandbox.pinOf(cardId)).toBe('5831');
      await injectAxe();
      const { violations } = await page.evaluate(() => (window as any).axe.run(document));
      expect(violations.map((v: any) => v.id)).toEqual([]);
      await expectNoLeak();
    });

    test('every state of both elements was audited by axe and has its screenshot in docs/elements/, each small', () => {
      const all = Object.entries(STATES).flatMap(([element, states]) => states.map((s) => `${element}:${s}`));
      expect([...audited].sort(), 'every state test ran and audited its state (run the whole file)').toEqual(
        all.sort(),
      );
      for (const name of all) {
        const png = readFileSync(join(DOCS_SHOTS, `${name.replace(':', '-')}.png`));
        expect(png.subarray(1, 4).toString(), name).toBe('PNG');
        expect(png.byteLength, name).toBeLessThan(40_000);
      }
    });
  });
});

if (!canRunChromium) {
  console.warn(`elements browser test skipped: ${chromiumSkipReason}`);
  test.skip(`PIN elements in Chromium — SKIPPED: ${chromiumSkipReason}`, () => {});
}
