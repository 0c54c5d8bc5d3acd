#!/usr/bin/env node
// dist/: the compiled client and mock, the bundled spec (YAML and JSON), and an offline docs page.
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';

const env = { ...process.env, REDOCLY_TELEMETRY: 'off' };
const run = (command, ...args) => {
  console.log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { stdio: 'inherit', env });
};

rmSync('dist', { recursive: true, force: true });
// src/ must build without Node's types: it runs in browsers too.
run('tsc', '-p', 'tsconfig.json', '--noEmit');
run('tsc', '-p', 'tsconfig.build.json');
chmodSync('dist/mock/cli.js', 0o755);
run('redocly', 'bundle', 'openapi/pin.yaml', '-o', 'dist/openapi.yaml');
run('redocly', 'bundle', 'openapi/pin.yaml', '--ext', 'json', '-o', 'dist/openapi.json');
// --inlineBundle: the page must render with no network, so Redoc is embedded rather than loaded from a CDN.
run('redocly', 'build-docs', 'dist/openapi.yaml', '--inlineBundle', '--title', 'Card PIN API', '-o', 'dist/docs/index.html');
