/**
 * Source text with fast offset <-> line/column mapping. Offsets are UTF-16 code units, the unit that
 * JavaScript strings, web-tree-sitter (on string input) and LSP positions all share.
 */
import type { Position, Range, Span } from './span';

export class SourceText {
  private starts?: number[];

  constructor(readonly content: string) {}

  /** Where each line starts: found on first use (most files of a scan report nothing and never ask). */
  get lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.content.indexOf('\n'); i >= 0; i = this.content.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - starts[lo] };
  }

  offsetAt(position: Position): number {
    const start = this.lineStarts[Math.min(position.line, this.lineStarts.length - 1)] ?? 0;
    return Math.min(start + position.column, this.content.length);
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  /** The text of a zero-based line without its line break. */
  line(line: number): string {
    const start = this.lineStarts[line];
    if (start === undefined) return '';
    const next = this.lineStarts[line + 1];
    const end = next === undefined ? this.content.length : next - 1;
    return this.content.slice(start, end).replace(/\r$/, '');
  }

  slice(span: Span): string {
    return this.content.slice(span.start, span.end);
  }
}

/**
 * Decodes file bytes. Invalid UTF-8 is replaced (U+FFFD) rather than rejected, so a file with one bad byte
 * still gets checked; a leading BOM is kept as a character so offsets match what editors show.
 */
export function decodeSource(bytes: Uint8Array): { text: string; invalidUtf8: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), invalidUtf8: false };
  } catch {
    return { text: new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes), invalidUtf8: true };
  }
}

/** NUL bytes in the first 8 KB mark a binary file (the heuristic git uses). */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * Whether bytes read as text: few control characters (other than tab, line breaks and form feed) and few
 * invalid UTF-8 sequences. Design files, PostScript and packed data often have no NUL byte in their head.
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if ((b < 9 || (b > 13 && b < 32) || b === 127) && b !== 27) odd++;
  }
  if (odd > n / 100) return false;
  const replaced = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, n)).split('\uFFFD').length - 1;
  return replaced <= n / 200;
}
