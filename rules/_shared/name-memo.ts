/**
 * A memo for analysis of names read from source text (splitting an identifier, classifying it), which
 * every file repeats. It lives as long as the process: in the language server's document worker that is a
 * whole editing session, file after file, so it is built to stay small.
 *
 * - At most `limit` names, in two generations: names go into the young one; when it holds half the limit
 *   it becomes the old one and the previous old one is dropped; a name found in the old generation moves
 *   back to the young one. The names in use survive a turnover, the rest age out, and memory stays bounded
 *   (each name costs about 150 bytes with its value).
 * - It keeps its own copy of each name. A name the code model read from a file is a slice of that file's
 *   text, and V8 keeps a slice of 13 characters or more as a view on the whole text: keyed by the slice,
 *   the memo would keep every file it ever saw alive (in the language server, 356 files of a 300k-line
 *   workspace left about 12 MB of text held by these memos). The value is computed from the copy too, so
 *   the words sliced from it do not hold the file either.
 */
const NOTHING: unique symbol = Symbol('nothing');

export class NameMemo<V> {
  // An undefined value (most names classify as nothing) is stored as NOTHING, so one lookup tells a known
  // name from an unknown one: `get` then `has` cost two hash lookups for every name that is not a credential.
  private young = new Map<string, V | typeof NOTHING>();
  private old = new Map<string, V | typeof NOTHING>();
  private readonly generation: number;

  constructor(limit: number) {
    this.generation = Math.max(1, Math.floor(limit / 2));
  }

  get(name: string, compute: (name: string) => V): V {
    const known = this.young.get(name);
    if (known !== undefined) return known === NOTHING ? (undefined as V) : known;
    const own = ownCopy(name);
    const aged = this.old.get(name);
    let value: V;
    if (aged !== undefined) {
      value = aged === NOTHING ? (undefined as V) : aged;
      this.old.delete(name);
    } else value = compute(own);
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(own, value === undefined ? NOTHING : value);
    return value;
  }

  /** Names held, at most the limit. */
  get size(): number {
    return this.young.size + this.old.size;
  }
}

/** `text` in storage of its own, sharing nothing with a string it may have been sliced from. */
export function ownCopy(text: string): string {
  // The concatenation is a new string; slicing it flattens it into fresh storage of text.length + 1.
  return (' ' + text).slice(1);
}
