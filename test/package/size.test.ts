// The bundle-size budget, on the same measurement as `npm run bench` (bench/size.mjs).
import { describe, expect, test } from 'vitest';
import { bundleSize, CLIENT_GZIP_BUDGET, ELEMENTS_GZIP_BUDGET, entries } from '../../bench/size.mjs';
import { root } from '../support/run.js';

describe('bundle size', () => {
  test(`the client entry, openapi-fetch included, stays within ${CLIENT_GZIP_BUDGET} B gzip`, async () => {
    const { gzip } = await bundleSize(entries.client, root);
    expect(gzip).toBeGreaterThan(2000); // the measurement really bundled openapi-fetch
    expect(gzip).toBeLessThanOrEqual(CLIENT_GZIP_BUDGET);
  });

  test(`the elements entry, a bare import, stays within ${ELEMENTS_GZIP_BUDGET} B gzip`, async () => {
    const [elements, client] = [await bundleSize(entries.elements, root), await bundleSize(entries.client, root)];
    expect(elements.gzip).toBeGreaterThan(client.gzip); // the bare import was kept, and carries the client
    expect(elements.gzip).toBeLessThanOrEqual(ELEMENTS_GZIP_BUDGET);
  });

  test('the types-only entry carries no runtime at all', async () => {
    expect((await bundleSize(entries.types, root)).minified).toBe(0);
  });
});
