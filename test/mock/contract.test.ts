// The executable contract: the Arazzo workflows run by `redocly respect` against the Prism-fronted mock,
// and `equals-card-pin contract` (which runs them too) against the mock, a conforming server written here,
// and a drifted one. `mock --upstream` in front of the drifted server flags its bad answer. Every output
// is scanned for the key and for every PIN the servers held.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { startPinMock, type StatefulPinMock } from '../../mock/start.js';
import { docExample } from '../support/docs.js';
import { outputLeaks } from '../support/secrets.js';
import { root, run, scratchRoot } from '../support/run.js';
import { isAlive, killLeftovers } from '../support/process.js';
import { descendants } from '../scripts/start-processes.js';
import { startContractRelay } from '../../mock/contract-relay.js';
import { sendRaw } from './raw.js';
import { CARD, type Drift, KEY, startTestServer, type TestServer } from './contract-servers.js';

const cli = join(root, 'dist/mock/cli.mjs');
const arazzo = join(root, 'dist/arazzo.yaml');
const MOCK_KEY = 'contract-mock-key-9c2b';
let mock: StatefulPinMock;

beforeAll(async () => {
  mock = await startPinMock({ apiKeys: [MOCK_KEY] });
});
afterAll(async () => {
  await mock?.stop();
  if (mock) expect(isAlive(mock.pid)).toBe(false);
});

const mockCard = { cardId: exampleCard.cardId, accountId: exampleCard.accountId, personId: exampleCard.personId };
const flagsFor = (card: typeof CARD) => ['--card', card.cardId, '--account', card.accountId, '--person', card.personId];

async function contract(baseUrl: string, card: typeof CARD, key: string, ...extra: string[]) {
  return contractWith({}, baseUrl, card, key, ...extra);
}

async function contractWith(
  env: NodeJS.ProcessEnv,
  baseUrl: string,
  card: typeof CARD,
  key: string,
  ...extra: string[]
) {
  const result = await run(process.execPath, [cli, 'contract', '--base-url', baseUrl, ...flagsFor(card), ...extra], {
    env: { EQUALS_API_KEY: key, ...env },
  });
  // The server's URL aside: its port could read like a four-digit PIN.
  return { ...result, output: (result.stdout + result.stderr).replaceAll(baseUrl, '<server>') };
}

describe('redocly respect runs every workflow of the shipped Arazzo file against the mock', () => {
  test('all seven pass, and the PIN is set back', async () => {
    mock.sandbox.reset();
    const json = join(mkdtempSync(join(scratchRoot(), 'respect-')), 'report.json');
    const inputs = { apiKey: MOCK_KEY, ...mockCard, method: 'LOGIN', newPin: '4826' };
    const result = await run('redocly', ['respect', arazzo, '--server', `pin=${mock.url}`, '-J', json], {
      env: { REDOCLY_CLI_RESPECT_INPUT: JSON.stringify(inputs) },
    });
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const workflows = Object.values(report.files as Record<string, { executedWorkflows: { status: string }[] }>)[0]!;
    rmSync(dirname(json), { recursive: true, force: true });
    expect(workflows.executedWorkflows.map((workflow) => workflow.status)).toEqual(Array(7).fill('success'));
    expect(result.status, 'respect exit code').toBe(0);
    expect(mock.sandbox.pinOf(exampleCard.cardId)).toBe(exampleCard.pin);
    // The write workflows did write: PUTs went through, then one more set the PIN back.
    expect(mock.sandbox.requests.filter((entry) => entry.method === 'PUT')).toHaveLength(4);
  });
});

