// startPinMock as a consumer uses it, in a process of its own, and the guarantee that no Prism
// outlives that process even when it is killed without cleanup.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, test } from 'vitest';
import { createPinClient } from '../../src/index.js';
import { seedGet, seedPut } from '../helpers/fetch.js';
import { isAlive, waitUntilGone } from '../helpers/process.js';

test('startPinMock serves the packaged spec in dynamic mode to the client, and dies with its parent', async () => {
  const script = `
    import { startPinMock } from ${JSON.stringify(new URL('../../mock/start.ts', import.meta.url).href)};
    const mock = await startPinMock({ dynamic: true });
    console.log(JSON.stringify({ url: mock.url, pid: mock.pid }));
    setInterval(() => {}, 1000);
  `;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(parent.stdout, 'data')) as [Buffer];
  const mock = JSON.parse(chunk.toString()) as { url: string; pid: number };
  try {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = createPinClient({ apiKey: 'k', baseUrl: mock.url, retry: false });
    // Dynamic answers are generated from the schemas; the client checks them on the way in.
    const got = await client.getPin(seedGet);
    expect(got.pin === null || /^[0-9]{4}$/.test(got.pin)).toBe(true);
    expect(typeof (await client.updatePin(seedPut)).success).toBe('boolean');
    expect(isAlive(mock.pid)).toBe(true);
  } finally {
    parent.kill('SIGKILL');
  }
  const gone = await waitUntilGone(mock.pid);
  if (!gone) process.kill(mock.pid, 'SIGKILL'); // so that a failure here leaves no orphan either
  expect(gone).toBe(true);
});

test('startPinMock explains a Node too old for Prism, from Prism’s own engines range', async () => {
  const { nodeTooOld } = await import('../../mock/start.js');
  expect(nodeTooOld('>=24.18.0', '20.20.2')).toBe('needs Node >=24.18.0, and this is 20.20.2');
  expect(nodeTooOld('>=24.18.0', '24.17.9')).toContain('needs Node');
  expect(nodeTooOld('>=24.18.0', '24.18.0')).toBeUndefined();
  expect(nodeTooOld('>=24.18.0', '26.0.0')).toBeUndefined();
  expect(nodeTooOld('^24 || ^26', '20.0.0')).toBeUndefined();
});
