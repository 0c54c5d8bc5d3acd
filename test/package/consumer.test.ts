// The package as a consumer gets it: packed, installed offline into a throwaway project, type-checked by
// TypeScript 5.9 and 7 under three module resolutions, run under Node 26, 24 and 22 (ESM and CommonJS),
// under a CommonJS Jest, and against the Prism mock.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { TARBALL_BUDGET } from '../../bench/tarball.mjs';
import { runtimeEntries } from '../support/exports.js';
import { bin, pathWithNode, root, run, scratchRoot } from '../support/run.js';
import { NODE_VERSIONS } from '../support/setup/package.js';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const work = mkdtempSync(join(scratchRoot(), 'pin-consumer-'));
const project = join(work, 'project');
const fixtures = join(import.meta.dirname, 'consumer');
// The package packed once for the run (test/setup/package.ts), with npm pack's report on it.
const packed = inject('packed');
const tarball = packed.tarball;

/** `npm exec --package=node@<version> -- node …`, with the Node folder npm exec would use looked up once per run. */
const onNode = (version: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  run('node', args, {
    cwd: project,
    env: { ...env, PATH: pathWithNode(version, `${join(root, 'node_modules/.bin')}:${process.env.PATH}`) },
  });
const TYPESCRIPTS = { '5.9': 'node_modules/typescript/bin/tsc', '7': 'node_modules/typescript-7/bin/tsc' };
const RESOLUTIONS = {
  bundler: ['ESNext', 'Bundler'],
  nodenext: ['NodeNext', 'NodeNext'],
  node16: ['Node16', 'Node16'],
} as const;

const consumerSource = `
import { createPinClient, PinHttpError, servers, type GetPinResponse } from 'equals-card-pin';
import type { CardholderVerificationMethod, UpdatePinParams, paths } from 'equals-card-pin/types';
import spec from 'equals-card-pin/openapi.json' with { type: 'json' };

const method: CardholderVerificationMethod = 'BIOMETRIC_FACE';
const ids = { cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd', accountId: 'F12345', personId: '775596ae-2624-40af-a9dc-9756110a4a04' };
const update: UpdatePinParams = { ...ids, pin: '7268' };
const route: keyof paths = '/v2/cards/{cardId}/pin';
const sandboxUrl: string = servers.sandbox;

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
console.log(JSON.stringify({ got, put, status, openapi: spec.openapi, route, sandboxUrl }));
`;

const tsconfig = ([module, moduleResolution]: readonly [string, string], files: string[], types: string[]) =>
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module,
      moduleResolution,
      lib: ['ES2022', 'DOM'],
      types,
      strict: true,
      noEmit: true,
      resolveJsonModule: true,
      allowImportingTsExtensions: true,
      skipLibCheck: false, // check this package's .d.ts files
      skipDefaultLibCheck: true,
    },
    files,
  });

