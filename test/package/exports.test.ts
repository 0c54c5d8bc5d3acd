// The exports map, written by hand in package.json (no build step reads or rewrites it): every runtime
// entry gives Node one CommonJS file for import and require alike (one copy of each class), bundlers the
// ESM build, TypeScript declarations of the same format for each, and every file it names is built.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import tsdownConfig from '../../tsdown.config.ts';
import { pkg, RESOLVERS, type Resolver, runtimeEntries } from '../support/exports.js';
import { root } from '../support/run.js';

const entries = runtimeEntries();
const byEntry = entries.map((entry) => [entry.subpath, entry] as const);
/** `./dist/src/index.cjs` → `./dist/src/index.d.cts`, `.mjs` → `.d.mts`: the declarations of that format. */
const declarationsOf = (file: string) => file.replace(/\.([cm])js$/, '.d.$1ts');

describe('exports map', () => {
  test('keeps every subpath 2.1.0 published (and the Arazzo workflows), the elements, and the bin', () => {
    expect(Object.keys(pkg.exports)).toEqual([
      '.',
      './types',
      './sandbox',
      './msw',
      './forward',
      './elements',
      './otel',
      './mock',
      './openapi.yaml',
      './openapi.json',
      './arazzo.yaml',
      './package.json',
    ]);
    expect(Object.keys(pkg.bin)).toEqual(['equals-card-pin']);
  });

  test.each(byEntry)('%s: JavaScript and declarations of the same format for import and require', (_, entry) => {
    for (const resolver of Object.keys(RESOLVERS) as Resolver[]) {
      const js = entry.js[resolver];
      expect(js, resolver).toMatch(/^\.\/dist\/.+\.[cm]js$/);
      expect(entry.types[resolver], resolver).toBe(declarationsOf(js!));
    }
    expect(entry.js.nodeRequire).toMatch(/\.cjs$/);
    expect(entry.js.bundlerRequire).toMatch(/\.cjs$/);
  });

  test.each(byEntry)('%s: every file it names is built', (_, entry) => {
    for (const file of [...Object.values(entry.js), ...Object.values(entry.types)])
      expect(existsSync(join(root, file!)), file).toBe(true);
  });

  test.each(byEntry.filter(([subpath]) => subpath !== './msw'))(
    '%s: Node loads one CommonJS file for import and require (one copy of each class)',
    (_, entry) => {
      expect(entry.js.nodeImport).toMatch(/\.cjs$/);
      expect(entry.js.nodeImport).toBe(entry.js.nodeRequire);
    },
  );

  test('./msw: Node imports it as ESM (msw 2’s own CommonJS build needs require(esm), Node ≥ 20.19 / 22.12)', () => {
    const msw = entries.find((entry) => entry.subpath === './msw')!;
    expect(msw.js.nodeImport).toMatch(/\.mjs$/);
  });

  test.each(byEntry)(
    '%s: bundlers that import get the ESM build (tree-shaken, as the size budget measures)',
    (_, e) => {
      expect(e.js.bundlerImport).toMatch(/\.mjs$/);
    },
  );

  test('the spec files and package.json are exported as they are', () => {
    for (const file of ['openapi.yaml', 'openapi.json', 'arazzo.yaml']) {
      expect(pkg.exports[`./${file}`]).toBe(`./dist/${file}`);
      expect(existsSync(join(root, 'dist', file)), file).toBe(true);
    }
    expect(pkg.exports['./package.json']).toBe('./package.json');
  });

  test('the bin is built, executable and an ESM script', () => {
    const file = join(root, pkg.bin['equals-card-pin']);
    expect(file).toMatch(/\.mjs$/);
    accessSync(file, constants.X_OK);
    expect(readFileSync(file, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  test('the build does not write package.json: tsdown’s exports generation stays off', () => {
    expect(tsdownConfig).toBeTypeOf('object');
    expect((tsdownConfig as { exports?: unknown }).exports ?? false).toBe(false);
  });
});