describe('equals-card-pin contract against the mock', () => {
  test('read-only passes and sends no PUT', async () => {
    mock.sandbox.reset();
    const result = await contract(mock.url, mockCard, MOCK_KEY);
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toContain('5 workflows (read-only), every answer matches the spec.');
    expect(mock.sandbox.requests.map((entry) => entry.method)).not.toContain('PUT');
    expect(outputLeaks(result.output, [MOCK_KEY, exampleCard.pin])).toEqual([]);
  });

  test('--write passes, and sets back the PIN it found', async () => {
    mock.sandbox.reset();
    mock.sandbox.setPin(exampleCard.cardId, '3141');
    const result = await contract(mock.url, mockCard, MOCK_KEY, '--write');
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toContain('7 workflows (read and write), every answer matches the spec.');
    expect(mock.sandbox.pinOf(exampleCard.cardId)).toBe('3141');
    expect(mock.sandbox.requests.map((entry) => entry.method)).toContain('PUT');
    expect(outputLeaks(result.output, [MOCK_KEY, '3141'])).toEqual([]);
  });

  test('--write leaves a card with no PIN alone: it could not set "none" back', async () => {
    mock.sandbox.reset();
    mock.sandbox.setPin(exampleCard.cardId, null);
    const result = await contract(mock.url, mockCard, MOCK_KEY, '--write');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('change then reveal: the card has no PIN set, so nothing was changed');
    expect(result.stdout).toContain('random then reveal: the card has no PIN set, so nothing was changed');
    expect(mock.sandbox.requests.map((entry) => entry.method)).not.toContain('PUT');
    expect(mock.sandbox.pinOf(exampleCard.cardId)).toBeNull();
  });
});

