/**
 * Where something is in a file: offsets and line/column positions. The lowest layer of the engine's types
 * (the text and the code model are built on it); core/types.ts re-exports these for everyone else.
 */

/** A half-open range of UTF-16 code-unit offsets into the file text (the same unit LSP uses). */
export interface Span {
  start: number;
  end: number;
}

/** Zero-based line and UTF-16 column. */
export interface Position {
  line: number;
  column: number;
}
export interface Range {
  start: Position;
  end: Position;
}

/** Index of the last span of `spans` (sorted by start) that starts at or before `offset`; -1 when none does. */
export function lastSpanStartingBy(spans: readonly Span[], offset: number): number {
  let low = 0;
  let high = spans.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (spans[mid].start <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}
