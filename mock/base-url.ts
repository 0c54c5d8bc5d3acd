// A server the mock or the contract check is pointed at: an http(s) URL, written without its trailing slash.

/** `url` without trailing slashes, or `undefined` when it is not an http:// or https:// URL with a host. */
export function httpBaseUrl(url: string): string | undefined {
  const base = url.replace(/\/+$/, '');
  return /^https?:\/\/[^\s/]+/.test(base) ? base : undefined;
}
