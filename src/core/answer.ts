// Small pieces of every answer a face builds itself (the sandbox, the forwarder, the control API).

/** A JSON answer that no HTTP cache may keep: PINs and sandbox state are never cached. */
export function noStoreJson(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}

/**
 * Whether a browser marked the request as sent by another site's page (`Sec-Fetch-Site`). Tools send
 * no such header, and a page of the same origin says `same-origin`; a typed-in URL says `none`.
 */
export function fromAnotherSite(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  return !!site && site !== 'same-origin' && site !== 'none';
}
