import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Vitest warns on every run that type testing is experimental and asks to be pinned. It is pinned
// exactly in package.json (held there by test/package/hygiene.test.ts), so the warning has been heeded.
process.env.VITEST_DISABLE_EXPERIMENTAL_LOG = 'true';

/**
 * The unit tests of the core, the client, the sandbox and the forwarder: src/ in-process, with injected
 * fetches and loopback servers at most. `npm run test:quick` runs only these (`--project unit`), with no
 * build, no Prism, no Chromium, no `npm pack` and no compiler: the inner loop while you change a module.
 */
const UNIT_FOLDERS = ['test/core', 'test/client', 'test/sandbox', 'test/forward'];
/** Files in those folders that are not unit tests: compilers, built files, Chromium, Redis, hostile servers with real waits. */
const NOT_UNIT = new Set([
  'test/client/docs.test.ts',
  'test/client/tanstack.test.ts',
  'test/client/hardening/faults.test.ts',
  'test/client/hardening/hostile.test.ts',
  'test/client/hardening/browser-redirect.test.ts',
  'test/forward/docs.test.ts',
  'test/forward/production.test.ts',
  'test/forward/bundle.test.ts',
  'test/forward/browser.test.ts',
  'test/forward/redis.test.ts',
]);
const UNIT = UNIT_FOLDERS.flatMap((folder) =>
  readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((path) => `${folder}/${path}`)
    .filter((path) => path.endsWith('.test.ts') && !NOT_UNIT.has(path)),
);

/**
 * The files that take longest on a 2-core runner (npm installs, `npm start` stacks, a Node and TypeScript
 * matrix, real waits) start first, in this order, whatever the local results cache says or, on a clean
 * clone, the file sizes: started last, one of them alone would set the run's wall time.
 */
const LONGEST_FIRST = [
  'test/elements/browser.test.ts',
  'test/package/quickstart.test.ts',
  'test/scripts/start.test.ts',
  'test/mock/contract.test.ts',
  'test/package/mock-node.test.ts',
  'test/forward/redis.test.ts',
  'test/package/api-report.test.ts',
  'test/package/consumer.test.ts',
  'test/mock/json-body.test.ts',
  'test/mock/cli.test.ts',
  'test/msw/peer.test.ts',
  'test/frameworks/recipes.test.ts',
  'test/client/tanstack.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const rank = (file: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((path) => file.moduleId.endsWith(`/${path}`));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b)); // stable: the rest keep Vitest's order
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirst },
    // Much of the suite waits on child processes (Prism, tsc, npm, Chromium), so one worker per core leaves CPU idle.
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT,
          // One worker runs many files: a fresh worker per file costs about a second of CPU each, more than
          // most of these files take. They share no state that outlives a file (vi.stubEnv is undone).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: UNIT,
          // One Prism, one packed tarball and one set of matrix Node builds for the whole run
          // (test/support/setup/global.ts); they reach the tests through provide/inject.
          globalSetup: ['test/support/setup/global.ts'],
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'test/tsconfig.json' },
        },
      },
    ],
  },
});