describe.concurrent('equals-card-pin contract against servers that are not the sandbox', () => {
  const servers: TestServer[] = [];
  const server = async (pin: string, drift?: Drift) => {
    const started = await startTestServer(pin, drift);
    servers.push(started);
    return started;
  };
  afterAll(() => Promise.all(servers.map((entry) => entry.close())));

  test("a conforming server passes the contract guide's read-only example, and gets no PUT", async ({ expect }) => {
    const conforming = await server('5820');
    const script = docExample('docs/contract.md', 'contract', 'sh')
      .replace('https://api-sandbox.equalsmoney.com', conforming.url)
      .replace('npx equals-card-pin', `"${process.execPath}" "${cli}"`);
    const ids = { CARD_ID: CARD.cardId, ACCOUNT_ID: CARD.accountId, PERSON_ID: CARD.personId };
    const ran = await run('sh', ['-c', script], { env: { EQUALS_SANDBOX_KEY: KEY, ...ids } });
    const result = { ...ran, output: (ran.stdout + ran.stderr).replaceAll(conforming.url, '<server>') };
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toContain('5 workflows (read-only), every answer matches the spec.');
    expect(conforming.methods).not.toContain('PUT');
    expect(conforming.methods.length).toBe(5);
    expect(outputLeaks(result.output, [KEY, ...conforming.pins])).toEqual([]);
  });

  test('a conforming server passes --write, and ends with the PIN it had', async ({ expect }) => {
    const conforming = await server('5820');
    const result = await contract(conforming.url, CARD, KEY, '--write');
    expect(result.status, result.output).toBe(0);
    expect(conforming.pin()).toBe('5820');
    expect(conforming.methods.filter((method) => method === 'PUT')).toHaveLength(4);
    expect(conforming.pins.size, 'PINs the card held').toBeGreaterThan(2);
    expect(outputLeaks(result.output, [KEY, ...conforming.pins])).toEqual([]);
  });

  test('an HTTP(S)_PROXY in the environment does not stand between respect and its loopback relay', async ({
    expect,
  }) => {
    const conforming = await server('5820');
    const proxy = { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9' };
    const result = await contractWith(proxy, conforming.url, CARD, KEY);
    expect(result.status, result.output).toBe(0);
    expect(conforming.methods.length).toBe(5);
  });

  test('a drifted server fails, naming both drifts, and nothing else leaks', async ({ expect }) => {
    const drifted = await server('7001', 'types');
    const result = await contract(drifted.url, CARD, KEY, '--write');
    expect(result.status, result.output).toBe(1);
    expect(result.stdout).toContain('getPin 200: /pin must be string');
    expect(result.stdout).toContain('no key: expected 401, got 200');
    // The first read failed, so the write workflows stopped before changing anything.
    expect(drifted.methods).not.toContain('PUT');
    expect(drifted.pin()).toBe('7001');
    expect(outputLeaks(result.output, [KEY, ...drifted.pins])).toEqual([]);
  });

  test('a server that stores the wrong PIN on a PUT fails --write, and the report says the PIN is not back', async ({
    expect,
  }) => {
    const wrong = await server('6402', 'wrongPin');
    const result = await contract(wrong.url, CARD, KEY, '--write');
    expect(result.status, result.output).toBe(1);
    expect(result.stdout).toContain('change then reveal › reveal: $response.body#/pin == $inputs.newPin does not hold');
    expect(result.stdout).toContain(
      "random then reveal › reveal: the PIN read back is not the one the PUT's answer named",
    );
    expect(result.stdout).toContain('change then reveal: the PIN it found was NOT set back');
    // Reached through the goto after the failed reveal: the read-back of the restored PIN.
    expect(result.stdout).toContain('change then reveal › restored: $response.body#/pin == $steps.found.outputs.pin');
    expect(outputLeaks(result.output, [KEY, ...wrong.pins])).toEqual([]);
  });

  test('a server that answers every spec path with a 308 fails, each answer named a redirect, none followed', async ({
    expect,
  }) => {
    // Followed, each 308 leads to the same server under /moved, which keeps to the spec: respect follows
    // redirects, and so reported a match, while the client refuses every one of these calls.
    const moved = await server('5820', 'redirect');
    const result = await contract(moved.url, CARD, KEY);
    expect(result.status, result.output).toBe(1);
    expect(result.stdout).not.toContain('every answer matches the spec');
    expect(result.stdout).toContain('getPin 308: a redirect, which the client refuses (not followed)');
    expect(moved.paths.length).toBeGreaterThan(0);
    expect(
      moved.paths.filter((path) => path.startsWith('/moved/')),
      'requests that followed a redirect',
    ).toEqual([]);
    expect(outputLeaks(result.output, [KEY, ...moved.pins])).toEqual([]);
  });

  test('a server that answers a PUT with {"success": true} only, as the seeds show, passes --write', async ({
    expect,
  }) => {
    const seeds = await server('4471', 'successOnly');
    const result = await contract(seeds.url, CARD, KEY, '--write');
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toContain('7 workflows (read and write), every answer matches the spec.');
    expect(seeds.pin()).toBe('4471');
    expect(seeds.methods.filter((method) => method === 'PUT')).toHaveLength(4);
    expect(outputLeaks(result.output, [KEY, ...seeds.pins])).toEqual([]);
  });

  test('a server that answers {"success": true} only and stores the wrong PIN fails --write', async ({ expect }) => {
    const wrong = await server('6402', 'successOnlyWrongPin');
    const result = await contract(wrong.url, CARD, KEY, '--write');
    expect(result.status, result.output).toBe(1);
    expect(result.stdout).toContain('change then reveal › reveal: $response.body#/pin == $inputs.newPin does not hold');
    expect(result.stdout).toContain('change then reveal: the PIN it found was NOT set back');
    expect(outputLeaks(result.output, [KEY, ...wrong.pins])).toEqual([]);
  });

  test('a failed reveal still sets the PIN back, and the report does not cry wolf', async ({ expect }) => {
    const stale = await server('2718', 'staleOnce');
    const result = await contract(stale.url, CARD, KEY, '--write');
    expect(result.status, result.output).toBe(1);
    expect(result.stdout).toContain('change then reveal › reveal: $response.body#/pin == $inputs.newPin does not hold');
    expect(result.stdout).not.toContain('NOT set back');
    expect(stale.pin()).toBe('2718');
    expect(outputLeaks(result.output, [KEY, ...stale.pins])).toEqual([]);
  });

  test('mock --upstream in front of the drifted server refuses its bad answer and says where it broke', async ({
    expect,
  }) => {
    const drifted = await server('7001', 'types');
    const child = spawn(process.execPath, [cli, 'mock', '--port', '0', '--upstream', drifted.url], {
      env: { ...process.env, SCARF_ANALYTICS: 'false' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const found = /listening on (http:\/\/\S+)/.exec(output)?.[1];
          if (found) resolve(found);
        });
        child.once('exit', () => reject(new Error(`mock --upstream exited: ${output}`)));
      });
      const query = `accountId=${CARD.accountId}&personId=${CARD.personId}`;
      const path = `${url}/v2/cards/${CARD.cardId}/pin?${query}`;
      const headers = { authorization: `ApiKey ${KEY}`, 'content-type': 'application/json' };
      const put = await fetch(path, { method: 'PUT', headers, body: JSON.stringify({ pin: '7002' }) });
      expect(put.status, 'a conforming answer passes through').toBe(200);
      expect(await put.json()).toEqual({ success: true, pin: '7002' });
      const get = await fetch(`${path}&cardholderVerificationMethod=LOGIN`, { headers });
      expect(get.status).toBe(500);
      expect(get.headers.get('content-type')).toBe('application/problem+json');
      expect(JSON.stringify(await get.json())).toContain('"location":["response","body","pin"]');
      await expect.poll(() => output).toContain('getPin 200: /pin must be string');
      const scanned = output.replaceAll(url, '<mock>').replaceAll(drifted.url, '<server>');
      expect(outputLeaks(scanned, [KEY, ...drifted.pins])).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      expect(await killLeftovers([child.pid!])).toEqual([]);
    }
  });
});

