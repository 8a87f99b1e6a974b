/**
 * Finds the next secret-format prefix in a text, exactly as the prefix trigger regex would (same offset, same
 * length), without the regex. The trigger is an alternation of some 240 literal prefixes; V8 runs it by trying
 * the alternatives at every offset, so it cost ~50 ms per megabyte of source, a tenth of a JS/TS scan. Here
 * one table lookup on the two characters at each offset rules out almost every offset, and only the prefixes
 * that start with those two are compared.
 *
 * The regex is `\b(?:B1|B2|...)|F1|F2|...`, each group's prefixes longest first: at an offset it tries the
 * bounded prefixes (only at a word boundary), then the free ones, and takes the first that matches. The
 * candidates of each first character keep that order, so the first that matches here is the regex's match.
 */

/** A prefix occurrence: where it starts and how many characters it takes (a search goes on after them). */
export interface PrefixHit {
  index: number;
  length: number;
}

interface Candidate {
  prefix: string;
  /** Only where the character before is not a word character (the regex's `\b`; the prefix starts with one). */
  bounded: boolean;
}

export class PrefixScanner {
  /**
   * Candidates by their first two characters (`first * 128 + second`), in the regex's order: one lookup rules
   * out almost every offset. Every prefix is ASCII and at least two characters long (the constructor checks).
   */
  private readonly byHead: (Candidate[] | undefined)[] = new Array(128 * 128).fill(undefined);

  /** `bounded` and `free` in the trigger regex's order (each longest first). */
  constructor(bounded: readonly string[], free: readonly string[]) {
    const add = (prefix: string, isBounded: boolean) => {
      const [first, second] = [prefix.charCodeAt(0), prefix.charCodeAt(1)];
      if (!(first < 128 && second < 128)) throw new Error(`prefix scanner: '${prefix}' does not start with two ASCII characters`);
      if (isBounded && !isWordCode(first)) throw new Error(`prefix scanner: bounded prefix '${prefix}' starts with no word character`);
      (this.byHead[first * 128 + second] ??= []).push({ prefix, bounded: isBounded });
    };
    for (const prefix of bounded) add(prefix, true);
    for (const prefix of free) add(prefix, false);
  }

  /** The first prefix occurrence at or after `from`. */
  next(content: string, from: number): PrefixHit | undefined {
    const byHead = this.byHead;
    const last = content.length - 1;
    let second = from <= last ? content.charCodeAt(from) : 0;
    for (let i = from; i < last; i++) {
      const first = second;
      second = content.charCodeAt(i + 1);
      if (first >= 128 || second >= 128) continue;
      const candidates = byHead[first * 128 + second];
      if (candidates === undefined) continue;
      const atBoundary = i === 0 || !isWordCode(content.charCodeAt(i - 1));
      for (let k = 0; k < candidates.length; k++) {
        const candidate = candidates[k];
        if (candidate.bounded && !atBoundary) continue;
        if (content.startsWith(candidate.prefix, i)) return { index: i, length: candidate.prefix.length };
      }
    }
    return undefined;
  }
}

/** A regex word character without the `u` and `i` flags: `[A-Za-z0-9_]`. */
function isWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}
