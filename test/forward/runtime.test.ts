// A runtime whose Request refuses `cache` (workerd before compatibility date 2024-11-11) is refused at
// creation, in one line; workerd itself is run in test/runtimes/workerd.test.ts.
import { afterEach, expect, test, vi } from 'vitest';
import { PinValidationError } from '../../src/client/errors.js';
import { createPinForwarder } from '../../src/forward.js';

afterEach(() => vi.unstubAllGlobals());

const options = {
  apiKey: 'server-key-1234',
  authorize: () => true,
  verification: () => ({ method: 'LOGIN' as const }),
};

test('a Request without the cache field: createPinForwarder throws, naming the compatibility date it needs', () => {
  const Native = globalThis.Request;
  vi.stubGlobal(
    'Request',
    class extends Native {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        if (init && 'cache' in init)
          throw new TypeError("The 'cache' field on 'RequestInitializerDict' is not implemented.");
        super(input, init);
      }
    },
  );
  let thrown: unknown;
  try {
    createPinForwarder(options);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(PinValidationError);
  expect(thrown).toMatchObject({ field: 'compatibility_date', rule: 'cache_option' });
  expect((thrown as Error).message).toMatch(/^createPinForwarder: .*set compatibility_date to 2024-11-11 or later/);
});

test('a Request with it: the forwarder is made', () => {
  expect(typeof createPinForwarder(options)).toBe('function');
});
