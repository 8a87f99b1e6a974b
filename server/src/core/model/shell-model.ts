/**
 * The code model of a shell script: its comments (for suppressions) and whether it parsed. Rules that read
 * shell (the pipelines and commands of a script) walk the tree-sitter-bash tree, `RuleContext.tree`; the
 * call and value model of the other languages does not apply to a language of words and expansions.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { emptyModel, type CodeModel } from './types';

export function buildShellModel(tree: Tree): CodeModel {
  const model = emptyModel();
  model.hasErrors = tree.rootNode.hasError;
  // Comments sit anywhere in the tree; an explicit stack keeps deep nesting off the call stack.
  const stack: Node[] = [tree.rootNode];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'comment') model.comments.push({ start: node.startIndex, end: node.endIndex, text: node.text });
    for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
  }
  return model;
}
