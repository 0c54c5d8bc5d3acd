// The spec pipeline as `npm test` sees it: strict lint, security lint, and generated/ in step with the spec.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { root, run } from '../support/run.js';
import { extractConstraints, loadSpec, renderConstraintsModule } from '../../scripts/lib/spec-constraints.mjs';

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A scratch copy of what `npm run generate` reads and writes, to break on purpose. */
function scratchCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'pin-drift-'));
  copies.push(copy);
  for (const part of ['openapi', 'generated', 'scripts', 'redocly.yaml'])
    cpSync(join(root, part), join(copy, part), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

describe.concurrent('spec pipeline', () => {
  test('redocly lint reports no error and no warning', async () => {
    const result = await run('redocly', ['lint', '--format=summary']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/warning|error/i);
  });

  test('the OWASP security ruleset (Spectral) reports nothing, warnings included', async () => {
    const result = await run('spectral', ['lint', 'openapi/pin.yaml', '--fail-severity=warn']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  test('generated/ matches the spec (npm run generate -- --check)', async () => {
    const result = await run('node', ['scripts/generate.mjs', '--check']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  test('the drift check fails after a hand edit of generated/pin.ts', async () => {
    const copy = scratchCopy();
    const file = join(copy, 'generated/pin.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// edited\n`);
    expect((await run('node', ['scripts/generate.mjs', '--check'], { cwd: copy })).status).not.toBe(0);
  });

  test('the drift check sees a constraint changed in the spec without regenerating', () => {
    // The same comparison `generate --check` makes, in process: openapi-typescript's part is covered above.
    const committed = readFileSync(join(root, 'generated/pin-constraints.ts'), 'utf8');
    const spec = loadSpec(join(root, 'openapi/pin.yaml'));
    expect(renderConstraintsModule(extractConstraints(spec), 'openapi/pin.yaml')).toBe(committed);
    spec.components.schemas.ResourceId.maxLength = 40;
    expect(renderConstraintsModule(extractConstraints(spec), 'openapi/pin.yaml')).not.toBe(committed);
  });
});
