// The CommonJS build: dist/cjs/ mirrors dist/, file by file, so the classes of one module graph are
// shared by every entry (a bundle per entry would give each entry its own copy of the error classes).
import { build, transform } from 'esbuild';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

const OUT = 'dist/cjs';
// transform(), not build(): outside a "module" package scope esbuild reads a default import of CommonJS
// (openapi-fetch) the way CommonJS callers expect, `exports.default` when the module says __esModule.
const options = { format: 'cjs', platform: 'node', target: 'node18', loader: 'js' };

/**
 * Every local module the entries load, and each entry's export names, found by esbuild (nothing is run,
 * and the dependencies are left out).
 */
async function moduleGraph(files) {
  const { metafile } = await build({
    entryPoints: files,
    bundle: true,
    packages: 'external',
    metafile: true,
    write: false,
    outdir: 'unused',
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
  });
  const exportsOf = new Map(Object.values(metafile.outputs).map((output) => [output.entryPoint, output.exports]));
  return { modules: Object.keys(metafile.inputs).filter((file) => file.startsWith('dist/')), exportsOf };
}

/**
 * One module to CommonJS, at the same place under dist/cjs. A module that reads import.meta.url (to find
 * files beside it) gets the URL of its ESM twin in dist/, so it finds the same files from dist/cjs/.
 */
async function transpile(file) {
  const source = await readFile(file, 'utf8');
  const out = join(OUT, relative('dist', file));
  const twin = relative(dirname(out), file);
  const importMeta = source.includes('import.meta')
    ? {
        banner: `"use strict";\nvar __esmTwinUrl = require("node:url").pathToFileURL(require("node:path").join(__dirname, ${JSON.stringify(twin)})).href;`,
        define: { 'import.meta.url': '__esmTwinUrl' },
      }
    : {};
  const { code } = await transform(source, { ...options, ...importMeta, sourcefile: file });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, code);
}

/** An ESM face for Node's `import`: re-exports the CommonJS module, so import and require share it. */
async function writeNodeImport(entry, names) {
  const named = names.filter((name) => name !== 'default');
  const from = `./${relative(dirname(entry.nodeImport), entry.cjs)}`;
  const lines = [
    '// ESM face of the CommonJS build for Node: `import` and `require` load the same module.',
    `import cjs from ${JSON.stringify(from)};`,
  ];
  if (named.length > 0) lines.push(`export const { ${named.join(', ')} } = cjs;`);
  if (names.includes('default')) lines.push('export default cjs.default;');
  await writeFile(entry.nodeImport, `${lines.join('\n')}\n`);
}

/** Declarations as they are: in a "commonjs" folder TypeScript reads them as CommonJS. */
async function copyDeclarations() {
  const files = (await readdir('dist', { recursive: true })).filter(
    (file) => file.endsWith('.d.ts') && !join('dist', file).startsWith(OUT),
  );
  await Promise.all(
    files.map(async (file) => {
      await mkdir(dirname(join(OUT, file)), { recursive: true });
      await copyFile(join('dist', file), join(OUT, file));
    }),
  );
}

/** Builds dist/cjs for the entries whose ESM build exists; returns the entries it skipped. */
export async function buildCommonJs(entries) {
  const built = entries.filter((entry) => existsSync(entry.esm));
  const { modules, exportsOf } = await moduleGraph(built.map((entry) => entry.esm));
  await Promise.all([...modules.map(transpile), copyDeclarations()]);
  await writeFile(join(OUT, 'package.json'), '{ "type": "commonjs" }\n');
  // An entry that Node imports as ESM (ESM_IN_NODE) needs no face: its nodeImport is the ESM build itself.
  const faced = built.filter((entry) => entry.nodeImport !== entry.esm);
  await Promise.all(faced.map((entry) => writeNodeImport(entry, exportsOf.get(entry.esm.slice(2)) ?? [])));
  return entries.filter((entry) => !built.includes(entry));
}
