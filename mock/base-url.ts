// A server the mock or the contract check is pointed at: an http(s) URL, written without its trailing slash,
// that the client itself would accept as its baseUrl (src/core/base-url.ts: https, or http to loopback).
import { isSecureBaseUrl, LOOPBACK_HOSTNAMES } from '../src/core/base-url.js';

/** The loopback names, as messages and the usage list them. */
export const LOOPBACK_LIST = LOOPBACK_HOSTNAMES.join(', ');

/** What a refusal of such a URL says after the option's name. */
export const BASE_URL_RULE = `must be https://, or http:// to a loopback host (${LOOPBACK_LIST}), with no user-info, query or fragment`;

/**
 * `url` as parsed (the origin and path that fetch will use) without trailing slashes, or `undefined` when
 * it is not an https:// URL with a host, or an http:// one to loopback or to one of `insecureHosts` (a
 * host named by an explicit opt-in).
 */
export function httpBaseUrl(url: string, insecureHosts: readonly string[] = []): string | undefined {
  // A backslash is a slash to URL parsing (`https://evil.example\@api.equalsmoney.com` is evil.example),
  // and tabs and newlines are dropped by it: either makes the URL as read differ from the URL as used.
  if (!/^https?:\/\/[^\s/\\]+/i.test(url) || /[\\\s]/.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    // As the client refuses them: user-info would travel (and be quoted by fetch errors); a query or a
    // fragment would swallow the operations' paths.
    if (parsed.href !== parsed.origin + parsed.pathname) return undefined;
    // The parsed URL, not the string as typed: what was checked is what is used.
    return isSecureBaseUrl(parsed, insecureHosts) ? parsed.href.replace(/\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
}