beforeAll(async () => {
  // The package's tarball, and its runtime dependencies from node_modules, so the install needs no registry.
  // --install-links copies these folders in as packages instead of linking them.
  // @types/node: the Node-only ./mock entry is typed against it, as its users' projects are.
  const deps = ['openapi-fetch', 'openapi-typescript-helpers', '@types/node', 'undici-types'].map((name) =>
    join(root, 'node_modules', name),
  );
  mkdirSync(project);
  // Jest on its defaults (CommonJS, no transform) apart from the Node environment.
  const manifest = {
    name: 'consumer',
    private: true,
    type: 'module',
    jest: { testEnvironment: 'node', transform: {} },
  };
  writeFileSync(join(project, 'package.json'), JSON.stringify(manifest));
  const flags = ['--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--install-links'];
  execFileSync('npm', ['install', ...flags, tarball, ...deps], { cwd: project, stdio: 'pipe' });
  writeFileSync(join(project, 'consumer.ts'), consumerSource);
  for (const file of readdirSync(fixtures)) copyFileSync(join(fixtures, file), join(project, file));
  for (const [name, resolution] of Object.entries(RESOLUTIONS)) {
    // Import attributes (the JSON import) need module node18 or later, so node16 checks the code without it.
    const esm = name === 'node16' ? 'consumer-no-json.ts' : 'consumer.ts';
    // bundler: a frontend's view, the client and types, with no Node types at all. node16 adds the CommonJS
    // consumer; nodenext adds the Node-only mock entry (import and require) with Node's types, checked once
    // since @types/node is most of the work.
    const files: Record<string, string[]> = {
      bundler: [esm],
      node16: [esm, 'consumer.cts'],
      nodenext: [esm, 'consumer.cts', 'consumer-node.mts', 'consumer-node.cts'],
    };
    const types = name === 'nodenext' ? ['node'] : [];
    writeFileSync(join(project, `tsconfig.${name}.json`), tsconfig(resolution, files[name]!, types));
  }
  writeFileSync(
    join(project, 'consumer-no-json.ts'),
    consumerSource.replace(/^import spec .*$/m, "const spec = { openapi: '3.1.0' };"),
  );
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.concurrent('the packed package', () => {
  test(`holds only what consumers run, at or under ${TARBALL_BUDGET / 1000} kB packed`, () => {
    const files = packed.files.map((file) => file.path);
    expect(files).toContain('dist/openapi.yaml');
    expect(files).toContain('dist/src/index.cjs');
    expect(files).toContain('dist/src/index.mjs');
    expect(files).toContain('LICENSE');
    // No docs page (equals-card-pin-docs has it), no sources or source maps, no repository tooling.
    const extra = files.filter(
      (f) =>
        /^(src|mock|generated|test|scripts|openapi|docs|bench)\//.test(f) || /\.map$|(?<!\.d)\.ts$|\.html$/.test(f),
    );
    expect(extra).toEqual([]);
    expect(packed.size).toBeLessThanOrEqual(TARBALL_BUDGET);
  });

  test('publint --strict passes', async () => {
    const result = await run(bin('publint'), ['run', tarball, '--strict']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('All good');
  });

  test('are-the-types-wrong passes for node16 (CommonJS and ESM) and bundlers; the spec files are not JS', async () => {
    const result = await run(bin('attw'), [
      tarball,
      '--profile',
      'node16',
      '--exclude-entrypoints',
      './openapi.yaml',
      './openapi.json',
      './arazzo.yaml',
    ]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    for (const entry of runtimeEntries(pkg.exports))
      expect(result.stdout).toContain(`"equals-card-pin${entry.subpath.slice(1)}"`);
  });

  test.each(Object.entries(TYPESCRIPTS))(
    'type-checks with TypeScript %s under bundler, nodenext and node16',
    async (_, tsc) => {
      // One build-mode process for the three configurations: the same checks at a fraction of the CPU.
      const result = await run(
        join(root, tsc),
        ['-b', ...Object.keys(RESOLUTIONS).map((name) => `tsconfig.${name}.json`)],
        { cwd: project },
      );
      expect(result.status, result.stdout + result.stderr).toBe(0);
    },
    60_000,
  );

  test('runs against the Prism mock', async () => {
    const result = await run(process.execPath, ['consumer.ts'], {
      cwd: project,
      env: { PIN_API_URL: inject('prismUrl') },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      got: { pin: '7268' },
      put: { success: true },
      status: 404,
      openapi: '3.1.0',
      route: '/v2/cards/{cardId}/pin',
      sandboxUrl: 'https://api-sandbox.equalsmoney.com',
    });
  });

  test(`every runtime entry loads by import and by require, the client runs, under Node ${NODE_VERSIONS.join(', ')}`, async () => {
    const env = { PIN_API_URL: inject('prismUrl') };
    const results = await Promise.all(NODE_VERSIONS.map((version) => onNode(version, ['runtime.mjs'], env)));
    const reports = results.map((result, i) => {
      expect(result.status, `Node ${NODE_VERSIONS[i]}: ${result.stderr}`).toBe(0);
      return JSON.parse(result.stdout);
    });
    const [first] = reports;
    expect(Object.keys(first.entries).sort()).toEqual(
      runtimeEntries(pkg.exports)
        .map((entry) => entry.subpath)
        .sort(),
    );
    // In Node, import loads the CommonJS build that require loads (one copy per class) unless an entry says otherwise.
    const oneCopy = new Set(
      runtimeEntries(pkg.exports)
        .filter((entry) => entry.js.nodeImport === entry.js.nodeRequire)
        .map((entry) => entry.subpath),
    );
    for (const [subpath, entry] of Object.entries<{ shared?: boolean; optionalPeerMissing?: string }>(first.entries)) {
      // Not installed here on purpose: such an entry must fail only for want of a peer declared optional.
      if (entry.optionalPeerMissing)
        expect(pkg.peerDependenciesMeta[entry.optionalPeerMissing]?.optional, subpath).toBe(true);
      else if (oneCopy.has(subpath)) {
        expect(entry.shared, `${subpath}: one copy for import and require`).toBe(true);
        // `shared` holds vacuously for an entry with no runtime exports: only ./types may be one.
        if (subpath === './types') expect((entry as { names: string[] }).names, subpath).toEqual([]);
        else expect((entry as { names: string[] }).names.length, `${subpath} exports something`).toBeGreaterThan(0);
      }
    }
    for (const subpath of ['.', './types', './sandbox', './mock']) expect(oneCopy.has(subpath), subpath).toBe(true);
    for (const subpath of ['.', './types', './sandbox', './mock'])
      expect(first.entries[subpath]?.optionalPeerMissing, subpath).toBeUndefined();
    expect(first.entries['.'].names).toContain('PinHttpError');
    expect(first.client).toEqual({
      get: { pin: '7268' },
      put: { success: true },
      notFound: 'PinHttpError 404',
      refused: 'PinValidationError pin pattern',
    });
    if (first.entries['./sandbox']) expect(first.sandbox).toEqual({ afterUpdate: { pin: '4321' } });
    if (first.entries['./mock']) expect(first.mock).toEqual({ specFound: true });
    for (const [i, report] of reports.entries())
      expect(report, `Node ${NODE_VERSIONS[i]} as Node ${NODE_VERSIONS[0]}`).toEqual(first);
  }, 120_000);

  test('a CommonJS Jest 30 test passes (Node 22; require() itself is covered on every Node above)', async () => {
    const args = [join(root, 'node_modules/jest/bin/jest.js'), '--ci', '--rootDir', project, 'pin.test.cjs'];
    const result = await onNode('22', args, { PIN_API_URL: inject('prismUrl') });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Tests:\s+3 passed, 3 total/);
  }, 120_000);

  test('the mock bin, without its optional peers, names what to install', async () => {
    const result = await run(join(project, 'node_modules/.bin/equals-card-pin'), ['mock', '--port', '0'], {
      cwd: project,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/npm install --save-dev "?(@hono\/node-server|@stoplight\/prism-cli)/);
  });

  test('the mock bin, with Prism installed, serves the packaged spec and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [join(root, pkg.bin['equals-card-pin']), 'mock', '--port', '0', '--stateless'],
      {
        stdio: 'pipe',
      },
    );
    let out = '';
    const url = await new Promise<string>((res, rej) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) res(m[1]!);
      });
      child.stderr.on('data', (c: Buffer) => {
        out += c;
      });
      child.once('exit', () => rej(new Error(`bin exited: ${out}`)));
    });
    const exited = once(child, 'exit') as Promise<[number | null]>;
    try {
      const response = await fetch(`${url}/v2/cards/c/pin?accountId=F1&personId=p&cardholderVerificationMethod=LOGIN`, {
        headers: { Authorization: 'ApiKey k' },
      });
      expect(await response.json()).toEqual({ pin: '7268' });
    } finally {
      // Stopped however the checks above went, so that a failure leaves no bin (and no Prism) behind.
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code).toBe(0);
    // Prism's start alone can take 20 s on a busy 2-core runner (the global setup allows it 30 s).
  }, 60_000);
});
