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
 *
 * A fragment may also be anchored at the edge of a *word* of an identifier, as name-splitting rules read it
 * (identifier-words.ts: `wifi_pass`, `wifiPass`, `WIFI_PASS`, `HTTPServer` → http, server): `<<pass>>` is `pass`
 * as a whole word, `token>>` a word that ends in `token` (`authToken`, `access_token`), found in `wifi_pass` and
 * `setPass(` but not in `bypass`, `passive` or `compass`. A word edge is wherever the splitter ends a word and
 * more: any character that is not an ASCII letter (so a digit edges a word though `pass1` is one word), a
 * lower-case letter followed by a capital, the last capital of a run before a lower-case letter, and (at a word's
 * start) a letter within an escape's reach. An identifier edge is a word edge, so `<<x>>` finds all `<x>` finds.
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
  /** `<x`: at an identifier's start; `<<x`: at a word's start (start is then false). */
  start: boolean;
  end: boolean;
  wordStart: boolean;
  wordEnd: boolean;
}

export function parseFragment(fragment: string): ParsedFragment {
  const wordStart = fragment.startsWith('<<');
  const start = !wordStart && fragment.startsWith('<');
  const wordEnd = fragment.length > 2 && fragment.endsWith('>>');
  const end = !wordEnd && fragment.length > 1 && fragment.endsWith('>');
  const text = fragment.slice(wordStart ? 2 : start ? 1 : 0, wordEnd ? -2 : end ? -1 : undefined);
  return { text, start, end, wordStart, wordEnd };
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

const isLower = (code: number) => code >= 97 && code <= 122;
const isUpper = (code: number) => code >= 65 && code <= 90;

/**
 * Whether a word of a name can start at `at` (a letter): after a character that is no ASCII letter, at a capital
 * after a lower-case letter (`wifiPass`) or at the last capital of a run before a lower-case one (`HTTPServer`),
 * or within an escape's reach.
 */
function wordEdgeBefore(text: string, at: number): boolean {
  if (at === 0) return true;
  const previous = text.charCodeAt(at - 1);
  const current = text.charCodeAt(at);
  if (!isLower(previous) && !isUpper(previous)) return true;
  if (isUpper(current) && (isLower(previous) || (at + 1 < text.length && isLower(text.charCodeAt(at + 1))))) return true;
  for (let i = at - 2; i >= 0 && i >= at - 1 - ESCAPE_REACH; i--) if (text.charCodeAt(i) === 92) return true;
  return false;
}

/** Whether a word of a name can end just before `at` (after a letter): the same edges, seen from the left. */
function wordEdgeAfter(text: string, at: number): boolean {
  if (at >= text.length) return true;
  const next = text.charCodeAt(at);
  if (!isLower(next) && !isUpper(next)) return true;
  const last = text.charCodeAt(at - 1);
  return isUpper(next) && (isLower(last) || (at + 1 < text.length && isLower(text.charCodeAt(at + 1))));
}

/** Whether a match of `length` characters ending just before `end` stands at the edges its anchor bits ask for. */
function anchoredAt(text: string, end: number, length: number, anchor: number): boolean {
  const start = end - length;
  if (anchor & 1 && !edgeBefore(text, start)) return false;
  if (anchor & 2 && !edgeAfter(text, end)) return false;
  if (anchor & 4 && !wordEdgeBefore(text, start)) return false;
  if (anchor & 8 && !wordEdgeAfter(text, end)) return false;
  return true;
}

/** The folded code of an ASCII character: A-Z to a-z, the rest unchanged. */
function foldAscii(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

export class FragmentScanner {
  /** The fragments, folded, in the order given (anchors included): `scan` reports them by index. */
  readonly fragments: readonly string[];
  // Per fragment: its length and anchors (bit 1: at an identifier's start, bit 2: at its end; 4, 8: a word's).
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
    this.anchors = Uint8Array.from(parsed, (p) => (p.start ? 1 : 0) | (p.end ? 2 : 0) | (p.wordStart ? 4 : 0) | (p.wordEnd ? 8 : 0));
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
          if (anchor && !anchoredAt(text, i + 1, lengths[index], anchor)) continue;
          found[index] = 1;
          fresh++;
        }
    }
    return fresh;
  }
}
