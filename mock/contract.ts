// `equals-card-pin contract`: runs the Arazzo workflows this package ships with `redocly respect` against a
// server, and reports where the server's answers and the spec part ways. Respect's own output and JSON hold
// response bodies (PINs) raw, so neither is ever passed through: the report is built here from the JSON,
// from statuses, schema paths and conditions only, and every line is scrubbed of the key and the PINs seen.
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type OperationId, operationTable } from '../src/core/operations.js';
import { BASE_URL_RULE, httpBaseUrl } from './base-url.js';
import { startContractRelay } from './contract-relay.js';
import { requirePeer } from './peers.js';

/** The package that runs the workflows: an optional peer, like Prism. */
const REDOCLY = '@redocly/cli';
/** The steps each write workflow ends with: set back the PIN the workflow found, and read it back. */
const RESTORE_STEPS = ['restore', 'restored'];
/** The first step's criterion in each write workflow: a card with no PIN cannot be set back to none, so it is left alone. */
const HAS_PIN = '$response.body#/pin != null';

const here = dirname(fileURLToPath(import.meta.url));

/** What `runContract` asks, and of which server. */
export interface ContractOptions {
  /** The server to check, e.g. `https://api-sandbox.equalsmoney.com`; the spec's paths carry `/v2`. */
  baseUrl: string;
  /** The API key for that server; it reaches respect through its environment, never its arguments. */
  apiKey: string;
  cardId: string;
  accountId: string;
  personId: string;
  /** The cardholderVerificationMethod sent with each reveal. Default `LOGIN`. */
  method?: string;
  /** Also run the workflows that change the card's PIN (and set it back). Default false: GETs only. */
  write?: boolean;
}

/** The outcome: every workflow run, and one line per drift (empty when the server matches the spec). */
interface ContractResult {
  workflows: string[];
  drifts: string[];
}

/** A workflow of the Arazzo file, as the command selects and names it. */
interface ContractWorkflow {
  id: string;
  /** Its `summary`, used to name it in the report ("no key"). */
  label: string;
  /** Whether any step changes the PIN (an `updatePin` step). */
  writes: boolean;
}

/** The Arazzo file this package ships: dist/arazzo.yaml once built, openapi/pin.arazzo.yaml in the repository. */
function arazzoPath(): string {
  const candidates = [join(here, '..', 'arazzo.yaml'), join(here, '..', 'openapi', 'pin.arazzo.yaml')];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`The PIN API workflows are missing; looked for ${candidates.join(' and ')}`);
  return found;
}

/** The workflows of an Arazzo file written as this package writes it (two-space lists, `components:` last). */
function workflowsOf(arazzo: string): ContractWorkflow[] {
  const workflows = arazzo
    .split(/^components:/m)[0]!
    .split(/^ {2}- workflowId: /m)
    .slice(1);
  return workflows.map((block) => ({
    id: block.split(/\s/, 1)[0]!,
    label: /^ {4}summary: (.+)$/m.exec(block)?.[1]?.trim() ?? block.split(/\s/, 1)[0]!,
    writes: /operationId: updatePin\b/.test(block),
  }));
}

