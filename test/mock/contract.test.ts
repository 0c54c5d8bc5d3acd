// The executable contract: the Arazzo workflows run by `redocly respect` against the Prism-fronted mock,
// and `equals-card-pin contract` (which runs them too) against the mock, a conforming server written here,
// and a drifted one. `mock --upstream` in front of the drifted server flags its bad answer. Every output
// is scanned for the key and for every PIN the servers held.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { startPinMock, type StatefulPinMock } from '../../mock/start.js';
import { docExample } from '../support/docs.js';
import { outputLeaks } from '../support/secrets.js';
import { root, run, scratchRoot } from '../support/run.js';
import { isAlive, killLeftovers } from '../support/process.js';
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
  const result = await run(process.execPath, [cli, 'contract', '--base-url', baseUrl, ...flagsFor(card), ...extra], {
    env: { EQUALS_API_KEY: key },
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
    expect(result.stdout).toContain('random then reveal › reveal: $response.body#/pin == $steps.randomize.outputs.pin');
    expect(result.stdout).toContain('change then reveal: the PIN it found was NOT set back');
    // Reached through the goto after the failed reveal: the read-back of the restored PIN.
    expect(result.stdout).toContain('change then reveal › restored: $response.body#/pin == $steps.found.outputs.pin');
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
