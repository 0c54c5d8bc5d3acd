// The examples of the README and the guides in docs/ as a test takes them: each fenced block follows a
// marker comment `<!-- example: name -->` (a marker may head several blocks of different languages, up to
// the next marker), so a test can type-check or run exactly what a reader copies.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, run } from './run.js';

/** The Markdown files that hold examples: the README and every guide. */
export type DocFile = 'README.md' | `docs/${string}.md`;

/**
 * The first fenced block in `lang` (TypeScript unless it says otherwise) after `<!-- example: name -->` in
 * `file` (relative to the repository), before the next marker.
 */
export function docExample(file: DocFile, name: string, lang = 'ts'): string {
  const section = docSection(readFileSync(join(root, file), 'utf8'), name);
  const block = new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, 'm').exec(section)?.[1];
  if (!block) throw new Error(`${file} has no \`\`\`${lang} block after <!-- example: ${name} -->`);
  return block;
}

/** The text from `<!-- example: name -->` to the next marker ('' when `text` has no such marker). */
export function docSection(text: string, name: string): string {
  const start = text.indexOf(`<!-- example: ${name} -->\n`);
  const next = text.indexOf('<!-- example: ', start + 1);
  return start === -1 ? '' : text.slice(start, next === -1 ? undefined : next);
}

/**
 * Writes the named examples of `file` as `<name>.ts` into test-results/<folder> (inside the repository, so
 * that `equals-card-pin` resolves to this package by its own name, as it would in an app) and returns the folder.
 */
export function writeDocExamples(folder: string, file: DocFile, names: string[]): string {
  for (const name of names) writeDocExample(file, folder, name);
  return join(root, 'test-results', folder);
}

/** Type-checks files of `dir` strictly against the built package, as an app with Node's and the DOM's types would; returns tsc's output. */
export async function typeCheck(dir: string, files: string[]): Promise<{ status: number; output: string }> {
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    types: ['node'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
  const result = await run(process.execPath, [
    join(root, 'node_modules/typescript/bin/tsc'),
    '-p',
    join(dir, 'tsconfig.json'),
  ]);
  return { status: result.status, output: result.stdout + result.stderr };
}

/**
 * Writes `docExample(file, name)` to test-results/<folder>/<as or name>.ts (inside the repository, so
 * `equals-card-pin` resolves to this package by its own name) and returns the folder.
 */
export function writeDocExample(file: DocFile, folder: string, name: string, as = name): string {
  const dir = join(root, 'test-results', folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${as}.ts`), docExample(file, name));
  return dir;
}
