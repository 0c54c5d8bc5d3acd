// Issue 21, point 3: a PUT whose body is not a JSON object gets the spec's 400 from the guard in front
// of Prism, on the oldest Prism the devDependencies hold (5.14.2, as `prism-oldest`) and the newest, on
// the API port and the sandbox's own port, stateful and stateless, and nothing changes. Prism 5.16 never
// answered such a PUT, and 5.14.2 answered with a body of its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { exampleCard } from '../../generated/pin-examples.js';
import { PRISM } from '../../mock/prism.js';
import { startPinMock, type PinMock, type StatefulPinMock } from '../../mock/start.js';
import { root } from '../support/run.js';

// Which installed Prism the mock runs: the peer as installed, or the older one beside it.
const chosen = vi.hoisted(() => ({ folder: '' }));
vi.mock('../../mock/peers.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../mock/peers.js')>();
  return {
    ...real,
    requirePeer(name: string, forWhat: string) {
      const peer = real.requirePeer(name, forWhat);
      if (name !== PRISM || !chosen.folder) return peer;
      const manifest = JSON.parse(readFileSync(join(chosen.folder, 'package.json'), 'utf8'));
      return { ...peer, folder: chosen.folder, version: manifest.version, manifest };
    },
  };
});

const KEY = 'json-body-key-77a';
const { cardId, accountId, personId } = exampleCard;
const pinPath = `/v2/cards/${cardId}/pin?accountId=${accountId}&personId=${personId}`;
// [body, rule, Content-Type]: a rule of `mediaType` is the spec's 415. Review F1: a leading BOM (RFC 8259
// forbids one) and a JSON charset other than UTF-8 were let through to Prism 5.16, which never answered.
const BROKEN: [string, string, string?][] = [
  ['\ufeff{"pin":"1234"}', 'format'],
  ['{"pin":"1234"}', 'mediaType', 'application/json; charset=utf-16'],
  ['{"pin":', 'format'],
  ['not json', 'format'],
  ['[]', 'type'],
  ['"x"', 'type'],
  ['null', 'type'],
];
// Fails a request that hangs (the bug) instead of waiting for the test's own timeout.
const HANG_MS = 10_000;

const put = (base: string, body: string, contentType = 'application/json') =>
  fetch(`${base}${pinPath}`, {
    method: 'PUT',
    headers: { authorization: `ApiKey ${KEY}`, 'content-type': contentType },
    body,
    signal: AbortSignal.timeout(HANG_MS),
  });

/** The running Prism's version, read from its command line: it must be the one this block chose. */
const prismVersionOf = (pid: number) => {
  const bin = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    .split('\0')
    .find((arg) => /prism.*index\.js$/.test(arg))!;
  return JSON.parse(readFileSync(join(bin, '..', '..', 'package.json'), 'utf8')).version as string;
};

describe.each([
  ['the newest Prism', join(root, 'node_modules/@stoplight/prism-cli')],
  ['the oldest Prism', join(root, 'node_modules/prism-oldest')],
])('%s', (_, folder) => {
  const version = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).version;
  let stateful: StatefulPinMock;
  let stateless: PinMock;
  beforeAll(async () => {
    chosen.folder = folder;
    stateful = await startPinMock({ apiKeys: [KEY] });
    stateless = await startPinMock({ stateless: true });
    chosen.folder = '';
  }, 60_000);
  afterAll(async () => {
    await stateful?.stop();
    await stateless?.stop();
  });

  test(`runs Prism ${version}`, () => {
    expect([prismVersionOf(stateful.pid), prismVersionOf(stateless.pid)]).toEqual([version, version]);
  });

  describe.each(['API port', 'sandbox port', 'stateless API port'])('%s', (port) => {
    const base = () => ({ 'API port': stateful.url, 'sandbox port': stateful.sandboxUrl })[port] ?? stateless.url;

    test.each(BROKEN)(
      'body %j (%s, %s): the spec’s 400 naming the body and its rule (415 for its media type), and no state change',
      async (body, rule, contentType) => {
        stateful.sandbox.setPin(cardId, '8642');
        const answer = await put(base(), body, contentType);
        expect(answer.headers.get('content-type')).toBe('application/json');
        if (rule === 'mediaType') {
          expect(answer.status).toBe(415);
          expect(await answer.json()).toMatchObject({ message: expect.stringMatching(/application\/json.*UTF-8/) });
        } else {
          expect(answer.status).toBe(400);
          expect(await answer.json()).toEqual({
            message: `body fails ${rule} ${rule === 'format' ? 'json' : 'object'}`,
            code: rule,
          });
        }
        expect(stateful.sandbox.pinOf(cardId)).toBe('8642');
      },
    );

    test('a body over 16 KiB gets the spec’s 400, and nothing changes', async () => {
      stateful.sandbox.setPin(cardId, '8642');
      const answer = await put(base(), `{"pin":"1470","pad":"${'x'.repeat(20_000)}"}`);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toEqual({ message: 'body fails maxBytes 16384', code: 'maxBytes' });
      expect(stateful.sandbox.pinOf(cardId)).toBe('8642');
    });

    test('a body sent as text/plain gets the spec’s 415', async () => {
      const answer = await put(base(), 'not json', 'text/plain');
      expect(answer.status).toBe(415);
      expect(Object.keys(await answer.json())).toContain('message');
    });

    test('a valid body still goes through, byte for byte', async () => {
      stateful.sandbox.setPin(cardId, '8642');
      const answer = await put(base(), ' {"pin" : "1470"} ');
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ success: true });
      if (port !== 'stateless API port') expect(stateful.sandbox.pinOf(cardId)).toBe('1470');
    });
  });
});
