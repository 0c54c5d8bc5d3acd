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

/** The Prism package, the mock's optional peer. */
export const PRISM = '@stoplight/prism-cli';

/**
 * Which Prism to install on which Node, newest first: Prism's packages need Node >= 24.18 from 5.16 on
 * and >= 24.14 in 5.15; 5.0.1 to 5.14.2 run on Node 18 to 22. Only for naming the one to install: whether
 * an installed Prism runs here is read from its own `engines`.
 */
const PRISM_FOR_NODE = [
  { node: '>=24.18.0', install: undefined, say: '5.16 needs Node >= 24.18' },
  { node: '>=24.14.0', install: '5.15', say: '5.15 needs >= 24.14' },
  { node: '>=18.0.0', install: '5.14.2', say: '5.0.1 to 5.14.2 run on Node 18 to 22' },
] as const;

/** The Node rule for Prism in one sentence, for usage and error text. */
export const PRISM_NODE_RULE = `Prism ${PRISM_FOR_NODE.map((row) => row.say).join(', ')}`;

/** This package's version, from its package.json. */
export const ownVersion = (): string => ownManifest().version ?? '0.0.0';

/** What `npm install` should name for `name` on this Node: a version that runs here, else the peer range. */
function installSpec(name: string, range: string): string {
  const fits = PRISM_FOR_NODE.find((row) => satisfies(process.versions.node, row.node));
  const version = name === PRISM && fits?.install ? fits.install : range;
  return `"${name}@${version}"`;
}

/** Why `name` cannot be used (missing, out of range, or not for this Node), or its installed copy. */
function inspect(name: string, range: string): Peer | { problem: string } {
  const file = manifestOf(name);
  if (!file) return { problem: `${name} ${range}, which is not installed` };
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  const version = manifest.version ?? '0.0.0';
  if (!satisfies(version, range)) return { problem: `${name} ${range}, and ${version} is installed` };
  const node = manifest.engines?.node;
  if (node && !satisfies(process.versions.node, node))
    return {
      problem: `${name} ${range}; ${version} is installed, which needs Node ${node}, and this is Node ${process.versions.node}`,
    };
  return { name, version, folder: dirname(file), manifest };
}

/**
 * Finds each peer the way Node would from this package. If any is missing, out of range, or does not run
 * on this Node, one error names every such peer, with one install command for a version of each that fits
 * this Node (for Prism, see PRISM_FOR_NODE).
 */
export function requirePeers(names: readonly string[], forWhat: string): Peer[] {
  const ranges = ownManifest().peerDependencies ?? {};
  const found = names.map((name) => {
    const range = ranges[name];
    if (!range) throw new Error(`equals-card-pin: package.json declares no peer range for ${name}`);
    return { name, range, peer: inspect(name, range) };
  });
  const failing = found.filter((entry) => 'problem' in entry.peer);
  if (failing.length === 0) return found.map((entry) => entry.peer as Peer);
  const problems = failing.map((entry) => (entry.peer as { problem: string }).problem);
  const install = failing.map((entry) => installSpec(entry.name, entry.range)).join(' ');
  throw new Error(`${forWhat} needs ${problems.join('; and ')}. Install with: npm install --save-dev ${install}`);
}

/** {@link requirePeers} for one peer. */
export function requirePeer(name: string, forWhat: string): Peer {
  return requirePeers([name], forWhat)[0]!;
}
