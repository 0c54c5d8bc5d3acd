#!/usr/bin/env node
// `equals-card-pin mock`: the stateful sandbox with Prism validating in front (or plain `prism mock`
// with --stateless) until Ctrl-C, SIGTERM or SIGHUP; Prism never outlives it.
import { parseArgs } from 'node:util';
import { isHostName } from '../src/sandbox/hosts.js';
import { PortInUseError, startPinMock, type PinMock, type StatefulPinMock } from './start.js';

const usage = `Usage: equals-card-pin mock [--port N] [--sandbox-port N] [--api-key KEY]... [--allow-host NAME]... [--stateless [--dynamic]]
  --port N          where the API answers (Prism), on 127.0.0.1; default $PORT or 4010; 0 picks a free port
  --sandbox-port N  where the sandbox and its control API (/__sandbox) answer; default a free port
  --api-key KEY     the only keys the sandbox accepts (repeatable); by default any \`ApiKey <key>\`
  --allow-host NAME a Host name to answer besides 127.0.0.1, localhost and [::1] (repeatable; containers)
  --stateless       plain \`prism mock\`: the spec's examples, no state, no control API
  --dynamic         with --stateless, answers generated from the schemas`;

function portOf(value: string | undefined, flag: string, fallback: number): number {
  const port = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${flag} must be an integer from 0 to 65535\n${usage}`);
    process.exit(2);
  }
  return port;
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    'sandbox-port': { type: 'string' },
    'api-key': { type: 'string', multiple: true },
    'allow-host': { type: 'string', multiple: true },
    stateless: { type: 'boolean' },
    dynamic: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || positionals[0] !== 'mock') {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
if (values.dynamic && !values.stateless) {
  console.error(`--dynamic works with --stateless only\n${usage}`);
  process.exit(2);
}
const port = portOf(values.port ?? process.env.PORT, values.port === undefined ? 'PORT' : '--port', 4010);
const sandboxPort = portOf(values['sandbox-port'], '--sandbox-port', 0);
const allowHosts = values['allow-host'] ?? [];
if (!allowHosts.every(isHostName)) {
  console.error(`--allow-host takes a host name, without a scheme, port or path\n${usage}`);
  process.exit(2);
}

let mock: PinMock | StatefulPinMock;
try {
  mock = values.stateless
    ? await startPinMock({ port, stateless: true, dynamic: values.dynamic ?? false, allowHosts })
    : await startPinMock({ port, sandboxPort, allowHosts, ...(values['api-key'] && { apiKeys: values['api-key'] }) });
} catch (error) {
  if (error instanceof PortInUseError) {
    const choose = error.role === 'api' ? '--port N or PORT=N' : '--sandbox-port N';
    console.error(`${error.message}: stop what is using it, or pick another with ${choose} (0 picks a free one).`);
  } else {
    console.error((error as Error).message);
  }
  process.exit(1);
}

const controlUrl = 'controlUrl' in mock ? (mock as StatefulPinMock).controlUrl : undefined;
console.log(
  `PIN API mock listening on ${mock.url} (${controlUrl ? 'Prism validating in front of a stateful sandbox' : 'prism mock, stateless'})`,
);
if (controlUrl) console.log(`Sandbox control API: ${controlUrl}`);
// Run by `npm start` (over IPC): tell it where the mock is, and stop when it goes. It says how to stop.
if (!process.send) console.log('Ctrl-C to stop.');
process.send?.({ ready: { url: mock.url, pid: mock.pid, ...(controlUrl && { controlUrl }) } });

let stopping = false;
const stop = (why: string, code: number) => {
  if (stopping) return;
  stopping = true;
  void mock.stop().then(() => {
    if (why) console.error(why);
    process.exit(code);
  });
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => stop('', 0));
process.once('disconnect', () => stop('', 0));
// Prism stopped by someone else: the mock is down, so this process goes too. A stop signal is a normal end.
void mock.exited.then(({ code, signal }) =>
  stop(`Prism exited (${signal ?? `code ${code}`}); the mock has stopped.`, signal && signal !== 'SIGKILL' ? 0 : 1),
);
