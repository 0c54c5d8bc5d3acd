// Run (b)'s page script, bundled for the browser by test/msw/browser.test.ts once per msw major: the flow
// table and the real client, with MSW's service worker answering from an in-page sandbox through
// createPinHandlers.
import { setupWorker, type StartOptions } from 'msw/browser';
import { exampleCard as flowCard } from '../../../generated/pin-examples.js';
import { createPinClient, PinTransportError } from '../../../src/index.js';
import { createPinHandlers } from '../../../src/msw.js';
import { controlOf, flowSandbox } from './msw-control.js';
import { flows, FLOW_API_KEY, runFlow, type FlowContext } from './table.js';

/** What the test reads back for one flow. */
export type FlowResult = { ok: true } | { ok: false; error: string };

declare global {
  interface Window {
    /** Settles once the worker controls the page: `true`, or why it could not start. */
    pinWorkerReady: Promise<true | string>;
    flowNames: string[];
    runPinFlow(name: string): Promise<FlowResult>;
    /** A scripted network error, as the client in the page reports it. */
    scriptedNetworkError(): Promise<string>;
  }
}

/** `onUnhandledRequest` (msw 2) or `onUnhandledFrame` (msw 3), set by the bundler's `define`. */
declare const MSW_UNHANDLED_OPTION: string;

// The page talks to its own backend under a path prefix, as a frontend in front of the API would.
const baseUrl = `${location.origin}/backend/pin-api`;
const sandbox = flowSandbox();
const worker = setupWorker(...createPinHandlers({ baseUrl, sandbox }));
const ctx: FlowContext = { baseUrl, sandbox: controlOf(sandbox) };

window.flowNames = Object.keys(flows);
const startOptions = { quiet: true, [MSW_UNHANDLED_OPTION]: 'error' } as StartOptions;
window.pinWorkerReady = worker.start(startOptions).then(
  () => true as const,
  (error: unknown) => String(error),
);
window.runPinFlow = async (name) => {
  try {
    await runFlow(name, ctx);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
};
window.scriptedNetworkError = async () => {
  sandbox.reset();
  sandbox.failNext({ network: true });
  const client = createPinClient({ apiKey: FLOW_API_KEY, baseUrl, retry: false, dangerouslyAllowBrowser: true });
  const { cardId, accountId, personId } = flowCard;
  const error = await client
    .getPin({ cardId, accountId, personId, cardholderVerificationMethod: 'LOGIN' })
    .catch((caught: unknown) => caught);
  return error instanceof PinTransportError ? `${error.name} ${error.code}` : `not a transport error: ${String(error)}`;
};
