// The mock's node:http servers on each @hono/node-server major the peer range admits (`^1.19.0 || ^2`):
// 1.x installed as itself, 2.x as the `hono-node-server-2` alias devDependency, swapped in for the mock's
// own dynamic import. Each serves the flow table over HTTP (control API included), drops the connection
// for a scripted network error, and leaves this process's Request and Response alone: both majors replace
// them unless told not to (`overrideGlobalObjects` defaults to true in 1.19.19 and 2.1.11 alike, in
// getRequestListener and createAdaptorServer), and the mock tells them not to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { satisfies } from '../../mock/peers.js';
import type { SandboxServer } from '../../mock/server.js';
import { createPinSandbox } from '../../src/sandbox.js';
import { httpSandboxControl } from '../support/flows/http-control.js';
import { FLOW_API_KEY, flows, runFlow } from '../support/flows/table.js';
import { root } from '../support/run.js';

const MAJORS = { '1.x': '@hono/node-server', '2.x': 'hono-node-server-2' } as const;
const manifest = (folder: string) => JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
const range: string = manifest('.').peerDependencies['@hono/node-server'];
const { Request: OwnRequest, Response: OwnResponse } = globalThis;

describe.each(Object.entries(MAJORS))('the sandbox server on @hono/node-server %s', (major, pkg) => {
  const sandbox = createPinSandbox({ apiKeys: [FLOW_API_KEY] });
  let server: SandboxServer;

  beforeAll(async () => {
    vi.resetModules();
    vi.doMock('@hono/node-server', () => import(pkg));
    const { serveSandbox } = await import('../../mock/server.js');
    server = await serveSandbox(sandbox);
  });
  afterAll(async () => {
    await server?.close();
    vi.doUnmock('@hono/node-server');
  });

  test('the installed major is the one in use, and within the peer range', async () => {
    const { version } = manifest(`node_modules/${pkg}`);
    expect(version.startsWith(major.slice(0, 2))).toBe(true);
    expect(satisfies(version, range), `${version} within ${range}`).toBe(true);
    const [used, installed] = await Promise.all([import('@hono/node-server'), import(pkg)]);
    expect(used.createAdaptorServer).toBe(installed.createAdaptorServer);
  });

  test.each(Object.keys(flows))('%s', async (name) => {
    await runFlow(name, { baseUrl: server.url, sandbox: httpSandboxControl(`${server.url}/__sandbox`) });
  });

  test('a scripted network error drops the connection unanswered', async () => {
    sandbox.failNext({ network: true });
    const { cardId, accountId, personId } = exampleCard;
    const url = `${server.url}/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}&cardholderVerificationMethod=LOGIN`;
    const error = await fetch(url, { headers: { authorization: `ApiKey ${FLOW_API_KEY}` } }).catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
  });

  test("this process's Request and Response are still its own", () => {
    expect(globalThis.Request).toBe(OwnRequest);
    expect(globalThis.Response).toBe(OwnResponse);
  });
});

test('a 3.x is outside the peer range', () => {
  expect(satisfies('3.0.0', range)).toBe(false);
  expect(satisfies('1.18.9', range)).toBe(false);
});
