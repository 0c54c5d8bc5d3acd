// Run (b)'s page script, bundled for the browser by msw-browser.test.ts: the flow table and the real
// client, with MSW's service worker answering from an in-page sandbox through createPinHandlers.
import { setupWorker } from 'msw/browser';
import { createPinHandlers } from '../../../src/msw.js';
import { controlOf, flowSandbox } from '../msw-control.js';
import { flows, runFlow, type FlowContext } from '../table.js';

/** What the test reads back for one flow. */
export type FlowResult = { ok: true } | { ok: false; error: string };

declare global {
  interface Window {
    /** Settles once the worker controls the page: `true`, or why it could not start. */
    pinWorkerReady: Promise<true | string>;
    flowNames: string[];
    runPinFlow(name: string): Promise<FlowResult>;
  }
}

// The page talks to its own backend under a path prefix, as a frontend in front of the API would.
const baseUrl = `${location.origin}/backend/pin-api`;
const sandbox = flowSandbox();
const worker = setupWorker(...createPinHandlers({ baseUrl, sandbox }));
const ctx: FlowContext = { baseUrl, sandbox: controlOf(sandbox) };

window.flowNames = Object.keys(flows);
window.pinWorkerReady = worker.start({ quiet: true, onUnhandledRequest: 'error' }).then(
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
