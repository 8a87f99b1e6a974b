/** Identifier helpers shared by rules. */

const WORDS_CACHE = new Map<string, readonly string[]>();
const WORDS_CACHE_LIMIT = 50_000;

/**
 * Splits an identifier into lower-case words: `wifiPassword` → [wifi, password], `API_KEY` → [api, key].
 * Memoised: a codebase repeats the same few thousand names, and every credential-aware rule asks.
 * Callers must not mutate the returned array.
 */
export function identifierWords(name: string): string[] {
  let words = WORDS_CACHE.get(name);
  if (!words) {
    if (WORDS_CACHE.size >= WORDS_CACHE_LIMIT) WORDS_CACHE.clear();
    // Frozen: a caller that mutates the shared array fails loudly instead of corrupting the cache.
    words = Object.freeze(splitIdentifier(name));
    WORDS_CACHE.set(name, words);
  }
  return words as string[];
}

function splitIdentifier(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Whether a call's callee is one of `names` (matched on the full dotted callee or its last segment). */
export function calleeIs(call: { callee: string; name: string }, names: ReadonlySet<string>): boolean {
  return names.has(call.callee) || names.has(call.name);
}
