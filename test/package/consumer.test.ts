// The package as a consumer gets it: packed, installed offline into a throwaway project,
// type-checked under both module resolutions, and run against the Prism mock.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { bin, root, run } from '../helpers/run.js';

const work = mkdtempSync(join(tmpdir(), 'pin-consumer-'));
const project = join(work, 'project');
let tarball = '';

const consumerSource = `
import { createPinClient, PinHttpError, servers, type GetPinResponse } from 'equals-card-pin';
import type { CardholderVerificationMethod, UpdatePinParams, paths } from 'equals-card-pin/types';
import type { PinMock } from 'equals-card-pin/mock';
import spec from 'equals-card-pin/openapi.json' with { type: 'json' };

const method: CardholderVerificationMethod = 'BIOMETRIC_FACE';
const ids = { cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd', accountId: 'F12345', personId: '775596ae-2624-40af-a9dc-9756110a4a04' };
const update: UpdatePinParams = { ...ids, pin: '7268' };
const route: keyof paths = '/v2/cards/{cardId}/pin';
const mockShape: Pick<PinMock, 'url'> = { url: servers.sandbox };

const baseUrl = (globalThis as { process?: { env: Record<string, string> } }).process!.env.PIN_API_URL!;
const client = createPinClient({ apiKey: 'consumer-key', baseUrl, retry: false });
const got: GetPinResponse = await client.getPin({ ...ids, cardholderVerificationMethod: method });
const put = await client.updatePin(update);
let status = 0;
try {
  await createPinClient({ apiKey: 'k', baseUrl, headers: { Prefer: 'code=404' } }).getPin({ ...ids, cardholderVerificationMethod: method });
} catch (error) {
  if (error instanceof PinHttpError) status = error.status;
}
console.log(JSON.stringify({ got, put, status, openapi: spec.openapi, route, mock: mockShape.url }));
`;

const tsconfig = (module: string, moduleResolution: string) =>
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module,
      moduleResolution,
      lib: ['ES2022', 'DOM'],
      types: [],
      strict: true,
      noEmit: true,
      resolveJsonModule: true,
      allowImportingTsExtensions: true,
      skipLibCheck: false, // check this package's .d.ts files
      skipDefaultLibCheck: true,
    },
    files: ['consumer.ts'],
  });

beforeAll(() => {
  // The package's tarball, and its runtime dependencies from node_modules, so the install needs no registry.
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' });
  tarball = join(work, JSON.parse(packed)[0].filename as string);
  // --install-links copies these folders in as packages instead of linking them.
  const deps = ['openapi-fetch', 'openapi-typescript-helpers'].map((name) => join(root, 'node_modules', name));
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const flags = ['--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--install-links'];
  execFileSync('npm', ['install', ...flags, tarball, ...deps], { cwd: project, stdio: 'pipe' });
  writeFileSync(join(project, 'consumer.ts'), consumerSource);
  writeFileSync(join(project, 'tsconfig.bundler.json'), tsconfig('ESNext', 'Bundler'));
  writeFileSync(join(project, 'tsconfig.nodenext.json'), tsconfig('NodeNext', 'NodeNext'));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.concurrent('the packed package', () => {
  test('holds only what consumers need', () => {
    const files = readdirSync(join(project, 'node_modules/equals-card-pin'), { recursive: true }).map(String);
    expect(files).toContain('dist/openapi.yaml');
    expect(files).toContain('dist/docs/index.html');
    expect(files.some((f) => f.startsWith('test') || f.startsWith('scripts') || f.startsWith('openapi/'))).toBe(false);
  });

  test('publint passes', async () => {
    const result = await run(bin('publint'), ['run', tarball, '--strict']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('All good');
  });

  test('are-the-types-wrong passes (esm-only; the spec and the docs page are not JS)', async () => {
    const args = [tarball, '--profile', 'esm-only', '--exclude-entrypoints', './openapi.yaml', './openapi.json', './docs/index.html'];
    const result = await run(bin('attw'), args);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  test('compiles under moduleResolution bundler and under nodenext', async () => {
    // One build-mode process for both configurations: the same check at a third less CPU.
    const result = await run(join(root, 'node_modules/typescript/bin/tsc'), ['-b', 'tsconfig.bundler.json', 'tsconfig.nodenext.json'], { cwd: project });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  test('runs against the Prism mock', async () => {
    const result = await run(process.execPath, ['consumer.ts'], { cwd: project, env: { PIN_API_URL: inject('prismUrl') } });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      got: { pin: '7268' },
      put: { success: true },
      status: 404,
      openapi: '3.1.0',
      route: '/v2/cards/{cardId}/pin',
      mock: 'https://api-sandbox.equalsmoney.com',
    });
  });

  test('the mock bin names the package to install when Prism is missing', async () => {
    const result = await run(join(project, 'node_modules/.bin/equals-card-pin'), ['mock', '--port', '0'], { cwd: project });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('npm install --save-dev @stoplight/prism-cli');
  });

  test('the mock bin, with Prism installed, serves the packaged spec and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(root, 'dist/mock/cli.js'), 'mock', '--port', '0'], { stdio: 'pipe' });
    let out = '';
    const url = await new Promise<string>((res, rej) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) res(m[1]!);
      });
      child.once('exit', () => rej(new Error(`bin exited: ${out}`)));
    });
    const response = await fetch(`${url}/v2/cards/c/pin?accountId=F1&personId=p&cardholderVerificationMethod=LOGIN`, {
      headers: { Authorization: 'ApiKey k' },
    });
    expect(await response.json()).toEqual({ pin: '7268' });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
