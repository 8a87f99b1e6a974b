/**
 * Parses a C or C++ file as the model reads it. A file whose parse has errors is parsed again with the
 * macros tree-sitter cannot place blanked out (macro-blanks.ts), that parse kept when it read more of the
 * file as code; a `.h` file that still has errors is then parsed in the other grammar too, and the parse that
 * read more wins (header-language.ts says which grammar goes first and when the other is worth a try).
 * Blanking first spares most C++ headers the C parse. Offsets are the file's own either way, so the model and
 * every finding read the original text.
 */
import { Edit, type Tree } from 'web-tree-sitter';
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
/** Trees parsed with conditional directive lines blanked: the start of each line blanked. */
const BLANKED_DIRECTIVES = new WeakMap<Tree, ReadonlySet<number>>();

/** The start offsets of the conditional directive lines blanked in the text `tree` was parsed from (none for most trees). */
export function blankedDirectiveLines(tree: Tree): ReadonlySet<number> {
  return BLANKED_DIRECTIVES.get(tree) ?? new Set();
}

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
    // Read only as far as it takes to know whether it beats the first grammar's parse.
    const otherCost = errorCost(otherTree, best.cost);
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
  let directiveLines: ReadonlySet<number> | undefined;
  // The first two passes read the same candidates, of the same text when the first was not kept.
  const macros = lastOf(macroCandidates);
  const passes = [
    { nearErrors: false, candidates: macros },
    { nearErrors: true, candidates: macros },
    { nearErrors: false, candidates: conditionalCandidates },
  ];
  // The spans of the last pass rejected on `best`: a later pass that blanks exactly those (the near-error pass
  // finds nothing more on most files) would parse the same text from the same tree, and be rejected again.
  let rejected: [number, number][] | undefined;
  for (const { nearErrors, candidates } of passes) {
    if (cost === 0) break;
    const blanked = blankMacros(current, best, nearErrors, candidates);
    if (blanked === undefined || (rejected && sameSpans(rejected, blanked.spans))) continue;
    const again = await reparseBlanked(language, current, best, blanked);
    const againCost = errorCost(again, cost); // exact when it is lower, which is all that is kept
    if (againCost >= cost) {
      again.delete();
      rejected = blanked.spans;
      continue;
    }
    best.delete();
    [best, cost, current, rejected] = [again, againCost, blanked.text, undefined];
    if (candidates === conditionalCandidates) directiveLines = new Set(blanked.spans.map(([start]) => start));
  }
  if (best === tree) return { parse: { tree, language, incremental: reuse !== undefined && grammarOf(reuse) === language }, cost };
  BLANKED.add(best);
  if (directiveLines) BLANKED_DIRECTIVES.set(best, directiveLines);
  return { parse: { tree: best, language, incremental: false }, cost };
}

/** `find`, answering again from its last result when asked about the same text. */
function lastOf(find: (text: string) => [number, number][]): (text: string) => [number, number][] {
  let last: { text: string; spans: [number, number][] } | undefined;
  return (text) => {
    if (last?.text !== text) last = { text, spans: find(text) };
    return last.spans;
  };
}

function sameSpans(a: readonly [number, number][], b: readonly [number, number][]): boolean {
  return a.length === b.length && a.every(([start, end], i) => start === b[i][0] && end === b[i][1]);
}

/**
 * Parses the blanked text incrementally from the parse of `text` (`tree`, left as it was): each blank is an
 * edit of the same length on one line, so tree-sitter re-reads only around the blanks, at a fraction of a
 * fresh parse's cost (most files that fail, fail on a few macros).
 */
async function reparseBlanked(
  language: 'c' | 'cpp',
  text: string,
  tree: Tree,
  blanked: { text: string; spans: [number, number][] },
): Promise<Tree> {
  const edited = tree.copy();
  try {
    const lines = new LineStarts(text);
    for (const [start, end] of blanked.spans) {
      const [from, to] = [lines.point(start), lines.point(end)];
      edited.edit(
        new Edit({ startIndex: start, oldEndIndex: end, newEndIndex: end, startPosition: from, oldEndPosition: to, newEndPosition: to }),
      );
    }
    return await parseTreeSitter(language, blanked.text, edited);
  } finally {
    edited.delete();
  }
}

/** Row and column of offsets, ascending, in one pass over the line starts. */
class LineStarts {
  private row = 0;
  private rowStart = 0;

  constructor(private readonly text: string) {}

  point(offset: number): { row: number; column: number } {
    for (let next = this.text.indexOf('\n', this.rowStart); next >= 0 && next < offset; next = this.text.indexOf('\n', this.rowStart)) {
      this.row++;
      this.rowStart = next + 1;
    }
    return { row: this.row, column: offset - this.rowStart };
  }
}
