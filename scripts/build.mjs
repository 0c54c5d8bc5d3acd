#!/usr/bin/env node
// dist/: the compiled client and mock, the bundled spec (YAML and JSON), and an offline docs page.
// Independent steps run side by side: the build sits in front of every `npm test`.
import { execFile } from 'node:child_process';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
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

await rm('dist', { recursive: true, force: true });
await Promise.all([
  // src/ compiles without Node's types, since it runs in browsers too; mock/ is Node-only, on its own.
  run(tsc, '-p', 'tsconfig.build.json'),
  run(tsc, '-p', 'tsconfig.mock.json').then(() => chmod('dist/mock/cli.js', 0o755)),
  // The JSON twin is the same bundle, converted here rather than bundled a second time.
  run('redocly', 'bundle', 'openapi/pin.yaml', '-o', 'dist/openapi.yaml').then(async () => {
    const bundled = parse(await readFile('dist/openapi.yaml', 'utf8'));
    await writeFile('dist/openapi.json', `${JSON.stringify(bundled, null, 2)}\n`);
    console.log('✔ dist/openapi.yaml → dist/openapi.json');
  }),
  // --inlineBundle: Redoc is embedded rather than loaded from a CDN, so the page renders offline.
  run('redocly', 'build-docs', 'openapi/pin.yaml', '--inlineBundle', '--title', 'Card PIN API', '-o', 'dist/docs/index.html'),
]).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
