#!/usr/bin/env node
// `equals-card-pin mock`: the stateful sandbox with Prism validating in front (or plain `prism mock`
// with --stateless, or Prism in front of a real server with --upstream) until Ctrl-C, SIGTERM or SIGHUP;
// Prism never outlives it. `equals-card-pin contract`: checks a server against the spec (mock/contract.ts).
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { CONTRACT_USAGE, contractArgs, contractOptions, runContract } from './contract.js';
import { isHostName } from '../src/sandbox/hosts.js';
import { BASE_URL_RULE, httpBaseUrl, LOOPBACK_LIST } from './base-url.js';
import { originOf } from './guard.js';
import { ownVersion, PRISM, PRISM_NODE_RULE } from './peers.js';
import { PortInUseError, startPinMock, type PinMock, type StatefulPinMock } from './start.js';

const mockUsage = `Usage: equals-card-pin mock [--port N] [--sandbox-port N] [--api-key KEY]... [--allow-host NAME]... [--allow-origin ORIGIN]... [--stateless [--dynamic]] [--upstream URL [--insecure-upstream-host NAME]]
  --port N          where the API answers (Prism), on 127.0.0.1; default $PORT or 4010; 0 picks a free port
  --sandbox-port N  where the sandbox and its control API (/__sandbox) answer; default --port + 1 (4011 with
                    the default port, so the control API is http://127.0.0.1:4011/__sandbox); a free port
                    when --port is 0
  --api-key KEY     the only keys the sandbox accepts (repeatable); by default any \`ApiKey <key>\`
  --allow-host NAME a Host name to answer besides ${LOOPBACK_LIST} (repeatable; containers)
  --allow-origin ORIGIN
                    a page origin such as https://dev.example that may call the mock from a browser, besides
                    loopback ones (repeatable); any other site's page gets 403
  --stateless       plain \`prism mock\`: the spec's examples, no state, no control API
  --dynamic         with --stateless, answers generated from the schemas
  --upstream URL    Prism in front of that server instead of the sandbox: each answer that breaks the spec
                    is printed as one line (operation, status, field) and refused with a 500; https://,
                    or http:// to ${LOOPBACK_LIST}
  --insecure-upstream-host NAME
                    with --upstream: let plain http:// reach that one host too (a stub in a container)
  Needs ${PRISM} and @hono/node-server (optional peers; --stateless needs Prism only). ${PRISM_NODE_RULE}:
  the mock refuses a Prism that does not run on this Node, and says which one to install.`;

const usage = `Usage: equals-card-pin <command> [options]
  mock      serve the PIN API on 127.0.0.1: the stateful sandbox with Prism validating in front
  contract  check a server (the provider's sandbox, say) against the spec; --write changes a real card's PIN
  help [command]   this text, or a command's options (as \`equals-card-pin <command> --help\`)
  --version, -v    the package's version`;

/** Parses with node:util's parseArgs; a bad option prints the message and the usage, and exits 2 (no stack trace). */
function parseOrExit<const T extends ParseArgsOptionsConfig>(args: string[], options: T, text: string) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n${text}`);
    process.exit(2);
  }
}

function portOf(value: string | undefined, flag: string, fallback: number): number {
  const port = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${flag} must be an integer from 0 to 65535\n${mockUsage}`);
    process.exit(2);
  }
  return port;
}

/** What is wrong with --upstream and its opt-in, if anything: the client's rule for a base URL (mock/base-url.ts). */
function upstreamProblem(upstream: string | undefined, insecureHost: string | undefined): string | undefined {
  if (insecureHost !== undefined && !isHostName(insecureHost))
    return '--insecure-upstream-host takes a host name, without a scheme, port or path';
  if (insecureHost !== undefined && upstream === undefined)
    return '--insecure-upstream-host works with --upstream only';
  if (upstream !== undefined && !httpBaseUrl(upstream, insecureHost ? [insecureHost] : []))
    return `--upstream ${BASE_URL_RULE}; for a stub in a container, name it with --insecure-upstream-host NAME`;
}

