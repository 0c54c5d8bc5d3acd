// startPinMock as a consumer uses it, in a process of its own, and the guarantee that no Prism
// outlives that process even when it is killed without cleanup.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, test } from 'vitest';
import { satisfies } from '../../mock/peers.js';
import { createPinClient } from '../../src/index.js';
import { seedGet, seedPut } from '../support/fetch.js';
import { isAlive, waitUntilGone } from '../support/process.js';

/** Starts the built startPinMock in a child process that prints its URLs and PIDs, then idles. */
async function mockInChild(options: object) {
  const script = `
    import { startPinMock } from ${JSON.stringify(new URL('../../dist/mock/start.mjs', import.meta.url).href)};
    const mock = await startPinMock(${JSON.stringify(options)});
    console.log(JSON.stringify({ url: mock.url, pid: mock.pid, sandboxUrl: mock.sandboxUrl }));
    setInterval(() => {}, 1000);
  `;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(parent.stdout, 'data')) as [Buffer];
  return { parent, ...(JSON.parse(chunk.toString()) as { url: string; pid: number; sandboxUrl?: string }) };
}

/** Kills the parent outright (no cleanup runs) and expects its Prism to go by itself. */
async function expectPrismGoesWithParent(mock: Awaited<ReturnType<typeof mockInChild>>) {
  mock.parent.kill('SIGKILL');
  const gone = await waitUntilGone(mock.pid);
  if (!gone) process.kill(mock.pid, 'SIGKILL'); // so that a failure here leaves no orphan either
  expect(gone).toBe(true);
}

test('startPinMock({ stateless: true, dynamic: true }) serves schema-generated answers, and Prism dies with its parent', async () => {
  const mock = await mockInChild({ stateless: true, dynamic: true });
  try {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = createPinClient({ apiKey: 'k', baseUrl: mock.url, retry: false });
    // Dynamic answers are generated from the schemas; the client checks them on the way in.
    const got = await client.getPin(seedGet);
    expect(got.pin === null || /^[0-9]{4}$/.test(got.pin)).toBe(true);
    expect(typeof (await client.updatePin(seedPut)).success).toBe('boolean');
    expect(isAlive(mock.pid)).toBe(true);
  } finally {
    await expectPrismGoesWithParent(mock);
  }
}, 60_000);

test('the stateful mock keeps a PUT for the next GET, and its Prism dies with its parent too', async () => {
  const mock = await mockInChild({});
  try {
    const client = createPinClient({ apiKey: 'k', baseUrl: mock.url, retry: false });
    await client.updatePin({ ...seedPut, pin: '5309' });
    await expect(client.getPin(seedGet)).resolves.toEqual({ pin: '5309' });
    expect(mock.sandboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  } finally {
    await expectPrismGoesWithParent(mock);
  }
  // The sandbox server lived in the parent, so it went with it.
  await expect(fetch(mock.sandboxUrl!)).rejects.toThrow();
}, 60_000);

test('peer ranges are read the way npm reads them', () => {
  expect(satisfies('5.14.2', '>=5.14.2 <6')).toBe(true);
  expect(satisfies('5.16.0', '>=5.14.2 <6')).toBe(true);
  expect(satisfies('5.12.0', '>=5.14.2 <6')).toBe(false);
  expect(satisfies('6.0.0', '>=5.14.2 <6')).toBe(false);
  expect(satisfies('1.19.19', '^1.19.0')).toBe(true);
  expect(satisfies('2.0.0', '^1.19.0')).toBe(false);
  expect(satisfies('1.18.9', '^1.19.0')).toBe(false);
  expect(satisfies('0.3.9', '^0.3.1')).toBe(true);
  expect(satisfies('0.4.0', '^0.3.1')).toBe(false);
  expect(satisfies('20.20.2', '>=24.18.0')).toBe(false);
  expect(satisfies('18.20.1', '>=18.20.1')).toBe(true);
  expect(satisfies('22.1.0', '^20 || >=22')).toBe(true);
  expect(satisfies('21.0.0', '^20 || >=22')).toBe(false);
});
