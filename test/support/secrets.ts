import { inspect } from 'node:util';

// Stack frames hold code locations only; their line numbers would match short digit strings.
const withoutFrames = (text: string) => text.replace(/^\s+at .*$/gm, '');

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
    for (const secret of secrets) if (withoutFrames(text).includes(secret)) leaks.push(`${how} contains a secret`);
  }
  return leaks;
}

/** Which of `secrets` a command's whole output holds (stack frames aside), each named by its position only. */
export function outputLeaks(output: string, secrets: Iterable<string>): string[] {
  return [...secrets].flatMap((secret, i) =>
    withoutFrames(output).includes(secret) ? [`secret #${i} is in the output`] : [],
  );
}
