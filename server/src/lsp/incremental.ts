/**
 * Applies LSP content changes to a text document and mirrors each one onto the document's tree-sitter tree
 * with `tree.edit()`, so the next parse re-uses everything the edit did not touch.
 *
 * Offsets and columns are UTF-16 code units on both sides: LSP positions are, and web-tree-sitter counts
 * string input in code units too.
 */
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { Edit, type Point, type Tree } from 'web-tree-sitter';

export interface ChangeResult {
  document: TextDocument;
  /** False when a change replaced the whole text: the tree no longer matches and must be dropped. */
  treeStillValid: boolean;
}

export function applyContentChanges(
  document: TextDocument,
  changes: readonly TextDocumentContentChangeEvent[],
  version: number,
  tree: Tree | undefined,
): ChangeResult {
  let current = document;
  let treeStillValid = true;
  for (const change of changes) {
    if (!('range' in change) || !change.range) {
      treeStillValid = false;
    } else if (tree && treeStillValid) {
      // Each change is relative to the text after the previous ones, so edit the tree before updating.
      const startIndex = current.offsetAt(change.range.start);
      const oldEndIndex = current.offsetAt(change.range.end);
      const startPosition = current.positionAt(startIndex);
      const oldEndPosition = current.positionAt(oldEndIndex);
      tree.edit(
        new Edit({
          startIndex,
          oldEndIndex,
          newEndIndex: startIndex + change.text.length,
          startPosition: toPoint(startPosition),
          oldEndPosition: toPoint(oldEndPosition),
          newEndPosition: endPointOf(toPoint(startPosition), change.text),
        }),
      );
    }
    current = TextDocument.update(current, [change], version);
  }
  return { document: current, treeStillValid };
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
