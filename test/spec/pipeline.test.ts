// The spec pipeline as `npm test` sees it: strict lint, and generated/ in step with the spec.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` };
const run = (cwd: string, command: string, args: string[]) =>
  spawnSync(command, args, { cwd, env, encoding: 'utf8' });

describe('spec pipeline', () => {
  test('redocly lint reports no error and no warning', () => {
    const result = run(root, 'redocly', ['lint', '--format=summary']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/warning|error/i);
  });

  test('generated/ matches the spec (npm run generate -- --check)', () => {
    const result = run(root, 'node', ['scripts/generate.mjs', '--check']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  describe('the drift check can fail', () => {
    const copy = mkdtempSync(join(tmpdir(), 'pin-drift-'));
    for (const part of ['openapi', 'generated', 'scripts', 'redocly.yaml']) cpSync(join(root, part), join(copy, part), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    afterAll(() => rmSync(copy, { recursive: true, force: true }));
    const reset = () => cpSync(join(root, 'generated'), join(copy, 'generated'), { recursive: true });
    const check = () => run(copy, 'node', ['scripts/generate.mjs', '--check']).status;

    test('after a hand edit of generated/pin.ts', () => {
      reset();
      writeFileSync(join(copy, 'generated/pin.ts'), readFileSync(join(copy, 'generated/pin.ts'), 'utf8') + '\n// edited\n');
      expect(check()).not.toBe(0);
    });

    test('after a constraint changes in the spec without regenerating', () => {
      reset();
      const specFile = join(copy, 'openapi/pin.yaml');
      writeFileSync(specFile, readFileSync(specFile, 'utf8').replace('maxLength: 36', 'maxLength: 40'));
      expect(check()).not.toBe(0);
    });
  });
});
