// Issue 17, item 4: the security headers on every answer of the forwarder, refusals and authorize's own
// Response included (one test per branch of the harness's table).
import { describe, expect, test } from 'vitest';
import { type PinAuditEvent, SECURITY_HEADERS } from '../../src/forward.js';
import { branches, forwarderOver, inbound, revealQuery, sandboxUpstream } from './harness.js';

const expected = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

const headersOf = (response: Response) =>
  Object.fromEntries(Object.keys(expected).map((name) => [name, response.headers.get(name)]));

describe('security headers', () => {
  test('are the ones the issue asks for', () => {
    expect(SECURITY_HEADERS).toEqual(expected);
  });

  test.each(Object.keys(branches))('%s', async (name) => {
    const branch = branches[name]!;
    const upstream = sandboxUpstream();
    branch.arrange?.(upstream);
    const answer = await forwarderOver(upstream, branch.options?.(upstream))(branch.request());
    expect(answer.status).toBe(branch.status);
    expect(headersOf(answer)).toEqual(expected);
  });

  test('override what a Response from authorize said, and keep the rest of it', async () => {
    const own = new Response('{"message":"Sign in"}', {
      status: 401,
      headers: { 'cache-control': 'public, max-age=600', 'www-authenticate': 'Session', 'x-frame-options': 'ALLOW' },
    });
    const answer = await forwarderOver(sandboxUpstream(), { authorize: () => own })(inbound({ query: revealQuery() }));
    expect(headersOf(answer)).toEqual(expected);
    expect([answer.status, answer.headers.get('www-authenticate'), await answer.text()]).toEqual([
      401,
      'Session',
      '{"message":"Sign in"}',
    ]);
  });

  test('on a Response whose headers are immutable (one fetched elsewhere)', async () => {
    const fetched = await fetch('data:text/plain,no');
    const answer = await forwarderOver(sandboxUpstream(), { authorize: () => fetched })(
      inbound({ query: revealQuery() }),
    );
    expect(headersOf(answer)).toEqual(expected);
    // authorize's own answer, as it was: a copy with the headers, not a 500 made of a crash.
    expect([answer.status, await answer.text()]).toEqual([200, 'no']);
  });

  test('a Response from authorize whose body was already read: a 500 with the headers, not a crash', async () => {
    const used = new Response('{"message":"no"}', { status: 401 });
    await used.text();
    const events: PinAuditEvent[] = [];
    const onAudit = (event: PinAuditEvent) => void events.push(event);
    const answer = await forwarderOver(sandboxUpstream(), { authorize: () => used, onAudit })(
      inbound({ query: revealQuery() }),
    );
    expect(answer.status).toBe(500);
    expect(headersOf(answer)).toEqual(expected);
    // The audit trail records the answer that was sent, not the one that could not be.
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 500, outcome: 'error', code: 'internal' });
  });
});
