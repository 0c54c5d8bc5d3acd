// The breaking-change gate (scripts/spec-diff.mjs): the spec against the last released one, by `redocly diff`,
// and the package version held to the spec's. Broken on purpose in scratch copies.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseDocument } from 'yaml';
import { root, run } from '../support/run.js';
import { changelogProblem, enginesProblem, packageVersionProblem } from '../../scripts/spec-diff.mjs';

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

type Edit = (spec: ReturnType<typeof parseDocument>) => void;

/** A scratch copy of what the gate reads, with the spec edited and both versions set. */
function scratchCopy(edit: Edit, versions?: { spec: string; pkg: string }): string {
  const copy = mkdtempSync(join(tmpdir(), 'pin-gate-'));
  copies.push(copy);
  cpSync(join(root, 'openapi'), join(copy, 'openapi'), { recursive: true });
  cpSync(join(root, 'scripts'), join(copy, 'scripts'), { recursive: true });
  cpSync(join(root, 'CHANGELOG.md'), join(copy, 'CHANGELOG.md'));
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  const spec = parseDocument(readFileSync(join(copy, 'openapi/pin.yaml'), 'utf8'));
  edit(spec);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (versions) {
    spec.setIn(['info', 'version'], versions.spec);
    // The changelog's unreleased entry follows the package version, as a release would write it.
    const log = join(copy, 'CHANGELOG.md');
    writeFileSync(
      log,
      readFileSync(log, 'utf8').replace(/^## \S+ \(unreleased\)$/m, `## ${versions.pkg} (unreleased)`),
    );
    pkg.version = versions.pkg;
  }
  writeFileSync(join(copy, 'openapi/pin.yaml'), spec.toString());
  writeFileSync(join(copy, 'package.json'), JSON.stringify(pkg, null, 2));
  return copy;
}

const removeOtp: Edit = (spec) => {
  const path = ['components', 'schemas', 'CardholderVerificationMethod', 'enum'];
  spec.setIn(
    path,
    (spec.getIn(path) as { toJSON(): string[] }).toJSON().filter((value) => value !== 'OTP'),
  );
};
const pinOptional: Edit = (spec) => void spec.deleteIn(['components', 'schemas', 'GetPinResponse', 'required']);

const gate = (cwd: string) => run(process.execPath, ['scripts/spec-diff.mjs'], { cwd });
const releasedMajor = () =>
  Number(
    String(
      parseDocument(readFileSync(join(root, 'openapi/released/pin.yaml'), 'utf8')).getIn(['info', 'version']),
    ).split('.')[0],
  );

describe.concurrent('breaking-change gate', () => {
  test('the spec and package version pass against the released spec', async () => {
    const result = await gate(root);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  test('removing OTP from the enum without a major bump fails, naming the lost value', async () => {
    const result = await gate(scratchCopy(removeOtp));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/without the version bump/);
    expect(result.stderr).toMatch(/major.*\n.*lost values: 'OTP'/);
  });

  test('making pin optional in the GET response without a major bump fails, naming the field', async () => {
    const result = await gate(scratchCopy(pinOptional));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/major[^\n]*\n[^\n]*no longer required: `pin`/);
  });

  test('the same changes with a major bump of the spec and the package pass', async () => {
    const next = `${releasedMajor() + 1}.0.0`;
    const both: Edit = (spec) => {
      removeOtp(spec);
      pinOptional(spec);
    };
    const result = await gate(scratchCopy(both, { spec: next, pkg: next }));
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  test('a major bump of the spec alone fails: the package must follow', async () => {
    const next = `${releasedMajor() + 1}.0.0`;
    const result = await gate(scratchCopy(removeOtp, { spec: next, pkg: `${releasedMajor()}.9.0` }));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`must have the same major as the spec's info.version ${next}`);
  });

  test('release notes are the diff as markdown', async () => {
    const result = await run(process.execPath, ['scripts/spec-diff.mjs', '--notes'], { cwd: scratchCopy(removeOtp) });
    expect(result.stdout).toMatch(/^#### API diff: openapi\/released\/pin.yaml → openapi\/pin.yaml/);
    expect(result.stdout).toMatch(/\| 🔴 major \| modified \|.*lost values: 'OTP'/);
  });

  test('a package version the changelog does not name fails', async () => {
    const copy = scratchCopy(() => {});
    const pkg = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
    writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...pkg, version: '2.1.1' }));
    const result = await gate(copy);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("CHANGELOG.md's first entry must be the package version 2.1.1, found 2.1.0");
  });

  test('the changelog policy: breaks are counted against the last release', () => {
    const log = (top: string) => `# Changelog\n\n## ${top}\n\n- a change\n\n## 0.1.0\n\nFirst version.\n`;
    expect(changelogProblem(log('2.1.0 (unreleased)'), '2.1.0')).toBeUndefined();
    expect(changelogProblem(log('2.1.0'), '2.1.0')).toBeUndefined();
    expect(changelogProblem(log('2.1.0 (unreleased)'), '3.0.0')).toMatch(
      /first entry must be the package version 3.0.0/,
    );
    expect(changelogProblem(log('0.1.0 (unreleased)'), '0.1.0')).toMatch(/ahead of the last release, 0.1.0/);
    expect(changelogProblem('# Changelog\n', '2.1.0')).toMatch(/found none/);
  });

  test('the Node policy: a Node the last release supported leaves engines only in a major that says so', () => {
    const log = (item: string) => `# Changelog\n\n## 3.0.0 (unreleased)\n\n- a change\n${item}\n## 2.1.0\n\n- old\n`;
    const said = log('- **Breaking for 2.1.0 users.** Node 22.12 or later; Node 20 left.\n');
    const released = { version: '2.1.0', node: '>=20' };
    expect(enginesProblem({ version: '3.0.0', node: '>=22.12.0' }, released, said)).toBeUndefined();
    // The same floor, or a lower one, is no break.
    expect(enginesProblem({ version: '2.2.0', node: '>=20.0.0' }, released, log(''))).toBeUndefined();
    expect(enginesProblem({ version: '2.2.0', node: '>=18' }, released, log(''))).toBeUndefined();
    expect(enginesProblem({ version: '2.2.0', node: '>=22.12.0' }, released, said)).toMatch(
      /engines.node >=22.12.0 leaves out Node versions that 2.1.0 supported \(>=20\): that is a major, and 2.2.0 is not one/,
    );
    expect(enginesProblem({ version: '2.1.1', node: '>=20.1' }, released, said)).toMatch(/that is a major/);
    expect(enginesProblem({ version: '3.0.0', node: '>=22.12.0' }, released, log(''))).toMatch(
      /first entry must say so in a "\*\*Breaking for 2.1.0 users.\*\*" item/,
    );
    // Said in an older entry, or in an item that is not about Node, does not count.
    const elsewhere = `${log('- **Breaking for 2.1.0 users.** The docs page left.\n')}- **Breaking for 2.1.0 users.** Node\n`;
    expect(enginesProblem({ version: '3.0.0', node: '>=22.12.0' }, released, elsewhere)).toMatch(/must say so/);
    expect(enginesProblem({ version: '3.0.0', node: '^22 || >=24' }, released, said)).toMatch(/must be a `>=` range/);
  });

  test('the version policy: same major, never behind the spec', () => {
    expect(packageVersionProblem('2.1.0', '2.1.0')).toBeUndefined();
    expect(packageVersionProblem('2.3.1', '2.1.0')).toBeUndefined();
    expect(packageVersionProblem('2.0.5', '2.1.0')).toMatch(/behind/);
    expect(packageVersionProblem('3.0.0', '2.1.0')).toMatch(/same major/);
  });
});
