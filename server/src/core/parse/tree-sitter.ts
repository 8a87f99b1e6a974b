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

/**
 * The C functions of web-tree-sitter's WASM module that flat-tree.ts calls directly, and its memory.
 * Emscripten makes the options object handed to `Parser.init` the module itself, so after init it holds
 * every exported function (the same ones web-tree-sitter's `Node` and `TreeCursor` wrappers call).
 */
export interface TreeSitterWasm {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_root_node_wasm(tree: number): void;
  _ts_tree_cursor_new_wasm(tree: number): void;
  _ts_tree_cursor_delete_wasm(tree: number): void;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
}

const wasmModule: Partial<TreeSitterWasm> & { locateFile: () => string } = {
  locateFile: () => wasmPath('web-tree-sitter/web-tree-sitter.wasm'),
};

function init(): Promise<void> {
  initialised ??= Parser.init(wasmModule);
  return initialised;
}

/** web-tree-sitter's WASM module; only valid once a grammar was loaded (every tree comes after that). */
export function treeSitterWasm(): TreeSitterWasm {
  if (typeof wasmModule._ts_tree_cursor_new_wasm !== 'function') {
    throw new Error('web-tree-sitter was initialised elsewhere or changed its module: the tree reader cannot reach it');
  }
  return wasmModule as TreeSitterWasm;
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
