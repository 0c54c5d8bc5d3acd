// The README's examples as a test takes them: each fenced `ts` block follows a marker comment
// `<!-- example: name -->`, so a test can type-check or run exactly what a reader copies.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, run } from './run.js';

/** The fenced block (TypeScript unless `lang` says otherwise) that follows `<!-- example: name -->` in the README, or in `file`. */
export function readmeExample(name: string, lang = 'ts', file = 'README.md'): string {
  const readme = readFileSync(join(root, file), 'utf8');
  const block = new RegExp(`<!-- example: ${name} -->\\n\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
  if (!block) throw new Error(`${file} has no \`\`\`${lang} block after <!-- example: ${name} -->`);
  return block;
}

/**
 * Writes the named examples as `<name>.ts` into test-results/<folder> (inside the repository, so that
 * `equals-card-pin` resolves to this package by its own name, as it would in an app) and returns the folder.
 */
export function writeReadmeExamples(folder: string, names: string[]): string {
  const dir = join(root, 'test-results', folder);
  mkdirSync(dir, { recursive: true });
  for (const name of names) writeFileSync(join(dir, `${name}.ts`), readmeExample(name));
  return dir;
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