/** Runs the workflows (the read-only ones, and with `write` the others too) and reports every drift. */
export async function runContract(options: ContractOptions): Promise<ContractResult> {
  const redocly = requirePeer(REDOCLY, 'The contract check');
  const arazzo = arazzoPath();
  const selected = workflowsOf(readFileSync(arazzo, 'utf8')).filter((workflow) => options.write || !workflow.writes);
  const newPin = String(randomInt(0, 10_000)).padStart(4, '0');
  const inputs = {
    apiKey: options.apiKey,
    cardId: options.cardId,
    accountId: options.accountId,
    personId: options.personId,
    method: options.method ?? 'LOGIN',
    ...(options.write && { newPin }),
  };
  const dir = mkdtempSync(join(tmpdir(), 'equals-card-pin-contract-'));
  // Respect talks to the server through the relay, which follows no redirect (mock/contract-relay.ts).
  const relay = await startContractRelay(options.baseUrl);
  try {
    const bin = join(redocly.folder, redocly.manifest.bin!.redocly!);
    // The relay's URL (its per-run path) goes in the environment, not on the command line that any local
    // user can read with ps: the preload hands it to respect as --server (RESPECT_PRELOAD).
    const args = [bin, 'respect', arazzo, '-J', join(dir, REPORT_FILE)];
    const workflowArgs = selected.flatMap((workflow) => ['-w', workflow.id]);
    const { code, report: json } = await quietly(args.concat(workflowArgs), inputs, dir, `pin=${relay.url}`);
    const secrets = [options.apiKey, newPin];
    if (!json) return { workflows: [], drifts: [`redocly respect stopped before reporting (exit ${code})`] };
    let report: RespectReport;
    try {
      report = JSON.parse(json) as RespectReport;
    } catch {
      return { workflows: [], drifts: [`redocly respect wrote a report that is not JSON (exit ${code})`] };
    }
    return { workflows: selected.map((workflow) => workflow.id), drifts: driftsOf(report, selected, secrets) };
  } finally {
    await relay.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The name of respect's JSON report in the run's private folder. */
const REPORT_FILE = 'respect.json';

/**
 * Preloaded into respect (`node --import`): its report (PINs in it) never outlives respect, and respect
 * never outlives this process, even one killed outright. When respect exits it hands its report over on
 * fd 3 and removes the folder named in PIN_CONTRACT_DIR, report included; when this process is gone
 * (respect's stdin pipe closes), respect exits at once, so the same happens (fd 3 then goes nowhere).
 * The pipe is unref'd: respect, when done, still ends on its own. It also hands respect its `--server`
 * from PIN_CONTRACT_SERVER, so that the relay's URL is in no command line (ps shows those to every user).
 */
const RESPECT_PRELOAD = `data:text/javascript,${encodeURIComponent(`
import { readFileSync, rmSync, writeSync } from 'node:fs';
const dir = process.env.PIN_CONTRACT_DIR;
process.argv.push('--server', process.env.PIN_CONTRACT_SERVER);
delete process.env.PIN_CONTRACT_SERVER;
process.on('exit', () => {
  try {
    const report = readFileSync(dir + '/${REPORT_FILE}');
    for (let at = 0; at < report.length; ) at += writeSync(3, report, at);
  } catch {}
  rmSync(dir, { recursive: true, force: true });
});
process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume().unref?.();
`)}`;

/**
 * `node <args>` with the inputs and `server` in its environment and its output dropped (it holds PINs); resolves to its
 * exit code and the report it handed over (RESPECT_PRELOAD). A stop signal meanwhile goes to respect too,
 * and is waited out, so that its report is removed before this process ends.
 */
function quietly(
  args: string[],
  inputs: object,
  dir: string,
  server: string,
): Promise<{ code: number; report: string }> {
  const env = {
    ...process.env,
    PIN_CONTRACT_SERVER: server,
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_CLI_RESPECT_INPUT: JSON.stringify(inputs),
    PIN_CONTRACT_DIR: dir,
    // Respect talks only to the relay on loopback: never through an HTTP(S)_PROXY the environment names.
    NO_PROXY: '127.0.0.1',
    no_proxy: '127.0.0.1',
  };
  const child = spawn(process.execPath, ['--import', RESPECT_PRELOAD, ...args], {
    stdio: ['pipe', 'ignore', 'ignore', 'pipe'],
    env,
  });
  const chunks: Buffer[] = [];
  child.stdio[3]!.on('data', (chunk: Buffer) => chunks.push(chunk));
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const pass = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of signals) process.on(signal, pass);
  return new Promise<number>((resolve) => {
    child.once('error', () => resolve(1));
    // 'close': the report on fd 3 has been read to its end.
    child.once('close', (code) => resolve(code ?? 1));
  })
    .then((code) => ({ code, report: Buffer.concat(chunks).toString('utf8') }))
    .finally(() => {
      for (const signal of signals) process.off(signal, pass);
    });
}

/** The parts of `redocly respect -J` output the report reads. */
interface RespectReport {
  files: Record<string, { executedWorkflows?: RespectWorkflow[] }>;
}

interface RespectWorkflow {
  workflowId: string;
  status: string;
  executedSteps?: RespectStep[];
}

interface RespectStep {
  /** A step reached by a `goto` comes as a nested workflow entry holding the steps it ran. */
  executedSteps?: RespectStep[];
  stepId: string;
  status: string;
  request?: { method?: string; body?: unknown };
  response?: { statusCode?: number; body?: unknown; headers?: Record<string, string> };
  checks?: { name: string; passed: boolean; message?: string; condition?: string }[];
}

/** The steps a workflow ran, in order, those reached through a `goto` included. */
function stepsOf(entries: RespectStep[] = []): RespectStep[] {
  return entries.flatMap((entry) => (entry.executedSteps ? stepsOf(entry.executedSteps) : [entry]));
}

/** One line per distinct drift in a respect report, scrubbed of `secrets` and of every PIN the report holds. */
function driftsOf(report: RespectReport, selected: ContractWorkflow[], secrets: string[]): string[] {
  const executed = Object.values(report.files).flatMap((file) => file.executedWorkflows ?? []);
  const lines: string[] = [];
  for (const [i, workflow] of selected.entries()) {
    // Respect masks the key wherever it occurs, also inside a workflow id: then the run order identifies it.
    const byOrder = executed.length === selected.length ? executed[i] : undefined;
    const run = executed.find((entry) => entry.workflowId === workflow.id) ?? byOrder;
    if (!run) {
      lines.push(`${workflow.label}: not run`);
      continue;
    }
    const found = stepsOf(run.executedSteps).flatMap((step) => stepDrifts(step, workflow));
    if (workflow.writes) found.push(...randomPinDrifts(run, workflow));
    if (workflow.writes && notSetBack(run)) found.push(`${workflow.label}: the PIN it found was NOT set back`);
    if (run.status !== 'success' && found.length === 0) found.push(`${workflow.label}: failed`);
    lines.push(...found);
  }
  const scrub = [...secrets, ...pinsIn(executed)].filter((secret) => secret.length > 0);
  return [...new Set(lines.map((line) => scrub.reduce((text, secret) => text.split(secret).join('****'), line)))];
}

/** A write workflow that sent a PUT besides its restore step, and whose restore steps did not both pass. */
function notSetBack(run: RespectWorkflow): boolean {
  const steps = stepsOf(run.executedSteps);
  const restoring = (step: RespectStep) => RESTORE_STEPS.includes(step.stepId);
  const wrote = steps.some(
    (step) => !restoring(step) && step.request?.method?.toUpperCase() === operationTable.updatePin.method,
  );
  const passed = (id: string) => steps.some((step) => step.stepId === id && step.status === 'success');
  return wrote && !RESTORE_STEPS.every(passed);
}

/** The `pin` of a JSON object body, if it has one. */
const pinOf = (body: unknown) =>
  body !== null && typeof body === 'object' && Object.hasOwn(body, 'pin') ? (body as { pin: unknown }).pin : undefined;

/**
 * A PUT that asked for a random PIN (no `pin` sent) and whose answer named the PIN chosen, where the next
 * GET read back another. The Arazzo file cannot say it: the seeds' answer is `{"success": true}` only.
 */
function randomPinDrifts(run: RespectWorkflow, workflow: ContractWorkflow): string[] {
  const steps = stepsOf(run.executedSteps);
  const method = (step: RespectStep) => step.request?.method?.toUpperCase();
  return steps.flatMap((step, i) => {
    const named = pinOf(step.response?.body);
    if (method(step) !== operationTable.updatePin.method || pinOf(step.request?.body) !== undefined) return [];
    if (step.response?.statusCode !== 200 || named === undefined) return [];
    const next = steps.slice(i + 1).find((later) => method(later) === operationTable.getPin.method);
    if (next?.response?.statusCode !== 200 || pinOf(next.response.body) === named) return [];
    return [`${workflow.label} › ${next.stepId}: the PIN read back is not the one the PUT's answer named`];
  });
}

/** The operation a step's method names: respect reports no path, and the spec's operations share theirs. */
function operationOf(method = ''): OperationId | string {
  const row = Object.entries(operationTable).find(([, entry]) => entry.method === method.toUpperCase());
  return row ? row[0] : method.toUpperCase();
}

function stepDrifts(step: RespectStep, workflow: ContractWorkflow): string[] {
  const where = step.stepId === workflow.id ? workflow.label : `${workflow.label} › ${step.stepId}`;
  const status = step.response?.statusCode;
  const answer = `${operationOf(step.request?.method)} ${status ?? '(no answer)'}`;
  // A redirect is drift whatever the step expected: the client refuses it, and the relay did not follow it.
  if (status !== undefined && status >= 300 && status < 400)
    return [`${answer}: a redirect, which the client refuses (not followed)`];
  const failed = (step.checks ?? []).filter((check) => !check.passed);
  // An answered step that failed a check also fails to read its outputs ("unexpected error"): one drift, said once.
  const said = status !== undefined && failed.some((check) => check.name !== 'unexpected error');
  return failed
    .filter((check) => !(said && check.name === 'unexpected error'))
    .flatMap((check) => {
      const expected = /^\$statusCode == (\d{3})$/.exec(check.condition ?? '')?.[1];
      if (check.name === 'success criteria check' && expected) return [`${where}: expected ${expected}, got ${status}`];
      if (check.condition === HAS_PIN) return [`${workflow.label}: the card has no PIN set, so nothing was changed`];
      if (check.name === 'success criteria check') return [`${where}: ${check.condition} does not hold`];
      if (check.name === 'status code check') return [`${answer}: status not described in the spec`];
      if (check.name === 'content-type check') {
        const type = step.response?.headers?.['content-type'] ?? 'none';
        return [`${answer}: content type ${type.split(';')[0]} not described in the spec`];
      }
      if (check.name === 'schema check') return schemaErrors(check.message ?? '', step.response?.body, answer);
      return [`${where}: ${check.name}${status === undefined ? ' (no answer)' : ''}`];
    });
}

/**
 * Respect's schema message: per error a `KEYWORD message` line, then a code frame of the body with the
 * offending line marked `> N |`. Only the message and the line number are read; the line is mapped back to
 * a JSON pointer in the body, so that no part of the frame (which shows values) reaches the report.
 */
function schemaErrors(message: string, body: unknown, answer: string): string[] {
  const pointers = linePointers(body);
  const errors: string[] = [];
  let current: string | undefined;
  for (const line of message.replace(ANSI, '').split('\n')) {
    const headline = /^([A-Z][A-Z_]*) (.+)$/.exec(line);
    if (headline) current = headline[1] === 'ONEOF' || headline[1] === 'ANYOF' ? undefined : headline[2];
    const marked = /^> (\d+) \|/.exec(line);
    if (marked && current) {
      errors.push(`${answer}: ${pointers[Number(marked[1]) - 1] || '/'} ${current}`);
      current = undefined;
    }
  }
  // Alternatives of one oneOf ("must be string", "must be null") name one drift: the first one says it.
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = error.slice(0, error.indexOf(' must') === -1 ? undefined : error.indexOf(' must'));
    return !seen.has(key) && seen.add(key);
  });
}

