// The headers every answer of the forwarder carries, refusals and `authorize`'s own Response included.
// An answer may hold a PIN: no cache keeps it, no browser sniffs it into something runnable, no page of
// another origin frames it or embeds it.

/** Set on every answer, overriding what a Response from `authorize` said. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

/** A copy of `response` (whose headers may be immutable) with the security headers set. */
export function withSecurityHeaders(response: Response): Response {
  const copy = new Response(response.body, response);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) copy.headers.set(name, value);
  return copy;
}
