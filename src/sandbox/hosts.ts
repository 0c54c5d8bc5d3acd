// The mock answers loopback host names only. A page that uses DNS rebinding reaches 127.0.0.1 under its
// own name (evil.example), same-origin as far as the browser knows, so Sec-Fetch-Site does not help; the
// Host header still names the page's host, and that is refused. Containers add their own names.
import { noStoreJson } from '../core/answer.js';
import { LOOPBACK_HOSTNAMES } from '../core/base-url.js';

// A host name or an IPv4 address, or an IPv6 address in brackets; then an optional port.
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::\d{1,5})?$/i;
const NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)*)$/i;

/** Whether `name` is a host name an option or a flag may add (no port, scheme or path). */
export const isHostName = (name: string): boolean => NAME.test(name);

/** Whether a Host header value names a loopback host (the client's list) or one of `extra`, on any port. */
export function isAllowedHost(host: string | null | undefined, extra: readonly string[] = []): boolean {
  const name = HOST.exec(host ?? '')?.[1]?.toLowerCase();
  if (!name) return false;
  return LOOPBACK_HOSTNAMES.includes(name) || extra.some((allowed) => allowed.toLowerCase() === name);
}

/** The answer to a request for a host that is not allowed: 403, and nothing read or changed. */
export const hostRefusal = (): Response =>
  noStoreJson(403, {
    message: 'This host name is not allowed; add it with --allow-host NAME (or allowHosts)',
    code: 'host',
  });

/** `hostRefusal()` when the request names a host that is not allowed, else undefined. */
export function foreignHostRefusal(request: Request, extra: readonly string[] = []): Response | undefined {
  if (!isAllowedHost(request.headers.get('host') ?? new URL(request.url).host, extra)) return hostRefusal();
}
