// The fetch the client hands to openapi-fetch: it adds the client's own key, refuses every redirect, and
// reads bodies only up to a limit, so the careful part holds for `raw` calls too.
import { bounded } from '../core/body.js';
import { PinApiError, scrubbed, transportError } from './errors.js';
import { checkKey, type PinClientOptions } from './options.js';

/** Decoded bytes kept of a 2xx body (more is refused) and of an error body (more is cut off). */
export const SUCCESS_LIMIT = 65_536;
const ERROR_LIMIT = 8192;

/**
 * fetch with the key set, redirects refused and bodies bounded. With `readsSuccessItself`, a 2xx comes back
 * untouched, for a caller that reads it with the same bound (the client's own calls, which save a copy).
 */
export function fetchWithKeyNoRedirect(
  { apiKey, fetch: custom }: PinClientOptions,
  operation: string,
  readsSuccessItself?: boolean,
): (request: Request) => Promise<Response> {
  // A fixed key was checked at creation, so its header is built once; a key function's answer, on every request.
  const fixedKey = typeof apiKey === 'string' && `ApiKey ${apiKey}`;
  // The client's own calls wrap a failure themselves (send.ts: retryable, or the deadline's). A `raw` call gets
  // a network error whose cause holds no URL, header or body, as theirs do; an abort stays an abort.
  const failed = (request: Request, thrown: unknown) => {
    if (readsSuccessItself || thrown instanceof PinApiError || request.signal.aborted) throw thrown;
    throw transportError(operation, 'network', 'fetch failed', scrubbed(thrown));
  };
  return async (request) => {
    let response: Response;
    try {
      if (apiKey)
        request.headers.set(
          'Authorization',
          fixedKey || `ApiKey ${checkKey(await (apiKey as () => string)(), operation)}`,
        );
      // Looked up now, not at creation: a fetch patched later (msw, a test) is still used.
      response = await (custom ?? fetch)(request);
    } catch (thrown) {
      return failed(request, thrown);
    }
    const { status } = response;
    // Node shows the 3xx itself; browsers an opaque redirect, with status 0.
    if (!status || (status > 299 && status < 400)) {
      // Releases the connection; `String` swallows the rejection of a body that already failed.
      response.body?.cancel().catch(String);
      throw transportError(operation, 'redirect', `HTTP ${status}`);
    }
    if (response.ok && readsSuccessItself) return response;
    // At most this many decoded bytes are read; the rest is cancelled. A body that fails midway is a failure
    // of the fetch too, and its error may quote the request as much as the fetch's own.
    return bounded(response, response.ok ? SUCCESS_LIMIT : ERROR_LIMIT).catch((thrown) => failed(request, thrown));
  };
}
