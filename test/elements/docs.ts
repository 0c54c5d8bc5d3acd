// The guide's examples as a test takes them: each fenced block follows a marker comment
// `<!-- example: name -->` in docs/elements.md, so a test runs or type-checks exactly what a reader copies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../support/run.js';

/** The fenced `lang` block that follows `<!-- example: name -->` in docs/elements.md. */
export function docExample(name: string, lang: string): string {
  const guide = readFileSync(join(root, 'docs/elements.md'), 'utf8');
  const block = new RegExp(`<!-- example: ${name} -->\\n\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(guide)?.[1];
  if (!block) throw new Error(`docs/elements.md has no \`\`\`${lang} block after <!-- example: ${name} -->`);
  return block;
}
