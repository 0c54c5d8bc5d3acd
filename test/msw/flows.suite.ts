// Run (a) of the flow table: the real client against msw's setupServer in Node, answered in-process by
// the sandbox through `createPinHandlers`. Any request the handlers do not match fails the test. Called
// once per msw major (setup-server.test.ts, msw-3.test.ts).
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import { servers } from '../../generated/pin-constraints.js';
import { createPinHandlers } from '../../src/msw.js';
import { controlOf, flowSandbox } from '../support/flows/msw-control.js';
import { flows, runFlow } from '../support/flows/table.js';
import { type MswMajor, unhandledIsError } from './majors.js';

export function flowTableSuite(major: MswMajor) {
  describe(`flow table through ${major} setupServer (Node)`, () => {
    const sandbox = flowSandbox();
    // No baseUrl: the handlers sit on the spec's production server, where the client goes by default.
    const server = setupServer(...createPinHandlers({ sandbox }));
    const ctx = { baseUrl: servers.production, sandbox: controlOf(sandbox) };

    beforeAll(() => server.listen(unhandledIsError(major)));
    afterEach(() => {
      server.resetHandlers();
      sandbox.reset();
    });
    afterAll(() => server.close());

    test.each(Object.keys(flows))('%s', async (name) => {
      await runFlow(name, ctx);
    });
  });
}
