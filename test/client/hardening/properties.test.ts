// Property tests: any string in any id, any string as a PIN. The client either refuses it before
// sending, or sends exactly one request that carries the value intact and nothing else.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createPinClient, PinValidationError } from '../../../src/index.js';
import { scriptedFetch, seedGet, seedPut, json } from '../../support/fetch.js';
import { secretLeaks } from '../../support/secrets.js';
import { requestProblems } from '../../support/spec-validator.js';

const RUNS = Number(process.env.PIN_FUZZ_RUNS ?? 2000);
const API_KEY = 'sk_prop_77a1b2';

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 37, maxLength: 80 }),
  fc
    .array(
      fc.constantFrom(
        '/',
        '.',
        '..',
        '?',
        '#',
        '%',
        '%2F',
        '%2e',
        '&',
        '=',
        '+',
        ' ',
        '\r',
        '\n',
        '\0',
        '\t',
        '\\',
        'X-Injected: 1',
        '\uD800',
        '\uDC00',
        '😀',
        'é',
        '\u202E',
        'a',
        '7',
      ),
      { maxLength: 14 },
    )
    .map((parts) => parts.join('')),
  fc.constantFrom('', '.', '..', '/', '%2e%2e'),
);

const problemsWith = ({ cardId, ...query }: Record<string, string>) =>
  requestProblems(
    'GET',
    `https://api.equalsmoney.com/v2/cards/${encodeURIComponent(cardId!)}/pin?${new URLSearchParams(query)}`,
  );

/** Path segment and query as the server would read them. */
function readBack(url: URL) {
  const match = /^\/v2\/cards\/([^/]*)\/pin$/.exec(url.pathname);
  return { cardId: match ? decodeURIComponent(match[1]!) : undefined, query: Object.fromEntries(url.searchParams) };
}

describe.each(['cardId', 'accountId', 'personId'] as const)('any string as %s', (field) => {
  test(`is refused before sending, or sent intact to the one right path (${RUNS} runs)`, async () => {
    const { fetch, calls } = scriptedFetch(() => json({ pin: '7268' }));
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: false });
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        calls.length = 0;
        const input = { ...seedGet, [field]: value };
        const outcome = await client.getPin(input).then(
          () => 'sent',
          (e: unknown) => e,
        );
        if (outcome !== 'sent') {
          const { field: named, rule } = outcome as PinValidationError;
          expect(outcome).toBeInstanceOf(PinValidationError);
          expect(named).toBe(field);
          expect(calls).toHaveLength(0);
          expect(secretLeaks(outcome, [API_KEY])).toEqual([]);
          // The client refuses what the spec refuses, plus what no URL can carry (dot segments, lone surrogates).
          if (rule !== 'wellFormed' && rule !== 'not') expect(problemsWith(input)).not.toEqual([]);
          return;
        }
        expect(calls).toHaveLength(1);
        const { url, headers } = calls[0]!;
        const { cardId, query } = readBack(url);
        expect(cardId).toBe(input.cardId);
        expect(query).toEqual({
          accountId: input.accountId,
          personId: input.personId,
          cardholderVerificationMethod: input.cardholderVerificationMethod,
        });
        expect([...headers.keys()].sort()).toEqual(['authorization']);
        // Whatever the client sends, the spec accepts.
        expect(problemsWith(input)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('any string as a PIN', () => {
  const pins = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.stringMatching(/^[0-9]{3,5}$/),
    fc.stringMatching(/^[0-9]{4}$/),
  );

  test(`only exactly 4 ASCII digits are ever sent, and refusals never quote the PIN (${RUNS} runs)`, async () => {
    let sent = 0;
    const { fetch, calls } = scriptedFetch(() => json({ success: true }));
    const client = createPinClient({ apiKey: API_KEY, fetch, retry: false });
    await fc.assert(
      fc.asyncProperty(pins, async (pin) => {
        calls.length = 0;
        const outcome = await client.updatePin({ ...seedPut, pin }).then(
          () => 'sent',
          (e: unknown) => e,
        );
        if (outcome === 'sent') {
          sent++;
          expect(calls).toHaveLength(1);
          const body = JSON.parse(calls[0]!.body);
          expect(body.pin).toBe(pin);
          expect(body.pin).toMatch(/^[0-9]{4}$/);
        } else {
          expect(outcome).toBeInstanceOf(PinValidationError);
          expect(calls).toHaveLength(0);
          // A digits-only value is what a leaked PIN would look like in a log.
          if (/^[0-9]{3,}$/.test(pin)) expect(secretLeaks(outcome, [pin, API_KEY])).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
    expect(sent).toBeGreaterThan(0);
  });
});
