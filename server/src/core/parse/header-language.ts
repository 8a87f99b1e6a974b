/**
 * Which grammar a `.h` file is read with. A header is C++ when C++ parses it cleanly and either C does not
 * or the text has constructs only C++ has (tree-sitter-c recovers from those silently); otherwise it is C.
 * That rule needs both parses only where the text cannot tell the answer beforehand: a header with C++
 * markers is parsed as C++ first (clean means C++, whatever C would say), and a header whose C parse fails
 * on an `extern "C" {` opened inside a preprocessor conditional is C (the brace closes outside that
 * conditional, which C++'s grammar cannot derive either: on firmware SDKs that is most headers).
 */
import type { Tree } from 'web-tree-sitter';
import { parseTreeSitter } from './tree-sitter';

/**
 * Constructs that only C++ has; tree-sitter-c recovers from them silently, so look for them too. A line's
 * own leading blanks (`^\s*` with /m reread blank lines from every line start), and a class head is followed
 * to its first `{` or `;` once (`class\s+\w+[^;]*\{` reread the text from every class line: quadratic).
 */
const CPP_MARKERS = /^[^\S\n\r\u2028\u2029]*(?:namespace\s+\w+\s*\{|template\s*<|(?:public|private|protected)\s*:|using\s+namespace\b)/m;
const CLASS_HEAD = /^[^\S\n\r\u2028\u2029]*class\s+\w/gm;
const BODY_OR_END = /[;{]/g;

export function hasCppMarkers(text: string): boolean {
  if (CPP_MARKERS.test(text)) return true;
  let stop = -1; // the `;` or `{` ending the last class head read: heads before it end there too
  for (const head of text.matchAll(CLASS_HEAD)) {
    const from = head.index + head[0].length;
    if (from <= stop) continue;
    BODY_OR_END.lastIndex = from;
    stop = BODY_OR_END.exec(text)?.index ?? text.length;
    if (text[stop] === '{') return true;
  }
  return false;
}

/**
 * After `extern`: `"C" {` ending its line (a line comment may follow) and the next line that is not blank
 * an `#endif`. Sticky and anchored at each `extern`, so the text is read once.
 */
const GUARDED_LINKAGE = /[ \t]*"C"[ \t]*\{[ \t]*(?:\/\/[^\n]*)?\r?\n\s*#[ \t]*endif\b/y;

/** Whether an `extern "C" {` opens inside a conditional that ends before its brace closes (`#ifdef __cplusplus`). */
export function opensLinkageInConditional(text: string): boolean {
  for (let at = text.indexOf('extern'); at >= 0; at = text.indexOf('extern', at + 6)) {
    GUARDED_LINKAGE.lastIndex = at + 6;
    if (GUARDED_LINKAGE.test(text)) return true;
  }
  return false;
}

/**
 * Parses a `.h` file with the grammar it is read with. `previous` (the file's last tree, edited) is reused
 * only by a parse in the grammar it came from.
 */
export async function parseHeader(text: string, previous?: Tree): Promise<{ tree: Tree; language: 'c' | 'cpp' }> {
  const parse = (language: 'c' | 'cpp') =>
    parseTreeSitter(language, text, previous && grammarOf(previous) === language ? previous : undefined);
  if (hasCppMarkers(text)) {
    const cpp = await parse('cpp');
    if (!cpp.rootNode.hasError) return { tree: cpp, language: 'cpp' };
    cpp.delete();
    return { tree: await parse('c'), language: 'c' };
  }
  const c = await parse('c');
  if (!c.rootNode.hasError || opensLinkageInConditional(text)) return { tree: c, language: 'c' };
  const cpp = await parse('cpp');
  if (cpp.rootNode.hasError) {
    cpp.delete();
    return { tree: c, language: 'c' };
  }
  c.delete();
  return { tree: cpp, language: 'cpp' };
}

/** The grammar a tree was parsed with, by a node type only C++ has. */
function grammarOf(tree: Tree): 'c' | 'cpp' {
  return tree.language.idForNodeType('namespace_definition', true) === null ? 'c' : 'cpp';
}
