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

export interface TranspiledTree {
  /** The JavaScript file for a source path relative to `src/`, e.g. `runner/main.ts`. */
  js(srcRelative: string): string;
  cleanup(): Promise<void>;
}

/**
 * Transpiles entry files (paths relative to `src/`) and everything they import to JavaScript
 * under `.cache/`, so tests can run them as real child processes without a full build.
 */
export const transpileTree = async (entries: readonly string[]): Promise<TranspiledTree> => {
  await mkdir(join(ROOT, '.cache'), { recursive: true });
  const out = await mkdtemp(join(ROOT, '.cache', 'runner-build-'));
  const seen = new Set<string>();
  const queue = entries.map((e) => join(SRC, e));
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const source = await readFile(file, 'utf8');
    const js = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
      fileName: file,
    }).outputText;
    const target = join(out, relative(SRC, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, js, 'utf8');
    for (const m of js.matchAll(RELATIVE_IMPORT)) queue.push(resolve(dirname(file), `${m[1] ?? ''}.ts`));
  }
  await writeFile(join(out, 'package.json'), '{"type":"module"}\n', 'utf8');
  return {
    js: (rel) => join(out, rel.replace(/\.ts$/, '.js')),
    cleanup: () => rm(out, { recursive: true, force: true }),
  };
};

/** The runner and the stub agent as runnable JavaScript. */
export const buildRunner = async (): Promise<BuiltRunner> => {
  const tree = await transpileTree(['runner/main.ts', 'runner/stub-agent.ts']);
  return {
    main: tree.js('runner/main.ts'),
    stubAgent: tree.js('runner/stub-agent.ts'),
    cleanup: () => tree.cleanup(),
  };
};
