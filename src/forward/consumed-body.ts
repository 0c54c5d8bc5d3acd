// A body parser in front of the forwarder (express.json(), for one) reads the body first: a PUT would
// then arrive PIN-less and the provider would set a random PIN. This notices it.

/**
 * The request with its body watched as it is read: `bodyWasConsumed()` is true when a body announced by
 * Content-Length or chunked encoding turned out empty, because something in front had read it already.
 */
export function watchForConsumedBody(request: Request): { request: Request; bodyWasConsumed: () => boolean } {
  // A body announced by its length, or streamed in chunks (which announces one without saying how long).
  const announced = Number(request.headers.get('content-length')) > 0 || request.headers.has('transfer-encoding');
  if (!announced) return { request, bodyWasConsumed: () => false };
  // Announced, yet handed over as no body at all: an adapter behind a body parser. Consumed, not empty.
  if (!request.body) return { request, bodyWasConsumed: () => true };
  let bytes = 0;
  let empty = false;
  const body = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
      flush() {
        empty = bytes === 0;
      },
    }),
  );
  // Built from its parts, not copied with `new Request(request, …)`: adapters hand over Requests of their
  // own classes (@whatwg-node/server's, @hono/node-server's without its global override), which the
  // runtime's Request cannot copy. `duplex` declares a streamed body; not yet in every RequestInit type.
  const { url, method, headers } = request;
  return {
    request: new Request(url, { method, headers, body, duplex: 'half' } as RequestInit),
    bodyWasConsumed: () => empty,
  };
}
