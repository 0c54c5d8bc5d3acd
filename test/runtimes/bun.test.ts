// docs/runtimes.md's Bun example, run by Bun itself (the binary of npm's `bun` package for this platform).
import { afterAll, beforeAll } from 'vitest';
import { firstExisting, forwarderTests, KEY, runtimeExample, scratchProject, whenInstalled } from './harness.js';
import { type Started, startPrintedServer } from '../support/listening.js';

const arch = process.arch === 'arm64' ? 'aarch64' : process.arch;
const exe = process.platform === 'win32' ? 'bun.exe' : 'bun';
// Where npm puts the binary with bun's postinstall denied (package.json allowScripts). bun/bin/bun.exe is
// then a stub that only says the postinstall did not run.
const bun = firstExisting(`node_modules/@oven/bun-${process.platform}-${arch}/bin/${exe}`);

whenInstalled(
  'Bun',
  !!bun,
  'run `npm install` (the devDependency `bun` brings the binary for this platform in @oven/bun-<platform>-<arch>)',
  () => {
    let server: Started;
    beforeAll(async () => {
      const dir = scratchProject('bun', { 'server.ts': runtimeExample('bun') });
      server = await startPrintedServer(bun!, ['run', 'server.ts'], {
        cwd: dir,
        env: { EQUALS_API_KEY: KEY, PIN_SANDBOX: '1', PORT: '0' },
      });
    });
    afterAll(() => server?.stop());

    forwarderTests(() => server.origin);
  },
);
