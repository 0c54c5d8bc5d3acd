// Shared by the runtime tests: docs/runtimes.md's examples in a scratch project that holds this package
// as an app's node_modules would (its package.json and the built dist/, copied), the runtime's binary
// from the npm registry or one line saying how to get it, and the requests every runtime must answer alike.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { docExample } from '../support/docs.js';
import { root } from '../support/run.js';
import { inCI } from '../support/ci.js';

export const SESSION = 'session=alice-7f3a';
export const KEY = 'runtime-key-5b21c7';
const { cardId, accountId, personId } = exampleCard;
const pinPath = `/api/equals/v2/cards/${cardId}/pin`;
const ids = `?accountId=${accountId}&personId=${personId}`;

/** docs/runtimes.md's example `name`. */
export const runtimeExample = (name: string, lang?: string) => docExample('docs/runtimes.md', name, lang);

/**
 * test-results/runtimes/<folder>: a package.json, `files`, the examples' `./session.js` (the spec's example
 * card for the cookie SESSION) with its types, and node_modules with this package and openapi-fetch, as installed.
 */
export function scratchProject(folder: string, files: Record<string, string>): string {
  const dir = join(root, 'test-results/runtimes', folder);
  rmSync(dir, { recursive: true, force: true });
  const pkg = join(dir, 'node_modules/equals-card-pin');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(root, 'node_modules/openapi-fetch'), join(dir, 'node_modules/openapi-fetch'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(
    join(dir, 'session.js'),
    `export const cardsOfSession = async (request) => ((request.headers.get('cookie') ?? '').split(/; */).includes(${JSON.stringify(SESSION)}) ? [${JSON.stringify(cardId)}] : []);\n`,
  );
  writeFileSync(
    join(dir, 'session.d.ts'),
    'export declare const cardsOfSession: (request: Request) => Promise<string[]>;\n',
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The first of `paths` (from the root) that exists, or undefined. */
export const firstExisting = (...paths: string[]) => paths.map((p) => join(root, p)).find((p) => existsSync(p));

/**
 * The runtime's tests when `installed`; else, in CI (CI=true) a failing test, elsewhere a skipped one, named
 * by the one line `howToInstall`.
 */
export function whenInstalled(runtime: string, installed: boolean, howToInstall: string, suite: () => void) {
  if (installed) return describe(runtime, suite);
  const line = `${runtime} is not installed: ${howToInstall}`;
  if (inCI)
    test(`${runtime} runs the examples`, () => {
      throw new Error(line);
    });
  else test.skip(line, () => {});
}

/** The forwarder's tests against a server at `origin()`: the sandbox upstream, run in the runtime itself. */
export function forwarderTests(origin: () => string) {
  test('changes and then reveals the PIN for the signed-in owner, never cached', async () => {
    const put = await fetch(`${origin()}${pinPath}${ids}`, {
      method: 'PUT',
      headers: { cookie: SESSION, 'content-type': 'application/json' },
      body: '{"pin":"3907"}',
    });
    expect([put.status, await put.json()]).toEqual([200, { success: true, pin: '3907' }]);
    const got = await fetch(`${origin()}${pinPath}${ids}&cardholderVerificationMethod=LOGIN`, {
      headers: { cookie: SESSION },
    });
    expect([got.status, await got.json(), got.headers.get('cache-control')]).toEqual([
      200,
      { pin: '3907' },
      'no-store',
    ]);
  });

  test("refuses another site's page (Sec-Fetch-Site) with the session cookie, and anyone without it", async () => {
    const crossSite = await fetch(`${origin()}${pinPath}${ids}`, {
      headers: { cookie: SESSION, 'sec-fetch-site': 'cross-site' },
    });
    expect([crossSite.status, await crossSite.json()]).toEqual([
      403,
      { message: 'Not allowed from another origin', code: 'cross-site' },
    ]);
    const stranger = await fetch(`${origin()}${pinPath}${ids}`, { headers: { cookie: 'session=mallory' } });
    expect([stranger.status, (await stranger.json()).code]).toEqual([403, 'authorize']);
  });
}