describe('equals-card-pin contract killed alone with SIGKILL (a CI hard timeout, the OOM killer)', () => {
  test('within 15 s no file is left in the temp folder, and no respect process runs', async () => {
    // A temp folder of its own, so that whatever the run leaves in it is seen; a server that holds its
    // answers, so that the run is caught in the middle, with respect waiting on a reveal.
    const tmp = mkdtempSync(join(scratchRoot(), 'contract-tmp-'));
    const held = await startTestServer('9035', undefined, { hold: true });
    const child = spawn(process.execPath, [cli, 'contract', '--base-url', held.url, ...flagsFor(CARD), '--write'], {
      env: { ...process.env, EQUALS_API_KEY: KEY, TMPDIR: tmp },
      stdio: 'ignore',
    });
    let respect: number[] = [];
    try {
      await held.arrived;
      respect = descendants(child.pid!)
        .filter((proc) => / respect /.test(proc.command))
        .map((proc) => proc.pid);
      expect(respect, 'the respect process, mid-run').toHaveLength(1);
      // Review F4: the relay's per-run path was on respect's command line, which ps shows every local user.
      const commands = descendants(child.pid!).map((proc) => proc.command);
      expect(commands.join('\n'), 'command lines, mid-run').not.toMatch(/pin=http|127\.0\.0\.1:\d+\/[\w-]{20,}/);
      // Node's compile cache (respect's bin turns it on) holds compiled code, no PIN: only the run's own folder counts.
      const ours = () => readdirSync(tmp).filter((name) => name.startsWith('equals-card-pin-contract-'));
      expect(ours(), "the run's temp folder").toHaveLength(1);
      child.kill('SIGKILL');
      // What respect was waiting for comes now: left running, it would go on and write its report (PINs in it).
      held.release();
      const left = () => ({
        files: ours().flatMap((name) => readdirSync(join(tmp, name), { recursive: true, encoding: 'utf8' })),
        folders: ours(),
        respect: respect.filter((pid) => isAlive(pid)),
      });
      await expect.poll(left, { timeout: 15_000, interval: 100 }).toEqual({ files: [], folders: [], respect: [] });
    } finally {
      child.kill('SIGKILL');
      await killLeftovers(respect, 0);
      await held.close();
      rmSync(tmp, { recursive: true, force: true });
    }
    // Room for the run to start on a busy runner, and for the 15 s the poll allows.
  }, 60_000);
});

