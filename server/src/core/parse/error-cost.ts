/**
 * How much of a file a tree-sitter parse failed to read as code, to choose between two parses of it.
 *
 * An ERROR node's extent says little: tree-sitter often wraps a whole header in one ERROR whose children are
 * complete declarations, functions and conditionals that the model reads as usual. What is lost is the
 * tokens an ERROR node holds directly, which belong to no construct (a function whose head did not parse is a
 * run of identifiers and punctuation: no function, no call, no declaration). So the cost is the bytes of
 * those loose tokens, plus one per MISSING node (a token tree-sitter assumed to recover, the structure kept).
 */
import type { Tree, TreeCursor } from 'web-tree-sitter';

export function errorCost(tree: Tree, limit = Infinity): number {
  if (!tree.rootNode.hasError) return 0;
  const cursor = tree.walk();
  try {
    return costBelow(cursor, limit);
  } finally {
    cursor.delete();
  }
}

/**
 * The cost of the cursor's node, walking only into the children that hold an error. Once the cost reaches
 * `limit` the walk stops and returns what it has (at least `limit`): a caller that only asks whether a parse
 * beats another (`limit` = the other's cost) gets the same answer without reading the rest of a broken tree.
 */
function costBelow(cursor: TreeCursor, limit: number): number {
  let cost = cursor.nodeIsMissing ? 1 : 0;
  const isError = cursor.nodeType === 'ERROR';
  // An ERROR with no children is text no token matched.
  if (!cursor.gotoFirstChild()) return isError ? cursor.endIndex - cursor.startIndex : cost;
  do {
    const child = cursor.currentNode;
    if (isError && child.childCount === 0) cost += cursor.endIndex - cursor.startIndex;
    else if (child.hasError || cursor.nodeIsMissing) cost += costBelow(cursor, limit - cost);
    // The cursor is left where it stopped: errorCost deletes it.
    if (cost >= limit) return cost;
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return cost;
}
