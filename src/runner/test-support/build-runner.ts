import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = resolve(SRC, '..');

export interface BuiltRunner {
  /** `<out>/runner/main.js` */
  readonly main: string;
  /** `<out>/runner/stub-agent.js` */
  readonly stubAgent: string;
  cleanup(): Promise<void>;
}

const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g;

/**
 * Transpiles the runner and the stub agent (and the files they import) to JavaScript under
 * `.cache/`, so tests can run them as real child processes without a full build.
 */
export const buildRunner = async (): Promise<BuiltRunner> => {
  await mkdir(join(ROOT, '.cache'), { recursive: true });
  const out = await mkdtemp(join(ROOT, '.cache', 'runner-build-'));
  const seen = new Set<string>();
  const queue = [join(SRC, 'runner/main.ts'), join(SRC, 'runner/stub-agent.ts')];
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const source = await readFile(file, 'utf8');
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: file,
    }).outputText;
    const target = join(out, relative(SRC, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, js, 'utf8');
    for (const m of js.matchAll(RELATIVE_IMPORT)) queue.push(resolve(dirname(file), `${m[1] ?? ''}.ts`));
  }
  await writeFile(join(out, 'package.json'), '{"type":"module"}\n', 'utf8');
  return {
    main: join(out, 'runner/main.js'),
    stubAgent: join(out, 'runner/stub-agent.js'),
    cleanup: () => rm(out, { recursive: true, force: true }),
  };
};
