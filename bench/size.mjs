// Bundle size of an import, as a consumer's bundler would ship it: esbuild, minified, then compressed.
import { build } from 'esbuild';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Sizes in bytes of `source` bundled from `resolveDir`. */
export async function bundleSize(source, resolveDir) {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return {
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
  };
}

/** The entries the budget is about, resolved through the package's own exports map. */
export const entries = {
  client: "export { createPinClient } from 'equals-card-pin';",
  types: "export * from 'equals-card-pin/types';",
  sandbox: "export * from 'equals-card-pin/sandbox';",
  msw: "export * from 'equals-card-pin/msw';",
  forward: "export * from 'equals-card-pin/forward';",
  'openapi-fetch alone': "export { default } from 'openapi-fetch';",
};

/**
 * What each part of the client adds, gzip, measured by bundling openapi-fetch plus one more module at a time
 * (the size counterpart of a profile: it names where the bytes are).
 */
export const layers = [
  ['openapi-fetch', "export { default } from 'openapi-fetch';"],
  [
    '+ constraint table (generated)',
    "export { default } from 'openapi-fetch'; export * from './dist/generated/pin-constraints.mjs';",
  ],
  [
    '+ error classes',
    "export { default } from 'openapi-fetch'; export * from './dist/generated/pin-constraints.mjs'; export * from './dist/src/client/errors.mjs';",
  ],
  [
    '+ validator',
    "export { default } from 'openapi-fetch'; export * from './dist/generated/pin-constraints.mjs'; export * from './dist/src/client/errors.mjs'; export * from './dist/src/core/validate.mjs';",
  ],
  [
    '+ retry helpers',
    "export { default } from 'openapi-fetch'; export * from './dist/generated/pin-constraints.mjs'; export * from './dist/src/client/errors.mjs'; export * from './dist/src/core/validate.mjs'; export * from './dist/src/client/retry.mjs';",
  ],
  ['+ createPinClient (whole entry)', "export { createPinClient } from 'equals-card-pin';"],
];

/**
 * Budget for the client entry, openapi-fetch included, enforced by `npm test`.
 * Issue 11 set it at 5,400 B: the 5,080 B measured before it (openapi-fetch 2.6 kB, the spec's constraint
 * table 0.43 kB, the client's checks, retries, deadline and error classes) plus room for refused redirects,
 * bounded bodies and browser mode. Measured after issue 11: 5,396 B. Issue 15 gave the client the one
 * shared wording of a broken rule (core/validate.ts `ruleMessage`) instead of its own copy: +12 B, 5,412 B
 * measured, so 5,420 B until issue 16 cuts the entry.
 */
export const CLIENT_GZIP_BUDGET = 5420;
