/**
 * Expression text reduced to the name it holds: C casts and address-of at its start (`(const char *)&cfg->psk`)
 * and subscripts (`uid[0]`), found by scans. The regexes they replace (`^(?:\(\s*[\w\s]+\**\s*\)\s*|&\s*)+`) read a run of spaces three ways
 * (`\s*`, `[\w\s]+`, `\s*`), which backtracks polynomially on an unclosed `(` before a long run of them.
 */

const WORDS_AND_SPACES = /[\w\s]*/y;
const STARS = /\**/y;
const SPACES = /\s*/y;

/** Where the run `sticky` matches at `at` ends. */
function runEnd(sticky: RegExp, text: string, at: number): number {
  sticky.lastIndex = at;
  sticky.exec(text);
  return sticky.lastIndex;
}

/** How many `*` a cast may hold: any number, at most one, or exactly one. */
export type CastStars = 'any' | 'at-most-one' | 'one';

/**
 * Where the cast opened by the `(` at `at` ends (past its `)`), or -1: `\(\s*[\w\s]+\**\s*\)`, with the
 * stars `stars` allows. Each part is a maximal run, so one pass decides what the regex decides.
 */
export function castEnd(text: string, at: number, stars: CastStars = 'any'): number {
  if (text[at] !== '(') return -1;
  const words = runEnd(WORDS_AND_SPACES, text, at + 1);
  if (words === at + 1) return -1;
  const starsEnd = runEnd(STARS, text, words);
  const count = starsEnd - words;
  if ((stars === 'at-most-one' && count > 1) || (stars === 'one' && count !== 1)) return -1;
  const close = runEnd(SPACES, text, starsEnd);
  return text[close] === ')' ? close + 1 : -1;
}

/**
 * `text` without the casts and `&` (and `*` with `derefs`) it starts with, and the spaces after each:
 * `text.replace(/^(?:\(\s*[\w\s]+\**\s*\)\s*|&\s*|\*\s*)+/, '')`.
 */
export function withoutLeadingCasts(text: string, derefs = false): string {
  let at = 0;
  for (;;) {
    const cast = castEnd(text, at);
    const next = cast >= 0 ? cast : text[at] === '&' || (derefs && text[at] === '*') ? at + 1 : -1;
    if (next < 0) return text.slice(at);
    at = runEnd(SPACES, text, next);
  }
}

/** `text` without the one cast it starts with (as `withoutLeadingCasts` reads one) and the spaces after it. */
export function withoutLeadingCast(text: string): string {
  const end = castEnd(text, 0);
  return end < 0 ? text : text.slice(runEnd(SPACES, text, end));
}

/** `text` after the one cast it starts with (`stars` as the cast allows), or all of it when there is none. */
export function afterOptionalCast(text: string, stars: CastStars): string {
  const end = castEnd(text, 0, stars);
  return end < 0 ? text : text.slice(end);
}

/** `text` without its `[...]` parts: `text.replace(/\[[^\]]*\]/g, '')`, which rescans to the end from every `[` when no `]` follows. */
export function withoutSubscripts(text: string): string {
  let out = '';
  let last = 0;
  for (let open = text.indexOf('['); open >= 0; open = text.indexOf('[', last)) {
    const close = text.indexOf(']', open + 1);
    if (close < 0) break; // no later `[` is closed either
    out += text.slice(last, open);
    last = close + 1;
  }
  return out + text.slice(last);
}

/** `text` without the `[...]` it ends with: `text.replace(/\[[^\]]*\]$/, '')`. */
export function withoutTrailingSubscript(text: string): string {
  if (!text.endsWith(']')) return text;
  const open = text.indexOf('[', text.lastIndexOf(']', text.length - 2) + 1);
  return open >= 0 && open < text.length - 1 ? text.slice(0, open) : text;
}
