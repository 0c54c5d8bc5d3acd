import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Vitest warns on every run that type testing is experimental and asks to be pinned. It is pinned
// exactly in package.json (held there by test/package/hygiene.test.ts), so the warning has been heeded.
process.env.VITEST_DISABLE_EXPERIMENTAL_LOG = 'true';

/**
 * The files that take longest on a 2-core runner (npm installs, `npm start` stacks, a Node and TypeScript
 * matrix, real waits) start first, in this order, whatever the local results cache says or, on a clean
 * clone, the file sizes: started last, one of them alone would set the run's wall time.
 */
const LONGEST_FIRST = [
  'test/package/mock-node.test.ts',
  'test/scripts/start.test.ts',
  'test/package/consumer.test.ts',
  'test/mock/contract.test.ts',
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
    include: ['test/**/*.test.ts'],
    // One Prism, one packed tarball and one set of matrix Node builds for the whole run (test/support/setup/global.ts);
    // they reach the tests through provide/inject.
    globalSetup: ['test/support/setup/global.ts'],
    sequence: { sequencer: LongestFirst },
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'test/tsconfig.json' },
    // Much of the suite waits on child processes (Prism, tsc, npm, Chromium), so one worker per core leaves CPU idle.
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
