// Each entry pulls in only what it needs. Bundled as a consumer's bundler would (esbuild, through the
// package's own "exports"), the root, `./types` and `./sandbox` contain no msw and no Node builtin, and
// `./msw` contains msw's browser-safe core but no Node builtin, so it runs in a service-worker page.
// The root and `./types` carry none of the sandbox either: the client does not grow because it exists.
// `./elements` (browser only) carries none of the sandbox, MSW or the forwarder, and a bare import of it,
// tree-shaken and minified, still defines the elements ("sideEffects" in package.json lists its module).
import { build, type Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const builtins = new Set(builtinModules);

/** What a bundle of `import * from <specifier>` (or of `contents`) reads, which Node builtins and which OpenTelemetry packages it asked for. */
async function bundle(specifier: string, platform: 'browser' | 'node', contents = `export * from '${specifier}';`) {
  const asked: string[] = [];
  const otel: { path: string; kind: string }[] = [];
  // Builtins are recorded and left out rather than failing the build, so the assertion can name them.
  const nodeBuiltins: Plugin = {
    name: 'node-builtins',
    setup(on) {
      on.onResolve({ filter: /.*/ }, ({ path, kind }) => {
        if (path.startsWith('@opentelemetry/')) {
          otel.push({ path, kind });
          return { path, external: true };
        }
        if (!path.startsWith('node:') && !builtins.has(path.split('/')[0]!)) return;
        asked.push(path);
        return { path, external: true };
      });
    },
  };
  const { metafile, outputFiles } = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform,
    logLevel: 'silent',
    plugins: [nodeBuiltins],
  });
  return { inputs: Object.keys(metafile.inputs), builtins: asked, code: outputFiles![0]!.text, otel };
}

// The entry files and every module of their folders (src/msw/handlers, src/sandbox/faults, …).
const isMsw = (input: string) =>
  /(^|\/)node_modules\/(msw|@mswjs)\//.test(input) || /\/src\/msw(\/[^/]+)?\.[cm]js$/.test(input);
/** The forwarder's modules: a page's bundle has no use for them. */
const isForward = (input: string) => /\/src\/forward(\/[^/]+)?\.[cm]js$/.test(input);
/** The sandbox's own modules: the client entries must not carry them because the sandbox entry exists. */
const isSandbox = (input: string) =>
  /\/(src\/sandbox(\/[^/]+)?|src\/msw(\/[^/]+)?|src\/core\/documented|generated\/pin-examples)\.[cm]js$/.test(input);

describe.each(['browser', 'node'] as const)('entries bundled for %s', (platform) => {
  test.each([
    'equals-card-pin',
    'equals-card-pin/types',
    'equals-card-pin/sandbox',
    'equals-card-pin/forward',
    'equals-card-pin/elements',
    'equals-card-pin/otel',
  ])('%s loads no msw and no Node builtin', async (specifier) => {
    const { inputs, builtins: asked } = await bundle(specifier, platform);
    expect(inputs.filter(isMsw)).toEqual([]);
    expect(asked).toEqual([]);
  });

  test.each(['equals-card-pin', 'equals-card-pin/types'])('%s carries none of the sandbox', async (specifier) => {
    expect((await bundle(specifier, platform)).inputs.filter(isSandbox)).toEqual([]);
  });

  test('equals-card-pin/elements carries none of the sandbox, MSW or the forwarder, and does carry the client', async () => {
    const { inputs } = await bundle('equals-card-pin/elements', platform);
    expect(inputs.filter((input) => isSandbox(input) || isMsw(input) || isForward(input))).toEqual([]);
    expect(inputs).toEqual(expect.arrayContaining([expect.stringMatching(/src\/client\/client\.[cm]js$/)]));
    // The forwarder check can see the forwarder, module by module.
    expect((await bundle('equals-card-pin/forward', platform)).inputs.filter(isForward).length).toBeGreaterThan(3);
  });

  test.each(['equals-card-pin', 'equals-card-pin/types', 'equals-card-pin/sandbox', 'equals-card-pin/otel'])(
    '%s imports nothing of OpenTelemetry',
    async (specifier) => {
      expect((await bundle(specifier, platform)).otel).toEqual([]);
    },
  );

  test('equals-card-pin/forward asks for @opentelemetry/api only by a dynamic import (made only with a tracer)', async () => {
    expect((await bundle('equals-card-pin/forward', platform)).otel).toEqual([
      { path: '@opentelemetry/api', kind: 'dynamic-import' },
    ]);
  });

  test('equals-card-pin/sandbox is the sandbox (the check above can see it, module by module)', async () => {
    const seen = (await bundle('equals-card-pin/sandbox', platform)).inputs.filter(isSandbox);
    expect(seen).toEqual(expect.arrayContaining([expect.stringMatching(/src\/sandbox\/faults\.[cm]js$/)]));
  });

  test('equals-card-pin/msw brings msw, and no Node builtin', async () => {
    const { inputs, builtins: asked } = await bundle('equals-card-pin/msw', platform);
    expect(inputs.some(isMsw), 'the bundle holds msw at all').toBe(true);
    expect(asked).toEqual([]);
  });
});

describe('a bare `import "equals-card-pin/elements"`', () => {
  const bare = () =>
    bundle('equals-card-pin/elements', 'browser', "import 'equals-card-pin/elements';").then(({ code }) => code);

  test('is kept by a tree-shaking bundler: the bundle defines both elements', async () => {
    const code = await bare();
    for (const name of ['equals-pin-reveal', 'equals-pin-change', 'customElements']) expect(code).toContain(name);
  });

  test('package.json lists only the defining module as having side effects', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.sideEffects).toEqual(['./dist/src/elements.mjs', './dist/src/elements.cjs']);
  });
});
