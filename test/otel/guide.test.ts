// docs/tracing.md tells the truth: every TypeScript block type-checks against the built package (as an app
// with the OpenTelemetry packages installed would compile it), the breadcrumb hook runs, and the trace tree it
// shows is the one the real SDK exports for that request (rendered here and compared line for line).
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { pinStartSpanHook } from '../../src/otel.js';
import { EXAMPLE_PIN, MFA_SESSION, MFA_TOKEN } from '../forward/harness.js';
import { docExample, typeCheck } from '../support/docs.js';
import { root } from '../support/run.js';
import { answer, revealWithMfa, startApi, startTracing } from './tracing.js';

const GUIDE = 'docs/tracing.md' as const;
const BLOCKS = ['node-setup', 'client', 'forwarder', 'browser-setup', 'breadcrumbs'];
const guideExample = (name: string, lang = 'ts') => docExample(GUIDE, name, lang);

/** The blocks as files in test-results/otel-guide, with the `./session.js` the forwarder's block imports. */
function writeBlocks(): string {
  const dir = join(root, 'test-results', 'otel-guide');
  mkdirSync(dir, { recursive: true });
  for (const name of BLOCKS) writeFileSync(join(dir, `${name}.ts`), guideExample(name));
  writeFileSync(
    join(dir, 'session.ts'),
    'export const cardsOfSession = async (request: Request): Promise<string[]> => (request.headers.has("cookie") ? ["c1"] : []);\n',
  );
  return dir;
}

const SHOWN = [
  'http.request.method',
  'http.response.status_code',
  'error.type',
  'server.address',
  'url.path',
  'url.query',
  'pin.operation',
  'pin.forward.outcome',
  'pin.forward.code',
  'pin.forward.forwarded',
];
const KINDS = ['INTERNAL', 'SERVER', 'CLIENT'];

/** The spans as a tree of text: name, kind, status, and the attributes a reader looks at (ports and times left out). */
function renderTree(spans: readonly ReadableSpan[]): string {
  const byStart = [...spans].sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
  const children = (parent?: string) => byStart.filter((span) => span.parentSpanContext?.spanId === parent);
  const lines: string[] = [];
  const walk = (span: ReadableSpan, prefix: string, last: boolean, top: boolean) => {
    const status = span.status.code === 2 ? ' ERROR' : '';
    lines.push(`${top ? '' : `${prefix}${last ? '└─ ' : '├─ '}`}${span.name} (${KINDS[span.kind]}${status})`);
    const inner = top ? '' : `${prefix}${last ? '   ' : '│  '}`;
    const kids = children(span.spanContext().spanId);
    for (const key of SHOWN) {
      if (span.attributes[key] !== undefined)
        lines.push(`${inner}${kids.length ? '│' : ' '}    ${key}: ${span.attributes[key]}`);
    }
    for (const [i, kid] of kids.entries()) walk(kid, inner, i === kids.length - 1, false);
  };
  for (const rootSpan of children(undefined)) walk(rootSpan, '', true, true);
  return lines.join('\n');
}

describe('docs/tracing.md', () => {
  test('every TypeScript block type-checks against the built package', async () => {
    const dir = writeBlocks();
    const { status, output } = await typeCheck(dir, [...BLOCKS.map((name) => `${name}.ts`), 'session.ts']);
    expect(output).toBe('');
    expect(status).toBe(0);
  }, 60_000);

  test('the breadcrumb hook redacts a PIN URL and leaves other breadcrumbs alone', async () => {
    const dir = writeBlocks();
    const { beforeBreadcrumb } = await import(join(dir, 'breadcrumbs.ts'));
    const pinUrl = `/api/equals/v2/cards/c1/pin?accountId=F1&sessionId=${MFA_SESSION}&token=${MFA_TOKEN}`;
    expect(beforeBreadcrumb({ category: 'fetch', data: { url: pinUrl, method: 'GET' } })).toEqual({
      category: 'fetch',
      data: { url: '/api/equals/v2/cards/c1/pin?accountId=F1&sessionId=REDACTED&token=REDACTED', method: 'GET' },
    });
    expect(beforeBreadcrumb({ category: 'ui.click', message: 'button' })).toEqual({
      category: 'ui.click',
      message: 'button',
    });
  });

  describe('the trace tree it shows', () => {
    const tracing = startTracing({ startSpanHook: pinStartSpanHook });
    afterAll(() => tracing.stop());

    test('is what the SDK exports for a reveal with a second factor, retried once upstream', async () => {
      const upstream = await startApi((_, hit, response) =>
        hit === 1 ? answer(response, 503, { message: 'Unavailable' }) : answer(response, 200, { pin: EXAMPLE_PIN }),
      );
      try {
        expect((await revealWithMfa(tracing.tracer, upstream.url)).status).toBe(200);
      } finally {
        await upstream.close();
      }
      expect(renderTree(tracing.spans())).toBe(guideExample('trace-tree', 'text').trimEnd());
    });
  });
});
