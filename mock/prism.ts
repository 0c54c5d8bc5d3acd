// Runs Prism as a child process and reads its "listening" line; never a sleep. Prism dies with this
// process even when this one is killed outright: its stdin closes, and a preloaded line exits on that.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PRISM, requirePeer } from './peers.js';

export { PRISM };
// Prism's default grants CORS to any origin; the guard in front grants it to loopback and named origins only.
const NO_CORS = '--cors=false';
export const HONO = '@hono/node-server';
// On its way out, Prism also removes the folder named in PIN_MOCK_CLEANUP (its private copy of the spec),
// so that not even a parent killed outright leaves it behind.
const EXIT_WITH_PARENT =
  'data:text/javascript,import{rmSync}from"node:fs";const d=process.env.PIN_MOCK_CLEANUP;' +
  'process.on("exit",()=>d&&rmSync(d,{recursive:true,force:true}));' +
  'process.stdin.on("end",()=>process.exit(0)).on("error",()=>process.exit(0)).resume()';

/** The port asked for is taken. `message` is one line naming it; fronts add how to pick another. */
export class PortInUseError extends Error {
  constructor(
    /** The port that was asked for. */
    readonly port: number,
    /** Whose port: the API's (Prism's) or the sandbox server's. */
    readonly role: 'api' | 'sandbox' = 'api',
  ) {
    super(`Port ${port} on 127.0.0.1 is already in use`);
    this.name = 'PortInUseError';
  }
}

export interface PrismProcess {
  url: string;
  pid: number;
  /** Settles when Prism exits, for whatever reason, with how it ended. */
  exited: Promise<{ code: number | null; signal: string | null }>;
  stop(): Promise<void>;
}

/**
 * `prism <command> <args> --host 127.0.0.1 --port <port>`, resolved once Prism listens. `cleanup` is a
 * folder Prism removes when it exits.
 */
export function runPrism(
  command: 'mock' | 'proxy',
  args: string[],
  port: number,
  startTimeoutMs: number,
  cleanup = '',
): Promise<PrismProcess> {
  const prism = requirePeer(PRISM, 'The PIN API mock');
  const bin = join(prism.folder, prism.manifest.bin!.prism!);
  const child = spawn(
    process.execPath,
    ['--import', EXIT_WITH_PARENT, bin, command, ...args, NO_CORS, '--host', '127.0.0.1', '--port', String(port)],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, SCARF_ANALYTICS: 'false', PIN_MOCK_CLEANUP: cleanup },
    },
  );
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(force);
  };

  return new Promise((resolve, reject) => {
    let log = '';
    const fail = (error: Error) => {
      clearTimeout(timer);
      void stop();
      reject(error);
    };
    const failWith = (reason: string) =>
      fail(
        /EADDRINUSE/.test(log)
          ? new PortInUseError(port)
          : new Error(`Prism did not start: ${reason}\n${log.slice(-2000)}`),
      );
    const timer = setTimeout(() => failWith(`no "listening" line within ${startTimeoutMs} ms`), startTimeoutMs);
    const onError = (error: Error) => failWith(error.message);
    const onExit = (code: number | null, signal: string | null) => failWith(`exited early (${signal ?? code})`);
    const keep = (chunk: Buffer) => {
      log += chunk.toString();
    };
    const read = (chunk: Buffer) => {
      keep(chunk);
      const match = /Prism is listening on (http:\/\/[^\s]+)/.exec(log);
      if (!match) return;
      clearTimeout(timer);
      // From here on Prism's output is drained, not kept: a long-lived mock must not grow a log in memory.
      child.stdout.off('data', read).resume();
      child.stderr.off('data', keep).resume();
      child.off('error', onError).off('close', onExit);
      resolve({ url: match[1]!.replace(/\/$/, ''), pid: child.pid!, exited, stop });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', keep);
    // 'close', not 'exit': by then all of Prism's output (an EADDRINUSE line, say) has been read.
    child.once('error', onError).once('close', onExit);
  });
}
