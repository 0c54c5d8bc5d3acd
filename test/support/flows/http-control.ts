// The flow table's SandboxControl over the mock server's HTTP control API: what a test in another
// process (or language) does to reset the sandbox, read a PIN, script a fault and read the log.
import type { SandboxFault, SandboxLogEntry } from '../../../src/sandbox.js';
import type { SandboxControl } from './table.js';

export function httpSandboxControl(
  controlUrl: string,
): SandboxControl & { setPin(cardId: string, pin: string | null): Promise<void> } {
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
  const pinPath = (cardId: string) => `/cards/${encodeURIComponent(cardId)}/pin`;
  return {
    reset: async () => void (await call('POST', '/reset')),
    pinOf: async (cardId) => ((await call('GET', pinPath(cardId))) as { pin: string | null }).pin,
    setPin: async (cardId, pin) => void (await call('PUT', pinPath(cardId), { pin })),
    failNext: async (fault: SandboxFault) => void (await call('POST', '/faults', fault)),
    requests: async () => (await call('GET', '/requests')) as SandboxLogEntry[],
  };
}
