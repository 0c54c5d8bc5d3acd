#!/usr/bin/env node
// dist/: the compiled client and mock (ESM, and a CommonJS twin in dist/cjs/), the bundled spec (YAML and JSON).
// docs-package/index.html: the offline docs page, published on its own as equals-card-pin-docs.
// Independent steps run side by side: the build sits in front of every `npm test`.
//   node scripts/build.mjs          everything
//   node scripts/build.mjs --docs   only the docs page (`npm run build:docs`)
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { buildCommonJs } from './lib/commonjs.mjs';
import { runtimeEntries, withCommonJs } from './lib/package-entries.mjs';

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

/** Every runtime entry in package.json gets its CommonJS conditions; an entry added as { types, default } is completed here. */
async function completeExports() {
  const text = await readFile('package.json', 'utf8');
  const pkg = JSON.parse(text);
  const completed = withCommonJs(pkg.exports);
  if (JSON.stringify(completed) !== JSON.stringify(pkg.exports)) {
    await writeFile('package.json', `${JSON.stringify({ ...pkg, exports: completed }, null, 2)}\n`);
    console.log('✔ package.json: CommonJS conditions added to the new entries in "exports"');
  }
  return runtimeEntries(completed);
}

/** dist/arazzo.yaml: the workflows `redocly respect` runs, pointing at the bundled spec beside them. */
async function arazzo() {
  const text = await readFile('openapi/pin.arazzo.yaml', 'utf8');
  const shipped = text.replace(/^( +url:) \.\/pin\.yaml$/m, '$1 ./openapi.yaml');
  if (shipped === text) throw new Error('openapi/pin.arazzo.yaml has no `url: ./pin.yaml` source to point at');
  await mkdir('dist', { recursive: true });
  await writeFile('dist/arazzo.yaml', shipped);
  console.log('✔ openapi/pin.arazzo.yaml → dist/arazzo.yaml');
}

async function commonJs(entries) {
  const skipped = await buildCommonJs(entries);
  const note = skipped.length
    ? ` (not built yet, so left out: ${skipped.map((entry) => entry.subpath).join(', ')})`
    : '';
  console.log(`✔ dist/cjs: CommonJS build of ${entries.length - skipped.length} entries${note}`);
}

async function all() {
  const entries = await completeExports();
  await rm('dist', { recursive: true, force: true });
  await Promise.all([
    // src/ compiles without Node's types, since it runs in browsers too; mock/ is Node-only, on its own.
    Promise.all([
      run(tsc, '-p', 'tsconfig.build.json'),
      run(tsc, '-p', 'tsconfig.mock.json').then(() => chmod('dist/mock/cli.js', 0o755)),
    ]).then(() => commonJs(entries)),
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
