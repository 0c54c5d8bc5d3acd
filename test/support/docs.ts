// The docs pages' examples as a test takes them, as test/support/readme.ts takes the README's: each fenced
// block follows a marker comment `<!-- example: name -->` in docs/<page>.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './run.js';

/** The fenced block (TypeScript unless `lang` says otherwise) that follows `<!-- example: name -->` in `file`. */
export function docExample(file: string, name: string, lang = 'ts'): string {
  const page = readFileSync(join(root, file), 'utf8');
  const block = new RegExp(`<!-- example: ${name} -->\\n\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(page)?.[1];
  if (!block) throw new Error(`${file} has no \`\`\`${lang} block after <!-- example: ${name} -->`);
  return block;
}

/**
 * Writes `docExample(file, name)` to test-results/<folder>/<as or name>.ts (inside the repository, so
 * `equals-card-pin` resolves to this package by its own name) and returns the folder.
 */
export function writeDocExample(file: string, folder: string, name: string, as = name): string {
  const dir = join(root, 'test-results', folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${as}.ts`), docExample(file, name));
  return dir;
}
