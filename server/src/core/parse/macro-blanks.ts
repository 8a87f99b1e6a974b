/**
 * Macros tree-sitter cannot place, blanked out of a C/C++ file's text so the code around them parses.
 *
 * tree-sitter does not expand macros, so a macro that expands to nothing or to an attribute breaks the
 * declaration it stands in, and with it everything the parser cannot resynchronise on: a namespace macro
 * alone on its line (`ABSL_NAMESPACE_BEGIN`, `__BEGIN_DECLS`, `EXTERN_C_BEGIN`) turns the class after it
 * into a run of loose tokens; an attribute macro after a declarator (`) PRIVILEGED_FUNCTION;`,
 * `[] PROGMEM =`) or a nullability annotation between `*` and a name (`char* absl_nonnull p`) does the same
 * to its declaration; a macro call that declares (`DEFINE_STACK_OF(X509)`) swallows the next declaration. Four
 * lexical shapes are candidates; only those inside a part of the tree that has an
 * error are blanked, with spaces of the same length (newlines kept), so every offset and line stays as it
 * was. The caller keeps the blanked parse only when it read more of the file (error-cost.ts).
 */
import type { Node, Tree } from 'web-tree-sitter';

/** An upper-case identifier alone on its line (a comment may follow): a macro used as a statement of its own. */
const LINE_MACRO = /^[ \t]*([A-Z_][A-Z0-9_]*)[ \t]*(?=\r?\n|$|\/[/*])/gm;
/**
 * An upper-case macro call alone on its line with no `;` (`DEFINE_STACK_OF(X509)`, `LOG_MODULE_REGISTER(app)`):
 * one that expands to declarations. Blanked whole, unless a `{` follows (then it is a function head: `ISR(v)`).
 */
const LINE_CALL = /^[ \t]*([A-Z_][A-Z0-9_]*)\(/gm;
/** An upper-case identifier between a declarator's `)` or `]` and the `;`, `=` or `{` that follows it. */
const TRAILING_MACRO = /[)\]][ \t]*([A-Z_][A-Z0-9_]*)(?=[ \t]*[;={])/g;
/** A word between a pointer's `*` and the name it declares: an annotation macro, unless a keyword. */
const POINTER_ANNOTATION = /\*[ \t]*([A-Za-z_]\w*)(?=[ \t]+[A-Za-z_])/g;

/** Words that stand in those places in code without macros. */
const KEYWORDS = new Set([
  'const',
  'volatile',
  'restrict',
  '__restrict',
  '__restrict__',
  'sizeof',
  'alignof',
  '_Alignof',
  'typeof',
  '__typeof__',
  'decltype',
  'new',
  'delete',
  'return',
  'case',
  'operator',
  'static_cast',
  'const_cast',
  'struct',
  'union',
  'enum',
  'class',
  'unsigned',
  'signed',
  'long',
  'short',
  'int',
  'char',
  'float',
  'double',
  'void',
  'bool',
  'auto',
  'static',
  'extern',
  'inline',
  'NULL',
]);

/** Where macro candidates stand in `text`: [start, end) of each identifier, in no particular order. */
export function macroCandidates(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const pattern of [LINE_MACRO, LINE_CALL, TRAILING_MACRO, POINTER_ANNOTATION]) {
    for (const match of text.matchAll(pattern)) {
      const word = match[1];
      if (KEYWORDS.has(word)) continue;
      const start = match.index + match[0].lastIndexOf(word);
      const end = pattern === LINE_CALL ? callLineEnd(text, start + word.length) : start + word.length;
      if (end < 0) continue;
      if (pattern !== TRAILING_MACRO && pattern !== POINTER_ANNOTATION && opensBody(text, end)) continue;
      spans.push([start, end]);
    }
  }
  return spans;
}

/**
 * Where a macro call alone on its line ends (after its `)`), or -1 when the line has a `;` or does not end
 * with `)`. `open` is the offset of its `(`.
 */
function callLineEnd(text: string, open: number): number {
  let lineEnd = text.indexOf('\n', open);
  if (lineEnd < 0) lineEnd = text.length;
  let last = lineEnd - 1;
  while (last > open && ' \t\r'.includes(text[last])) last--;
  if (text[last] !== ')' || text.slice(open, last).includes(';')) return -1;
  return last + 1;
}

/** Whether the next text after `at` that is not blank is a `{`: what stands before it heads a body. */
function opensBody(text: string, at: number): boolean {
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c === 123;
  }
  return false;
}

/**
 * `text` with the macro candidates that lie in an erroneous part of `tree` replaced by spaces, and the
 * spans blanked (in order, not overlapping); undefined when there are none. With `nearErrors`, also those
 * right after an error: a macro tree-sitter read as the start of the next statement leaves the error just
 * before it (a MISSING `;`). That reaches further, so callers try it only after the first, narrower pass
 * (one wrong blank can keep a whole file from parsing).
 */
export function blankMacros(
  text: string,
  tree: Tree,
  nearErrors = false,
  candidates = macroCandidates,
): { text: string; spans: [number, number][] } | undefined {
  const root = tree.rootNode;
  const found = candidates(text).filter(
    ([start, end]) =>
      inError(root, root.descendantForIndex(start, end)) ||
      (nearErrors && inError(root, root.descendantForIndex(lastCodeBefore(text, start)))),
  );
  if (!found.length) return undefined;
  found.sort((a, b) => a[0] - b[0]);
  const spans: [number, number][] = [];
  let out = '';
  let at = 0;
  for (const [start, end] of found) {
    if (start < at) continue;
    out += text.slice(at, start) + ' '.repeat(end - start);
    spans.push([start, end]);
    at = end;
  }
  return { text: out + text.slice(at), spans };
}

/** A conditional directive's start: `#if`, `#ifdef`, `#ifndef`, `#elif`, `#else`, `#endif`. */
const CONDITIONAL = /^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else|endif)\b/gm;

/**
 * Conditional directive lines, for a last pass: tree-sitter reads a conditional only where a statement or a
 * declaration may stand, so one inside an initializer or an argument list (`BT_GATT_PERM_READ |` then
 * `#if CONFIG_X` / `BT_GATT_PERM_WRITE` / `#else` ...) breaks the expression around it. Blanking the
 * directive lines leaves every branch's text in place, which is how tree-sitter already reads the
 * conditionals it can place (both branches in the tree). Lines continued with `\` or opening a comment
 * they do not close are left alone.
 */
export function conditionalCandidates(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const match of text.matchAll(CONDITIONAL)) {
    let end = text.indexOf('\n', match.index);
    if (end < 0) end = text.length;
    const line = text.slice(match.index, end).trimEnd();
    if (line.endsWith('\\') || line.lastIndexOf('/*') > line.lastIndexOf('*/')) continue;
    spans.push([match.index + match[0].length - match[0].trimStart().length, match.index + line.length]);
  }
  return spans;
}

/** The offset of the last character before `at` that is not blank (0 when none). */
function lastCodeBefore(text: string, at: number): number {
  let i = at - 1;
  while (i > 0 && ' \t\r\n'.includes(text[i])) i--;
  return Math.max(i, 0);
}

/** Whether `node` is in an ERROR node or in a construct below the root that holds one. */
function inError(root: Node, node: Node | null): boolean {
  for (let n = node; n && n.id !== root.id; n = n.parent) if (n.hasError) return true;
  return false;
}
