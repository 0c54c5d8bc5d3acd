// Debian's redis-server for the limiter recipes' test, started on a loopback port (free, or the one it had for a restart) and stopped by its
// PID. Missing in CI is a failure (.ci/run installs it); elsewhere the test is skipped with the
// instruction that makes it run.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { inCI } from '../support/ci.js';

export const REDIS_SERVER = '/usr/bin/redis-server';
export const canRunRedis = existsSync(REDIS_SERVER) || inCI;
export const redisSkipReason = `${REDIS_SERVER} not found; install it with \`apt-get install -y redis-server\` to run this test (CI installs it)`;

export interface RedisServer {
  url: string;
  port: number;
  pid: number;
  /** SIGSTOP: the process stops; its connections stay open and take commands it does not answer. */
  freeze(): void;
  /** SIGCONT: it runs again, and runs what it took meanwhile. */
  thaw(): void;
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** Default: a free one. A restart passes the port it had. */
  port?: number;
  /** Persistence and memory settings as redis.conf lines; default: no persistence at all. */
  conf?: string;
  /** Where Redis keeps its files (the append-only file). */
  dir?: string;
  timeoutMs?: number;
}

/** A port that was free a moment ago on 127.0.0.1 (redis-server takes no port 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/** `appendonly yes` → `--appendonly yes`: redis.conf lines as redis-server's arguments (`""` an empty value). */
const confArgs = (conf: string) =>
  conf
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .flatMap((line) => {
      const [name, ...value] = line.split(/\s+/);
      return [`--${name}`, value.join(' ').replace(/^""$/, '')];
    });

/** Starts redis-server on loopback and resolves once it says it accepts connections. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER)) throw new Error(redisSkipReason);
  const { conf = 'save ""\nappendonly no', dir, timeoutMs = 15_000 } = options;
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', ...confArgs(conf), ...(dir ? ['--dir', dir] : [])];
  const child: ChildProcess = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    // A frozen Redis would hold the SIGTERM until it runs again.
    process.kill(child.pid!, 'SIGCONT');
    process.kill(child.pid!, 'SIGTERM');
    await exited;
  };
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (/Ready to accept connections/.test(output)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis-server not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
  });
  try {
    await Promise.race([ready, late]);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    freeze: () => process.kill(child.pid!, 'SIGSTOP'),
    thaw: () => process.kill(child.pid!, 'SIGCONT'),
    stop,
  };
}
