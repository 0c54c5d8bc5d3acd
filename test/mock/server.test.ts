// Run (c) of the flow table: the real client against the Prism-fronted server that startPinMock starts,
// one for this file. Prism checks every request and every sandbox answer against the spec, so a flow
// that passes here also passed an independent reader of the spec.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startPinMock, type StatefulPinMock } from '../../mock/start.js';
import { PinHttpError, createPinClient } from '../../src/index.js';
import { createPinSandbox } from '../../src/sandbox.js';
import { isAlive } from '../support/process.js';
import { httpSandboxControl } from '../support/flows/http-control.js';
import { controlOf } from '../support/flows/msw-control.js';
import { FLOW_API_KEY, flows, runFlow, type FlowContext } from '../support/flows/table.js';
import { exampleCard } from '../../generated/pin-examples.js';

const sandbox = createPinSandbox({ apiKeys: [FLOW_API_KEY] });
/** When set, the server answers with this instead of the sandbox: a response that breaks the spec, planted. */
let planted: (() => Response) | undefined;
let mock: StatefulPinMock;

beforeAll(async () => {
  mock = await startPinMock({
    sandbox: { ...sandbox, handle: (request) => (planted ? Promise.resolve(planted()) : sandbox.handle(request)) },
  });
});
afterAll(async () => {
  await mock?.stop();
  if (mock) expect(isAlive(mock.pid), 'Prism is gone after stop()').toBe(false);
});

const inProcess = controlOf(sandbox);
const contexts: Record<string, () => FlowContext> = {
  'the sandbox startPinMock returns': () => ({
    baseUrl: mock.url,
    sandbox: inProcess,
  }),
  'the HTTP control API': () => ({
    baseUrl: mock.url,
    sandbox: httpSandboxControl(mock.controlUrl),
  }),
};

describe.each(Object.keys(contexts))(
  'flow table through Prism in front of the sandbox server, controlled through %s',
  (way) => {
    test.each(Object.keys(flows))('%s', async (name) => {
      await runFlow(name, contexts[way]!());
    });
  },
);

describe('through Prism, the answers the spec documents', () => {
  const path = `/v2/cards/${exampleCard.cardId}/pin?accountId=${exampleCard.accountId}&personId=${exampleCard.personId}`;
  const keyed = { authorization: `ApiKey ${FLOW_API_KEY}` };
  test.each([
    ['a keyless GET', 401, `${path}&cardholderVerificationMethod=LOGIN`, {}],
    ['a GET with a method outside the enum', 400, `${path}&cardholderVerificationMethod=PASSWORD`, keyed],
    ['a GET without cardholderVerificationMethod', 400, path, keyed],
  ])('%s gets the sandbox’s own JSON %i, not one of Prism’s', async (_, status, url, headers) => {
    sandbox.reset();
    const response = await fetch(`${mock.url}${url}`, { headers });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(Object.keys(await response.json())).toContain('message');
    // It reached the sandbox: Prism let it through instead of answering itself.
    expect(sandbox.requests.map((entry) => entry.status)).toEqual([status]);
  });
});

describe('Prism guards the sandbox’s answers', () => {
  const { pin: _, ...ids } = exampleCard;
  const reveal = { ...ids, cardholderVerificationMethod: 'LOGIN' } as const;
  const client = () => createPinClient({ apiKey: FLOW_API_KEY, baseUrl: mock.url, retry: false });

  // A PIN of the wrong type; and a property the spec does not allow, which the client itself would let pass.
  test.each([{ pin: 12345 }, { pin: '7268', note: 'not in the spec' }])(
    'a response that breaks the spec, planted in the sandbox (%j), makes the client call fail',
    async (body) => {
      planted = () => Response.json(body);
      try {
        // Straight from the sandbox server, unguarded, the planted body is what it is.
        const direct = await fetch(`${mock.sandboxUrl}/v2/cards/${exampleCard.cardId}/pin`);
        expect(await direct.json()).toEqual(body);
        const error = await client()
          .getPin(reveal)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PinHttpError);
        expect((error as PinHttpError).status).toBe(500);
        // Prism's refusal of the answer, pointing into the response body.
        expect(JSON.stringify((error as PinHttpError).body)).toContain('"location":["response","body"');
      } finally {
        planted = undefined;
      }
      // And without the plant the same call passes: it was the planted answer that failed.
      await expect(client().getPin(reveal)).resolves.toEqual({ pin: exampleCard.pin });
    },
  );

  test('a scripted network error drops the sandbox connection, which Prism answers with its own 500', async () => {
    sandbox.reset();
    sandbox.failNext({ network: true });
    const direct = await fetch(`${mock.sandboxUrl}/v2/cards/${exampleCard.cardId}/pin`).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(TypeError);
    sandbox.failNext({ network: true });
    const error = await client()
      .getPin(reveal)
      .catch((e: unknown) => e);
    expect((error as PinHttpError).status).toBe(500);
    expect(sandbox.requests.map((entry) => entry.status)).toEqual([0, 0]);
  });
});
