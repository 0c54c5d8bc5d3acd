#!/usr/bin/env node
// Writes generated/pin.ts (openapi-typescript) and generated/pin-constraints.ts (our table).
// With --check, writes nothing and fails when either file differs from what the spec gives.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extractConstraints, loadSpec, renderConstraintsModule } from './lib/spec-constraints.mjs';

const SPEC = 'openapi/pin.yaml';
const CONSTRAINTS = 'generated/pin-constraints.ts';
const check = process.argv.includes('--check');

process.env.REDOCLY_TELEMETRY = 'off';
// The project's own copy, so the script also works when run with plain `node`, outside npm scripts.
const openapiTypescript = fileURLToPath(new URL('../node_modules/.bin/openapi-typescript', import.meta.url));
const types = spawnSync(openapiTypescript, check ? ['--check'] : [], { stdio: 'inherit' });
if (types.error) throw types.error;
if (types.status !== 0) process.exit(types.status ?? 1);

const expected = renderConstraintsModule(extractConstraints(loadSpec(SPEC)), SPEC);
if (check) {
  if (!existsSync(CONSTRAINTS) || readFileSync(CONSTRAINTS, 'utf8') !== expected) {
    console.error(`✘ ${CONSTRAINTS} is out of date with ${SPEC}. Run \`npm run generate\`.`);
    process.exit(1);
  }
  console.log(`✔ ${CONSTRAINTS} is up to date`);
} else {
  writeFileSync(CONSTRAINTS, expected);
  console.log(`✔ ${SPEC} → ${CONSTRAINTS}`);
}
