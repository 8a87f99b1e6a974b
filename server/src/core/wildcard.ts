/**
 * `*` and `?` patterns matched against a whole text by a scan: a glob turned into a regex (`.*` per star)
 * backtracks polynomially in the number of stars, and the patterns come from the user's configuration.
 */

/**
 * Whether `text` matches `pattern`, where `*` is any run of characters (newlines too) and `?` one character
 * (a literal `?` when `questionMark` is false: globs over names that never hold one, such as rule ids).
 */
export function matchesWildcard(pattern: string, text: string, questionMark = true): boolean {
  let p = 0;
  let t = 0;
  // The last star seen, and where in the text its run currently ends: on a mismatch the run grows by one.
  let star = -1;
  let starEnd = 0;
  while (t < text.length) {
    if (p < pattern.length && ((questionMark && pattern[p] === '?') || (pattern[p] !== '*' && pattern[p] === text[t]))) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      starEnd = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++starEnd;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
