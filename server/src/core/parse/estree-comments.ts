/**
 * The comments of a parsed TypeScript / JavaScript file, found from the text and the tree instead of by
 * typescript-estree's `comment: true`. That option walks every token of the file through TypeScript's
 * syntax lists, which for a 5 MB minified bundle held 400 MB more at the peak than the parse itself.
 *
 * Outside string, regex and template literals and JSX text, `//` and `/*` can only start a comment: so the
 * tree gives the ranges of those literals, and one pass over the text skips them and collects the rest.
 * Linear in the text and the tree; the tree is walked without recursion (a deeply nested file must not
 * overflow the stack here when the parser managed it).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { commentSpans } from './comment-scan';

/** Nodes whose text is not code: a `//` or `/*` inside them is not a comment. */
const OPAQUE = new Set(['Literal', 'TemplateElement', 'JSXText']);

export function commentsOf(text: string, program: TSESTree.Program): TSESTree.Comment[] {
  return commentSpans(text, opaqueRanges(program)).map(({ kind, start, end, closed }) => {
    const value = text.slice(start + 2, end - (kind === 'Block' && closed ? 2 : 0));
    return { type: kind, value, range: [start, end] } as TSESTree.Comment;
  });
}

/** The ranges of the opaque nodes, sorted, flattened as [start0, end0, start1, end1, …]. */
function opaqueRanges(program: TSESTree.Program): number[] {
  const ranges: [number, number][] = [];
  const pending: unknown[] = [program];
  while (pending.length > 0) {
    const node = pending.pop() as TSESTree.Node | undefined;
    if (!node || typeof node !== 'object' || typeof node.type !== 'string') continue;
    if (OPAQUE.has(node.type)) {
      ranges.push(node.range);
      continue;
    }
    for (const key of visitorKeys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) for (const item of child) pending.push(item);
      else pending.push(child);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const flat: number[] = [];
  for (const [start, end] of ranges) flat.push(start, end);
  return flat;
}