describe("contract's relay serves respect only", () => {
  test("a request without the run's path, for another Host, or from a browser gets 403 and goes nowhere", async () => {
    const target = await startTestServer('1234');
    const relay = await startContractRelay(target.url);
    try {
      const { origin, pathname: prefix } = new URL(relay.url);
      const path = `/v2/cards/${CARD.cardId}/pin?accountId=${CARD.accountId}&personId=${CARD.personId}&cardholderVerificationMethod=LOGIN`;
      const headers = { authorization: `ApiKey ${KEY}` };
      expect((await fetch(`${relay.url}${path}`, { headers })).status, "respect's request").toBe(200);
      const refused = [
        await fetch(`${origin}${path}`, { headers }),
        await fetch(`${relay.url}${path}`, { headers: { ...headers, origin: 'https://evil.example' } }),
        await fetch(`${relay.url}${path}`, { headers: { ...headers, 'sec-fetch-site': 'same-site' } }),
        await fetch(`${origin.replace('127.0.0.1', 'localhost')}${prefix}${path}`, { headers }),
      ];
      expect(refused.map((answer) => answer.status)).toEqual([403, 403, 403, 403]);
      expect(target.methods).toEqual(['GET']);
    } finally {
      await relay.close();
      await target.close();
    }
  });
});

describe("contract's relay, careful both ways", () => {
  test('a body over its limit gets 413 and goes nowhere (the connection stays up for the answer)', async () => {
    const target = await startTestServer('1234');
    const relay = await startContractRelay(target.url);
    try {
      const { host, pathname: prefix } = new URL(relay.url);
      const path = `${prefix}/v2/cards/${CARD.cardId}/pin?accountId=${CARD.accountId}&personId=${CARD.personId}`;
      const headers = { authorization: `ApiKey ${KEY}`, host, 'content-type': 'application/json' };
      const answer = await sendRaw(relay.url, 'PUT', path, headers, `{"pin":"${'1'.repeat(2 * 1024 * 1024)}"}`);
      expect(answer.status).toBe(413);
      expect(target.methods).toEqual([]);
    } finally {
      await relay.close();
      await target.close();
    }
  });

  test('only the headers the operations read go on: no cookie', async () => {
    const target = await startTestServer('1234');
    const relay = await startContractRelay(target.url);
    try {
      const { host, pathname: prefix } = new URL(relay.url);
      const path = `${prefix}/v2/cards/${CARD.cardId}/pin?accountId=${CARD.accountId}&personId=${CARD.personId}&cardholderVerificationMethod=LOGIN`;
      const answer = await sendRaw(relay.url, 'GET', path, { authorization: `ApiKey ${KEY}`, host, cookie: 'sid=1' });
      expect(answer.status).toBe(200);
      expect(target.headers.map((seen) => seen.cookie)).toEqual([undefined]);
    } finally {
      await relay.close();
      await target.close();
    }
  });
});

// Review F4: whoever learnt the run's path could use the relay for any method and path on the server.
describe("contract's relay passes on the spec's two operations only", () => {
  test.each([
    ['GET', '/v2/accounts?limit=5'],
    ['GET', `/x/v2/cards/${CARD.cardId}/pin`],
    ['GET', `//evil.example/v2/cards/${CARD.cardId}/pin`],
    ['DELETE', `/v2/cards/${CARD.cardId}/pin`],
    ['POST', `/v2/cards/${CARD.cardId}/pin`],
    ['GET', `/v2/cards/${CARD.cardId}/pin/extra`],
  ])('%s %s gets 404 and goes nowhere', async (method, path) => {
    const target = await startTestServer('1234');
    const relay = await startContractRelay(target.url);
    try {
      const answer = await sendRaw(relay.url, method, `${new URL(relay.url).pathname}${path}`, {
        authorization: `ApiKey ${KEY}`,
        host: new URL(relay.url).host,
      });
      expect(answer.status).toBe(404);
      expect(target.methods).toEqual([]);
    } finally {
      await relay.close();
      await target.close();
    }
  });
});

describe('equals-card-pin contract refuses to start without what it needs', () => {
  test('no EQUALS_API_KEY: one line naming the variable, exit non-zero, nothing sent', async () => {
    const conforming = await startTestServer('1234');
    try {
      const result = await run(process.execPath, [cli, 'contract', '--base-url', conforming.url, ...flagsFor(CARD)], {
        env: { EQUALS_API_KEY: '' },
      });
      expect(result.status).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('EQUALS_API_KEY')]);
      expect(conforming.methods).toEqual([]);
    } finally {
      await conforming.close();
    }
  });
});