/** Terminal colour codes, which respect writes into its messages (ESC, then `[…m`). */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The JSON pointer of each line of `JSON.stringify(value, null, 2)`. */
function linePointers(value: unknown, pointer = '', lines: string[] = []): string[] {
  lines.push(pointer);
  if (value === null || typeof value !== 'object') return lines;
  const entries = Object.entries(value as object);
  if (entries.length === 0) return lines;
  for (const [key, child] of entries)
    linePointers(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, lines);
  lines.push(pointer);
  return lines;
}

/** Every `pin` value the report holds, in requests or answers. */
function pinsIn(workflows: RespectWorkflow[]): string[] {
  const pins: string[] = [];
  const collect = (value: unknown) => {
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value as object)) {
      if (key === 'pin' && (typeof child === 'string' || typeof child === 'number')) pins.push(String(child));
      else collect(child);
    }
  };
  for (const workflow of workflows)
    for (const step of stepsOf(workflow.executedSteps)) {
      collect(step.request?.body);
      collect(step.response?.body);
    }
  return pins;
}

/** `equals-card-pin contract --help`. */
export const CONTRACT_USAGE = `Usage: EQUALS_API_KEY=… equals-card-pin contract --base-url URL --card ID --account ID --person ID [--method M] [--write]
  Checks a server against the spec: runs this package's Arazzo workflows (arazzo.yaml) with \`redocly respect\`
  and prints one line per answer that differs from the spec. Exit 0 when every answer matches, 1 when not.
  A redirect (any 3xx) is drift: the client refuses redirects, and none is followed here, so the key goes
  to --base-url only.
  --base-url URL  the server, e.g. https://api-sandbox.equalsmoney.com (the spec's paths carry /v2)
  --card ID       a card on that server, with its --account ID and --person ID
  --method M      the cardholderVerificationMethod sent with each reveal; default LOGIN
  --write         ALSO CHANGES THE CARD'S PIN on that server: sets a PIN, asks for a random one, reads each
                  back, and sets back the PIN it found. Without it only GETs are sent (a reveal and the
                  401/403/404/400 probes).
  The key comes from the EQUALS_API_KEY environment variable only, never an argument (arguments show in
  \`ps\` and shell history). Needs ${REDOCLY} installed (an optional peer). No PIN and no key is ever printed.`;

