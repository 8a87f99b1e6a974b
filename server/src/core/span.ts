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
