// What a team checks before depending on the package: licence, changelog, where it lives, pinned tools,
// the docs package in step, and a publish that npm has nothing to say about.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { root, run } from '../support/run.js';

const read = (file: string) => readFileSync(join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json'));
const docsPkg = JSON.parse(read('docs-package/package.json'));

/**
 * Warnings npm prints that this project cannot prevent: the machine's own npm config, and a dry run
 * made without registry credentials (which nothing here should have).
 */
const notOurs = [
  /^npm warn Unknown (user|env|global|project) config /,
  /^npm warn publish This command requires you to be logged in to .* \(dry-run\)$/,
];
const ourWarnings = (stderr: string) =>
  stderr.split('\n').filter((line) => /^npm (warn|error|ERR)/i.test(line) && !notOurs.some((re) => re.test(line)));

describe.concurrent('package hygiene', () => {
  test('LICENSE is the MIT licence package.json names', () => {
    expect(pkg.license).toBe('MIT');
    expect(docsPkg.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n/);
  });

  test('repository, homepage and bugs point at one repository, the docs package included', () => {
    const repo = 'github.com/equals-card-pin/equals-card-pin';
    for (const manifest of [pkg, docsPkg]) {
      expect(manifest.repository.url).toContain(repo);
      expect(manifest.homepage).toContain(repo);
      expect(manifest.bugs.url).toContain(`${repo}/issues`);
    }
    expect(docsPkg.repository.directory).toBe('docs-package');
  });

  test('CHANGELOG.md has an entry for this version', () => {
    expect(read('CHANGELOG.md')).toContain(`\n## ${pkg.version}`);
  });

  test('the docs package is released with the main package, at its version, holding only the page', async () => {
    expect(docsPkg.version).toBe(pkg.version);
    const result = await run('npm', ['pack', '--dry-run', '--json'], { cwd: join(root, 'docs-package') });
    const files = JSON.parse(result.stdout)[0]
      .files.map((file: { path: string }) => file.path)
      .sort();
    expect(files).toEqual(['index.html', 'package.json']);
  });

  test('tools whose output is committed or whose warnings ask for it are pinned exactly', () => {
    for (const name of ['vitest', 'openapi-typescript', '@microsoft/api-extractor', 'tsdown'])
      expect(pkg.devDependencies[name], name).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test.each(['.', 'docs-package'])('npm publish --dry-run in %s succeeds with no warning of ours', async (dir) => {
    const result = await run('npm', ['publish', '--dry-run'], { cwd: join(root, dir) });
    expect(result.status, result.stderr).toBe(0);
    expect(ourWarnings(result.stderr)).toEqual([]);
  });
});
