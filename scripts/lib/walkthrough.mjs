// What `npm start` shows once the mock listens: a PUT that changes the example card's PIN, then the GET
// that reveals it, each as a curl line built from the spec's examples and with the answer it just got.
// Afterwards the sandbox is reset, so the mock starts from the spec's example again.
import { resolver } from './spec-constraints.mjs';

const API_KEY = 'YOUR_API_KEY_HERE';

/** Method, URL, headers and body of an operation's example request: required parameters and the body's example. */
function exampleRequest(spec, baseUrl, template, method) {
  const deref = resolver(spec);
  const item = spec.paths[template];
  const op = item[method];
  const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref).filter((p) => p.required);
  const path = template.replace(/\{(\w+)\}/g, (_, name) =>
    encodeURIComponent(params.find((p) => p.name === name).example),
  );
  const query = new URLSearchParams(params.filter((p) => p.in === 'query').map((p) => [p.name, p.example]));
  const body = op.requestBody && deref(op.requestBody).content['application/json'].example;
  return { summary: op.summary, method: method.toUpperCase(), url: `${baseUrl}${path}?${query}`, body };
}

function curl({ method, url, body }) {
  const lines = [`curl -i -X ${method} '${url}'`, `-H 'Authorization: ApiKey ${API_KEY}'`];
  if (body) lines.push(`-H 'Content-Type: application/json'`, `-d '${JSON.stringify(body)}'`);
  return lines.join(' \\\n    ');
}

async function perform({ method, url, body }) {
  const headers = { authorization: `ApiKey ${API_KEY}`, ...(body && { 'content-type': 'application/json' }) };
  const response = await fetch(url, { method, headers, ...(body && { body: JSON.stringify(body) }) });
  return `${response.status} ${await response.text()}`;
}

/** The error statuses the spec documents for the GET shown above, for `Prefer: code=NNN`. */
const errorStatuses = (spec, template) =>
  Object.keys(spec.paths[template].get.responses).filter((status) => status >= '400' && status !== '404');

/** A PIN other than the example's (its digits rotated), so that the GET visibly shows the change. */
const otherPin = (pin) => pin.slice(1) + pin[0];

export async function walkthrough(spec, baseUrl, controlUrl) {
  const template = Object.keys(spec.paths).find((path) => spec.paths[path].put && spec.paths[path].get);
  const put = exampleRequest(spec, baseUrl, template, 'put');
  const examplePin = put.body.pin;
  put.body = { ...put.body, pin: otherPin(examplePin) };
  const get = exampleRequest(spec, baseUrl, template, 'get');
  const steps = [];
  for (const request of [put, get])
    steps.push(`${request.summary}:\n  ${curl(request)}\n  → ${await perform(request)}`);
  await fetch(`${controlUrl}/reset`, { method: 'POST' });
  return `
The sandbox keeps state: these two requests ran just now.

${steps.join('\n\n')}

Then the sandbox was reset to the spec's example card (PIN ${examplePin}).
Control it from tests or a shell: ${controlUrl} (docs/testing.md: "Sandbox control API"), e.g.
  curl -X POST ${controlUrl}/reset
Pick a documented error with -H 'Prefer: code=404' (or ${errorStatuses(spec, template).join(', ')}).
`;
}
