// Reduces openapi/pin.yaml to the small table of rules the client checks at run time
// (servers, parameters, request body, 200 body), so the client never keeps its own copy.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const KEYS = ['type', 'enum', 'pattern', 'minLength', 'maxLength'];

export function loadSpec(file) {
  return parse(readFileSync(file, 'utf8'));
}

/** Follows local `$ref`s (`#/…` JSON pointers) within one spec document. */
export function resolver(spec) {
  return function deref(node) {
    while (node?.$ref) {
      if (!node.$ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${node.$ref}`);
      node = node.$ref
        .slice(2)
        .split('/')
        .reduce((at, key) => at[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
    }
    return node;
  };
}

/** A schema reduced to the keywords the client enforces; anything else is a loud error. */
function reduceSchema(schema, deref, where) {
  schema = deref(schema);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) {
    const real = variants.map(deref).filter((v) => v.type !== 'null');
    if (real.length !== 1 || variants.length !== 2) throw new Error(`${where}: only "X or null" unions are supported`);
    return { ...reduceSchema(real[0], deref, where), nullable: true };
  }
  if (!['string', 'boolean', 'object'].includes(schema.type)) {
    throw new Error(`${where}: type ${JSON.stringify(schema.type)} is not supported by the client`);
  }
  const out = {};
  for (const key of KEYS) if (schema[key] !== undefined) out[key] = schema[key];
  if (schema.type === 'object') {
    out.properties = {};
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      out.properties[name] = reduceSchema(prop, deref, `${where}.${name}`);
    }
    if (schema.required?.length) out.required = schema.required;
    if (schema.additionalProperties !== false)
      throw new Error(`${where}: objects must set additionalProperties: false`);
  }
  return out;
}

function jsonSchemaOf(content, where) {
  const media = content?.['application/json'];
  if (!media) throw new Error(`${where}: an application/json body is expected`);
  return media.schema;
}

export function extractConstraints(spec) {
  const deref = resolver(spec);
  const servers = {};
  for (const server of spec.servers) {
    if (!server['x-environment']) throw new Error(`server ${server.url} has no x-environment`);
    servers[server['x-environment']] = server.url;
  }
  const operations = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
      const op = item[method];
      if (!op) continue;
      const where = op.operationId;
      // Callers pass one flat object; `in` says where each field goes, `input` how it is checked.
      const placement = {};
      const input = { type: 'object', properties: {}, required: [] };
      const add = (name, place, schema, required) => {
        if (placement[name]) throw new Error(`${where}: "${name}" is both a ${placement[name]} and a ${place} field`);
        placement[name] = place;
        input.properties[name] = schema;
        if (required) input.required.push(name);
      };
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const p = deref(raw);
        add(p.name, p.in, reduceSchema(p.schema, deref, `${where}.${p.name}`), !!p.required);
      }
      if (op.requestBody) {
        const body = deref(op.requestBody);
        const schema = reduceSchema(jsonSchemaOf(body.content, where), deref, `${where}.body`);
        if (schema.required && !body.required) {
          throw new Error(`${where}: a body can require fields only when it is required itself`);
        }
        for (const [name, prop] of Object.entries(schema.properties)) {
          add(name, 'body', prop, !!schema.required?.includes(name));
        }
      }
      const response = reduceSchema(jsonSchemaOf(deref(op.responses['200']).content, where), deref, `${where}.200`);
      const entry = { method: method.toUpperCase(), path, in: placement, input, response };
      operations[op.operationId] = entry;
    }
  }
  return { servers, operations };
}

/**
 * What a sandbox needs to answer like the spec: the example card (path-level parameter examples plus the
 * first GET's 200 example) and, per operation, every documented status with its example body and headers.
 * Kept apart from the constraint table so that the client bundle never carries it.
 */
export function extractExamples(spec) {
  const deref = resolver(spec);
  const [[, item]] = Object.entries(spec.paths);
  const card = {};
  for (const p of (item.parameters ?? []).map(deref)) card[p.name] = p.example;
  const responses = {};
  for (const pathItem of Object.values(spec.paths)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
      const op = pathItem[method];
      if (!op) continue;
      responses[op.operationId] = {};
      for (const [status, raw] of Object.entries(op.responses)) {
        const response = deref(raw);
        const example = response.content?.['application/json']?.example;
        if (example === undefined) throw new Error(`${op.operationId} ${status}: a JSON example is expected`);
        if (method === 'get' && status === '200' && !card.pin) Object.assign(card, example);
        responses[op.operationId][status] = { example, headers: Object.keys(response.headers ?? {}) };
      }
    }
  }
  return { card, responses };
}

/** A generated TypeScript module: the do-not-edit header, then one `export const` per entry. */
function renderModule(source, constants) {
  const lines = [
    '/**',
    ` * Generated by scripts/generate.mjs from ${source}.`,
    ' * Do not make direct changes to the file: edit the spec and run `npm run generate`.',
    ' */',
  ];
  for (const [name, value, doc] of constants) {
    lines.push(
      '',
      ...(doc ? [`/** ${doc} */`] : []),
      `export const ${name} = ${JSON.stringify(value, null, 2)} as const;`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function renderExamplesModule(examples, source) {
  return renderModule(source, [
    ['exampleCard', examples.card, "The card the spec's examples describe."],
    [
      'responses',
      examples.responses,
      'Every documented response per operation: its example body and the names of its headers.',
    ],
  ]);
}

export function renderConstraintsModule(constraints, source) {
  return renderModule(source, [
    ['servers', constraints.servers, "The spec's servers by name: `production` and `sandbox`."],
    [
      'operations',
      constraints.operations,
      "The spec's operations by id: method, path template, where each input goes, and the input and response rules.",
    ],
  ]);
}
