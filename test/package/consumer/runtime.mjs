// Run by consumer.test.ts under each Node of the matrix (NODE_VERSIONS) in a project that installed the packed tarball.
// Prints one JSON report; the test compares them all.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('equals-card-pin/package.json');
const report = { entries: {} };

/** The optional peer dependency a failed load names, if that is why it failed (e.g. msw for ./msw). */
const missingPeer = (error) =>
  ['MODULE_NOT_FOUND', 'ERR_MODULE_NOT_FOUND'].includes(error.code)
    ? Object.keys(pkg.peerDependenciesMeta ?? {}).find((name) => error.message.includes(`'${name}'`))
    : undefined;

// Every runtime entry, whatever the exports map holds today: loads by import and by require, with the
// same names and the very same values (one copy of each class: no dual-package hazard). An entry built on
// an optional peer that this project did not install is reported as such, not loaded.
for (const [subpath, target] of Object.entries(pkg.exports)) {
  if (typeof target !== 'object' || !target.require) continue;
  const specifier = `equals-card-pin${subpath.slice(1)}`;
  let imported, required;
  try {
    // require first: in Node both load the same CommonJS module, and on Node 18 and 20 a CommonJS module
    // that throws while being imported ends the process even when the import() is caught (fixed in 22).
    required = require(specifier);
    imported = await import(specifier);
  } catch (error) {
    if (!missingPeer(error)) throw error;
    report.entries[subpath] = { optionalPeerMissing: missingPeer(error) };
    continue;
  }
  // Node 23 and later name the CommonJS module itself `module.exports` in the namespace of an imported one.
  const names = Object.keys(imported)
    .filter((name) => name !== 'default' && name !== 'module.exports')
    .sort();
  const shared = names.filter((name) => imported[name] === required[name]);
  report.entries[subpath] = {
    names,
    shared: shared.length === names.length && Object.keys(required).length === names.length,
  };
}

const { createPinClient, PinHttpError, PinValidationError } = await import('equals-card-pin');
const ids = {
  cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd',
  accountId: 'F12345',
  personId: '775596ae-2624-40af-a9dc-9756110a4a04',
};
const named = (error) =>
  `${error.constructor.name}${error instanceof PinHttpError ? ` ${error.status}` : ''}${error instanceof PinValidationError ? ` ${error.field} ${error.rule}` : ''}`;

// The client against the Prism mock over real HTTP.
const baseUrl = process.env.PIN_API_URL;
const client = createPinClient({ apiKey: 'consumer-key', baseUrl, retry: false });
report.client = {
  get: await client.getPin({ ...ids, cardholderVerificationMethod: 'LOGIN' }),
  put: await client.updatePin({ ...ids, pin: '7268' }),
  notFound: await createPinClient({ apiKey: 'k', baseUrl, retry: false, headers: { Prefer: 'code=404' } })
    .getPin({ ...ids, cardholderVerificationMethod: 'LOGIN' })
    .catch(named),
  refused: await client.updatePin({ ...ids, pin: '12a4' }).catch(named),
};

// The in-process sandbox, where the tarball has one: the client through its handler, state included.
if (report.entries['./sandbox']) {
  const { createPinSandbox } = await import('equals-card-pin/sandbox');
  const sandbox = createPinSandbox();
  const local = createPinClient({
    apiKey: 'k',
    baseUrl: 'https://api-sandbox.equalsmoney.com',
    retry: false,
    fetch: (request) => sandbox.handle(request),
  });
  await local.updatePin({ ...ids, pin: '4321' });
  report.sandbox = { afterUpdate: await local.getPin({ ...ids, cardholderVerificationMethod: 'LOGIN' }) };
}

// The mock entry, where the tarball has one: it finds the spec it serves (serving needs Prism, Node ≥ 24.18).
if (report.entries['./mock']) {
  const { specPath } = await import('equals-card-pin/mock');
  report.mock = { specFound: existsSync(specPath()) };
}

console.log(JSON.stringify(report));
