/** Identifier helpers shared by rules. */
import { NameMemo } from './name-memo';

const WORDS_CACHE = new NameMemo<readonly string[]>(16_000);
/** Longer text is not identifier-shaped (the longest names in real code are well under this). */
const MAX_IDENTIFIER_LENGTH = 256;

/**
 * Splits an identifier into lower-case words: `wifiPassword` → [wifi, password], `API_KEY` → [api, key].
 * Memoised: a codebase repeats the same few thousand names, and every credential-aware rule asks.
 * Callers must not mutate the returned array.
 */
export function identifierWords(name: string): string[] {
  // A value hundreds of characters long is not a name (a secret, a blob): nothing to classify.
  if (!isIdentifierShaped(name)) return [];
  // Frozen: a caller that mutates the shared array fails loudly instead of corrupting the cache.
  return WORDS_CACHE.get(name, (own) => Object.freeze(splitIdentifier(own))) as string[];
}

/**
 * Whether text can be a name, a qualified name (`cfg->wifi.password`) or a setting key: no longer than any
 * identifier and on one line. Name analysis (splitting, classification, its caches) runs only on such text:
 * a rule that reaches it with a value (a 200 KB secret, a minified blob) gets "not a name" at once.
 */
export function isIdentifierShaped(text: string): boolean {
  if (text.length > MAX_IDENTIFIER_LENGTH) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) return false;
  }
  return true;
}

type CharClass = 'lower' | 'upper' | 'digit' | 'other';

function classOf(code: number): CharClass {
  if (code >= 97 && code <= 122) return 'lower';
  if (code >= 65 && code <= 90) return 'upper';
  if (code >= 48 && code <= 57) return 'digit';
  return 'other';
}

/**
 * One linear scan: a word ends at a character that is not a letter or digit, before an upper-case letter
 * that follows a lower-case letter or a digit (`wifiPassword`, `sha256Hash`), and before the last capital of
 * a run that starts a capitalised word (`HTTPServer` → http, server). Regex replacements with `[A-Z]+`
 * backtracked quadratically on long upper-case values.
 */
export function splitIdentifier(name: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= name.length; i++) {
    const current = i < name.length ? classOf(name.charCodeAt(i)) : 'other';
    if (current === 'other') {
      if (start >= 0) words.push(name.slice(start, i).toLowerCase());
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      continue;
    }
    const previous = classOf(name.charCodeAt(i - 1));
    const next = i + 1 < name.length ? classOf(name.charCodeAt(i + 1)) : 'other';
    if (current === 'upper' && (previous === 'lower' || previous === 'digit' || (previous === 'upper' && next === 'lower'))) {
      words.push(name.slice(start, i).toLowerCase());
      start = i;
    }
  }
  return words;
}

/** Whether a call's callee is one of `names` (matched on the full dotted callee or its last segment). */
export function calleeIs(call: { callee: string; name: string }, names: ReadonlySet<string>): boolean {
  return names.has(call.callee) || names.has(call.name);
}
