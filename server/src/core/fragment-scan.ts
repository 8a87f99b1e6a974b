/**
 * Which of many fragments occur in a text, in one pass: an Aho-Corasick automaton over case-folded characters,
 * compiled to a dense table (state × character class). The rules' pre-filters (rule-needs.ts) ask it which of
 * their fragments a file holds; one pass answers every rule, where a regex per rule would read the file ~50 times.
 *
 * Matching is case-insensitive and at least as permissive as any case-insensitive test a rule can make: ASCII
 * letters fold to lower case, and so do the non-ASCII characters that JavaScript's case mappings turn into ASCII
 * letters (KELVIN SIGN → k, LATIN CAPITAL I WITH DOT ABOVE → i, LONG S → s, DOTLESS I → i).
 */
import { pushAll } from './arrays';

/** Non-ASCII characters whose `toLowerCase`, `toUpperCase` or `/iu` folding is an ASCII letter. */
const NON_ASCII_FOLDS: ReadonlyMap<number, number> = new Map([
  [0x212a, 0x6b], // K KELVIN SIGN: lower case is `k`
  [0x0130, 0x69], // İ: lower case is `i` + combining dot
  [0x017f, 0x73], // ſ LONG S: upper case is `S`
  [0x0131, 0x69], // ı DOTLESS I: upper case is `I`
]);

/** The folded code of an ASCII character: A-Z to a-z, the rest unchanged. */
function foldAscii(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

export class FragmentScanner {
  /** The fragments, folded, in the order given: `scan` reports them by index. */
  readonly fragments: readonly string[];
  // Character class of each ASCII code (0: a character no fragment holds); non-ASCII folds through NON_ASCII_FOLDS.
  private readonly classOf = new Uint8Array(128);
  private readonly classes: number;
  // next[state * classes + class]: the automaton's transitions, failure links already followed.
  private readonly next: Int32Array;
  // The fragments that end at each state (its own and its failure chain's); -1 where none does.
  private readonly outputAt: Int32Array;
  private readonly outputs: number[][] = [];

  constructor(fragments: readonly string[]) {
    this.fragments = fragments.map((fragment) => {
      if (!fragment.length) throw new Error('a pre-filter fragment is empty');
      for (let i = 0; i < fragment.length; i++)
        if (fragment.charCodeAt(i) > 127) throw new Error(`a pre-filter fragment is not ASCII: ${JSON.stringify(fragment)}`);
      return fragment.toLowerCase();
    });
    let classes = 1;
    for (const fragment of this.fragments)
      for (let i = 0; i < fragment.length; i++) {
        const code = fragment.charCodeAt(i);
        if (!this.classOf[code]) this.classOf[code] = classes++;
      }
    this.classes = classes;
    // The trie, then the failure links breadth first (the standard construction).
    const trie: number[][] = [new Array(classes).fill(-1)];
    const ends: number[][] = [[]];
    this.fragments.forEach((fragment, index) => {
      let state = 0;
      for (let i = 0; i < fragment.length; i++) {
        const c = this.classOf[fragment.charCodeAt(i)];
        if (trie[state][c] < 0) {
          trie[state][c] = trie.length;
          trie.push(new Array(classes).fill(-1));
          ends.push([]);
        }
        state = trie[state][c];
      }
      ends[state].push(index);
    });
    const next = new Int32Array(trie.length * classes);
    const fail = new Int32Array(trie.length);
    const queue: number[] = [];
    for (let c = 0; c < classes; c++) {
      const child = trie[0][c];
      next[c] = child < 0 ? 0 : child;
      if (child > 0) queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      pushAll(ends[state], ends[fail[state]]);
      for (let c = 0; c < classes; c++) {
        const child = trie[state][c];
        if (child < 0) next[state * classes + c] = next[fail[state] * classes + c];
        else {
          fail[child] = next[fail[state] * classes + c];
          next[state * classes + c] = child;
          queue.push(child);
        }
      }
    }
    this.next = next;
    this.outputAt = new Int32Array(trie.length).fill(-1);
    ends.forEach((found, state) => {
      if (found.length) {
        this.outputAt[state] = this.outputs.length;
        this.outputs.push([...new Set(found)]);
      }
    });
  }

  /** Marks in `found` (one flag per fragment) each fragment that occurs in `text`; returns how many were new. */
  scan(text: string, found: Uint8Array): number {
    const { classOf, classes, next, outputAt, outputs } = this;
    let state = 0;
    let fresh = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const code = text.charCodeAt(i);
      let c: number;
      if (code < 128) c = classOf[foldAscii(code)];
      else {
        const folded = NON_ASCII_FOLDS.get(code);
        c = folded === undefined ? 0 : classOf[folded];
      }
      state = next[state * classes + c];
      const out = outputAt[state];
      if (out >= 0)
        for (const index of outputs[out])
          if (!found[index]) {
            found[index] = 1;
            fresh++;
          }
    }
    return fresh;
  }
}
