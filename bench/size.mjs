// Bundle size of an import, as a consumer's bundler would ship it: esbuild, minified, then compressed.
import { build } from 'esbuild';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** `source` bundled from `resolveDir` as a browser bundler would: the minified code and esbuild's metafile. */
const bundle = (source, resolveDir, plugins = []) =>
  build({
    plugins,
    stdin: { contents: source, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    // An optional peer, loaded by the forwarder only when given a tracer: not the package's bytes.
    external: ['@opentelemetry/*'],
    logLevel: 'silent',
  });

/** Sizes in bytes of `source` bundled from `resolveDir`. */
export async function bundleSize(source, resolveDir, plugins) {
  const code = (await bundle(source, resolveDir, plugins)).outputFiles[0].contents;
  return {
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
  };
}

/**
 * Minified bytes each module puts into the bundle of `source` (esbuild's metafile): exact, where the gzip
 * layers below are cumulative. Keyed by path, without dist/ and the extension.
 */
export async function bytesByModule(source, resolveDir) {
  const result = await bundle(source, resolveDir);
  const [output] = Object.values(result.metafile.outputs);
  return Object.fromEntries(
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([path, { bytesInOutput }]) => [
        path
          .replace(/^dist\//, '')
          .replace(/^node_modules\/(openapi-fetch)\/.*/, '$1')
          .replace(/\.m?js$/, ''),
        bytesInOutput,
      ]),
  );
}

/** The entries the budget is about, resolved through the package's own exports map. */
export const entries = {
  client: "export { createPinClient } from 'equals-card-pin';",
  types: "export * from 'equals-card-pin/types';",
  sandbox: "export * from 'equals-card-pin/sandbox';",
  msw: "export * from 'equals-card-pin/msw';",
  forward: "export * from 'equals-card-pin/forward';",
  // A bare import, as a page uses it: what it ships is what defining the two elements takes.
  elements: "import 'equals-card-pin/elements';",
  otel: "export * from 'equals-card-pin/otel';",
  'openapi-fetch alone': "export { default } from 'openapi-fetch';",
};

const withOpenapiFetch = (...modules) =>
  ["export { default } from 'openapi-fetch';", ...modules.map((m) => `export * from './dist/${m}.mjs';`)].join(' ');

/**
 * What each part of the client adds, gzip, measured by bundling openapi-fetch plus one more module at a time
 * (the size counterpart of a profile: it names where the bytes are, so the next cut can be chosen by size).
 */
export const layers = [
  ['openapi-fetch', withOpenapiFetch()],
  ['+ constraint table (generated)', withOpenapiFetch('generated/pin-constraints')],
  ['+ error classes', withOpenapiFetch('generated/pin-constraints', 'src/client/errors')],
  ['+ validation', withOpenapiFetch('generated/pin-constraints', 'src/client/errors', 'src/core/validate')],
  [
    '+ retries',
    withOpenapiFetch('generated/pin-constraints', 'src/client/errors', 'src/core/validate', 'src/client/retry'),
  ],
  [
    '+ body bounding',
    withOpenapiFetch(
      'generated/pin-constraints',
      'src/client/errors',
      'src/core/validate',
      'src/client/retry',
      'src/core/body',
    ),
  ],
  [
    '+ options, fetch wrapper, deadline, response, send (whole entry)',
    "export { createPinClient } from 'equals-card-pin';",
  ],
];

/**
 * Budget for the client entry, openapi-fetch included, enforced by `npm test`.
 * Issue 11 set it at 5,400 B: the 5,080 B measured before it (openapi-fetch 2.6 kB, the spec's constraint
 * table 0.43 kB, the client's checks, retries, deadline and error classes) plus room for refused redirects,
 * bounded bodies and browser mode. Measured after issue 11: 5,396 B. Issue 15 gave the client the one
 * shared wording of a broken rule (core/validate.ts `ruleMessage`) instead of its own copy: +12 B, 5,412 B
 * measured, so 5,420 B until issue 16 cuts the entry.
 * Issue 16 did not cut it: it grew to 5,781 B. The reader loop that bounds bodies (two to three times cheaper
 * per call than the TransformStream, and the only way to let go of a body that ignores the deadline) and
 * the client's own read of a 2xx: +219 B; a cheaper deadline: +34 B; issue 15's split into named modules
 * (createPinClient was one 136-line function): +143 B; smaller body code since: -43 B; the rest of a stream that sends no bytes cancelled: +13 B. Issue 16's 5,000 B
 * target cannot be met without dropping a guarantee: openapi-fetch (2,598 B) and the constraint table
 * (427 B) leave 1,975 B, and validation, errors and retries alone take 952 B (`npm run bench` prints the
 * bytes of each part). 5,800 B: the measurement plus 19 B of room.
 * Issue 21 (5,780 B before it): a network or timeout failure's cause is kept as a scrubbed copy (its name and
 * codes, down its chain), since fetch implementations quote the URL, headers and body in their errors:
 * +90 B, 5,870 B measured. A baseUrl with user-info, a query or a fragment refused at creation: +41 B,
 * 5,911 B measured. Issue 22's errors that say what to do: a baseUrl ending in /v2 refused +44 B, no apiKey
 * for the provider's servers refused +60 B, the factory's name passed in (the forwarder's errors) -3 B:
 * 6,012 B measured. The same scrubbed cause for a `raw` call's network failure (it threw the fetch's own
 * error, quoting the key and the PIN): +28 B, 6,040 B measured. The https-or-loopback rule moved to
 * src/core/base-url.ts, one function for the client, the mock's relay and the contract command (with the
 * relay's opt-in host list): +24 B, 6,084 B measured. Issue 24 (the PIN elements) let browser mode leave
 * the verification method to the backend (`verification: 'backend'`, the spec's required list without it):
 * +52 B, 6,136 B measured. Issue 25 gave the client its `tracer` option (one span per call,
 * src/client/trace.ts): +181 B on its own branch (the span module alone 154 B, `tracerCost` below, printed
 * by the bench); 6,308 B measured with the above (+172 B). The review of issue 21: one body rule that
 * refuses a BOM or another charset (+15 B), and a `raw` call's body failing midway scrubbed as the fetch's
 * own failure is (+18 B): 6,341 B; the method's field name shared with the forwarder (-3 B): 6,338 B
 * measured. 6,350 B: the measurement plus 12 B of room.
 */
export const CLIENT_GZIP_BUDGET = 6350;

/**
 * Budget for the elements entry (a bare `import 'equals-card-pin/elements'`), enforced by `npm test` and
 * `npm run bench`. Issue 24 measured 10,046 B gzip: the client (5,835 B, openapi-fetch included) and the
 * generated table it shares, plus the two elements, their words, and the default look (about 2.4 kB of
 * CSS before compression). With the client's issue 21, 22 and 25 growth (+473 B) it measured 10,504 B: the
 * elements carry the whole client. 10,550 B: the measurement plus room for fixes, not for a second client.
 */
export const ELEMENTS_GZIP_BUDGET = 10550;

/** The client's span module replaced by one that traces nothing: the client entry as it was before the tracer option. */
const withoutTracing = {
  name: 'without-tracing',
  setup(on) {
    on.onLoad({ filter: /\/dist\/src\/client\/trace\.mjs$/ }, () => ({
      contents: 'export const traced = (send) => send;',
    }));
  },
};

/** What the `tracer` option adds to the client entry (issue 25): the entry with and without its span module. */
export async function tracerCost(resolveDir) {
  const [whole, without] = await Promise.all([
    bundleSize(entries.client, resolveDir),
    bundleSize(entries.client, resolveDir, [withoutTracing]),
  ]);
  return Object.fromEntries(Object.keys(whole).map((k) => [k, whole[k] - without[k]]));
}
