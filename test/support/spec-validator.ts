// Validates HTTP requests and responses against openapi/pin.yaml with Ajv (JSON Schema 2020-12,
// which OpenAPI 3.1 uses). Every rule comes from the spec: nothing here restates a constraint.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { resolver } from '../../scripts/lib/spec-constraints.mjs';

export const spec = parse(readFileSync(new URL('../../openapi/pin.yaml', import.meta.url), 'utf8'));

const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema(spec, 'pin.json');

export const deref = resolver(spec);
const compiled = new Map<unknown, ValidateFunction>();
const compile = (schema: any): ValidateFunction => {
  const key = schema.$ref ?? schema;
  if (!compiled.has(key)) compiled.set(key, ajv.compile(schema.$ref ? { $ref: `pin.json${schema.$ref}` } : schema));
  return compiled.get(key)!;
};

interface Operation {
  id: string;
  method: string;
  template: string;
  parameters: any[];
  requestBody?: any;
  responses: Record<string, any>;
}

export const operations: Operation[] = Object.entries(spec.paths).flatMap(([template, item]: [string, any]) =>
  ['get', 'put', 'post', 'patch', 'delete']
    .filter((m) => item[m])
    .map((m) => ({
      id: item[m].operationId,
      method: m.toUpperCase(),
      template,
      parameters: [...(item.parameters ?? []), ...(item[m].parameters ?? [])].map(deref),
      requestBody: item[m].requestBody && deref(item[m].requestBody),
      responses: item[m].responses,
    })),
);

function matchPath(template: string, pathname: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template.replace(/\{([^}]+)\}/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  const m = new RegExp(`^${pattern}$`).exec(pathname);
  return m ? Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) : undefined;
}

/** Returns the list of problems with a request; empty when the spec accepts it. */
export function requestProblems(method: string, url: string, body?: unknown): string[] {
  const { pathname, searchParams } = new URL(url);
  const servers: string[] = spec.servers.map((s: any) => new URL(s.url).origin);
  if (!servers.includes(new URL(url).origin)) return [`origin ${new URL(url).origin} is not a server of the spec`];
  for (const op of operations) {
    const path = matchPath(op.template, pathname);
    if (!path || op.method !== method) continue;
    const problems: string[] = [];
    const known = new Set<string>();
    for (const p of op.parameters) {
      known.add(p.name);
      const value =
        p.in === 'path' ? path[p.name] : p.in === 'query' ? (searchParams.get(p.name) ?? undefined) : undefined;
      if (value === undefined) {
        if (p.required) problems.push(`${p.name}: required`);
        continue;
      }
      const validate = compile(p.schema);
      if (!validate(value)) problems.push(`${p.name}: ${ajv.errorsText(validate.errors)}`);
    }
    for (const name of searchParams.keys()) if (!known.has(name)) problems.push(`${name}: unknown query parameter`);
    if (body !== undefined) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (!schema) problems.push('body: this operation takes none');
      else {
        const validate = compile(schema);
        if (!validate(body)) problems.push(`body: ${ajv.errorsText(validate.errors)}`);
      }
    } else if (op.requestBody?.required) problems.push('body: required');
    return problems;
  }
  return [`no operation for ${method} ${pathname}`];
}

export function responseProblems(operationId: string, status: number, body: unknown): string[] {
  const op = operations.find((o) => o.id === operationId);
  const response = op && deref(op.responses[String(status)]);
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) return [`${operationId} has no JSON response for ${status}`];
  const validate = compile(schema);
  return validate(body) ? [] : [ajv.errorsText(validate.errors)];
}
