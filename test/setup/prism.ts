import type { TestProject } from 'vitest/node';
import { startPinMock } from '../../mock/start.js';
import { isAlive } from '../helpers/process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // --errors: a request that breaks the spec gets an error response, which fails the test that sent it.
  const mock = await startPinMock({ errors: true });
  project.provide('prismUrl', mock.url);
  return async () => {
    await mock.stop();
    if (isAlive(mock.pid)) throw new Error(`Prism (pid ${mock.pid}) is still running after teardown`);
  };
}
