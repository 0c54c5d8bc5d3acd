// The exports map: every runtime entry has its CommonJS conditions, completed by the build for an entry
// written as { types, default }, and each condition's file exists after the build.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runtimeEntries, withCommonJs } from '../../scripts/lib/package-entries.mjs';
import { root } from '../support/run.js';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('exports map', () => {
  test('an entry added as { types, default } gets node and require conditions, once', () => {
    const added = {
      './extra': { types: './dist/src/extra.d.ts', default: './dist/src/extra.js' },
      './openapi.json': './dist/openapi.json',
    };
    const completed = withCommonJs(added);
    expect(completed['./extra']).toEqual({
      node: {
        import: { types: './dist/src/extra.d.ts', default: './dist/cjs/src/extra.mjs' },
        require: { types: './dist/cjs/src/extra.d.ts', default: './dist/cjs/src/extra.js' },
      },
      require: { types: './dist/cjs/src/extra.d.ts', default: './dist/cjs/src/extra.js' },
      types: './dist/src/extra.d.ts',
      default: './dist/src/extra.js',
    });
    expect(completed['./openapi.json']).toBe('./dist/openapi.json');
    expect(withCommonJs(completed)).toEqual(completed);
  });

  test('package.json is complete: the build has nothing left to add', () => {
    expect(withCommonJs(pkg.exports)).toEqual(pkg.exports);
  });

  test.each(runtimeEntries(pkg.exports).map((entry) => [entry.subpath, entry]))(
    '%s: every file it names is built',
    (_, entry) => {
      for (const file of [entry.esm, entry.types, entry.cjs, entry.cjsTypes, entry.nodeImport])
        expect(existsSync(join(root, file)), file).toBe(true);
    },
  );
});