async function mockCommand(args: string[]) {
  const { values } = parseOrExit(
    args,
    {
      port: { type: 'string' },
      'sandbox-port': { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      'allow-host': { type: 'string', multiple: true },
      'allow-origin': { type: 'string', multiple: true },
      stateless: { type: 'boolean' },
      dynamic: { type: 'boolean' },
      upstream: { type: 'string' },
      'insecure-upstream-host': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    mockUsage,
  );
  if (values.help) {
    console.log(mockUsage);
    process.exit(0);
  }
  const conflict = values.dynamic && !values.stateless ? '--dynamic works with --stateless only' : undefined;
  const upstreamConflict = values.upstream && values.stateless ? '--upstream works without --stateless' : undefined;
  if (conflict || upstreamConflict) {
    console.error(`${conflict ?? upstreamConflict}\n${mockUsage}`);
    process.exit(2);
  }
  const port = portOf(values.port ?? process.env.PORT, values.port === undefined ? 'PORT' : '--port', 4010);
  // The control API's URL follows from --port, so it is the same on every run (a script can hard-code it).
  if (values['sandbox-port'] === undefined && port === 65535) {
    console.error(`--port 65535 leaves no port + 1 for the sandbox: give --sandbox-port N\n${mockUsage}`);
    process.exit(2);
  }
  const sandboxPort = portOf(values['sandbox-port'], '--sandbox-port', port === 0 ? 0 : port + 1);
  const allowHosts = values['allow-host'] ?? [];
  if (!allowHosts.every(isHostName)) {
    console.error(`--allow-host takes a host name, without a scheme, port or path\n${mockUsage}`);
    process.exit(2);
  }
  const allowOrigins = values['allow-origin'] ?? [];
  if (!allowOrigins.every((origin) => originOf(origin))) {
    console.error(
      `--allow-origin takes an origin such as https://dev.example (scheme, host, port; no path)\n${mockUsage}`,
    );
    process.exit(2);
  }
  const insecureUpstreamHost = values['insecure-upstream-host'];
  const upstreamRefusal = upstreamProblem(values.upstream, insecureUpstreamHost);
  if (upstreamRefusal) {
    console.error(`${upstreamRefusal}\n${mockUsage}`);
    process.exit(2);
  }
  let mock: PinMock | StatefulPinMock;
  try {
    mock = values.upstream
      ? await startPinMock({ port, upstream: values.upstream, allowHosts, allowOrigins, insecureUpstreamHost })
      : values.stateless
        ? await startPinMock({ port, stateless: true, dynamic: values.dynamic ?? false, allowHosts, allowOrigins })
        : await startPinMock({
            port,
            sandboxPort,
            allowHosts,
            allowOrigins,
            ...(values['api-key'] && { apiKeys: values['api-key'] }),
          });
  } catch (error) {
    if (error instanceof PortInUseError) {
      const choose = error.role === 'api' ? '--port N or PORT=N' : '--sandbox-port N';
      console.error(`${error.message}: stop what is using it, or pick another with ${choose} (0 picks a free one).`);
    } else {
      console.error((error as Error).message);
    }
    process.exit(1);
  }
  serveUntilStopped(mock, values.upstream);
}

function serveUntilStopped(mock: PinMock | StatefulPinMock, upstream: string | undefined) {
  const controlUrl = 'controlUrl' in mock ? (mock as StatefulPinMock).controlUrl : undefined;
  const what = upstream
    ? `Prism validating every answer of ${upstream}`
    : controlUrl
      ? 'Prism validating in front of a stateful sandbox'
      : 'prism mock, stateless';
  console.log(`PIN API mock listening on ${mock.url} (${what})`);
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
}

async function contractCommand(args: string[]) {
  const { values } = parseOrExit(args, contractOptions, CONTRACT_USAGE);
  if (values.help) {
    console.log(CONTRACT_USAGE);
    process.exit(0);
  }
  const options = contractArgs(values, process.env);
  if ('error' in options) {
    console.error(options.usage ? `${options.error}\n${CONTRACT_USAGE}` : options.error);
    process.exit(2);
  }
  try {
    const { workflows, drifts } = await runContract(options);
    for (const drift of drifts) console.log(drift);
    const mode = options.write ? 'read and write' : 'read-only';
    const verdict = drifts.length ? `${drifts.length} answer(s) differ from the spec` : 'every answer matches the spec';
    console.log(`${options.baseUrl}: ${workflows.length} workflows (${mode}), ${verdict}.`);
    process.exit(drifts.length ? 1 : 0);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

const commands: Record<string, (args: string[]) => Promise<void>> = { mock: mockCommand, contract: contractCommand };

function unknown(command: string | undefined): never {
  console.error(`${command === undefined ? 'No command given' : `Unknown command: ${command}`}\n${usage}`);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
const run = command !== undefined && Object.hasOwn(commands, command) ? commands[command] : undefined;
if (run) await run(rest);
else if (command === '--version' || command === '-v') console.log(ownVersion());
else if (command === '--help' || command === '-h' || command === 'help') {
  // `help mock` is `mock --help`; anything after the command name is ignored, as --help ignores it.
  const about = command === 'help' ? rest[0] : undefined;
  if (about === undefined) console.log(usage);
  else if (Object.hasOwn(commands, about)) await commands[about]!(['--help']);
  else unknown(about);
} else unknown(command);
