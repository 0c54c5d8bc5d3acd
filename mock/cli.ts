#!/usr/bin/env node
// `equals-card-pin mock [--port N] [--dynamic]`: serves the packaged spec with Prism until Ctrl-C.
import { parseArgs } from 'node:util';
import { startPinMock } from './start.js';

const usage = 'Usage: equals-card-pin mock [--port N] [--dynamic]';
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string' }, dynamic: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
});

if (values.help || positionals[0] !== 'mock') {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const port = Number(values.port ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer from 0 to 65535\n${usage}`);
  process.exit(2);
}

try {
  const mock = await startPinMock({ port, dynamic: values.dynamic ?? false });
  console.log(`PIN API mock listening on ${mock.url} (Ctrl-C to stop)`);
  const stop = () => void mock.stop().then(() => process.exit(0));
  process.once('SIGINT', stop).once('SIGTERM', stop);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
