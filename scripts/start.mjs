#!/usr/bin/env node
// `npm start`: lint, generate and build, then serve the spec with Prism on 127.0.0.1:$PORT (4010).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolver } from './lib/spec-constraints.mjs';

const env = { ...process.env, REDOCLY_TELEMETRY: 'off', SCARF_ANALYTICS: 'false' };
for (const step of ['lint', 'generate', 'build']) {
  console.log(`\n▶ npm run ${step}`);
  execFileSync('npm', ['run', '--silent', step], { stdio: 'inherit', env });
}

const { startPinMock } = await import('../dist/mock/start.js');
const mock = await startPinMock({ port: Number(process.env.PORT ?? 4010) });

/** A ready-to-paste curl for each operation, from the required parameters' and the body's examples in the spec. */
function curls(spec, baseUrl) {
  const deref = resolver(spec);
  return Object.entries(spec.paths).flatMap(([template, item]) =>
    ['get', 'put', 'post', 'patch', 'delete'].filter((m) => item[m]).map((method) => {
      const op = item[method];
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref).filter((p) => p.required);
      const path = template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(params.find((p) => p.name === name).example));
      const query = new URLSearchParams(params.filter((p) => p.in === 'query').map((p) => [p.name, p.example]));
      const body = op.requestBody && deref(op.requestBody).content['application/json'].example;
      const lines = [`curl -i -X ${method.toUpperCase()} '${baseUrl}${path}?${query}'`, `-H 'Authorization: ApiKey YOUR_API_KEY_HERE'`];
      if (body) lines.push(`-H 'Content-Type: application/json'`, `-d '${JSON.stringify(body)}'`);
      return `${op.summary}:\n  ${lines.join(' \\\n    ')}`;
    }),
  );
}

const spec = JSON.parse(readFileSync('dist/openapi.json', 'utf8'));
console.log(`
✔ PIN API mock (Prism) listening on ${mock.url}

${curls(spec, mock.url).join('\n\n')}

Pick an error response with -H 'Prefer: code=404' (or 401, 403, 429, 500).
Docs: file://${resolve('dist/docs/index.html')} (spec: dist/openapi.yaml, dist/openapi.json)

Ctrl-C to stop.`);

const stop = () => void mock.stop().then(() => process.exit(0));
process.once('SIGINT', stop).once('SIGTERM', stop);
