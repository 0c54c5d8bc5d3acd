// createPinClient: the options checked, an openapi-fetch client whose fetch sets the key, refuses
// redirects and bounds bodies, and the two operations on top of it (src/client/send.ts).
import createClient, { type Client } from 'openapi-fetch';
import { servers as specServers } from '../../generated/pin-constraints.js';
import type { GetPinParams, GetPinResponse, paths, UpdatePinParams, UpdatePinResponse } from '../core/types.js';
import { fetchWithKeyNoRedirect } from './fetch.js';
import { type CallOptions, checkOptions, type PinClientOptions } from './options.js';
import { createSend } from './send.js';
import { traced } from './trace.js';

export type { CallOptions, PinClientOptions };

/**
 * The API's servers, from the spec: `servers.production` (the default `baseUrl`) and `servers.sandbox`.
 */
export const servers: typeof specServers = specServers;

/**
 * `getPin`'s input for a client created with `verification: 'backend'`: the same fields, the verification
 * method optional (the backend fills it in).
 */
export type BackendVerifiedGetPinParams = Omit<GetPinParams, 'cardholderVerificationMethod'> &
  Partial<Pick<GetPinParams, 'cardholderVerificationMethod'>>;

/**
 * The client {@link createPinClient} returns. Every method throws only {@link PinError}s. `GetParams` is
 * {@link BackendVerifiedGetPinParams} for a client created with `verification: 'backend'`.
 */
export interface PinClient<GetParams = GetPinParams> {
  /** Reveals a card's PIN (`GET /v2/cards/{cardId}/pin`); `pin` is `null` when the card has none. */
  getPin(params: GetParams, options?: CallOptions): Promise<GetPinResponse>;
  /**
   * Sets a card's PIN (`PUT /v2/cards/{cardId}/pin`). Without `pin` the server picks a random PIN, so that
   * call is never retried.
   */
  updatePin(params: UpdatePinParams, options?: CallOptions): Promise<UpdatePinResponse>;
  /**
   * The underlying openapi-fetch client: the API key applied, redirects refused, bodies bounded. A network
   * failure throws a {@link PinTransportError} (`network`) whose cause holds names and codes only.
   */
  raw: Client<paths>;
}

/**
 * A client whose `getPin` may leave the verification method to your backend (`verification: 'backend'`):
 * without `apiKey`, aimed at your backend's forwarder, which fills in the method it established.
 *
 * @example
 * ```ts
 * const pins = createPinClient({ baseUrl: '/api/equals', verification: 'backend' });
 * const { pin } = await pins.getPin({ cardId, accountId, personId });
 * ```
 */
export function createPinClient(
  options: PinClientOptions & { verification: 'backend' },
): PinClient<BackendVerifiedGetPinParams>;
/**
 * A client for the card PIN API. Input is checked against the spec before anything is sent; each call has
 * one deadline (`timeoutMs`), retries what is safe to retry, refuses redirects, reads at most 64 KiB of a
 * response, and returns only the fields the spec names.
 *
 * @example
 * ```ts
 * import { createPinClient, servers } from 'equals-card-pin';
 *
 * const client = createPinClient({ apiKey: process.env.EQUALS_API_KEY, baseUrl: servers.sandbox });
 * const { pin } = await client.getPin({
 *   cardId: 'e9293471-5eb3-4dbc-916c-dbaf9e2deefd',
 *   accountId: 'F12345',
 *   personId: '775596ae-2624-40af-a9dc-9756110a4a04',
 *   cardholderVerificationMethod: 'BIOMETRIC_FACE',
 * });
 * ```
 * @throws {@link PinValidationError} when an option breaks its rule (a bad key, a plain-http remote `baseUrl`, a
 * `baseUrl` ending in `/v2`, no `apiKey` for the provider's servers, …).
 */
export function createPinClient(options?: PinClientOptions): PinClient;
export function createPinClient(options: PinClientOptions = {}): PinClient<BackendVerifiedGetPinParams> {
  const { baseUrl, timeoutMs, retry } = checkOptions(options);
  const raw = createClient<paths>({
    baseUrl,
    headers: options.headers,
    // PIN responses must never be served from, or land in, an HTTP cache; `raw` calls included.
    cache: 'no-store',
    // A followed redirect would re-send the PIN to whatever origin Location names.
    redirect: 'manual',
    fetch: fetchWithKeyNoRedirect(options, 'raw'),
  });
  const untraced = createSend(raw, options, timeoutMs, retry);
  // One span per call, only when asked for: without a tracer the calls are exactly as they were.
  const send = options.tracer ? traced(untraced, options.tracer, baseUrl) : untraced;
  return {
    getPin: (params, callOptions) => send('getPin', params, callOptions) as Promise<GetPinResponse>,
    updatePin: (params, callOptions) => send('updatePin', params, callOptions) as Promise<UpdatePinResponse>,
    raw,
  };
}
