/**
 * Which of many fragments occur in a text, in one pass: an Aho-Corasick automaton over case-folded characters,
 * compiled to a dense table (state × character class). The rules' pre-filters (rule-needs.ts) ask it which of
 * their fragments a file holds; one pass answers every rule, where a regex per rule would read the file ~50 times.
 *
 * Matching is case-insensitive and at least as permissive as any case-insensitive test a rule can make: ASCII
 * letters fold to lower case, and so do the non-ASCII characters that JavaScript's case mappings turn into ASCII
 * letters (KELVIN SIGN → k, LATIN CAPITAL I WITH DOT ABOVE → i, LONG S → s, DOTLESS I → i).
 *
 * A fragment may be anchored at an identifier's edge, as grep's `\<` and `\>`: `<gets>` is `gets` with no
 * identifier character (`A-Z a-z 0-9 _`) just before or after it, so `widgets` and `getsockopt` do not hold it;
 * `<rand` only needs the start. Anything else counts as an edge (`$`, non-ASCII letters, the text's ends), and so
 * does a letter or digit within an escape's reach (a `\` up to ten characters before: `"\ngets"`, `"\x20gets"`
 * decode to an edge there), so an anchored fragment is found wherever a decoded value could hold it whole.
 */
import { pushAll } from './arrays';

/** Non-ASCII characters whose `toLowerCase`, `toUpperCase` or `/iu` folding is an ASCII letter. */
const NON_ASCII_FOLDS: ReadonlyMap<number, number> = new Map([
  [0x212a, 0x6b], // K KELVIN SIGN: lower case is `k`
  [0x0130, 0x69], // İ: lower case is `i` + combining dot
  [0x017f, 0x73], // ſ LONG S: upper case is `S`
  [0x0131, 0x69], // ı DOTLESS I: upper case is `I`
]);

/** Non-ASCII characters whose case folding is an ASCII letter, by code: what an escape's decoded value folds to. */
export function foldedCode(code: number): number {
  return code < 128 ? foldAscii(code) : (NON_ASCII_FOLDS.get(code) ?? code);
}

/** A fragment's text and anchors: `<name>` as parsed from its declaration. */
export interface ParsedFragment {
  text: string;
  start: boolean;
  end: boolean;
}

export function parseFragment(fragment: string): ParsedFragment {
  const start = fragment.startsWith('<');
  const end = fragment.length > 1 && fragment.endsWith('>');
  return { text: fragment.slice(start ? 1 : 0, end ? -1 : undefined), start, end };
}

/** `A-Z a-z 0-9 _`: what continues an identifier in every language medsec reads. */
function isIdentifierCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

/** The longest escape (`\U0010FFFF`, `\u{10FFFF}`): a letter this close after a backslash may be part of one. */
const ESCAPE_REACH = 10;

/** Whether an identifier can start at `at`: the text's start, a character that ends one, or an escape's reach. */
function edgeBefore(text: string, at: number): boolean {
  if (at === 0 || !isIdentifierCode(text.charCodeAt(at - 1))) return true;
  for (let i = at - 2; i >= 0 && i >= at - 1 - ESCAPE_REACH; i--) if (text.charCodeAt(i) === 92) return true;
  return false;
}

/** Whether an identifier can end just before `at`. */
function edgeAfter(text: string, at: number): boolean {
  return at >= text.length || !isIdentifierCode(text.charCodeAt(at));
}

/** The folded code of an ASCII character: A-Z to a-z, the rest unchanged. */
function foldAscii(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

export class FragmentScanner {
  /** The fragments, folded, in the order given (anchors included): `scan` reports them by index. */
  readonly fragments: readonly string[];
  // Per fragment: its length and anchors (bit 1: at an identifier's start, bit 2: at its end).
  private readonly lengths: Int32Array;
  private readonly anchors: Uint8Array;
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
      for (let i = 0; i < fragment.length; i++)
        if (fragment.charCodeAt(i) > 127) throw new Error(`a pre-filter fragment is not ASCII: ${JSON.stringify(fragment)}`);
      return fragment.toLowerCase();
    });
    const parsed = this.fragments.map(parseFragment);
    for (const { text } of parsed) if (!text.length) throw new Error('a pre-filter fragment is empty');
    this.lengths = Int32Array.from(parsed, (p) => p.text.length);
    this.anchors = Uint8Array.from(parsed, (p) => (p.start ? 1 : 0) | (p.end ? 2 : 0));
    const texts = parsed.map((p) => p.text);
    let classes = 1;
    for (const fragment of texts)
      for (let i = 0; i < fragment.length; i++) {
        const code = fragment.charCodeAt(i);
        if (!this.classOf[code]) this.classOf[code] = classes++;
      }
    this.classes = classes;
    // The trie, then the failure links breadth first (the standard construction).
    const trie: number[][] = [new Array(classes).fill(-1)];
    const ends: number[][] = [[]];
    texts.forEach((fragment, index) => {
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
    const { classOf, classes, next, outputAt, outputs, anchors, lengths } = this;
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
        for (const index of outputs[out]) {
          if (found[index]) continue;
          const anchor = anchors[index];
          if (anchor && !((!(anchor & 1) || edgeBefore(text, i + 1 - lengths[index])) && (!(anchor & 2) || edgeAfter(text, i + 1))))
            continue;
          found[index] = 1;
          fresh++;
        }
    }
    return fresh;
  }
}
