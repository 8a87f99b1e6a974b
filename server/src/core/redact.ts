/**
 * Secrets never leave the engine in plain text: every snippet and message is masked here, once, so no
 * output format can forget to. A secret keeps a short prefix so a reviewer can tell which one it is.
 */
import type { Span } from './types';

export const MASK = '****';

export function maskSecret(secret: string): string {
  if (!secret) return secret;
  const visible = secret.length >= 12 ? 3 : secret.length >= 6 ? 2 : secret.length >= 4 ? 1 : 0;
  return secret.slice(0, visible) + MASK;
}

/**
 * Replaces every secret span that overlaps [from, to) of `content` with its masked form and returns that
 * slice of the text.
 */
export function redactSlice(content: string, from: number, to: number, secrets: Span[] | SecretSpans): string {
  const relevant = secrets instanceof SecretSpans ? secrets.overlapping(from, to) : overlapping(secrets, from, to);
  let out = '';
  let pos = from;
  for (const s of relevant) {
    if (s.end <= pos) continue;
    // A secret cut by the window start shows no prefix at all.
    out += s.start >= pos ? content.slice(pos, s.start) + maskSecret(content.slice(s.start, s.end)) : MASK;
    pos = Math.min(s.end, to);
  }
  out += content.slice(pos, to);
  return out;
}

/** Removes any literal occurrence of a secret value from free text (a rule's message, say). */
export function redactText(text: string, secretValues: string[]): string {
  return new SecretValues(secretValues).redact(text);
}

/**
 * The secret values of one file, for masking many messages. A minified file can hold thousands of secrets
 * and findings: testing each message against each value was quadratic, so a message is instead looked up
 * by its substrings of the lengths that secrets have (a message is short; the distinct lengths are few).
 */
export class SecretValues {
  private readonly values: Set<string>;
  /** Distinct lengths, longest first, so a secret that contains another is masked whole. */
  private readonly lengths: number[];

  constructor(secretValues: readonly string[]) {
    this.values = new Set(secretValues.filter((value) => value.length >= 3));
    this.lengths = [...new Set([...this.values].map((value) => value.length))].sort((a, b) => b - a);
  }

  redact(text: string): string {
    if (!this.values.size) return text;
    let out = text;
    for (const length of this.lengths) {
      if (length > out.length) continue;
      let masked = '';
      let copied = 0;
      for (let i = 0; i + length <= out.length; i++) {
        const piece = out.slice(i, i + length);
        if (!this.values.has(piece) || (WORD_ONLY.test(piece) && !standsAlone(out, i, i + length))) continue;
        masked += out.slice(copied, i) + maskSecret(piece);
        copied = i + length;
        i = copied - 1;
      }
      out = masked + out.slice(copied);
    }
    return out;
  }
}

const WORD = /[A-Za-z0-9_]/;
const WORD_ONLY = /^\w+$/;

/**
 * Whether text[from, to) is a token of its own: its edges do not run on into more word characters. A value
 * that is one word (`admin`, `password`, `1234`) is masked where it stands alone, not inside the name
 * `admin_timeout` or the word `administer`, which say nothing about it and would leave a message or snippet
 * unreadable ("ota_pa****"). A value with punctuation is no word of prose: it is masked wherever it appears.
 */
function standsAlone(text: string, from: number, to: number): boolean {
  const runsOnBefore = from > 0 && WORD.test(text[from]) && WORD.test(text[from - 1]);
  const runsOnAfter = to < text.length && WORD.test(text[to - 1]) && WORD.test(text[to]);
  return !runsOnBefore && !runsOnAfter;
}

function overlapping(secrets: readonly Span[], from: number, to: number): Span[] {
  return secrets.filter((s) => s.end > from && s.start < to && s.end > s.start).sort((a, b) => a.start - b.start);
}

/**
 * The secret spans of one file, sorted once: a snippet needs only those near it, found by binary search
 * (a secret that overlaps [from, to) starts at most the longest secret's length before `from`).
 */
export class SecretSpans {
  private readonly sorted: Span[];
  private readonly longest: number;

  constructor(secrets: readonly Span[]) {
    this.sorted = secrets.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
    this.longest = this.sorted.reduce((max, s) => Math.max(max, s.end - s.start), 0);
  }

  overlapping(from: number, to: number): Span[] {
    let low = 0;
    let high = this.sorted.length;
    const earliest = from - this.longest;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.sorted[mid].start < earliest) low = mid + 1;
      else high = mid;
    }
    const found: Span[] = [];
    for (let i = low; i < this.sorted.length && this.sorted[i].start < to; i++) if (this.sorted[i].end > from) found.push(this.sorted[i]);
    return found;
  }
}
