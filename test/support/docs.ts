// A docs page's examples as a test takes them, the way readme.ts takes the README's: each fenced block
// follows a marker comment `<!-- example: name -->`, so a test runs exactly what a reader copies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './run.js';

/** The fenced block (TypeScript unless `lang` says otherwise) after `<!-- example: name -->` in `file` (from the root). */
export function docExample(file: string, name: string, lang = 'ts'): string {
  const text = readFileSync(join(root, file), 'utf8');
  const block = new RegExp(`<!-- example: ${name} -->\\n\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(text)?.[1];
  if (!block) throw new Error(`${file} has no \`\`\`${lang} block after <!-- example: ${name} -->`);
  return block;
}
