// docs/compatibility.md lists only what the tests run: its Node row is the matrix, its bold versions are the
// ones installed for the tests, and `engines` is the one it states.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { canRunRedis, REDIS_SERVER, redisSkipReason } from '../forward/redis-server.js';
import { root } from '../support/run.js';
import { NODE_VERSIONS } from '../support/setup/package.js';

const page = readFileSync(join(root, 'docs/compatibility.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const installed = (folder: string): string =>
  JSON.parse(readFileSync(join(root, 'node_modules', folder, 'package.json'), 'utf8')).version;
/** The row of the table whose first cell is `name`. */
const row = (name: string) => page.split('\n').find((line) => line.startsWith(`| ${name} |`)) ?? '';
/** Bold versions in a row's "tested" cell, in order. */
const tested = (name: string) => [...(row(name).split(' | ')[1] ?? '').matchAll(/\*\*([\d.]+)\*\*/g)].map((m) => m[1]);

describe('docs/compatibility.md', () => {
  test('the Node row is the matrix, newest first, and states engines', () => {
    const [, cell] = row('Node').split(' | ');
    const listed = /^\*\*([\d, and]+)\*\*/.exec(cell ?? '')?.[1]?.split(/, | and /);
    expect(listed).toEqual([...NODE_VERSIONS]);
    expect(cell).toContain(`\`engines\`: \`${pkg.engines.node}\``);
  });

  test.each([
    ['msw', ['msw', 'msw-3']],
    ["`@hono/node-server` (the mock's server)", ['@hono/node-server', 'hono-node-server-2']],
    ['Prism (the mock)', ['@stoplight/prism-cli']],
    ['Bun', ['bun']],
    ['Deno', ['deno']],
    ['Cloudflare Workers', ['miniflare']],
    ['frameworks (the forwarder)', ['express', 'fastify', '@whatwg-node/server', 'hono', 'next']],
  ])('the %s row names the versions installed for the tests', (name, folders) => {
    const versions = folders.map(installed);
    expect(tested(name).slice(0, versions.length)).toEqual(versions);
  });

  test('the Prism row names the peer range’s lower bound, which the tarball test installs', () => {
    const lowest = /^>=(\d+\.\d+\.\d+) /.exec(pkg.peerDependencies['@stoplight/prism-cli'])?.[1];
    expect(tested('Prism (the mock)')[1]).toBe(lowest);
  });

  test('the Redis row names the clients and the limiter the tests run', () => {
    const clients = ['redis', 'ioredis', 'rate-limiter-flexible'].map(installed);
    expect(tested("Redis (the forwarder's limiter)").slice(0, 3)).toEqual(clients);
  });

  test.skipIf(!canRunRedis)(
    `and the redis-server version is the one on this machine${canRunRedis ? '' : ` — SKIPPED: ${redisSkipReason}`}`,
    () => {
      const version = /v=([\d.]+)/.exec(execFileSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' }))?.[1];
      expect(tested("Redis (the forwarder's limiter)")[3]).toBe(version);
    },
  );
});
