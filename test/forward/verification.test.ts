// Issue 17, item 1: the backend vouches for how the cardholder was verified. Its method goes upstream on
// both operations, a browser that claims another is refused, its MFA fields replace the browser's, and a
// claim the spec refuses is the server's own fault. Nothing is forwarded on any refusal.
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { createPinForwarder } from '../../src/forward.js';
import type { VerificationClaim } from '../../src/forward.js';
import { API_KEY } from '../support/fetch.js';
import { secretLeaks } from '../support/secrets.js';
import {
  BACKEND_MFA,
  cardId,
  forwarderOver,
  inbound,
  MFA_SESSION,
  MFA_TOKEN,
  NEW_PIN,
  revealQuery,
  SECRETS,
  sandboxUpstream,
  sentUpstream,
  type Upstream,
} from './harness.js';

let upstream: Upstream;
beforeEach(() => {
  upstream = sandboxUpstream();
});

const vouch = (claim: VerificationClaim | unknown) => ({ verification: () => claim as VerificationClaim });

describe('creation', () => {
  test('without verification it throws, as without authorize', () => {
    const create = () => createPinForwarder({ apiKey: API_KEY, authorize: () => true } as never);
    expect(create).toThrow(/verification fails required/);
  });
});

describe('the backend’s method goes upstream', () => {
  test('a GET without a method from the browser carries the backend’s', async () => {
    const forward = forwarderOver(upstream, vouch({ method: 'OTP' }));
    const answer = await forward(inbound({ query: revealQuery() }));
    expect(answer.status).toBe(200);
    expect((await sentUpstream(upstream.requests[0]!)).cardholderVerificationMethod).toBe('OTP');
  });

  test('a GET whose method matches the backend’s goes as it is', async () => {
    const forward = forwarderOver(upstream, vouch({ method: 'BIOMETRIC_FACE' }));
    const answer = await forward(inbound({ query: revealQuery({ cardholderVerificationMethod: 'BIOMETRIC_FACE' }) }));
    expect(answer.status).toBe(200);
    expect((await sentUpstream(upstream.requests[0]!)).cardholderVerificationMethod).toBe('BIOMETRIC_FACE');
  });

  test('a PUT body carries the backend’s method, which the browser left out', async () => {
    const forward = forwarderOver(upstream, vouch({ method: 'BIOMETRIC_FINGERPRINT' }));
    const answer = await forward(inbound({ method: 'PUT', body: { pin: NEW_PIN } }));
    expect(answer.status).toBe(200);
    const sent = await sentUpstream(upstream.requests[0]!);
    expect(sent).toMatchObject({ pin: NEW_PIN, cardholderVerificationMethod: 'BIOMETRIC_FINGERPRINT' });
  });

  test('verification gets the request and the ids, after authorize let the request through', async () => {
    const calls: string[] = [];
    const verification = vi.fn((_request: Request, params: object) => {
      calls.push(`verification ${JSON.stringify(params)}`);
      return { method: 'LOGIN' as const };
    });
    const authorize = () => {
      calls.push('authorize');
      return true;
    };
    await forwarderOver(upstream, { authorize, verification })(inbound({ query: revealQuery() }));
    expect(calls[0]).toBe('authorize');
    expect(calls[1]).toContain(`"cardId":"${cardId}"`);
    expect(verification.mock.calls[0]![0]).toBeInstanceOf(Request);
    const refused = vi.fn(() => ({ method: 'LOGIN' as const }));
    await forwarderOver(upstream, { authorize: () => false, verification: refused })(inbound({ query: revealQuery() }));
    expect(refused).not.toHaveBeenCalled();
  });
});

describe('a browser that claims more than the backend vouches for', () => {
  test.each([
    ['GET', () => inbound({ query: revealQuery({ cardholderVerificationMethod: 'BIOMETRIC_FACE' }) })],
    ['PUT', () => inbound({ method: 'PUT', body: { pin: NEW_PIN, cardholderVerificationMethod: 'BIOMETRIC_FACE' } })],
  ])('%s: 403 naming the verification, nothing forwarded', async (_, request) => {
    const answer = await forwarderOver(upstream, vouch({ method: 'LOGIN' }))(request());
    expect(answer.status).toBe(403);
    expect(await answer.json()).toMatchObject({ code: 'verification' });
    expect(upstream.requests).toEqual([]);
    expect(upstream.sandbox.pinOf(cardId)).not.toBe(NEW_PIN);
  });
});

