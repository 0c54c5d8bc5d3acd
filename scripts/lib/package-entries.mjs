// The package's runtime entries, read from package.json "exports", so that build, CommonJS,
// API report and consumer matrix all follow an entry the day it is added there.
//
// An entry is written in package.json as { types, default } (the ESM build). `npm run build`
// adds the CommonJS conditions beside them (withCommonJs); nothing else needs to be written by hand.

/**
 * Entries that Node's `import` loads as ESM instead of through the CommonJS face. `./msw`: msw 2's own
 * CommonJS build requires an ES-only module (rettime), which Node before 20.19 and 22.12 cannot require,
 * while its ESM build loads on Node 18. The entry holds no class (a sandbox is a plain object), so the
 * second copy of its modules that this gives Node is harmless.
 */
const ESM_IN_NODE = new Set(['./msw']);

/** `./dist/src/index.js` → its CommonJS twin `./dist/cjs/src/index.js`. */
const cjsTwin = (path) => path.replace(/^\.\/dist\//, './dist/cjs/');

/** Entries whose target is JavaScript (not the spec files, not package.json). */
export function runtimeEntries(exportsMap) {
  return Object.entries(exportsMap)
    .filter(([, target]) => typeof target === 'object' && /^\.\/dist\/.+\.js$/.test(target.default ?? ''))
    .map(([subpath, target]) => ({
      subpath,
      /** ESM build and its declarations, as written in package.json. */
      esm: target.default,
      types: target.types,
      /** CommonJS build (a dist/cjs tree whose package.json says "commonjs") and its declarations. */
      cjs: cjsTwin(target.default),
      cjsTypes: cjsTwin(target.types),
      /** What Node's `import` loads: an ESM face over the CommonJS build, so Node holds one copy of each class. */
      nodeImport: ESM_IN_NODE.has(subpath) ? target.default : cjsTwin(target.default).replace(/\.js$/, '.mjs'),
    }));
}

/**
 * The exports map with CommonJS conditions on every runtime entry. Node gets the CommonJS build for both
 * `require` and `import`; other `require` callers (Jest in jsdom, bundlers) get it too; every other
 * `import` (browsers, bundlers) gets the ESM build, so the client's browser bundle does not change.
 */
export function withCommonJs(exportsMap) {
  const entries = new Map(runtimeEntries(exportsMap).map((entry) => [entry.subpath, entry]));
  return Object.fromEntries(
    Object.entries(exportsMap).map(([subpath, target]) => {
      const entry = entries.get(subpath);
      if (!entry) return [subpath, target];
      const require = { types: entry.cjsTypes, default: entry.cjs };
      return [
        subpath,
        {
          node: { import: { types: entry.types, default: entry.nodeImport }, require },
          require,
          types: entry.types,
          default: entry.esm,
        },
      ];
    }),
  );
}
