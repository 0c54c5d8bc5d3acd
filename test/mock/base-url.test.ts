// Issue 21, point 8: `mock --upstream`, `contract --base-url` and startPinMock's `upstream` follow the
// client's rule, from the same function (src/core/base-url.ts): https, or plain http to loopback only.
// Anything else is refused before anything is sent: exit 2 with the usage, or a TypeError.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { httpBaseUrl } from '../../mock/base-url.js';
import { startPinMock } from '../../mock/start.js';
import { isSecureBaseUrl } from '../../src/core/base-url.js';
import { root, run } from '../support/run.js';

const cli = join(root, 'dist/mock/cli.mjs');

/**
 * `equals-card-pin mock …` until it exits; a mock that starts instead (the bug) is stopped by its PID as
 * soon as it says it listens, and reported with status `listening`.
 */
function mockBin(...args: string[]): Promise<{ status: number | string; stderr: string }> {
  const child = spawn(process.execPath, [cli, 'mock', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('listening')) return;
      child.kill('SIGTERM');
      resolve({ status: 'listening', stderr });
    });
    child.on('exit', (code) => resolve({ status: code ?? 'signal', stderr }));
  });
}

describe('the rule', () => {
  test.each([
    ['https://api.equalsmoney.com', true],
    ['https://10.0.0.1:8443', true],
    ['http://127.0.0.1:4010', true],
    ['http://localhost', true],
    ['http://LOCALHOST:1', true],
    ['http://[::1]:9', true],
    ['http://api.equalsmoney.com', false],
    ['http://10.0.0.1:4010', false],
    ['http://127.0.0.2', false],
    ['http://localhost.evil.example', false],
    ['ftp://localhost', false],
    ['ws://localhost', false],
  ])('%s → %s', (url, secure) => {
    expect(isSecureBaseUrl(new URL(url))).toBe(secure);
    expect(httpBaseUrl(url) !== undefined).toBe(secure);
  });

  test.each([
    'https://user:secret@api.equalsmoney.com',
    'https://api.equalsmoney.com?x=1',
    'https://api.equalsmoney.com#',
    'http://127.0.0.1:4010/?',
  ])('%s: user-info, a query or a fragment is refused, as the client refuses it', (url) => {
    expect(httpBaseUrl(url)).toBeUndefined();
  });

  // Review F3: the string as typed was returned, and fetch read it otherwise (the key went to evil.example).
  test.each([
    'https://evil.example\\@api.equalsmoney.com',
    'http://127.0.0.1:4010\\@evil.example',
    'https://api.equalsmoney.com\\',
    'https://api.equalsmoney.com\t',
    'https://api.equalsmoney.com/\nv2',
  ])('%j: a backslash, a tab or a newline is refused', (url) => {
    expect(httpBaseUrl(url)).toBeUndefined();
  });

  test.each([
    ['https://api.equalsmoney.com:443', 'https://api.equalsmoney.com'],
    ['HTTPS://API.EQUALSMONEY.COM/', 'https://api.equalsmoney.com'],
    ['https://api.equalsmoney.com/a/%2e%2e/b//', 'https://api.equalsmoney.com/b'],
    ['http://LOCALHOST:4010/', 'http://localhost:4010'],
  ])('%s is used as parsed: %s', (url, used) => {
    expect(httpBaseUrl(url)).toBe(used);
  });

  test('a host named as insecure may be reached over plain http, and only that host', () => {
    expect(isSecureBaseUrl(new URL('http://pin-provider:8080'), ['pin-provider'])).toBe(true);
    expect(isSecureBaseUrl(new URL('http://other:8080'), ['pin-provider'])).toBe(false);
    expect(httpBaseUrl('http://pin-provider:8080/', ['PIN-PROVIDER'])).toBe('http://pin-provider:8080');
  });
});

describe('refused before anything is sent', () => {
  test('startPinMock: a TypeError naming upstream and the rule', async () => {
    const error = await startPinMock({ upstream: 'http://api.equalsmoney.com' }).then(
      (mock) => mock.stop(),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/upstream must be https:\/\/, or http:\/\/ to a loopback host/);
  });

  test('mock --upstream: exit 2, one line and the usage, no stack trace', async () => {
    const result = await mockBin('--port', '0', '--upstream', 'http://api.equalsmoney.com');
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^--upstream must be https:\/\/, or http:\/\/ to a loopback host/);
    expect(result.stderr).toContain('Usage: equals-card-pin mock');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  test('mock --insecure-upstream-host must name a host', async () => {
    const result = await mockBin('--port', '0', '--insecure-upstream-host', 'http://x/');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--insecure-upstream-host takes a host name');
    expect(result.stderr).toContain('Usage: equals-card-pin mock');
  });

  test('contract --base-url: exit 2 with the usage, before respect starts', async () => {
    // 127.0.0.2 is loopback to the kernel but not to the rule; nothing listens on its port 9.
    const args = ['contract', '--base-url', 'http://127.0.0.2:9', '--card', 'c', '--account', 'a', '--person', 'p'];
    const result = await run(process.execPath, [cli, ...args], { env: { EQUALS_API_KEY: 'k' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage: EQUALS_API_KEY=… equals-card-pin contract');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
