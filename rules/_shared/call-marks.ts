/**
 * Which calls can hold what a rule looks for in their arguments, decided before the arguments are resolved.
 * The code model resolves a call's arguments on first use (model/tree-sitter-model.ts), and resolving every
 * argument of every call costs more than most rules' own work: a rule that walks `model.calls` asking each
 * call for `args` pays it for the whole file. Marks are the offsets where what the rule needs occurs (a
 * string literal with the right value, an allocation, a name); a call that contains no mark cannot have it in
 * an argument, so its arguments are never looked at. Sorted marks and a binary search keep it linear.
 */
import { firstAtLeast } from '../../server/src/core/arrays';
import type { Span } from '../../server/src/core/span';

/** The start offsets of every match of `pattern` (a global regex, used from its start) in `text`, ascending. */
export function matchOffsets(text: string, pattern: RegExp): number[] {
  if (!pattern.global) throw new Error(`matchOffsets needs a global regex: ${pattern}`);
  const offsets: number[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    offsets.push(m.index);
    if (m[0] === '') pattern.lastIndex++;
  }
  return offsets;
}

/** Whether one of the ascending `marks` lies inside `span`. */
export function hasMarkWithin(marks: readonly number[], span: Span): boolean {
  const first = firstAtLeast(marks, span.start);
  return first < marks.length && marks[first] < span.end;
}

/** Ascending offsets, merged from several ascending lists. */
export function mergeMarks(...lists: readonly (readonly number[])[]): number[] {
  return lists.flat().sort((a, b) => a - b);
}

/** Characters that make `=` part of another operator when they come just before it (`==`, `!=`, `+=`, `<=`, `:=`). */
const OPERATOR_BEFORE = new Set(['=', '!', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', ':', '~', '?']);
const isIdentifierCode = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;

/**
 * Where a named argument whose name passes `test` can be (`password = "…"` in Kotlin, `verify=False` in
 * Python): the start of every `name =` in the text with such a name. One pass over the `=` signs, each looking
 * back over its own whitespace and name, so it stays linear however the text is written.
 */
export function namedArgumentMarks(text: string, test: (name: string) => boolean): number[] {
  const marks: number[] = [];
  for (let eq = text.indexOf('='); eq >= 0; eq = text.indexOf('=', eq + 1)) {
    const next = text[eq + 1];
    if (next === '=' || next === '>') {
      eq++;
      continue;
    }
    let end = eq;
    while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t' || text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    if (end > 0 && OPERATOR_BEFORE.has(text[end - 1]) && end === eq) continue;
    let start = end;
    while (start > 0 && isIdentifierCode(text.charCodeAt(start - 1))) start--;
    if (start === end || (text.charCodeAt(start) >= 48 && text.charCodeAt(start) <= 57)) continue;
    if (test(text.slice(start, end))) marks.push(start);
  }
  return marks;
}
