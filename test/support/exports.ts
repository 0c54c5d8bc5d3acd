// The package's runtime entries, read from the hand-written package.json "exports" as Node and TypeScript
// resolve them, so that tests follow an entry the day it is added there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './run.js';

export const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * The file `target` gives under `conditions`, walked as Node walks an exports target: keys in the order
 * written, the first one that is `default` or among the conditions wins.
 */
export function resolveTarget(target: unknown, conditions: readonly string[]): string | undefined {
  if (typeof target === 'string') return target;
  if (!target || typeof target !== 'object') return undefined;
  for (const [key, value] of Object.entries(target)) {
    if (key === 'default' || conditions.includes(key)) return resolveTarget(value, conditions);
  }
  return undefined;
}

/** Who resolves an entry, and with which conditions (TypeScript adds `types` to each). */
export const RESOLVERS = {
  nodeImport: ['node', 'import'],
  nodeRequire: ['node', 'require'],
  bundlerImport: ['browser', 'import'],
  bundlerRequire: ['browser', 'require'],
} as const;

export type Resolver = keyof typeof RESOLVERS;

export interface RuntimeEntry {
  subpath: string;
  /** The JavaScript file each resolver loads. */
  js: Record<Resolver, string | undefined>;
  /** The declarations TypeScript reads for the same resolver. */
  types: Record<Resolver, string | undefined>;
}

const perResolver = (target: unknown, extra: string[]) =>
  Object.fromEntries(
    Object.entries(RESOLVERS).map(([name, conditions]) => [name, resolveTarget(target, [...extra, ...conditions])]),
  ) as Record<Resolver, string | undefined>;

/** Entries whose target is JavaScript (not the spec files, not package.json). */
export function runtimeEntries(exportsMap: Record<string, unknown> = pkg.exports): RuntimeEntry[] {
  return Object.entries(exportsMap)
    .filter(([, target]) => typeof target === 'object')
    .map(([subpath, target]) => ({ subpath, js: perResolver(target, []), types: perResolver(target, ['types']) }));
}
