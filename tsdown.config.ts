import { defineConfig, type Rolldown } from 'tsdown';

// Each source file becomes one ESM and one CommonJS module (unbundled), so every entry shares one copy of each class.
const entry = [
  'src/index.ts',
  'src/types.ts',
  'src/sandbox.ts',
  'src/msw.ts',
  'src/forward.ts',
  'src/elements.ts',
  'src/otel.ts',
  'mock/start.ts',
];
const named = Object.fromEntries(entry.map((file) => [file.replace(/\.ts$/, ''), file]));

/**
 * rolldown#10800: in a "type": "module" package the CommonJS output reads a default import of a CommonJS
 * dependency the way Node's ESM does (module.exports), so openapi-fetch's `exports.default` was lost.
 */
const commonJsDefaults: Rolldown.Plugin = {
  name: 'commonjs-defaults',
  renderChunk: (code, _, { format }) =>
    format === 'cjs' ? code.replaceAll(/__toESM\((\w+), 1\)/g, '__toESM($1)') : null,
};

export default defineConfig({
  entry,
  // The bin runs only as ESM (top-level await).
  format: { esm: { entry: { ...named, 'mock/cli': 'mock/cli.ts' } }, cjs: {} },
  unbundle: true,
  target: 'es2022',
  shims: true,
  clean: false,
  dts: { compilerOptions: { types: ['node'] } },
  plugins: [commonJsDefaults],
});
