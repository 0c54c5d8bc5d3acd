import { defineConfig } from 'vitest/config';

// Vitest warns on every run that type testing is experimental and asks to be pinned. It is pinned
// exactly in package.json (held there by test/package/hygiene.test.ts), so the warning has been heeded.
process.env.VITEST_DISABLE_EXPERIMENTAL_LOG = 'true';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One Prism, one packed tarball and one set of matrix Node builds for the whole run (test/setup/global.ts);
    // they reach the tests through provide/inject.
    globalSetup: ['test/setup/global.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'test/tsconfig.json' },
    // Much of the suite waits on child processes (Prism, tsc, npm, Chromium), so one worker per core leaves CPU idle.
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
