import type { TestProject } from 'vitest/node';
import { startPinMock } from '../../../mock/start.js';
import { isAlive } from '../process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // --errors: a request that breaks the spec gets an error response, which fails the test that sent it.
  // stateless: plain `prism mock`, which the integration and consumer tests describe; the stateful
  // Prism-fronted server has its own file (test/flows/prism-server.test.ts).
  const mock = await startPinMock({ stateless: true, errors: true });
  project.provide('prismUrl', mock.url);
  return async () => {
    await mock.stop();
    if (isAlive(mock.pid)) throw new Error(`Prism (pid ${mock.pid}) is still running after teardown`);
  };
}
