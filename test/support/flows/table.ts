// The consumer flows every way of serving the sandbox must pass: MSW's setupServer in Node, MSW's
// service worker in Chromium, and the Prism-fronted HTTP server. Plain TypeScript with no test runner
// and no Node imports, so the same table is bundled into the browser page as it is.
import { exampleCard } from '../../../generated/pin-examples.js';
import { createPinClient, PinHttpError, PinValidationError, type PinClientOptions } from '../../../src/index.js';
import type { SandboxFault, SandboxLogEntry } from '../../../src/sandbox.js';

/** The sandbox behind a run, in-process or over HTTP; every method may be async. */
export interface SandboxControl {
  reset(): void | Promise<void>;
  pinOf(cardId: string): (string | null) | Promise<string | null>;
  failNext(fault: SandboxFault): void | Promise<void>;
  requests(): readonly SandboxLogEntry[] | Promise<readonly SandboxLogEntry[]>;
}

export interface FlowContext {
  /** Where the client sends its requests. */
  baseUrl: string;
  sandbox: SandboxControl;
}

/** Each run starts its sandbox with `apiKeys: [FLOW_API_KEY]`, so another key is unknown to it. */
export const FLOW_API_KEY = 'flow-key-7f3a';

const card = { cardId: exampleCard.cardId, accountId: exampleCard.accountId, personId: exampleCard.personId };
const reveal = { ...card, cardholderVerificationMethod: 'BIOMETRIC_FACE' } as const;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`flow check failed: ${message}`);
}

const same = (actual: unknown, expected: unknown, what: string) =>
  check(
    JSON.stringify(actual) === JSON.stringify(expected),
    `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
  );

async function failure(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('flow check failed: the call succeeded but should have failed');
}

async function statusOf(call: Promise<unknown>): Promise<number | undefined> {
  const error = await failure(call);
  check(error instanceof PinHttpError, `a PinHttpError, got ${String(error)}`);
  return error.status;
}

/** A client on the run's base URL; retries are fast so the flows stay short. */
const clientFor = (ctx: FlowContext, options: Partial<PinClientOptions> = {}) =>
  // dangerouslyAllowBrowser: the browser run (b) holds the key in the page, which the client refuses by default.
  createPinClient({
    apiKey: FLOW_API_KEY,
    baseUrl: ctx.baseUrl,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    dangerouslyAllowBrowser: true,
    ...options,
  });

/** A fetch that rewrites the Authorization header the client set, for the auth flows. */
const withAuthorization = (value: string | null) => (request: Request) => {
  const headers = new Headers(request.headers);
  if (value === null) headers.delete('authorization');
  else headers.set('authorization', value);
  return fetch(new Request(request, { headers }));
};

const statusesOf = async (ctx: FlowContext) => (await ctx.sandbox.requests()).map((entry) => entry.status);

export const flows: Record<string, (ctx: FlowContext) => Promise<void>> = {
  async 'change a PIN, then reveal it'(ctx) {
    const client = clientFor(ctx);
    const changed = await client.updatePin({ ...card, pin: '4826' });
    check(changed.success === true, 'the PUT succeeds');
    same(await client.getPin(reveal), { pin: '4826' }, 'the GET after the PUT');
    same(await ctx.sandbox.pinOf(card.cardId), '4826', 'the PIN the sandbox holds');
  },

  async 'a random PIN is set, then revealed, and equals the PUT answer'(ctx) {
    const client = clientFor(ctx);
    const { success, pin } = await client.updatePin(card);
    check(
      success === true && typeof pin === 'string' && /^[0-9]{4}$/.test(pin),
      'the PUT answers with a four-digit PIN',
    );
    same(await client.getPin(reveal), { pin }, 'the GET after the PIN-less PUT');
  },

  async 'an unknown card gets 404'(ctx) {
    same(await statusOf(clientFor(ctx).getPin({ ...reveal, cardId: 'no-such-card' })), 404, 'status');
  },

  async 'a missing key gets 401, a wrong scheme or an unknown key 403'(ctx) {
    same(await statusOf(clientFor(ctx, { fetch: withAuthorization(null) }).getPin(reveal)), 401, 'no Authorization');
    same(
      await statusOf(clientFor(ctx, { fetch: withAuthorization('Bearer xyz') }).getPin(reveal)),
      403,
      'Bearer scheme',
    );
    same(await statusOf(clientFor(ctx, { apiKey: 'not-a-known-key' }).getPin(reveal)), 403, 'unknown key');
  },

  async 'a bad PIN gets 400, and nothing is stored'(ctx) {
    const client = clientFor(ctx);
    // The client refuses it before sending; sent anyway (raw, unchecked), the sandbox refuses it too.
    const refused = await failure(client.updatePin({ ...card, pin: '12a4' }));
    check(refused instanceof PinValidationError && refused.field === 'pin', 'the client refuses the PIN itself');
    same(await statusesOf(ctx), [], 'requests sent for a refused PIN');
    const { response } = await client.raw.PUT('/v2/cards/{cardId}/pin', {
      params: { path: { cardId: card.cardId }, query: { accountId: card.accountId, personId: card.personId } },
      body: { pin: '12a4' },
    });
    // The sandbox's own 400 in every run: Prism in front lets spec-breaking requests through to it.
    same(response.status, 400, 'status of the unchecked PUT');
    same(response.headers.get('content-type'), 'application/json', 'content type of that 400');
    same(await ctx.sandbox.pinOf(card.cardId), exampleCard.pin, 'the PIN after the refused PUT');
  },

  async 'a 429 with Retry-After is honoured by the client retry'(ctx) {
    await ctx.sandbox.failNext({ status: 429, retryAfter: 1 });
    const started = Date.now();
    same(await clientFor(ctx).getPin(reveal), { pin: exampleCard.pin }, 'the answer after the wait');
    check(Date.now() - started >= 900, `waited for Retry-After (took ${Date.now() - started} ms)`);
    same(await statusesOf(ctx), [429, 200], 'statuses the sandbox answered');
  },

  async 'two 503s are retried, and the third attempt succeeds'(ctx) {
    await ctx.sandbox.failNext({ status: 503, times: 2 });
    same(await clientFor(ctx).updatePin({ ...card, pin: '1357' }), { success: true, pin: '1357' }, 'the answer');
    same(await statusesOf(ctx), [503, 503, 200], 'statuses the sandbox answered');
  },

  async 'a PIN-less PUT after a 503 is sent once'(ctx) {
    await ctx.sandbox.failNext({ status: 503 });
    same(await statusOf(clientFor(ctx).updatePin(card)), 503, 'status');
    same(await statusesOf(ctx), [503], 'statuses the sandbox answered');
    same(await ctx.sandbox.pinOf(card.cardId), exampleCard.pin, 'the PIN');
  },

  async 'reset() restores the example card and clears the log'(ctx) {
    await clientFor(ctx).updatePin({ ...card, pin: '2468' });
    await ctx.sandbox.failNext({ status: 500 });
    await ctx.sandbox.reset();
    same(await statusesOf(ctx), [], 'the log after reset');
    same(await clientFor(ctx).getPin(reveal), { pin: exampleCard.pin }, 'the PIN after reset (no fault left)');
  },
};

/** Runs one flow on a freshly reset sandbox. */
export async function runFlow(name: string, ctx: FlowContext): Promise<void> {
  const flow = flows[name];
  check(flow, `no flow named ${name}`);
  await ctx.sandbox.reset();
  await flow(ctx);
}
