/**
 * A tree-sitter node's end offset, read once per node object. web-tree-sitter keeps a node's start in a
 * field but computes its end in WASM on every read (marshalling the node each time), and the model asks a
 * node for its end several times (its span, its text, the walk's skipping): on C code that was a tenth of
 * building the model.
 */
import type { Node } from 'web-tree-sitter';

const END = Symbol('medsec.end');

type WithEnd = Node & { [END]?: number };

export function endOf(node: Node): number {
  const known = (node as WithEnd)[END];
  if (known !== undefined) return known;
  return ((node as WithEnd)[END] = node.endIndex);
}
