/**
 * web-tree-sitter grammars, loaded once per process and shared by every file. The WASM files come from the
 * per-language npm packages; bundles carry copies in `grammars/` next to them (scripts/build.mjs).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import type { TreeSitterLanguage } from '../language';

/** Languages read with a tree-sitter grammar: the code-model languages, and shell, which rules read as a tree. */
export type GrammarLanguage = TreeSitterLanguage | 'shell';

const GRAMMAR_PACKAGES: Record<GrammarLanguage, string> = {
  c: 'tree-sitter-c/tree-sitter-c.wasm',
  cpp: 'tree-sitter-cpp/tree-sitter-cpp.wasm',
  python: 'tree-sitter-python/tree-sitter-python.wasm',
  java: 'tree-sitter-java/tree-sitter-java.wasm',
  kotlin: '@tree-sitter-grammars/tree-sitter-kotlin/tree-sitter-kotlin.wasm',
  shell: 'tree-sitter-bash/tree-sitter-bash.wasm',
};

/** Finds a WASM file: next to the bundle first, then in node_modules. */
function wasmPath(packagePath: string): string {
  const bundled = path.join(__dirname, 'grammars', path.basename(packagePath));
  if (fs.existsSync(bundled)) return bundled;
  return require.resolve(packagePath);
}

let initialised: Promise<void> | undefined;
const languages = new Map<GrammarLanguage, Promise<Language>>();
const parsers = new Map<GrammarLanguage, Parser>();

function init(): Promise<void> {
  initialised ??= Parser.init({ locateFile: () => wasmPath('web-tree-sitter/web-tree-sitter.wasm') });
  return initialised;
}

export async function loadLanguage(language: GrammarLanguage): Promise<Language> {
  await init();
  let loaded = languages.get(language);
  if (!loaded) {
    loaded = Language.load(wasmPath(GRAMMAR_PACKAGES[language]));
    languages.set(language, loaded);
  }
  return loaded;
}

/** One reusable parser per language. Parsing is synchronous, so sharing it within a thread is safe. */
export async function parserFor(language: GrammarLanguage): Promise<Parser> {
  let parser = parsers.get(language);
  if (!parser) {
    const lang = await loadLanguage(language);
    parser = parsers.get(language);
    if (!parser) {
      parser = new Parser();
      parser.setLanguage(lang);
      parsers.set(language, parser);
    }
  }
  return parser;
}

export async function parseTreeSitter(language: GrammarLanguage, text: string, previous?: Tree): Promise<Tree> {
  const parser = await parserFor(language);
  const tree = parser.parse(text, previous ?? null);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${language}`);
  return tree;
}
