/**
 * Parses a C or C++ file as the model reads it: a `.h` file in the grammar header-language.ts picks, and a
 * file whose parse has errors parsed again with the macros tree-sitter cannot place blanked out
 * (macro-blanks.ts), that parse kept when it read more of the file as code. Offsets are the file's own
 * either way, so the model and every finding read the original text.
 */
import type { Tree } from 'web-tree-sitter';
import { errorCost } from './error-cost';
import { grammarOf, parseHeader } from './header-language';
import { blankMacros } from './macro-blanks';
import { parseTreeSitter } from './tree-sitter';

export interface CFamilyParse {
  tree: Tree;
  language: 'c' | 'cpp';
  /** Whether `tree` was parsed from the previous tree (its changed ranges then mean something). */
  incremental: boolean;
}

/**
 * Trees parsed from blanked text. An edited one is not reused: tree-sitter would keep its nodes' view of
 * the text around the edit, blanks included, whatever the next parse decides.
 */
const BLANKED = new WeakSet<Tree>();

export async function parseCFamily(language: 'c' | 'cpp', path: string, text: string, previous?: Tree): Promise<CFamilyParse> {
  const reuse = previous && !BLANKED.has(previous) ? previous : undefined;
  const parsed =
    language === 'c' && /\.h$/i.test(path)
      ? await parseHeader(text, reuse)
      : { tree: await parseTreeSitter(language, text, reuse && grammarOf(reuse) === language ? reuse : undefined), language };
  const incremental = reuse !== undefined && grammarOf(reuse) === parsed.language;
  let { tree } = parsed;
  let cost = errorCost(tree);
  let current = text;
  // Errors first, then what stands right after them (macro-blanks.ts); each pass kept only if it reads more.
  for (const nearErrors of [false, true]) {
    if (cost === 0) break;
    const blanked = blankMacros(current, tree, nearErrors);
    if (blanked === undefined) continue;
    const again = await parseTreeSitter(parsed.language, blanked);
    const againCost = errorCost(again);
    if (againCost >= cost) {
      again.delete();
      continue;
    }
    tree.delete();
    [tree, cost, current] = [again, againCost, blanked];
  }
  if (tree === parsed.tree) return { ...parsed, incremental };
  BLANKED.add(tree);
  return { tree, language: parsed.language, incremental: false };
}
