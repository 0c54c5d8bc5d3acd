#!/usr/bin/env node
// Writes generated/pin.ts (openapi-typescript, with a doc comment on each top-level type), generated/pin-constraints.ts
// (the rules the client, the sandbox and the forwarder check) and generated/pin-examples.ts (what the sandbox answers with).
// With --check, writes nothing and fails when any file differs from what the spec gives.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

/**
 * openapi-typescript documents members but not its top-level types, which editors show on hover and the API
 * report requires; each gets one line here.
 */
const TOP_LEVEL_DOCS = {
  'export interface paths {': "The spec's paths: each path's operations, as openapi-fetch reads them.",
  'export type webhooks =': 'The spec has no webhooks.',
  'export interface components {': "The spec's components: schemas, parameters, responses and headers.",
  'export type $defs =': 'The spec has no `$defs`.',
  'export interface operations {': "The spec's operations by id: parameters, request body and responses.",
};

process.env.REDOCLY_TELEMETRY = 'off';
// The project's own copy, so the script also works when run with plain `node`, outside npm scripts.
const openapiTypescript = fileURLToPath(new URL('../node_modules/.bin/openapi-typescript', import.meta.url));

/** openapi-typescript's output for the spec, with the top-level doc comments added. */
function typesModule() {
  const dir = mkdtempSync(join(tmpdir(), 'pin-types-'));
  try {
    const out = join(dir, 'pin.ts');
    // Run from the scratch folder: in the repository it would read redocly.yaml and write generated/pin.ts itself.
    const result = spawnSync(openapiTypescript, [resolve(SPEC), '--output', out], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (result.error) throw result.error;
    if (result.status !== 0) process.exit(result.status ?? 1);
    let text = readFileSync(out, 'utf8');
    for (const [declaration, doc] of Object.entries(TOP_LEVEL_DOCS)) {
      if (!text.includes(`\n${declaration}`)) throw new Error(`openapi-typescript no longer writes "${declaration}"`);
      text = text.replace(`\n${declaration}`, `\n/** ${doc} */\n${declaration}`);
    }
    return text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const spec = loadSpec(SPEC);
const outputs = {
  'generated/pin.ts': typesModule(),
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
