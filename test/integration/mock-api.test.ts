// startPinMock as a consumer uses it, and the guarantee that no Prism outlives its parent.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, test } from 'vitest';
import { startPinMock } from '../../mock/start.js';
import { createPinClient } from '../../src/index.js';
import { seedGet, seedPut } from '../helpers/fetch.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitUntilGone(pid: number, ms = 5000) {
  const until = Date.now() + ms;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

describe('startPinMock', () => {
  test('serves the packaged spec in dynamic mode, to the real client, and stops', async () => {
    const mock = await startPinMock({ dynamic: true });
    try {
      expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = createPinClient({ apiKey: 'k', baseUrl: mock.url, retry: false });
      // Dynamic answers are generated from the schemas, which the client checks on the way in.
      const got = await client.getPin(seedGet);
      expect(got.pin === null || /^[0-9]{4}$/.test(got.pin)).toBe(true);
      const put = await client.updatePin(seedPut);
      expect(typeof put.success).toBe('boolean');
    } finally {
      await mock.stop();
    }
    expect(alive(mock.pid)).toBe(false);
  });

  test('Prism exits when the process that started it is killed without cleanup', async () => {
    const script = `
      import { startPinMock } from ${JSON.stringify(new URL('../../mock/start.ts', import.meta.url).href)};
      const mock = await startPinMock();
      console.log(mock.pid);
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['--experimental-strip-types', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [chunk] = (await once(parent.stdout, 'data')) as [Buffer];
    const prismPid = Number(chunk.toString().trim());
    expect(alive(prismPid)).toBe(true);
    parent.kill('SIGKILL');
    const gone = await waitUntilGone(prismPid);
    if (!gone) process.kill(prismPid, 'SIGKILL'); // so that a failure here leaves no orphan either
    expect(gone).toBe(true);
  });
});
