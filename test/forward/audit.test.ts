// Issue 17, item 3: one audit event per request on every branch, awaited, with the fields the issue
// lists and no secret (the same scan as the errors'); a failed audit of a success answers 500, PIN-less.
import { describe, expect, test, vi } from 'vitest';
import type { PinAuditEvent } from '../../src/forward.js';
import { secretLeaks } from '../support/secrets.js';
import {
  accountId,
  branches,
  cardId,
  EXAMPLE_PIN,
  expectNoSecretIn,
  forwarderOver,
  inbound,
  NEW_PIN,
  personId,
  revealQuery,
  SECRETS,
  sandboxUpstream,
} from './harness.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('one event per request, on every branch', () => {
  test.each(Object.keys(branches))('%s', async (name) => {
    const branch = branches[name]!;
    const upstream = sandboxUpstream();
    branch.arrange?.(upstream);
    const events: PinAuditEvent[] = [];
    const onAudit = vi.fn((event: PinAuditEvent, _request: Request) => void events.push(event));
    const forward = forwarderOver(upstream, { ...branch.options?.(upstream), onAudit });
    const answer = await forward(branch.request());
    const body = await answer.text();
    expect(answer.status).toBe(branch.status);
    expect(onAudit).toHaveBeenCalledTimes(1);
    expect(onAudit.mock.calls[0]![1]).toBeInstanceOf(Request);
    const [event] = events;
    // Only what reaches the provider is a success or the provider's own failure.
    const reachesUpstream = branch.outcome === 'success' || branch.outcome === 'upstream_error';
    expect(event).toMatchObject({
      status: branch.status,
      outcome: branch.outcome,
      forwarded: reachesUpstream,
    });
    // Held to the table, not to what happened: a refusal that went upstream anyway fails here.
    expect(upstream.requests.length > 0).toBe(reachesUpstream);
    expect(event!.code).toBe(branch.code);
    if (branch.code && !branch.teamsBody) expect(JSON.parse(body).code).toBe(branch.code);
    expect(event!.time).toMatch(ISO_UTC);
    expect(event!.durationMs).toBeGreaterThanOrEqual(0);
    if (branch.ids) {
      expect(event).toMatchObject({ accountId, personId });
      expect(event!.cardId).toBeTypeOf('string');
    } else {
      expect(event).not.toHaveProperty('cardId');
    }
    if (branch.outcome === 'success' || branch.outcome === 'upstream_error') {
      expect(event!.cardholderVerificationMethod).toBe('LOGIN');
      expect(event!.requestId).toMatch(/^req-\d$/);
    }
    expect(secretLeaks(event, SECRETS)).toEqual([]);
  });

  test('a request body stream that breaks mid-read is audited too (500)', async () => {
    const events: PinAuditEvent[] = [];
    const body = new ReadableStream({
      pull: (controller) => controller.error(new Error('connection reset')),
    });
    const request = new Request(`${inbound().url}`, {
      method: 'PUT',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    } as RequestInit);
    const answer = await forwarderOver(sandboxUpstream(), { onAudit: (event) => void events.push(event) })(request);
    expect(answer.status).toBe(500);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 500, outcome: 'error' });
  });

  test('the event names the backend’s method, and only known fields', async () => {
    const events: PinAuditEvent[] = [];
    const forward = forwarderOver(sandboxUpstream(), {
      verification: () => ({ method: 'OTP', sessionId: 'backend-session-1', token: '246810' }),
      onAudit: (event) => void events.push(event),
    });
    await forward(inbound({ query: revealQuery() }));
    expect(Object.keys(events[0]!).sort()).toEqual(
      [
        'accountId',
        'cardId',
        'cardholderVerificationMethod',
        'durationMs',
        'forwarded',
        'operation',
        'outcome',
        'personId',
        'requestId',
        'status',
        'time',
      ].sort(),
    );
    expect(events[0]).toMatchObject({ cardId, cardholderVerificationMethod: 'OTP', operation: 'getPin' });
    expect(secretLeaks(events[0], [...SECRETS, '246810'])).toEqual([]);
  });

  test('the answer waits for the audit', async () => {
    let recorded = false;
    const onAudit = () =>
      new Promise<void>((done) =>
        setTimeout(() => {
          recorded = true;
          done();
        }, 50),
      );
    await forwarderOver(sandboxUpstream(), { onAudit })(inbound({ query: revealQuery() }));
    expect(recorded).toBe(true);
  });
});

describe('a failing audit', () => {
  const failing = () => Promise.reject(new Error('audit store down'));

  test('of a reveal: 500, and the PIN does not leave', async () => {
    const errors: unknown[] = [];
    const upstream = sandboxUpstream();
    const forward = forwarderOver(upstream, { onAudit: failing, onError: (error) => errors.push(error) });
    const answer = await forward(inbound({ query: revealQuery() }));
    expect(answer.status).toBe(500);
    expect(JSON.parse(await expectNoSecretIn(answer))).toMatchObject({ code: 'audit' });
    expect(upstream.requests).toHaveLength(1);
    expect(String(errors.at(-1))).toMatch(/audit store down/);
  });

  test('of a PIN change: 500 without the PIN, though the provider has changed it', async () => {
    const upstream = sandboxUpstream();
    const answer = await forwarderOver(upstream, { onAudit: failing })(
      inbound({ method: 'PUT', body: { pin: NEW_PIN } }),
    );
    expect(answer.status).toBe(500);
    await expectNoSecretIn(answer);
    expect(upstream.sandbox.pinOf(cardId)).toBe(NEW_PIN);
  });

  test('that throws synchronously, or never answers, is a failure too', async () => {
    const throwing = () => {
      throw new Error('sync');
    };
    const hanging = () => new Promise<void>(() => {});
    for (const onAudit of [throwing, hanging]) {
      const started = Date.now();
      const answer = await forwarderOver(sandboxUpstream(), { onAudit, timeoutMs: 200 })(
        inbound({ query: revealQuery() }),
      );
      expect(answer.status).toBe(500);
      expect(Date.now() - started).toBeLessThan(2 * 200 + 2000); // the upstream call and the audit, each held
      expect(await answer.text()).not.toContain(EXAMPLE_PIN);
    }
  });

  test.each(Object.keys(branches).filter((name) => branches[name]!.outcome !== 'success'))(
    'changes nothing in a refusal or failure: %s',
    async (name) => {
      const branch = branches[name]!;
      const answerWith = async (onAudit?: () => Promise<never>) => {
        const upstream = sandboxUpstream();
        branch.arrange?.(upstream);
        const answer = await forwarderOver(upstream, { ...branch.options?.(upstream), onAudit })(branch.request());
        return { status: answer.status, body: await answer.text() };
      };
      const audit = vi.fn(failing);
      const withFailingAudit = await answerWith(audit);
      expect(audit).toHaveBeenCalledTimes(1);
      expect(withFailingAudit.status).toBe(branch.status);
      // The same answer, to the byte, as without any audit.
      expect(withFailingAudit).toEqual(await answerWith());
    },
  );
});
