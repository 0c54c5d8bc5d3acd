// The run's shared fixtures, started side by side: the Prism mock, the packed package with the
// matrix's Node builds, and Chromium. Vitest runs globalSetup files one after another; this runs them together.
import type { TestProject } from 'vitest/node';
import chromiumSetup from './chromium.js';
import packageSetup from './package.js';
import prismSetup from './prism.js';

export default async function setup(project: TestProject) {
  const results = await Promise.allSettled([prismSetup(project), packageSetup(project), chromiumSetup(project)]);
  const teardowns = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const teardown = async () => {
    for (const stop of teardowns) await stop();
  };
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) {
    await teardown();
    throw failed.reason;
  }
  return teardown;
}
