// One way to bound a body, for the client's responses and for the requests the sandbox and the
// forwarder read: whatever the other side sends (an endless stream, a lying Content-Length, a gzip
// bomb once decoded), at most `limit` bytes are kept, and the rest is cancelled, which frees the connection.
// A reader loop rather than a TransformStream and a second Response: web streams are the slowest part of
// Node's fetch, and the loop costs about what `response.text()` does (issue 16). Headers are never trusted
// for the bound: a stubbed fetch can send any Content-Length, and a browser hides Content-Encoding cross-origin.

/** The responses `bounded` had to cut. */
export const truncated = new WeakSet<Response>();

/** Decodes as `Response.text()` does: UTF-8, a leading BOM dropped, bad bytes replaced. */
const utf8 = new TextDecoder();

/**
 * A body read as text up to `limit` bytes; `truncated` says that more was sent, and the rest was cancelled.
 * Stops at the first chunk read after `signal` fired, so a body that ignores the signal is still let go.
 * `decoder` reads the bytes: by default as `text()` does; request bodies keep a BOM (src/core/request.ts).
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  signal?: AbortSignal,
  decoder = utf8,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let cut = false;
  const reader = body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    // As `text()` would, a stream of anything but bytes is an error, not a body.
    const bytes = value instanceof Uint8Array;
    cut = !bytes || value.byteLength > limit - size;
    if (bytes) chunks.push(cut ? value.subarray(0, limit - size) : value);
    size += value.byteLength;
    if (cut || signal?.aborted) {
      // `String` swallows the rejection of a body that already failed.
      reader.cancel().catch(String);
      signal?.throwIfAborted();
      if (!bytes) throw new TypeError('a body chunk is not a Uint8Array');
      break;
    }
  }
  // One chunk (the common case) is decoded as it is; several are joined by a Blob, smaller than a copy loop.
  const all = chunks.length === 1 ? chunks[0] : await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer();
  return { text: decoder.decode(all), truncated: cut };
}

/** `response` with its body read up to `limit` bytes; it joins `truncated` when more came. */
export async function bounded(response: Response, limit: number, signal?: AbortSignal): Promise<Response> {
  const { text, truncated: cut } = await readCapped(response.body, limit, signal);
  const copy = new Response(response.body ? text : null, response);
  if (cut) truncated.add(copy);
  return copy;
}

/**
 * The JSON object a body's text holds, or the rule it breaks: `format` when it is not JSON, `type` when
 * it is JSON but not an object (an array, a string, `null`).
 */
export function parseJsonObject(text: string): { object: Record<string, unknown> } | { broken: 'format' | 'type' } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { broken: 'format' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { broken: 'type' };
  return { object: value as Record<string, unknown> };
}
