// A server the mock or the contract check is pointed at: an http(s) URL, written without its trailing slash,
// that the client itself would accept as its baseUrl (src/core/base-url.ts: https, or http to loopback).
import { isSecureBaseUrl } from '../src/core/base-url.js';

/** What a refusal of such a URL says after the option's name. */
export const BASE_URL_RULE =
  'must be https://, or http:// to a loopback host (127.0.0.1, localhost, [::1]), with no user-info, query or fragment';

/**
 * `url` without trailing slashes, or `undefined` when it is not an https:// URL with a host, or an http://
 * one to loopback or to one of `insecureHosts` (a host named by an explicit opt-in).
 */
export function httpBaseUrl(url: string, insecureHosts: readonly string[] = []): string | undefined {
  const base = url.replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/i.test(base)) return undefined;
  try {
    const parsed = new URL(base);
    // As the client refuses them: user-info would travel (and be quoted by fetch errors); a query or a
    // fragment would swallow the operations' paths.
    if (parsed.href !== parsed.origin + parsed.pathname) return undefined;
    return isSecureBaseUrl(parsed, insecureHosts) ? base : undefined;
  } catch {
    return undefined;
  }
}
