#!/usr/bin/env node
// The breaking-change gate: compares openapi/pin.yaml with the last released spec
// (openapi/released/pin.yaml) using `redocly diff`, and holds the package version to the spec's.
//   node scripts/spec-diff.mjs           fails when info.version or the package version lacks the bump the diff needs,
//                                        CHANGELOG.md's first entry is not the package version, or engines.node
//                                        leaves out a Node the last release supported without a major
//   node scripts/spec-diff.mjs --notes   prints the diff as markdown release notes (`npm run release-notes`)
// Paths are relative to the working directory, so a scratch copy of the repository checks itself.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';

export const BASELINE = 'openapi/released/pin.yaml';
export const SPEC = 'openapi/pin.yaml';
const DIFF_CONFIG = 'openapi/released/redocly.yaml';

const parseVersion = (version) => {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:-[\w.-]+)?$/.exec(version);
  if (!match) throw new Error(`not a semver version: ${version}`);
  return match.slice(1).map(Number);
};
const compare = (a, b) => {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/**
 * The versioning policy between package and spec (docs/compatibility.md, "Versioning"): the package shares the spec's
 * major and is never behind it. Returns the broken rule, or undefined.
 */
export function packageVersionProblem(packageVersion, specVersion) {
  if (parseVersion(packageVersion)[0] !== parseVersion(specVersion)[0]) {
    return `package.json version ${packageVersion} must have the same major as the spec's info.version ${specVersion}`;
  }
  if (compare(packageVersion, specVersion) < 0) {
    return `package.json version ${packageVersion} is behind the spec's info.version ${specVersion}`;
  }
}

/**
 * The changelog against the package version (docs/compatibility.md, "Versioning": breaks are counted against the last
 * release). Its first entry is the package version, released or "(unreleased)"; an unreleased entry is
 * ahead of the last released one. Returns the broken rule, or undefined.
 */
export function changelogProblem(changelog, packageVersion) {
  const entries = [...changelog.matchAll(/^## (\S+)( \(unreleased\))?$/gm)].map((m) => ({
    version: m[1],
    unreleased: !!m[2],
  }));
  const [top, ...rest] = entries;
  if (!top || top.version !== packageVersion) {
    return `CHANGELOG.md's first entry must be the package version ${packageVersion}, found ${top?.version ?? 'none'}`;
  }
  const released = rest.find((entry) => !entry.unreleased);
  if (top.unreleased && released && compare(packageVersion, released.version) <= 0) {
    return `package.json version ${packageVersion} must be ahead of the last release, ${released.version}`;
  }
}

/** The last release's package fields the gate compares with (`version`, `engines`), written at each release. */
export const RELEASED_PACKAGE = 'openapi/released/package.json';

/** The lowest Node an `engines.node` range admits: `>=22.12.0` → [22, 12, 0]; undefined for any other form. */
const nodeFloor = (range) => {
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range?.trim() ?? '');
  return match && [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
};

/**
 * The Node versions against the last release (docs/compatibility.md, "Versioning": a Node version leaving `engines` is a
 * major): a higher floor needs a package major above the release's, and the changelog's first entry must
 * say so in a "**Breaking for <release> users.**" item that names Node. Returns the broken rule, or undefined.
 */
export function enginesProblem(current, released, changelog) {
  const [now, then] = [nodeFloor(current.node), nodeFloor(released.node)];
  if (!now) return `package.json engines.node must be a \`>=\` range, found ${current.node}`;
  if (!then) return `${RELEASED_PACKAGE} engines.node must be a \`>=\` range, found ${released.node}`;
  const raised = now[0] - then[0] || now[1] - then[1] || now[2] - then[2];
  if (raised <= 0) return;
  const left = `engines.node ${current.node} leaves out Node versions that ${released.version} supported (${released.node})`;
  if (parseVersion(current.version)[0] <= parseVersion(released.version)[0])
    return `${left}: that is a major, and ${current.version} is not one`;
  const top = /^## .*\n([\s\S]*?)(?=^## |$(?![\s\S]))/m.exec(changelog)?.[1] ?? '';
  const items = top.split(/\n(?=- )/);
  const said = items.some(
    (item) => item.startsWith(`- **Breaking for ${released.version} users.**`) && /\bNode\b/.test(item),
  );
  if (!said)
    return `${left}: CHANGELOG.md's first entry must say so in a "**Breaking for ${released.version} users.**" item`;
}

async function redoclyDiff(...args) {
  // By path and with this Node, not whichever `redocly` and `node` come first on PATH.
  const cli = join(
    dirname(createRequire(join(process.cwd(), 'package.json')).resolve('@redocly/cli/package.json')),
    'bin/cli.js',
  );
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off' };
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [cli, 'diff', BASELINE, SPEC, '--config', DIFF_CONFIG, ...args],
      { env },
    );
    return { ok: true, stdout, output: stdout + stderr };
  } catch (error) {
    return { ok: false, stdout: error.stdout ?? '', output: `${error.stdout ?? ''}${error.stderr ?? error.message}` };
  }
}

async function check() {
  const specVersion = parse(readFileSync(SPEC, 'utf8')).info.version;
  const packageVersion = JSON.parse(readFileSync('package.json', 'utf8')).version;
  const problems = [];
  // --fail-on none: a breaking change is allowed; a breaking change without the major bump is not.
  const diff = await redoclyDiff('--check-version', '--fail-on', 'none');
  if (!diff.ok)
    problems.push(`${SPEC} changed against the released ${BASELINE} without the version bump the changes need:`);
  const versionProblem = packageVersionProblem(packageVersion, specVersion);
  if (versionProblem) problems.push(versionProblem);
  const changelog = readFileSync('CHANGELOG.md', 'utf8');
  const logProblem = changelogProblem(changelog, packageVersion);
  if (logProblem) problems.push(logProblem);
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const released = JSON.parse(readFileSync(RELEASED_PACKAGE, 'utf8'));
  const nodeProblem = enginesProblem(
    { version: pkg.version, node: pkg.engines?.node },
    { version: released.version, node: released.engines?.node },
    changelog,
  );
  if (nodeProblem) problems.push(nodeProblem);
  if (problems.length === 0) {
    console.log(
      `✔ ${SPEC} ${specVersion} against ${BASELINE}: every change is covered by its version bump; package ${packageVersion} follows it`,
    );
    return;
  }
  console.error(`✘ ${problems.join('\n✘ ')}\n\n${diff.output.trim()}`);
  process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--notes')) {
    const notes = await redoclyDiff('--format', 'markdown', '--fail-on', 'none');
    // The markdown is redocly's stdout; its status lines (stderr) stay out of the notes. Its heading is
    // lowered to sit under a release's "### Spec" in CHANGELOG.md.
    process.stdout.write(notes.stdout.replace(/^## /m, '#### '));
    process.exitCode = notes.ok ? 0 : 1;
  } else {
    await check();
  }
}
