/**
 * Synchronous parsing for custom rules: their examples are checked while the configuration loads, and a
 * fix is kept only when the fixed text still parses. Tree-sitter grammars load asynchronously, so
 * `preloadCustomRuleLanguages()` must run first (loadCheckedConfig does); until then tree-sitter examples
 * cannot be checked synchronously and `parseSync` returns undefined for those languages.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { Parser, type Language, type Tree } from 'web-tree-sitter';
import { isTreeSitterLanguage, type TreeSitterLanguage } from '../language';
import { buildConfigModel } from '../model/config-model';
import { buildTsModel } from '../model/ts-model';
import { buildTreeSitterModel } from '../model/tree-sitter-model';
import { emptyModel, type CodeModel } from '../model/types';
import { lazyEstree } from '../parse/estree';
import { parseTypeScript } from '../parse/typescript';
import { loadLanguage } from '../parse/tree-sitter';
import type { LanguageId } from '../types';

const loaded = new Map<TreeSitterLanguage, Language>();

export async function preloadCustomRuleLanguages(
  languages: readonly TreeSitterLanguage[] = ['c', 'cpp', 'python', 'java', 'kotlin'],
): Promise<void> {
  for (const language of languages) if (!loaded.has(language)) loaded.set(language, await loadLanguage(language));
}

export function loadedLanguage(language: TreeSitterLanguage): Language | undefined {
  return loaded.get(language);
}

export interface SyncParse {
  model: CodeModel;
  tree?: Tree;
  readonly ast?: TSESTree.Program;
  /** Whether the text has syntax errors. */
  hasErrors: boolean;
}

/** Parses `text`; undefined when its tree-sitter grammar is not loaded yet. The caller deletes `tree`. */
export function parseSync(language: LanguageId, text: string, grammar?: Language): SyncParse | undefined {
  if (isTreeSitterLanguage(language)) {
    const lang = grammar ?? loaded.get(language);
    if (!lang) return undefined;
    const parser = new Parser();
    try {
      parser.setLanguage(lang);
      const tree = parser.parse(text);
      if (!tree) return undefined;
      const model = buildTreeSitterModel(language, tree, text);
      return { model, tree, hasErrors: tree.rootNode.hasError };
    } finally {
      parser.delete();
    }
  }
  if (language === 'typescript' || language === 'javascript') {
    const path = language === 'typescript' ? 'example.ts' : 'example.js';
    const parsed = parseTypeScript(text, path);
    if (!parsed.sourceFile) return { model: emptyModel(), hasErrors: true };
    const result: SyncParse = { model: buildTsModel(parsed.sourceFile, text), hasErrors: false };
    // Built when a selector first reads it (see lazyEstree).
    Object.defineProperty(result, 'ast', { get: lazyEstree(text, path), enumerable: true });
    return result;
  }
  const model = language === 'json' || language === 'yaml' ? emptyModel() : buildConfigModel(language, text);
  return { model, hasErrors: model.hasErrors };
}
