#!/usr/bin/env node
// Prints the line CI reads, "N passed, N failed", from vitest's JSON report, and exits non-zero
// on any failure, including one that is not a test (a type error, a failed teardown, a crash).
import { existsSync, readFileSync } from 'node:fs';

const [file, exitCode = '0'] = process.argv.slice(2);
const report = file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
const passed = report?.numPassedTests ?? 0;
let failed = report?.numFailedTests ?? 0;
if (report?.numPendingTests) console.log(`${report.numPendingTests} skipped (each says why in the log above)`);
if (failed === 0 && (Number(exitCode) !== 0 || !report || report.success === false)) {
  console.log(`the test command failed outside any test (exit code ${exitCode}${report ? '' : ', no report'})`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
