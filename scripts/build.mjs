#!/usr/bin/env node
// dist/: the client and mock, built by tsdown (tsdown.config.ts) as ESM (.mjs) and CommonJS (.cjs) with
// declarations for each, and the bundled spec (YAML and JSON). package.json "exports" is written by hand
// and read by no step here. docs-package/index.html: the offline docs page, published on its own as
// equals-card-pin-docs. Independent steps run side by side: the build sits in front of every `npm test`.
//   node scripts/build.mjs          everything
//   node scripts/build.mjs --docs   only the docs page (`npm run build:docs`)
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const env = { ...process.env, REDOCLY_TELEMETRY: 'off' };
// By path, not from PATH: the TypeScript 7 alias (consumer tests) links its own `tsc` into node_modules/.bin.
const tsc = 'node_modules/typescript/bin/tsc';
const run = async (command, ...args) => {
  try {
    await promisify(execFile)(command, args, { env });
    console.log(`✔ ${command} ${args.join(' ')}`);
  } catch (error) {
    console.error(`✘ ${command} ${args.join(' ')}\n${error.stdout}${error.stderr}`);
    throw new Error(`build step failed: ${command}`);
  }
};

// --inlineBundle: Redoc is embedded rather than loaded from a CDN, so the page renders offline.
const docs = () =>
  run(
    'redocly',
    'build-docs',
    'openapi/pin.yaml',
    '--inlineBundle',
    '--title',
    'Card PIN API',
    '-o',
    'docs-package/index.html',
  );

/** dist/arazzo.yaml: the workflows `redocly respect` runs, pointing at the bundled spec beside them. */
async function arazzo() {
  const text = await readFile('openapi/pin.arazzo.yaml', 'utf8');
  const shipped = text.replace(/^( +url:) \.\/pin\.yaml$/m, '$1 ./openapi.yaml');
  if (shipped === text) throw new Error('openapi/pin.arazzo.yaml has no `url: ./pin.yaml` source to point at');
  await mkdir('dist', { recursive: true });
  await writeFile('dist/arazzo.yaml', shipped);
  console.log('✔ openapi/pin.arazzo.yaml → dist/arazzo.yaml');
}

async function all() {
  await rm('dist', { recursive: true, force: true });
  await Promise.all([
    run('tsdown', '--log-level', 'warn'),
    // tsdown compiles without checking types: src/ is checked without Node's types (it runs in browsers
    // too), mock/ (Node only) with them.
    run(tsc, '-p', 'tsconfig.json', '--noEmit'),
    run(tsc, '-p', 'tsconfig.mock.json', '--noEmit'),
    // The JSON twin is the same bundle, converted here rather than bundled a second time.
    run('redocly', 'bundle', 'openapi/pin.yaml', '-o', 'dist/openapi.yaml').then(async () => {
      const bundled = parse(await readFile('dist/openapi.yaml', 'utf8'));
      await writeFile('dist/openapi.json', `${JSON.stringify(bundled, null, 2)}\n`);
      console.log('✔ dist/openapi.yaml → dist/openapi.json');
    }),
    docs(),
    arazzo(),
  ]);
}

await (process.argv.includes('--docs') ? docs() : all()).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
