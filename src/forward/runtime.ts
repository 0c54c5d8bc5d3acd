// Cloudflare Workers with a compatibility date before 2024-11-11 throw on a Request's `cache` field, and the
// client sends every PIN request with `cache: 'no-store'`. On Workers that field is also what keeps
// Cloudflare's own cache from storing an answer, so it is not dropped there: the forwarder refuses to start,
// in one line that says what to change, instead of answering 502 to every request.
import { PinValidationError } from '../client/errors.js';

/** Throws when this runtime's Request refuses `cache: 'no-store'` (workerd before 2024-11-11). */
export function checkNoStoreSupported(): void {
  try {
    new Request('https://localhost/', { cache: 'no-store' });
  } catch {
    throw new PinValidationError(
      'createPinForwarder',
      "this runtime's Request does not take cache: 'no-store', which every PIN request carries; on Cloudflare Workers set compatibility_date to 2024-11-11 or later (or the compatibility flag cache_option_enabled)",
      { field: 'compatibility_date', rule: 'cache_option' },
    );
  }
}
