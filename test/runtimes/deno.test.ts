// docs/runtimes.md's Deno example, run by Deno itself (npm's `deno` package) with the permissions the
// guide names and no others, and type-checked by `deno check`.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { firstExisting, forwarderTests, KEY, runtimeExample, scratchProject, whenInstalled } from './harness.js';
import { type Started, startPrintedServer } from '../support/listening.js';
import { run } from '../support/run.js';

const exe = process.platform === 'win32' ? 'deno.exe' : 'deno';
// The deno package's postinstall (allowed in package.json) links the platform's binary into the package.
const deno = firstExisting(`node_modules/deno/${exe}`, 'node_modules/@deno/linux-x64-glibc/deno');

whenInstalled(
  'Deno',
  !!deno,
  'run `npm install` (the devDependency `deno` brings the binary for this platform)',
  () => {
    let server: Started;
    let dir: string;
    beforeAll(async () => {
      dir = scratchProject('deno', { 'server.ts': runtimeExample('deno') });
      const allow = ['--allow-net=127.0.0.1', '--allow-env=EQUALS_API_KEY,EQUALS_BASE_URL,PIN_SANDBOX,PORT'];
      server = await startPrintedServer(deno!, ['run', ...allow, 'server.ts'], {
        cwd: dir,
        env: { EQUALS_API_KEY: KEY, PIN_SANDBOX: '1', PORT: '0', DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      });
    });
    afterAll(() => server?.stop());

    forwarderTests(() => server.origin);

    test("the example type-checks with Deno's own types (deno check)", async () => {
      const { status, stdout, stderr } = await run(deno!, ['check', 'server.ts'], {
        cwd: dir,
        env: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      });
      expect(stdout + stderr).not.toContain('error');
      expect(status).toBe(0);
    }, 60_000);
  },
);
