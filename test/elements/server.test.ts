// On a server (server rendering imports the page's modules too) there is no DOM: importing the elements
// entry by its package name, as Node resolves it, must not throw and must define nothing.
import { createRequire } from 'node:module';
import { expect, test } from 'vitest';
import { root } from '../support/run.js';

test('importing equals-card-pin/elements in Node defines nothing and throws nothing, import and require alike', async () => {
  expect(globalThis.HTMLElement).toBeUndefined();
  // By a variable: TypeScript then does not load the built declarations beside src/ (their global tag map
  // would be declared twice in the test project).
  const specifier = 'equals-card-pin/elements';
  const imported = await import(specifier);
  const required = createRequire(`${root}/package.json`)(specifier);
  for (const entry of [imported, required]) {
    expect(entry.ELEMENT_NAMES).toEqual({ reveal: 'equals-pin-reveal', change: 'equals-pin-change' });
    expect(typeof entry.EqualsPinRevealElement).toBe('function');
    expect(() => entry.defineEqualsPinElements()).not.toThrow();
  }
  // A registry handed in explicitly is used, and a name already taken is left alone.
  const defined = new Map<string, unknown>([['equals-pin-reveal', 'theirs']]);
  const registry = {
    get: (name: string) => defined.get(name),
    define: (name: string, c: unknown) => defined.set(name, c),
  };
  imported.defineEqualsPinElements(registry as unknown as CustomElementRegistry);
  expect(defined.get('equals-pin-reveal')).toBe('theirs');
  expect(defined.get('equals-pin-change')).toBe(imported.EqualsPinChangeElement);
});