/** `contract`'s options, for node:util's parseArgs. */
export const contractOptions = {
  'base-url': { type: 'string' },
  card: { type: 'string' },
  account: { type: 'string' },
  person: { type: 'string' },
  method: { type: 'string' },
  write: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `contract`'s parsed flags and the environment as options for `runContract`, or the one line that says
 * what is wrong (`usage`: whether the usage should follow it).
 */
export function contractArgs(
  values: { [K in keyof typeof contractOptions]?: string | boolean },
  env: NodeJS.ProcessEnv,
): ContractOptions | { error: string; usage: boolean } {
  const missing = (['base-url', 'card', 'account', 'person'] as const).filter((flag) => !values[flag]);
  if (missing.length) return { error: `missing ${missing.map((flag) => `--${flag}`).join(', ')}`, usage: true };
  const baseUrl = httpBaseUrl(String(values['base-url']));
  if (!baseUrl) return { error: `--base-url ${BASE_URL_RULE}`, usage: true };
  const apiKey = env.EQUALS_API_KEY;
  if (!apiKey)
    return { error: 'EQUALS_API_KEY is not set: the API key comes from that environment variable only', usage: false };
  return {
    baseUrl,
    apiKey,
    cardId: String(values.card),
    accountId: String(values.account),
    personId: String(values.person),
    ...(typeof values.method === 'string' && { method: values.method }),
    write: values.write === true,
  };
}
