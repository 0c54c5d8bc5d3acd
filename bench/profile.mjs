// Where a loop's CPU time goes, by V8's sampling profiler: self time grouped by owner.
import { Session } from 'node:inspector/promises';

const owner = (url) =>
  url.includes('/dist/src/') || url.includes('/dist/generated/')
    ? 'this client'
    : url.includes('openapi-fetch')
      ? 'openapi-fetch'
      : url.startsWith('node:') || url === ''
        ? 'node runtime (fetch, Request, URL, …)'
        : 'other';

export async function profile(loop) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  await loop();
  const { profile: data } = await session.post('Profiler.stop');
  session.disconnect();
  const byOwner = {};
  const byFunction = {};
  let total = 0;
  for (const node of data.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const { url, functionName, lineNumber } = node.callFrame;
    byOwner[owner(url)] = (byOwner[owner(url)] ?? 0) + hits;
    const name = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    byFunction[name] = (byFunction[name] ?? 0) + hits;
  }
  const share = (n) => Math.round((1000 * n) / total) / 10;
  return {
    byOwner: Object.fromEntries(
      Object.entries(byOwner)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, share(v)]),
    ),
    topFunctions: Object.entries(byFunction)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([k, v]) => [k, share(v)]),
  };
}
