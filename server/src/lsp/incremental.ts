/**
 * Applies LSP content changes to a text document and describes each one as a tree-sitter edit, so the
 * document worker (document-worker-loop.ts) can mirror them onto its tree with `tree.edit()` and the next
 * parse re-uses everything the edits did not touch. The tree lives on the worker thread; the edits are
 * plain data that cross to it with the next check.
 *
 * Offsets and columns are UTF-16 code units on both sides: LSP positions are, and web-tree-sitter counts
 * string input in code units too.
 */
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Point } from 'web-tree-sitter';

/** The fields of web-tree-sitter's `Edit`, as plain data. */
export interface TreeEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: Point;
  oldEndPosition: Point;
  newEndPosition: Point;
}

export interface ChangeResult {
  document: TextDocument;
  /** The edits in order, or `reset` when a change replaced the whole text (a kept tree no longer matches). */
  edits: TreeEdit[] | 'reset';
}

export function applyContentChanges(
  document: TextDocument,
  changes: readonly TextDocumentContentChangeEvent[],
  version: number,
): ChangeResult {
  let current = document;
  let edits: TreeEdit[] | 'reset' = [];
  for (const change of changes) {
    if (!('range' in change) || !change.range) {
      edits = 'reset';
    } else if (edits !== 'reset') {
      // Each change is relative to the text after the previous ones, so describe it before updating.
      const startIndex = current.offsetAt(change.range.start);
      const oldEndIndex = current.offsetAt(change.range.end);
      const startPosition = current.positionAt(startIndex);
      const oldEndPosition = current.positionAt(oldEndIndex);
      edits.push({
        startIndex,
        oldEndIndex,
        newEndIndex: startIndex + change.text.length,
        startPosition: toPoint(startPosition),
        oldEndPosition: toPoint(oldEndPosition),
        newEndPosition: endPointOf(toPoint(startPosition), change.text),
      });
    }
    current = TextDocument.update(current, [change], version);
  }
  return { document: current, edits };
}

/** Edits since the last check followed by `next`: a reset on either side resets. */
export function appendEdits(pending: TreeEdit[] | 'reset', next: TreeEdit[] | 'reset'): TreeEdit[] | 'reset' {
  if (pending === 'reset' || next === 'reset') return 'reset';
  for (const edit of next) pending.push(edit);
  return pending;
}

function toPoint(position: { line: number; character: number }): Point {
  return { row: position.line, column: position.character };
}

/** Where inserted text ends, starting at `start`. */
function endPointOf(start: Point, text: string): Point {
  let row = start.row;
  let lineStart = -1;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      row++;
      lineStart = i;
    }
  }
  return lineStart < 0 ? { row, column: start.column + text.length } : { row, column: text.length - lineStart - 1 };
}
