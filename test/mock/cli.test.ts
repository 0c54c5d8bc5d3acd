// The bin's usage: every command answers --help, and an unknown command or option gets the usage and
// exit code 2, never a stack trace (`mock --bogus` used to print ERR_PARSE_ARGS_UNKNOWN_OPTION's stack).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { root, run } from '../support/run.js';

const cli = join(root, 'dist/mock/cli.mjs');
const equalsCardPin = (...args: string[]) => run(process.execPath, [cli, ...args], { env: { EQUALS_API_KEY: '' } });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

describe.concurrent('equals-card-pin usage', () => {
  test.each([
    [['--help'], 'Usage: equals-card-pin <command>'],
    [['mock', '--help'], 'Usage: equals-card-pin mock'],
    [['contract', '--help'], 'Usage: EQUALS_API_KEY=… equals-card-pin contract'],
    [['help'], 'Usage: equals-card-pin <command>'],
    [['help', 'mock'], 'Usage: equals-card-pin mock'],
    [['help', 'contract'], 'Usage: EQUALS_API_KEY=… equals-card-pin contract'],
  ])('%j prints its usage and exits 0', async (args, usage) => {
    const result = await equalsCardPin(...args);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(usage);
  });

  test('help <command> prints exactly what <command> --help prints', async () => {
    for (const command of ['mock', 'contract']) {
      const [help, flag] = await Promise.all([equalsCardPin('help', command), equalsCardPin(command, '--help')]);
      expect(help.stdout).toBe(flag.stdout);
    }
    expect((await equalsCardPin('help')).stdout).toBe((await equalsCardPin('--help')).stdout);
  });

  test.each([['--version'], ['-v']])('%s prints the package version alone, exit 0', async (flag) => {
    const result = await equalsCardPin(flag);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${pkg.version}\n`);
  });

  test('the usage names --version and help, and the mock usage states the Node rule for Prism', async () => {
    const top = (await equalsCardPin('--help')).stdout;
    expect(top).toContain('help [command]');
    expect(top).toContain('--version, -v');
    const { stdout } = await equalsCardPin('mock', '--help');
    expect(stdout).toContain(
      'Prism 5.16 needs Node >= 24.18, 5.15 needs >= 24.14, 5.0.1 to 5.14.2 run on Node 18 to 22',
    );
    expect(stdout).toContain('default --port + 1');
  });

  test('contract --help says plainly that --write changes a real PIN, and where the key comes from', async () => {
    const { stdout } = await equalsCardPin('contract', '--help');
    expect(stdout).toContain("--write         ALSO CHANGES THE CARD'S PIN on that server");
    expect(stdout).toContain('EQUALS_API_KEY environment variable only');
  });

  test.each([
    [['frobnicate'], 'Unknown command: frobnicate', 'Usage: equals-card-pin <command>'],
    [[], 'No command given', 'Usage: equals-card-pin <command>'],
    [['mock', '--bogus'], "Unknown option '--bogus'", 'Usage: equals-card-pin mock'],
    [['mock', 'extra'], "Unexpected argument 'extra'", 'Usage: equals-card-pin mock'],
    [['contract', '--bogus'], "Unknown option '--bogus'", 'Usage: EQUALS_API_KEY=… equals-card-pin contract'],
    [
      ['contract', '--card', 'c'],
      'missing --base-url, --account, --person',
      'Usage: EQUALS_API_KEY=… equals-card-pin contract',
    ],
    [['mock', '--port', 'x'], '--port must be an integer', 'Usage: equals-card-pin mock'],
    [['help', 'frobnicate'], 'Unknown command: frobnicate', 'Usage: equals-card-pin <command>'],
    [['mock', '--port', '65535'], '--sandbox-port', 'Usage: equals-card-pin mock'],
  ])('%j prints what is wrong and the usage, exits 2, no stack trace', async (args, why, usage) => {
    const result = await equalsCardPin(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(why);
    expect(result.stderr).toContain(usage);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toContain('ERR_PARSE_ARGS');
  });
});
