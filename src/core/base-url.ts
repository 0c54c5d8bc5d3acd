// Where a key and a PIN may travel: one rule for the client's baseUrl, the mock's upstream and the
// contract command's base URL. Browser-safe: no Node imports.

/** The host names that stay on this machine, as `URL.hostname` spells them. */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Whether a server at `url` may be sent a key or a PIN: https, or plain http to a loopback host (over
 * plain http to anywhere else both would travel in clear). `insecureHosts` names hosts that plain http
 * may reach as well, for a stub in a container; it is never a default.
 */
export function isSecureBaseUrl(url: URL, insecureHosts: readonly string[] = []): boolean {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.toLowerCase();
  return LOOPBACK_HOSTNAMES.includes(host) || insecureHosts.some((name) => name.toLowerCase() === host);
}
