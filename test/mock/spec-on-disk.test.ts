// A running mock is not disturbed when the spec file it was started from changes on disk, as it does
// when `npm start` rebuilds dist/ after a save: Prism watches the file it serves, and a half-written
// spec would leave it answering nothing. The built package is copied aside so that this test can
// rewrite its dist/openapi.yaml without touching the one the rest of the suite reads.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { seedGet } from '../support/fetch.js';
import { root } from '../support/run.js';

const copy = mkdtempSync(join(tmpdir(), 'pin-spec-on-disk-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

test('the mock keeps answering while its spec file is rewritten, half-written for a while', async () => {
  cpSync(join(root, 'dist'), join(copy, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  const { startPinMock } = (await import(
    pathToFileURL(join(copy, 'dist/mock/start.mjs')).href
  )) as typeof import('../../mock/start.js');
  const mock = await startPinMock();
  try {
    const get = () =>
      fetch(
        `${mock.url}/v2/cards/${seedGet.cardId}/pin?${new URLSearchParams({ ...seedGet, cardId: '' })}`.replace(
          'cardId=&',
          '',
        ),
        {
          headers: { authorization: 'ApiKey k' },
        },
      ).then(
        (response) => response.status,
        () => 'no answer',
      );
    expect(await get()).toBe(200);
    const file = join(copy, 'dist/openapi.yaml');
    const spec = readFileSync(file, 'utf8');
    // What a rebuild does to the file, slowed down so that Prism's watcher (which debounces) sees each step.
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    rmSync(file);
    await pause(300);
    writeFileSync(file, spec.slice(0, 100));
    await pause(2500);
    writeFileSync(file, spec);
    await pause(2000);
    expect(await get()).toBe(200);
  } finally {
    await mock.stop();
  }
}, 30_000);
