// One Chromium for the run: the browser tests (the docs page, msw's worker, the forwarder, the client's
// redirects) each open contexts of their own in it instead of starting a browser per file. It listens on
// loopback at a path made for this run, and is stopped, and checked gone by its PID, at teardown.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM, CHROMIUM_ARGS } from '../chromium.js';
import { isAlive, waitUntilGone } from '../process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the run's Chromium takes connections (playwright's `chromium.connect`); '' when there is none. */
    chromiumEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  // Without the browser, the browser tests skip or fail by their own rule (test/support/chromium.ts).
  if (!existsSync(CHROMIUM)) {
    project.provide('chromiumEndpoint', '');
    return async () => {};
  }
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, host: '127.0.0.1' });
  const pid = server.process().pid!;
  project.provide('chromiumEndpoint', server.wsEndpoint());
  return async () => {
    await server.close();
    if (!(await waitUntilGone(pid)) && isAlive(pid))
      throw new Error(`Chromium (pid ${pid}) is still running after teardown`);
  };
}
