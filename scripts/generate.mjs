#!/usr/bin/env node
// Writes generated/pin.ts (openapi-typescript), generated/pin-constraints.ts (the rules the client, the
// sandbox and the forwarder check) and generated/pin-examples.ts (what the sandbox answers with).
// With --check, writes nothing and fails when any file differs from what the spec gives.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  extractConstraints,
  extractExamples,
  loadSpec,
  renderConstraintsModule,
  renderExamplesModule,
} from './lib/spec-constraints.mjs';

const SPEC = 'openapi/pin.yaml';
const check = process.argv.includes('--check');

process.env.REDOCLY_TELEMETRY = 'off';
// The project's own copy, so the script also works when run with plain `node`, outside npm scripts.
const openapiTypescript = fileURLToPath(new URL('../node_modules/.bin/openapi-typescript', import.meta.url));
const types = spawnSync(openapiTypescript, check ? ['--check'] : [], { stdio: 'inherit' });
if (types.error) throw types.error;
if (types.status !== 0) process.exit(types.status ?? 1);

const spec = loadSpec(SPEC);
const outputs = {
  'generated/pin-constraints.ts': renderConstraintsModule(extractConstraints(spec), SPEC),
  'generated/pin-examples.ts': renderExamplesModule(extractExamples(spec), SPEC),
};
let stale = false;
for (const [file, expected] of Object.entries(outputs)) {
  if (!check) {
    writeFileSync(file, expected);
    console.log(`✔ ${SPEC} → ${file}`);
  } else if (existsSync(file) && readFileSync(file, 'utf8') === expected) {
    console.log(`✔ ${file} is up to date`);
  } else {
    console.error(`✘ ${file} is out of date with ${SPEC}. Run \`npm run generate\`.`);
    stale = true;
  }
}
if (stale) process.exit(1);
