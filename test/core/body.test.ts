// Body bounding (src/core/body.ts): at most `limit` bytes are kept whatever the stream or its headers
// claim, the rest is cancelled, and the text is what `Response.text()` would have given.
import { describe, expect, test } from 'vitest';
import { bounded, readCapped, truncated } from '../../src/core/body.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** A stream that sends `chunk` for ever and records whether it was cancelled and how often it was pulled. */
function endless(chunk: Uint8Array) {
  const seen = { pulls: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulls++;
      controller.enqueue(chunk);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

/** A stream of exactly these chunks. */
const chunked = (...chunks: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });

describe('readCapped', () => {
  test('an endless body: limit bytes kept, truncated, the rest cancelled', async () => {
    const { stream, seen } = endless(bytes('abc'));
    const read = await readCapped(stream, 10);
    expect(read).toEqual({ text: 'abcabcabca', truncated: true });
    expect(seen.cancelled).toBe(true);
    expect(seen.pulls).toBeLessThan(10);
  });

  test('exactly limit bytes over several chunks is whole; one byte more is cut', async () => {
    expect(await readCapped(chunked(bytes('abcd'), bytes('efgh')), 8)).toEqual({ text: 'abcdefgh', truncated: false });
    expect(await readCapped(chunked(bytes('abcd'), bytes('efghi')), 8)).toEqual({ text: 'abcdefgh', truncated: true });
    expect(await readCapped(chunked(bytes('abcdefghi')), 8)).toEqual({ text: 'abcdefgh', truncated: true });
  });

  test('decodes as Response.text() does: split characters, a BOM, bad bytes', async () => {
    const cases = [
      [bytes('é€😀')],
      [bytes('é€😀').subarray(0, 3), bytes('é€😀').subarray(3)],
      [new Uint8Array([0xef, 0xbb, 0xbf]), bytes('{"pin":"7268"}')],
      [new Uint8Array([0xff, 0xfe, 0x41, 0xc3])],
      [],
    ];
    for (const chunks of cases) {
      const expected = await new Response(chunked(...chunks)).text();
      expect((await readCapped(chunked(...chunks), 1000)).text).toBe(expected);
    }
  });

  test('no body reads as empty text', async () => {
    expect(await readCapped(null, 10)).toEqual({ text: '', truncated: false });
  });

  test('a chunk that is not bytes is an error, as for text(), and the rest is cancelled', async () => {
    let cancelled = false;
    const stream = new ReadableStream({
      pull: (controller) => controller.enqueue('a string'),
      cancel: () => {
        cancelled = true;
      },
    });
    await expect(readCapped(stream as ReadableStream<Uint8Array>, 10)).rejects.toThrow(TypeError);
    expect(cancelled).toBe(true);
  });

  test('a body that ignores the signal is cancelled at the first chunk after it fires', async () => {
    const { stream, seen } = endless(bytes('x'));
    const controller = new AbortController();
    const reason = new Error('deadline');
    controller.abort(reason);
    await expect(readCapped(stream, 1_000_000, controller.signal)).rejects.toBe(reason);
    expect(seen.cancelled).toBe(true);
    expect(seen.pulls).toBeLessThan(5);
  });
});

describe('bounded', () => {
  test('a lying Content-Length is not trusted: the body is cut at the limit all the same', async () => {
    const { stream, seen } = endless(bytes('0123456789'));
    const lying = new Response(stream, { status: 200, headers: { 'content-length': '4' } });
    const response = await bounded(lying, 64);
    expect(truncated.has(response)).toBe(true);
    expect(await response.text()).toBe('0123456789'.repeat(7).slice(0, 64));
    expect(seen.cancelled).toBe(true);
  });

  test('keeps status and headers, and a body within the limit whole', async () => {
    const original = new Response('{"message":"nope"}', { status: 503, headers: { 'retry-after': '2' } });
    const response = await bounded(original, 64);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(truncated.has(response)).toBe(false);
    expect(await response.json()).toEqual({ message: 'nope' });
  });

  test('no body stays no body', async () => {
    const response = await bounded(new Response(null, { status: 204 }), 64);
    expect(response.body).toBeNull();
  });
});
