// The README's install lines and its map of the tree, held to package.json and to the tree itself.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readmeExample } from '../support/readme.js';
import { root } from '../support/run.js';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const docsPkg = JSON.parse(readFileSync(join(root, 'docs-package/package.json'), 'utf8'));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The packages an `npm install` line names, each with the version or range it asks for ('' when none). */
function installed(block: string): Map<string, string> {
  const named = new Map<string, string>();
  for (const line of block.split('\n').filter((line) => line.startsWith('npm install '))) {
    for (const word of line.split(/\s+/).slice(2)) {
      if (word.startsWith('-')) continue;
      const at = word.lastIndexOf('@');
      if (at > 0) named.set(word.slice(0, at), word.slice(at + 1));
      else named.set(word, '');
    }
  }
  return named;
}

describe('README install lines', () => {
  const named = installed(readmeExample('install', 'sh'));

  test('name this package, the docs package and every peer, and nothing else', () => {
    const expected = [pkg.name, docsPkg.name, ...Object.keys(pkg.peerDependencies)].sort();
    expect([...named.keys()].sort()).toEqual(expected);
  });

  test('ask for each peer within the range package.json declares', () => {
    for (const [name, range] of Object.entries<string>(pkg.peerDependencies)) {
      const asked = named.get(name)!;
      // The asked range's major must be one the declared range allows: '^2' within '^2', '5' within '>=5.0.1 <6'.
      const major = /^\^?(\d+)/.exec(asked)?.[1];
      const declaredMajors = [...range.matchAll(/(?:\^|>=|=|^)\s*(\d+)/g)].map((match) => match[1]);
      expect(declaredMajors, `${name}@${asked} against ${range}`).toContain(major);
    }
  });
});

describe('README "Where things are"', () => {
  const section = /## Where things are\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  const mapped = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]!);

  test('lists paths that exist', () => {
    expect(mapped.length).toBeGreaterThan(10);
    for (const path of mapped.filter((path) => !path.includes('*'))) {
      expect(existsSync(join(root, path)), `${path} in the README map`).toBe(true);
    }
  });

  test('names every folder of src/ and test/', () => {
    const folders = (dir: string) =>
      readdirSync(join(root, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${dir}/${entry.name}`);
    for (const folder of [...folders('src'), ...folders('test')]) {
      expect(section, `${folder} is missing from the README map`).toContain(`\`${folder}`);
    }
  });
});
