// One way to bound a body, for the client's responses and for the requests the sandbox and the
// forwarder read: whatever the other side sends (an endless stream, a lying Content-Length, a gzip
// bomb once decoded), at most `limit` bytes pass, and the rest is cancelled, which frees the connection.

/** The responses `bounded` had to cut. */
export const truncated = new WeakSet<Response>();

/** `body` as a Response that yields at most `limit` bytes; it joins `truncated` when more came. */
export function bounded(body: ReadableStream<Uint8Array> | null, limit: number, init?: ResponseInit): Response {
  let left = limit;
  const response = new Response(
    body?.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, stream) {
          stream.enqueue(chunk.subarray(0, left));
          left -= chunk.length;
          if (left < 0) {
            truncated.add(response);
            stream.terminate();
          }
        },
      }),
    ),
    init,
  );
  return response;
}

/** A body read as text up to `limit` bytes, for requests; `truncated` says that more was sent. */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<{ text: string; truncated: boolean }> {
  const response = bounded(body, limit);
  const text = await response.text();
  return { text, truncated: truncated.has(response) };
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
