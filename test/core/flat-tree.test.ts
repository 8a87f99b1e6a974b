/**
 * The flat tree (core/parse/flat-tree.ts) the code model reads instead of web-tree-sitter's `Node` wrappers:
 * on the rule fixtures of every tree-sitter language, each node has the type, range, named flag, parent,
 * children and fields that the `Node` API gives, in the same order; and the view of a subtree matches the
 * same nodes of the whole tree. The model's own equivalence is the rule fixtures and the real-code check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Node } from 'web-tree-sitter';
import { flattenTree, type FlatTree } from '../../server/src/core/parse/flat-tree';
import { parseTreeSitter } from '../../server/src/core/parse/tree-sitter';
import type { TreeSitterLanguage } from '../../server/src/core/language';

const RULES = path.join(__dirname, '..', '..', 'rules');
const EXTENSIONS: Record<TreeSitterLanguage, RegExp> = {
  c: /\.c$/,
  cpp: /\.(cpp|cc|hpp)$/,
  java: /\.java$/,
  python: /\.py$/,
  kotlin: /\.kts?$/,
};
/** The fields the model asks for, in every grammar that has them. */
const FIELDS = [
  'left',
  'right',
  'operator',
  'name',
  'value',
  'type',
  'function',
  'arguments',
  'object',
  'declarator',
  'body',
  'parameters',
  'condition',
  'key',
  'alias',
  'module_name',
  'path',
  'designator',
  'argument',
  'subscript',
  'index',
  'expression',
  'superclass',
  'interfaces',
  'superclasses',
  'default_value',
  'directive',
];

function fixtureSources(language: TreeSitterLanguage): string[] {
  const sources: string[] = [];
  for (const rule of readdirSync(RULES)) {
    const dir = path.join(RULES, rule, 'fixtures');
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) if (EXTENSIONS[language].test(name)) sources.push(readFileSync(path.join(dir, name), 'utf8'));
  }
  return sources;
}

/** The nodes under `top` in document order, each before its descendants, as the `Node` API gives them. */
function preorder(top: Node): Node[] {
  const nodes: Node[] = [];
  const visit = (node: Node) => {
    nodes.push(node);
    for (const child of node.children) if (child) visit(child);
  };
  visit(top);
  return nodes;
}

/**
 * Where the flat tree and the `Node` API disagree (empty when they agree). Compared without `expect` per
 * value: the fixtures have ~100k nodes and every node is asked for ~30 fields.
 */
function differences(flat: FlatTree, nodes: Node[]): string[] {
  const found: string[] = [];
  if (flat.count !== nodes.length) return [`${flat.count} nodes, the Node API has ${nodes.length}`];
  const numberOf = new Map(nodes.map((node, i) => [node.id, i + 1]));
  const same = (a: (number | undefined)[], list: (Node | null)[]) => a.join() === list.map((node) => numberOf.get(node!.id)).join();
  for (const [i, node] of nodes.entries()) {
    const n = i + 1;
    const at = `${node.type} at ${node.startIndex}`;
    if (flat.type(n) !== node.type) found.push(`${at}: type ${flat.type(n)}`);
    if (flat.start(n) !== node.startIndex || flat.end(n) !== node.endIndex) found.push(`${at}: range ${flat.start(n)}-${flat.end(n)}`);
    if (flat.isNamed(n) !== node.isNamed) found.push(`${at}: named ${flat.isNamed(n)}`);
    if (n > 1 && flat.parent(n) !== numberOf.get(node.parent!.id)) found.push(`${at}: parent`);
    if (!same(flat.children(n), node.children)) found.push(`${at}: children`);
    if (!same(flat.namedChildren(n), node.namedChildren)) found.push(`${at}: named children`);
    if (!node.childCount) continue;
    for (const field of FIELDS) {
      const child = node.childForFieldName(field);
      if (flat.field(n, field) !== (child ? numberOf.get(child.id) : undefined)) found.push(`${at}: field ${field}`);
      if (!same(flat.fieldAll(n, field), node.childrenForFieldName(field))) found.push(`${at}: fields ${field}`);
    }
  }
  return found.slice(0, 20);
}

describe('the flat tree the code model reads', () => {
  for (const language of Object.keys(EXTENSIONS) as TreeSitterLanguage[]) {
    it(`${language}: the same nodes, ranges, children and fields as tree-sitter's Node API`, { timeout: 120_000 }, async () => {
      const sources = fixtureSources(language);
      expect(sources.length).toBeGreaterThan(3);
      for (const source of sources) {
        const tree = await parseTreeSitter(language, source);
        try {
          expect(differences(flattenTree(tree), preorder(tree.rootNode))).toEqual([]);
          // A subtree (the language server models a document one top-level node at a time).
          const top = tree.rootNode.namedChildren.find((child) => child && child.childCount > 2);
          if (top) expect(differences(flattenTree(tree, top), preorder(top))).toEqual([]);
        } finally {
          tree.delete();
        }
      }
    });
  }

  it('stays readable after its tree is deleted, and a tree with errors reads as one', async () => {
    const tree = await parseTreeSitter('c', 'int main(void) { strcpy(buf, ; return 0; }\n');
    const nodes = preorder(tree.rootNode).map((node) => [node.type, node.startIndex, node.endIndex]);
    const flat = flattenTree(tree);
    tree.delete();
    expect(Array.from({ length: flat.count }, (_, i) => [flat.type(i + 1), flat.start(i + 1), flat.end(i + 1)])).toEqual(nodes);
    expect(nodes.some(([type]) => type === 'ERROR')).toBe(true);
  });
});
