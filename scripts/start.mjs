#!/usr/bin/env node
// `npm start`: lint, generate and build, then serve the spec with Prism on 127.0.0.1:$PORT (4010).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const env = { ...process.env, REDOCLY_TELEMETRY: 'off', SCARF_ANALYTICS: 'false' };
for (const step of ['lint', 'generate', 'build']) {
  console.log(`\n▶ npm run ${step}`);
  execFileSync('npm', ['run', '--silent', step], { stdio: 'inherit', env });
}

const { startPinMock } = await import('../dist/mock/start.js');
const port = Number(process.env.PORT ?? 4010);
const mock = await startPinMock({ port });
const ids = 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd/pin?accountId=F12345&personId=775596ae-2624-40af-a9dc-9756110a4a04';

console.log(`
✔ PIN API mock (Prism) listening on ${mock.url}

Retrieve a PIN:
  curl -i '${mock.url}/v2/cards/${ids}&cardholderVerificationMethod=BIOMETRIC_FACE' \\
    -H 'Authorization: ApiKey YOUR_API_KEY_HERE'

Update a PIN:
  curl -i -X PUT '${mock.url}/v2/cards/${ids}' \\
    -H 'Authorization: ApiKey YOUR_API_KEY_HERE' \\
    -H 'Content-Type: application/json' \\
    -d '{"pin": "7268"}'

Pick an error response with -H 'Prefer: code=404' (or 401, 403, 429, 500).
Docs: file://${resolve('dist/docs/index.html')} (spec: dist/openapi.yaml, dist/openapi.json)

Ctrl-C to stop.`);

const stop = () => void mock.stop().then(() => process.exit(0));
process.once('SIGINT', stop).once('SIGTERM', stop);
