// The forwarder is its own entry: a client-only bundle takes in none of its modules, so the client's
// size does not move because the forwarder exists. Sizes are printed by `npm run bench` (bench/size.mjs).
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { bundleSize, entries } from '../../bench/size.mjs';
import { root } from '../support/run.js';

/** The package files a bundle of `source` takes in, as an app's bundler would resolve them for a browser. */
async function inputsOf(source: string): Promise<string[]> {
  const { metafile } = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(metafile.inputs).filter((path) => path.startsWith('dist/'));
}

describe('the forward entry', () => {
  test('is measured by the bench beside the client', () => {
    expect(entries.forward).toContain("'equals-card-pin/forward'");
  });

  test('a client-only bundle takes in none of the forwarder’s modules', async () => {
    const client = await inputsOf(entries.client);
    const forward = await inputsOf(entries.forward);
    expect(client).toContain('dist/src/client/client.mjs');
    expect(forward).toEqual(expect.arrayContaining(['dist/src/forward/forward.mjs', 'dist/src/client/client.mjs']));
    const forwarderModules = [
      'dist/src/forward/forward.mjs',
      'dist/src/core/request.mjs',
      'dist/generated/pin-examples.mjs',
    ];
    expect(forward).toEqual(expect.arrayContaining(forwarderModules));
    for (const path of forwarderModules) expect(client).not.toContain(path);
  });

  test('costs more than the client it is built on (a measurement that really bundled it)', async () => {
    const [client, forward] = await Promise.all([bundleSize(entries.client, root), bundleSize(entries.forward, root)]);
    expect(forward.gzip).toBeGreaterThan(client.gzip);
  });
});
