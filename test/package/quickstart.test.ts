// The README's "First five minutes", as a newcomer runs it: in a fresh folder, its install line (with the
// packed tarball standing in for the registry's copy of this package), then its command that starts the
// mock on the default port 4010, then its script, saved as the README says and run with `node`. All on
// the oldest Node the package supports (22), with npm picking the Prism that runs on it, as it would for the reader.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { docExample } from '../support/docs.js';
import { run, scratchRoot } from '../support/run.js';
import { inCI } from '../support/ci.js';

const shell = docExample('README.md', 'quickstart', 'sh');
const script = docExample('README.md', 'quickstart', 'js');
const [installLine, mockLine, ...rest] = shell.split('\n').filter((line) => line.trim() && !line.startsWith('#'));
const work = mkdtempSync(join(scratchRoot(), 'pin-quickstart-'));
const project = join(work, 'project');
// Node 22 first, then /usr/bin: `node` is the registry's Node 22 (the oldest in engines), and `npm` and `npx`
// are the machine's, running on it; not the Node 24 of npm scripts.
const machinePath = `${inject('nodeBinDirs')['22']}:/usr/bin:${process.env.PATH}`;

/**
 * 4010 may be taken on a shared machine (another developer's mock, say): the mock and the script run in a
 * network namespace of their own, whose loopback has nothing on it. `unshare -rn` needs user namespaces.
 */
const canUnshare = (() => {
  try {
    execFileSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up'], { stdio: 'pipe' });
    return true;
  } catch {
    return inCI; // in CI a missing namespace is a failure, not a skip
  }
})();
const unshareSkipReason =
  '`unshare -rn` with `ip link set lo up` failed: the test needs user and network namespaces (util-linux, iproute2, kernel.unprivileged_userns_clone=1)';

test('the shell block is one install line and one command that starts the mock', () => {
  expect(rest).toEqual([]);
  expect(installLine).toMatch(/^npm install equals-card-pin /);
  expect(mockLine).toBe('npx equals-card-pin mock');
});

test("the script block uses the spec's example card, as generated from the spec", () => {
  for (const id of [exampleCard.cardId, exampleCard.accountId, exampleCard.personId])
    expect(script).toContain(`'${id}'`);
  expect(script).toMatch(/^\/\/ quickstart\.mjs\n/);
});

test('the reader runs it on Node 22, the oldest Node the package supports', async () => {
  const result = await run('node', ['-p', 'process.version'], { env: { PATH: machinePath } });
  expect(result.stdout.trim()).toMatch(/^v22\./);
});

describe.runIf(canUnshare)('run as written, from the packed package, in a fresh folder', () => {
  beforeAll(async () => {
    mkdirSync(project);
    const { tarball } = inject('packed');
    // The package is not on the registry yet: its tarball stands in; the peers come from npm's cache, or the registry.
    const install = await run('sh', ['-c', installLine!.replace(' equals-card-pin ', ` ${tarball} `)], {
      cwd: project,
      env: {
        PATH: machinePath,
        npm_config_prefer_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_ignore_scripts: 'true',
        npm_config_update_notifier: 'false',
      },
    });
    if (install.status !== 0) throw new Error(`the install line failed:\n${install.stderr}`);
    writeFileSync(join(project, 'quickstart.mjs'), script);
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('the mock starts on 4010; the script reveals the PIN, changes it and reveals the new one, which a second run finds', async () => {
    const driver = join(import.meta.dirname, '../support/quickstart-driver.mjs');
    const result = await run(
      'unshare',
      [
        '-rn',
        'sh',
        '-c',
        'ip link set lo up && exec "$@"',
        'sh',
        'node',
        driver,
        mockLine!,
        'node quickstart.mjs && node quickstart.mjs',
      ],
      { cwd: project, env: { PATH: machinePath } },
    );
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.listening, report.output).toBe('http://127.0.0.1:4010');
    expect(report.script.stderr).toBe('');
    // Run twice, as the README says: the second run finds the PIN the first one set.
    expect(report.script.stdout).toBe(
      `PIN: ${exampleCard.pin}\nPIN after the change: 4826\nPIN: 4826\nPIN after the change: 4826\n`,
    );
    expect(report.script.status).toBe(0);
    expect(report.leftovers, 'a process of the mock outlived SIGTERM').toBe(false);
  }, 120_000);
});

if (!canUnshare) {
  console.warn(`README quickstart run skipped: ${unshareSkipReason}`);
  test.skip(`the quickstart, run as written — SKIPPED: ${unshareSkipReason}`, () => {});
}
