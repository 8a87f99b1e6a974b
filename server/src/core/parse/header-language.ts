/**
 * Which grammar a `.h` file is read with (c-family.ts parses it). The text picks the grammar tried first:
 * C++ when it has constructs only C++ has (tree-sitter-c recovers from those silently), C otherwise; a clean
 * parse there decides. When that parse has errors, the other grammar is tried too and the parse that read
 * more of the file as code wins (error-cost.ts): a C++ header with one construct C++ cannot place (a default
 * argument `= {}`, a `PROGMEM` raw string) is far better read by C++ than by C, which fails on every class
 * and template. One shortcut: a header whose C parse fails on an `extern "C" {` opened inside a preprocessor
 * conditional stays C (the brace closes outside that conditional, which C++'s grammar cannot derive either:
 * on firmware SDKs that is most headers, and a second parse of each would buy nothing).
 */
import type { Tree } from 'web-tree-sitter';

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

/** The grammar a header is parsed with first: C++ when the text has constructs only C++ has. */
export function firstGrammar(text: string): 'c' | 'cpp' {
  return hasCppMarkers(text) ? 'cpp' : 'c';
}

/**
 * Whether a header whose parse in `first` has errors is worth parsing in the other grammar: not a C header
 * whose `extern "C" {` opens inside a conditional (C++ fails on it just the same).
 */
export function worthOtherGrammar(text: string, first: 'c' | 'cpp'): boolean {
  return first === 'cpp' || !opensLinkageInConditional(text);
}

/** The grammar a tree was parsed with, by a node type only C++ has. */
export function grammarOf(tree: Tree): 'c' | 'cpp' {
  return tree.language.idForNodeType('namespace_definition', true) === null ? 'c' : 'cpp';
}
