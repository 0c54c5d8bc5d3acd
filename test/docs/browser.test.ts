// The offline docs page (docs-package/index.html, published as equals-card-pin-docs) in a real Chromium,
// with every network request refused.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { canRunChromium, chromiumSkipReason, launchChromium } from '../support/chromium.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { deref, operations, spec } from '../support/spec-validator.js';

const root = resolve(import.meta.dirname, '../..');
const page = resolve(root, 'docs-package/index.html');
const screenshot = resolve(root, 'test-results/docs.png');

const walk = (schema: any, out: { names: Set<string>; enums: Set<string> }) => {
  schema = deref(schema);
  for (const variant of schema?.oneOf ?? []) walk(variant, out);
  for (const value of schema?.enum ?? []) out.enums.add(value);
  for (const [name, sub] of Object.entries(schema?.properties ?? {})) {
    out.names.add(name);
    walk(sub, out);
  }
};

describe.runIf(canRunChromium)('docs page (docs-package/index.html)', () => {
  let browser: Browser;
  let tab: Page;
  const refused: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    const context = await browser.newContext({ offline: true, viewport: { width: 1400, height: 1000 } });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      refused.push(url);
      return route.abort();
    });
    tab = await context.newPage();
    tab.setDefaultTimeout(10_000); // a busy CI runner renders slowly; a real hang still fails well inside the test timeout
    await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
    await tab.getByText(spec.info.title).first().waitFor({ timeout: 15_000 });
  }, 60_000);

  const summaryOf = (op: (typeof operations)[number]) =>
    spec.paths[op.template][op.method.toLowerCase()].summary as string;

  /** Redoc 3 renders an operation when a reader opens it from the sidebar; nested schemas start folded. */
  async function openOperation(op: (typeof operations)[number]): Promise<string> {
    const entry = tab.getByText(summaryOf(op), { exact: true }).first();
    if (!(await entry.isVisible())) await tab.getByText(spec.tags[0].name, { exact: true }).first().click();
    await entry.click();
    await tab
      .getByRole('heading', { name: summaryOf(op) })
      .first()
      .waitFor();
    for (const fold of await tab.getByText(/^Show \d+ propert/).all()) if (await fold.isVisible()) await fold.click();
    return tab.locator('body').innerText();
  }

  test('shows both operations, every parameter and every enum value', async () => {
    let text = '';
    const expected = { names: new Set<string>(), enums: new Set<string>() };
    for (const op of operations) {
      const shown = await openOperation(op);
      expect(shown).toContain(summaryOf(op));
      expect(shown, 'the curl x-codeSample').toContain("-H 'Authorization: ApiKey YOUR_API_KEY_HERE'");
      const samples = tab.locator('.panel-request-samples').first();
      await samples.getByRole('button', { name: 'curl', exact: true }).click();
      await tab.getByRole('menuitem').getByText('TypeScript', { exact: true }).click();
      expect(await samples.innerText(), 'the TypeScript x-codeSample').toContain("from 'equals-card-pin'");
      await samples.getByRole('button', { name: 'TypeScript', exact: true }).click();
      await tab.getByRole('menuitem').getByText('curl', { exact: true }).click();
      text += shown;
      for (const p of op.parameters) {
        expected.names.add(p.name);
        walk(p.schema, expected);
      }
      walk(op.requestBody?.content['application/json'].schema, expected);
    }
    expect(expected.names.size).toBeGreaterThanOrEqual(8);
    for (const name of expected.names) expect(text, `parameter ${name}`).toContain(name);
    for (const value of expected.enums) expect(text, `enum value ${value}`).toContain(value);
    mkdirSync(resolve(root, 'test-results'), { recursive: true });
    await tab.screenshot({ path: screenshot, fullPage: true });
    expect(existsSync(screenshot)).toBe(true);
  });

  test('needed nothing from the network', () => {
    // Redoc 3 fetches only its own logo from its CDN, and hides it when that fails.
    const optional = /^https:\/\/cdn\.redoc\.ly\/redoc\/logo-[\w-]+\.svg$/;
    expect(refused.filter((url) => !optional.test(url))).toEqual([]);
  });
});

if (!canRunChromium) {
  console.warn(`docs browser test skipped: ${chromiumSkipReason}`);
  test.skip(`docs page renders offline — SKIPPED: ${chromiumSkipReason}`, () => {});
}
