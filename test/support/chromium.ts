// Debian's Chromium for the browser tests, one for the whole run, and the one rule for when it is missing: in CI that is a
// failure (.ci/run installs it); elsewhere the test is skipped with the instruction that makes it run.
import { existsSync } from 'node:fs';
import { build, type BuildOptions } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { inject } from 'vitest';
import { inCI } from './ci.js';

export const CHROMIUM = '/usr/bin/chromium';
export const canRunChromium = existsSync(CHROMIUM) || inCI;
export const chromiumSkipReason = `${CHROMIUM} not found; install it with \`apt-get install -y chromium\` to run this test (CI installs it)`;

/** Headless, unsandboxed (containers), no GPU, and none of the browser's own background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/**
 * The run's one Chromium (test/support/setup/chromium.ts), connected to; a browser of the file's own when
 * the run has none (a test file run outside the integration project). `close()` on a connected browser
 * closes this file's contexts and disconnects, leaving the browser to the other files.
 */
export const launchChromium = (): Promise<Browser> => {
  const endpoint = inject('chromiumEndpoint');
  return endpoint ? chromium.connect(endpoint) : chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
};

/** Bundles a page script as an app's bundler would for the browser (esbuild, ESM, ES2022); returns its code. */
export async function bundleForBrowser(
  input: Pick<BuildOptions, 'stdin' | 'entryPoints' | 'alias' | 'define'>,
): Promise<string> {
  const result = await build({
    ...input,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles![0]!.text;
}