describe('MFA fields', () => {
  test('the backend’s replace the browser’s on a GET (query)', async () => {
    const forward = forwarderOver(upstream, vouch({ method: 'OTP', ...BACKEND_MFA }));
    await forward(inbound({ query: revealQuery({ sessionId: MFA_SESSION, token: MFA_TOKEN }) }));
    const sent = await sentUpstream(upstream.requests[0]!);
    expect(sent).toMatchObject({ sessionId: BACKEND_MFA.sessionId, token: BACKEND_MFA.token });
  });

  test('the backend’s replace the browser’s on a PUT (mfa in the body)', async () => {
    const forward = forwarderOver(upstream, vouch({ method: 'OTP', ...BACKEND_MFA }));
    const mfa = { sessionId: MFA_SESSION, token: MFA_TOKEN };
    await forward(inbound({ method: 'PUT', body: { pin: NEW_PIN, mfa } }));
    expect((await sentUpstream(upstream.requests[0]!)).mfa).toEqual(BACKEND_MFA);
  });

  test('without the backend’s, the browser’s pass through (the provider’s OTP flow)', async () => {
    const forward = forwarderOver(upstream, vouch({ method: 'OTP' }));
    await forward(inbound({ query: revealQuery({ sessionId: MFA_SESSION, token: MFA_TOKEN }) }));
    const mfa = { sessionId: MFA_SESSION, token: MFA_TOKEN };
    await forward(inbound({ method: 'PUT', body: { pin: NEW_PIN, mfa } }));
    expect(await sentUpstream(upstream.requests[0]!)).toMatchObject(mfa);
    expect((await sentUpstream(upstream.requests[1]!)).mfa).toEqual(mfa);
  });
});

describe('a claim the spec refuses is the server’s setup fault: 500, nothing forwarded', () => {
  test.each([
    ['a method outside the enum', { method: 'PASSWORD' }, /verification\.method fails enum/],
    ['no method', {}, /verification\.method fails required/],
    ['not an object', 'LOGIN', /verification fails type object/],
    ['an unknown field', { method: 'LOGIN', level: 2 }, /verification\.level fails additionalProperties/],
    ['an MFA token over the spec’s bound', { method: 'OTP', sessionId: 's', token: 'x'.repeat(65) }, /maxLength 64/],
    // The GET's query takes the two apart, but they are one proof: a session id alone is the backend's fault.
    ['a sessionId without its token', { method: 'OTP', sessionId: 's' }, /verification\.token fails required/],
    ['a token without its sessionId', { method: 'OTP', token: '123456' }, /verification\.sessionId fails required/],
  ])('%s', async (_, claim, message) => {
    const errors: unknown[] = [];
    const forward = forwarderOver(upstream, { ...vouch(claim), onError: (error) => errors.push(error) });
    for (const request of [inbound({ query: revealQuery() }), inbound({ method: 'PUT', body: { pin: NEW_PIN } })]) {
      const answer = await forward(request);
      expect(answer.status).toBe(500);
      expect(await answer.json()).toMatchObject({ code: 'verification_config' });
    }
    expect(upstream.requests).toEqual([]);
    expect(String(errors[0])).toMatch(message);
  });

  test('a PUT sessionId without its token (the claim’s field is named)', async () => {
    const errors: unknown[] = [];
    const claim = { method: 'OTP', sessionId: BACKEND_MFA.sessionId };
    const forward = forwarderOver(upstream, { ...vouch(claim), onError: (error) => errors.push(error) });
    const answer = await forward(inbound({ method: 'PUT', body: { pin: NEW_PIN } }));
    expect(answer.status).toBe(500);
    expect(String(errors[0])).toMatch(/verification\.token fails required/);
    expect(upstream.requests).toEqual([]);
  });

  test('the error names the field and the rule, never a value', async () => {
    const errors: unknown[] = [];
    const claim = { method: 'OTP', sessionId: BACKEND_MFA.sessionId, token: `${BACKEND_MFA.token}${'9'.repeat(64)}` };
    await forwarderOver(upstream, { ...vouch(claim), onError: (error) => errors.push(error) })(
      inbound({ query: revealQuery() }),
    );
    expect(errors).toHaveLength(1);
    expect(secretLeaks(errors[0], [...SECRETS, BACKEND_MFA.sessionId])).toEqual([]);
  });

  test('a verification that throws fails closed: 500, nothing forwarded', async () => {
    const verification = () => {
      throw new Error('session store down');
    };
    const answer = await forwarderOver(upstream, { verification })(inbound({ query: revealQuery() }));
    expect(answer.status).toBe(500);
    expect(upstream.requests).toEqual([]);
  });
});
