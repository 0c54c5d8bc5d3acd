// The README and the guides in docs/, held to the truth: the install lines to package.json, the map of the
// tree to the tree, the README short and linking every guide by a URL that works on npm too, and every code
// block in them one that a test takes (type-checks or runs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type DocFile, docExample, docSection } from '../support/docs.js';
import { root } from '../support/run.js';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const docsPkg = JSON.parse(readFileSync(join(root, 'docs-package/package.json'), 'utf8'));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const architecture = readFileSync(join(root, 'docs/architecture.md'), 'utf8');

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
  const named = installed(docExample('README.md', 'install', 'sh'));

  test('name this package, the docs package and every peer, and nothing else', () => {
    const expected = [pkg.name, docsPkg.name, ...Object.keys(pkg.peerDependencies)].sort();
    expect([...named.keys()].sort()).toEqual(expected);
  });

  test('ask for each peer in a major the range package.json declares allows', () => {
    for (const [name, range] of Object.entries<string>(pkg.peerDependencies)) {
      const asked = named.get(name)!;
      // The asked range's major must be one the declared range allows: '^2' within '^2', '5' within '>=5.0.1 <6'.
      const major = /^\^?(\d+)/.exec(asked)?.[1];
      const declaredMajors = [...range.matchAll(/(?:\^|>=|=|^)\s*(\d+)/g)].map((match) => match[1]);
      expect(declaredMajors, `${name}@${asked} against ${range}`).toContain(major);
    }
  });
});

describe('docs/architecture.md "Where things are"', () => {
  const section = /## Where things are\n([\s\S]*?)\n## /.exec(architecture)?.[1] ?? '';
  const mapped = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]!);

  test('lists paths that exist', () => {
    expect(mapped.length).toBeGreaterThan(10);
    for (const path of mapped.filter((path) => !path.includes('*'))) {
      expect(existsSync(join(root, path)), `${path} in the map`).toBe(true);
    }
  });

  test('names every folder of src/ and test/', () => {
    const folders = (dir: string) =>
      readdirSync(join(root, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${dir}/${entry.name}`);
    for (const folder of [...folders('src'), ...folders('test')]) {
      expect(section, `${folder} is missing from the map`).toContain(`\`${folder}`);
    }
  });
});

/** The guides in the tree: docs/*.md. */
const guides = readdirSync(join(root, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}` as DocFile);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** The anchors of a Markdown file's headings. */
const anchors = (file: string) =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((match) => slug(match[1]!));

describe('the README', () => {
  // npm shows the README with relative links broken, and docs/ is not in the tarball (the guides would
  // double its size): so the README links the guides by their address in the repository.
  const repository = pkg.homepage.replace(/#readme$/, '');
  const linked = [...readme.matchAll(/\]\((https:\/\/[^)\s]+)\)/g)].map((match) => match[1]!);
  const docsLinks = linked.filter((url) => url.startsWith(`${repository}/blob/`));

  test('is at most 250 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  });

  test("links every guide in docs/, by the repository's address, and nothing relative", () => {
    for (const guide of guides) expect(docsLinks, guide).toContain(`${repository}/blob/main/${guide}`);
    expect([...readme.matchAll(/\]\((?!https:\/\/|#)([^)]+)\)/g)].map((match) => match[1])).toEqual([]);
  });

  test('links only guides that are in the tree', () => {
    for (const url of docsLinks) {
      const path = url.slice(`${repository}/blob/main/`.length).replace(/#.*$/, '');
      expect(existsSync(join(root, path)), `${url}: no such file`).toBe(true);
    }
  });
});

describe('the guides', () => {
  test.each(guides)('%s links only files that are in the tree, and headings that are in them', (guide) => {
    const text = readFileSync(join(root, guide), 'utf8');
    for (const [, target, anchor] of text.matchAll(/\]\((?!https?:\/\/)([^)#\s]*)(?:#([^)\s]*))?\)/g)) {
      const path = target ? join('docs', target) : guide;
      expect(existsSync(join(root, path)), `${guide}: ${target}: no such file`).toBe(true);
      if (anchor && path.endsWith('.md')) expect(anchors(path), `${guide}: ${target}#${anchor}`).toContain(anchor);
    }
  });
});

describe('every code block of the README and the guides is one a test takes', () => {
  const files: DocFile[] = ['README.md', ...guides];
  // The sources of each test folder, together: a folder's helper may name the file, its tests the example.
  const testFolders = new Map<string, string>();
  for (const path of readdirSync(join(root, 'test'), { recursive: true, encoding: 'utf8' })) {
    if (!path.endsWith('.ts')) continue;
    const folder = dirname(path);
    testFolders.set(folder, `${testFolders.get(folder) ?? ''}\n${readFileSync(join(root, 'test', path), 'utf8')}`);
  }

  test.each(files)('%s', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const markers = [...text.matchAll(/<!-- example: ([\w-]+) -->/g)].map((match) => match[1]!);
    expect(new Set(markers).size, 'marker names are unique').toBe(markers.length);
    // Each block other than printed output must be the one docExample returns, in its own language, for the
    // marker it follows ...
    const taken = new Set<string>();
    for (const name of markers)
      for (const [, lang] of docSection(text, name).matchAll(/^```(\w+)\n/gm)) {
        taken.add(`${lang}\n${docExample(file, name, lang)}`);
      }
    const blocks = [...text.matchAll(/^```(\w+)\n([\s\S]*?)^```/gm)].filter((match) => match[1] !== 'text');
    for (const [, lang, body] of blocks)
      expect(taken.has(`${lang}\n${body}`), `${file}: a block with no marker:\n${body}`).toBe(true);
    // ... and each marker is read by some test folder, which names the file and the example.
    for (const name of markers) {
      const reader = [...testFolders.values()].some(
        (sources) => sources.includes(`'${file}'`) && sources.includes(`'${name}'`),
      );
      expect(reader, `no test reads ${file}'s example ${name}`).toBe(true);
    }
  });
});
