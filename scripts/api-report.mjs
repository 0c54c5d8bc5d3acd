#!/usr/bin/env node
// The public TypeScript API, one report per entry in package.json "exports", by API Extractor over the
// built declarations (run `npm run build` first). Reports live in api/ and are committed.
//   node scripts/api-report.mjs            rewrites the reports (`npm run api-report`)
//   node scripts/api-report.mjs --check    fails, showing the difference, when the API no longer matches them
//   --entry <subpath>                      only that entry (repeatable)
// Paths are relative to the working directory, so a scratch copy of the repository checks itself.
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { check: { type: 'boolean' }, entry: { type: 'string', multiple: true } } });
const REPORTS = 'api';
const project = resolve('.');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** `.` → equals-card-pin, `./sandbox` → equals-card-pin-sandbox. */
const reportName = (subpath) =>
  [
    pkg.name,
    ...subpath
      .replace(/^\.\/?/, '')
      .split('/')
      .filter(Boolean),
  ].join('-');

/** Every entry that has declarations, whatever the exports map holds today: those an ESM importer gets. */
const entries = Object.entries(pkg.exports)
  .filter(
    ([subpath, target]) =>
      typeof target === 'object' && target.import?.types && (!values.entry || values.entry.includes(subpath)),
  )
  .map(([subpath, target]) => ({ subpath, types: resolve(target.import.types), name: reportName(subpath) }));

const environment = (entry) =>
  entry.types.includes('/dist/mock/') ? { types: ['node'], lib: ['ES2022'] } : { types: [], lib: ['ES2022', 'DOM'] };

const temp = mkdtempSync(join(tmpdir(), 'api-report-'));
/** ae-undocumented messages, one line each: the entry and the declaration that has no TSDoc. */
const undocumented = [];

/**
 * Every top-level declaration, and every member of the package's own types. Members of generated/ are the spec's
 * own containers (`schemas`, `responses`, `getPin`), which openapi-typescript writes without comments; what they
 * hold is documented from the spec's descriptions. A top-level declaration starts a line of the emitted .d.ts.
 */
const mustBeDocumented = (message) =>
  message.sourceFileColumn === 1 || !/\/generated\//.test(message.sourceFilePath ?? '');

function extract(entry) {
  const config = ExtractorConfig.prepare({
    packageJsonFullPath: join(project, 'package.json'),
    configObjectFullPath: undefined,
    configObject: {
      projectFolder: project,
      mainEntryPointFilePath: entry.types,
      // The environment each entry is built for: src/ runs in browsers too, mock/ is Node only (as in the build).
      compiler: {
        overrideTsconfig: {
          compilerOptions: { strict: true, skipLibCheck: true, ...environment(entry) },
          files: [entry.types],
        },
      },
      // Forgotten exports are written out in full: a change to a type the public API uses but does not name shows too.
      apiReport: {
        enabled: true,
        reportFolder: join(project, REPORTS),
        reportTempFolder: temp,
        reportFileName: entry.name,
        includeForgottenExports: true,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      // Release tags (@public, @beta) are not used here; the report is about the shapes.
      // Every exported declaration carries TSDoc: an undocumented one is an error, named below.
      messages: {
        extractorMessageReporting: {
          default: { logLevel: 'none' },
          'ae-undocumented': { logLevel: 'error', addToApiReportFile: false },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
  });
  const result = Extractor.invoke(config, {
    localBuild: !values.check,
    messageCallback: (message) => {
      if (message.messageId === 'ae-undocumented') {
        const where = `${relative(project, message.sourceFilePath ?? '?')}:${message.sourceFileLine}`;
        if (mustBeDocumented(message)) undocumented.push(`${entry.subpath}: ${message.text} (${where})`);
        // Counted here, once, instead of as one of Extractor's errors.
        message.logLevel = 'none';
      }
      message.handled = message.logLevel !== 'error';
    },
  });
  return { ...entry, ok: result.succeeded, changed: result.apiReportChanged, errors: result.errorCount };
}

/** The change as a diff, old report to new, so the failure says what changed. */
function difference(entry) {
  const committed = join(REPORTS, `${entry.name}.api.md`);
  if (!existsSync(committed)) return `(no committed report ${committed})`;
  const diff = spawnSync(
    'git',
    ['diff', '--no-index', '--no-color', '--unified=2', committed, join(temp, `${entry.name}.api.md`)],
    { encoding: 'utf8' },
  );
  const lines = diff.stdout.split('\n');
  return lines
    .slice(
      Math.max(
        0,
        lines.findIndex((line) => line.startsWith('@@')),
      ),
    )
    .join('\n'); // from the first hunk on
}

let failed = false;
for (const entry of entries) {
  if (!existsSync(entry.types)) {
    console.log(`- ${entry.subpath}: ${entry.types} not built yet (npm run build)`);
    continue;
  }
  const result = extract(entry);
  if (result.errors > 0 || (values.check && result.changed)) failed = true;
  if (values.check && result.changed) {
    console.error(
      `✘ the public API of '${entry.subpath}' differs from ${REPORTS}/${entry.name}.api.md:\n${difference(entry)}`,
    );
  } else {
    console.log(
      `${result.errors ? '✘' : '✔'} ${entry.subpath}: ${REPORTS}/${entry.name}.api.md ${result.changed ? 'updated' : 'unchanged'}`,
    );
  }
}
rmSync(temp, { recursive: true, force: true });
if (undocumented.length > 0) {
  failed = true;
  console.error(`✘ exported without TSDoc (ae-undocumented):\n${undocumented.join('\n')}`);
}
if (failed && values.check && undocumented.length === 0)
  console.error(
    '\nIf the change is intended, run `npm run api-report` and commit api/ with it (see docs/compatibility.md, "Versioning").',
  );
process.exitCode = failed ? 1 : 0;
