// The mock's optional peers (Prism, @hono/node-server): found from this package's location, their version
// checked against the range package.json declares, and Node checked against what they declare. Each failure
// is one message naming the package, the range and the fix.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

interface Manifest {
  name?: string;
  version?: string;
  bin?: Record<string, string>;
  engines?: { node?: string };
  peerDependencies?: Record<string, string>;
}

/** This package's own package.json: two levels up from dist/mock/, one up from mock/ in the repository. */
function ownManifest(): Manifest {
  for (const file of [join(here, '..', '..', 'package.json'), join(here, '..', 'package.json')]) {
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (manifest.name === 'equals-card-pin') return manifest;
  }
  throw new Error('equals-card-pin: its own package.json is missing');
}

const parse = (version: string) => /^(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1).map(Number);

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** `^x.y.z` allows changes below the first non-zero part only. */
function caretKeeps(have: number[], want: number[]): boolean {
  const fixed = want.findIndex((part) => part !== 0);
  const upTo = fixed < 0 ? 3 : fixed + 1;
  return have.slice(0, upTo).every((part, i) => part === want[i]);
}

/** Whether `version` satisfies `range`: `||` alternatives of space-separated `^x.y.z`, `>=`, `>`, `<=`, `<`, `=` parts. */
export function satisfies(version: string, range: string): boolean {
  const have = parse(version);
  if (!have) return false;
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .split(/\s+/)
      .every((part) => {
        const [, op = '=', bare = ''] = /^(\^|>=|<=|>|<|=)?\s*(.*)$/.exec(part)!;
        const want = parse(
          bare
            .replace(/^v/, '')
            .replace(/(^\d+$)/, '$1.0.0')
            .replace(/^(\d+\.\d+)$/, '$1.0'),
        );
        if (!want) return false;
        const order = compare(have, want);
        if (op === '^') return order >= 0 && caretKeeps(have, want);
        return { '=': order === 0, '>=': order >= 0, '>': order > 0, '<=': order <= 0, '<': order < 0 }[op]!;
      }),
  );
}

/** The installed package.json of `name`, also for packages whose "exports" hide it. */
function manifestOf(name: string): string | undefined {
  // Not named `require`: the CommonJS build reads import.meta.url through `require`, which that name would shadow.
  const fromHere = createRequire(import.meta.url);
  try {
    return fromHere.resolve(`${name}/package.json`);
  } catch {
    // Not exported, or not installed: walk up from the entry point to the package's own folder.
  }
  let folder: string;
  try {
    folder = dirname(fromHere.resolve(name));
  } catch {
    return undefined;
  }
  for (; folder !== dirname(folder); folder = dirname(folder)) {
    const file = join(folder, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as Manifest).name === name) return file;
  }
}

export interface Peer {
  name: string;
  version: string;
  /** The folder the package is installed in. */
  folder: string;
  manifest: Manifest;
}

/** Finds a peer the way Node would from this package, and refuses a missing or out-of-range one, or a Node it does not run on. */
export function requirePeer(name: string, forWhat: string): Peer {
  const range = ownManifest().peerDependencies?.[name];
  if (!range) throw new Error(`equals-card-pin: package.json declares no peer range for ${name}`);
  const install = `npm install --save-dev "${name}@${range}"`;
  const file = manifestOf(name);
  if (!file) throw new Error(`${forWhat} needs ${name} ${range}, which is not installed. Install it with: ${install}`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  const version = manifest.version ?? '0.0.0';
  if (!satisfies(version, range)) {
    throw new Error(
      `${forWhat} needs ${name} ${range}, and ${version} is installed. Install a version in range with: ${install}`,
    );
  }
  const node = manifest.engines?.node;
  if (node && !satisfies(process.versions.node, node)) {
    throw new Error(
      `${name} ${version} needs Node ${node}, and this is ${process.versions.node}: use a Node in that range, or an older ${name} within ${range}.`,
    );
  }
  return { name, version, folder: dirname(file), manifest };
}
