/**
 * String literals found by a scan: `/"(?:\\.|[^"\\])*"/g` and its kin restart at every quote, and on text
 * with many quotes and no closing one (`"\"\"\"…`) that is quadratic. A failed literal here tells where
 * every later literal of the same quote, up to the same point, fails too, so each character is read once
 * per quote kind. Matches exactly what those regexes match: a backslash escapes any character but a line
 * terminator; with `singleLine` (`LineBreaks`), a line feed or any line terminator ends the literal unclosed.
 */

export interface QuotedSpan {
  start: number;
  /** Just past the closing quote. */
  end: number;
}

const LINE_TERMINATORS = new Set(['\n', '\r', '\u2028', '\u2029']);

/**
 * What ends a literal unclosed: nothing but the text's end (a backslash never escapes a line terminator),
 * a line feed (`[^"\\\n]`), or any line terminator (`[^"\\\n\r\u2028\u2029]`).
 */
export type LineBreaks = false | true | 'any-terminator';

/**
 * Where the literal opened by `text[start]` ends (past its closing quote), or -(where it fails) - 1. A quote
 * inside a literal is escaped, so a literal opened there ends (or fails) at the same place.
 */
export function closingOf(text: string, start: number, singleLine: LineBreaks): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === quote) return i + 1;
    if (ch === '\\') {
      if (i + 1 >= text.length || LINE_TERMINATORS.has(text[i + 1])) return -i - 1;
      i += 2;
    } else if (singleLine === true ? ch === '\n' : singleLine && LINE_TERMINATORS.has(ch)) {
      return -i - 1;
    } else {
      i++;
    }
  }
  return -i - 1;
}

/** The literals of `text` quoted by any of `quotes`, left to right, as a global regex of their alternation finds them. */
export function quotedSpans(text: string, quotes: string, singleLine: LineBreaks = false): QuotedSpan[] {
  const spans: QuotedSpan[] = [];
  // Per quote: a literal opened before this index fails there, and so does any opened before it.
  const failsUntil = new Map<string, number>();
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (!quotes.includes(ch) || i < (failsUntil.get(ch) ?? -1)) continue;
    const end = closingOf(text, i, singleLine);
    if (end < 0) {
      failsUntil.set(ch, -end - 1);
      continue;
    }
    spans.push({ start: i, end });
    i = end - 1;
  }
  return spans;
}

/** `text` with each literal quoted by one of `quotes` replaced: `text.replace(/…/g, replacement)`. */
export function replaceQuoted(text: string, quotes: string, replacement: string, singleLine: LineBreaks = false): string {
  let out = '';
  let last = 0;
  for (const span of quotedSpans(text, quotes, singleLine)) {
    out += text.slice(last, span.start) + replacement;
    last = span.end;
  }
  return out + text.slice(last);
}
