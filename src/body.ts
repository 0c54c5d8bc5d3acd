// Reads a body stream as UTF-8 text, never holding more than `maxBytes`: whatever the other side sends
// (an endless stream, a lying Content-Length), memory stays bounded and the stream is released.

export interface CappedText {
  text: string;
  /** The body went on past `maxBytes`; `text` holds only what came before. */
  truncated: boolean;
}

export async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<CappedText> {
  if (!body) return { text: '', truncated: false };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), truncated: false };
      const room = maxBytes - size;
      size += value.byteLength;
      if (size > maxBytes) return { text: text + decoder.decode(value.subarray(0, room)), truncated: true };
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    // Stops the producer (and frees its connection) when we leave early; a no-op once it is done.
    reader.cancel().catch(() => {});
  }
}
