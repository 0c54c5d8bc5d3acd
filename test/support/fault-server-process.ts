import { spawn, type ChildProcess } from 'node:child_process';

/** The PIN the fault server puts in its bodies, to check that no error repeats it. */
export const ECHOED_PIN = '9876';

export interface FaultServer {
  url: string;
  pid: number;
  hits(cardId: string): Promise<number>;
  /** Whether the client closed the connection before the body ended. */
  cutOff(cardId: string): Promise<boolean>;
  stop(): Promise<void>;
}

export interface FaultServerOptions {
  /** A loopback address; default 127.0.0.1. */
  host?: string;
  /** Origins the `redirect` fault points at: another port, and another loopback address. */
  otherPort?: string;
  otherHost?: string;
}

/** Starts test/support/fault-server.ts in its own process and waits for its "listening" line. */
export async function startFaultServer({ host, otherPort, otherHost }: FaultServerOptions = {}): Promise<FaultServer> {
  const child: ChildProcess = spawn(process.execPath, [new URL('./fault-server.ts', import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      ECHOED_PIN,
      HOST: host ?? '127.0.0.1',
      OTHER_PORT: otherPort ?? '',
      OTHER_HOST: otherHost ?? '',
    },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`fault server exited early (${code})`)));
  });
  return {
    url,
    pid: child.pid!,
    hits: async (cardId) => Number(await (await fetch(`${url}/__hits/${encodeURIComponent(cardId)}`)).text()),
    cutOff: async (cardId) => (await (await fetch(`${url}/__cut/${encodeURIComponent(cardId)}`)).text()) === 'true',
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid!, 'SIGTERM');
      await exited;
    },
  };
}
