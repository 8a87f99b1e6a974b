/**
 * Parses a C or C++ file as the model reads it. A file whose parse has errors is parsed again with the
 * macros tree-sitter cannot place blanked out (macro-blanks.ts), that parse kept when it read more of the
 * file as code; a `.h` file that still has errors is then parsed in the other grammar too, and the parse that
 * read more wins (header-language.ts says which grammar goes first and when the other is worth a try).
 * Blanking first spares most C++ headers the C parse. Offsets are the file's own either way, so the model and
 * every finding read the original text.
 */
import type { Tree } from 'web-tree-sitter';
import { errorCost } from './error-cost';
import { firstGrammar, grammarOf, worthOtherGrammar } from './header-language';
import { blankMacros, conditionalCandidates, macroCandidates } from './macro-blanks';
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
  const header = language === 'c' && /\.h$/i.test(path);
  const first = header ? firstGrammar(text) : language;
  const tree = await parseTreeSitter(first, text, reuse && grammarOf(reuse) === first ? reuse : undefined);
  if (!tree.rootNode.hasError) return { tree, language: first, incremental: reuse !== undefined && grammarOf(reuse) === first };
  let best = await withMacrosBlanked(first, text, tree, reuse);
  // A header that still has errors may read better in the other grammar; the first wins a tie.
  if (best.cost > 0 && header && worthOtherGrammar(text, first)) {
    const other = first === 'c' ? 'cpp' : 'c';
    const otherTree = await parseTreeSitter(other, text, reuse && grammarOf(reuse) === other ? reuse : undefined);
    const otherCost = errorCost(otherTree);
    if (otherCost < best.cost) {
      best.parse.tree.delete();
      best = {
        parse: { tree: otherTree, language: other, incremental: reuse !== undefined && grammarOf(reuse) === other },
        cost: otherCost,
      };
    } else otherTree.delete();
  }
  return best.parse;
}

/**
 * The parse of `text` in `language` with the macros tree-sitter cannot place blanked (macro-blanks.ts):
 * errors first, then what stands right after them, then conditional directives in the errors, each pass kept
 * only if it reads more of the file.
 * `tree` is the plain parse, returned when no pass helps.
 */
async function withMacrosBlanked(
  language: 'c' | 'cpp',
  text: string,
  tree: Tree,
  reuse: Tree | undefined,
): Promise<{ parse: CFamilyParse; cost: number }> {
  let [best, cost, current] = [tree, errorCost(tree), text];
  const passes = [
    { nearErrors: false, candidates: macroCandidates },
    { nearErrors: true, candidates: macroCandidates },
    { nearErrors: false, candidates: conditionalCandidates },
  ];
  for (const { nearErrors, candidates } of passes) {
    if (cost === 0) break;
    const blanked = blankMacros(current, best, nearErrors, candidates);
    if (blanked === undefined) continue;
    const again = await parseTreeSitter(language, blanked);
    const againCost = errorCost(again);
    if (againCost >= cost) {
      again.delete();
      continue;
    }
    best.delete();
    [best, cost, current] = [again, againCost, blanked];
  }
  if (best === tree) return { parse: { tree, language, incremental: reuse !== undefined && grammarOf(reuse) === language }, cost };
  BLANKED.add(best);
  return { parse: { tree: best, language, incremental: false }, cost };
}
