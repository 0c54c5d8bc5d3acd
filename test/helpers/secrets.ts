import { inspect } from 'node:util';

/** Every rendering of an error a log or a crash report could show, and which secrets each holds. */
export function secretLeaks(error: unknown, secrets: string[]): string[] {
  const e = error as Error;
  const renderings: Record<string, string> = {
    message: String(e.message),
    stack: String(e.stack),
    toString: String(e),
    json: JSON.stringify(e),
    inspect: inspect(e, { depth: 8 }),
  };
  const leaks: string[] = [];
  for (const [how, text] of Object.entries(renderings)) {
    for (const secret of secrets) if (text.includes(secret)) leaks.push(`${how} contains a secret`);
  }
  return leaks;
}
