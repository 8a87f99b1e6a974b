/**
 * The code model of a document being edited, kept in pieces between edits: one piece per top-level node
 * of the tree (a function, a declaration, a #define, a comment). After an edit, a piece whose node kept
 * its type and text, and lies outside every range tree-sitter reports as changed, is reused with its
 * offsets shifted; only the pieces the edit touched are built again. The model of the whole file is the
 * pieces in document order, which is the order a full build produces (tree-sitter-model.ts walks nodes by
 * start offset), so rules see the same model either way.
 *
 * A piece's lazily resolved parts (call arguments, binding values, ...) read the tree it was built from,
 * which is freed after the next parse: `settle()` resolves them while that tree lives, and only settled
 * pieces are reused.
 */
import type { Node, Range, Tree } from 'web-tree-sitter';
import type { TreeSitterLanguage } from '../language';
import { pushAll } from '../arrays';
import { buildTreeSitterSubtreeModel } from './tree-sitter-model';
import type { Span } from '../span';
import { emptyModel, type CodeModel, type Variable } from './types';

interface Piece {
  type: string;
  start: number;
  end: number;
  model: CodeModel;
  /** Frees the builder's caches once every lazy part is resolved; undefined when settled. */
  release?: () => void;
  /** Once settled: every object of the model with a span, each once, for shifting them when the piece moves. */
  spans?: Span[];
}

/** The model arrays a piece contributes to, in the order CodeModel declares them. */
const LISTS = [
  'strings',
  'calls',
  'bindings',
  'comparisons',
  'functions',
  'classes',
  'comments',
  'config',
  'imports',
  'directives',
] as const;

export class FragmentedModel {
  private pieces: Piece[] = [];
  /** The text the pieces were built from. */
  private text = '';
  /** What the last `build` did: pieces built and pieces reused (tests read it). */
  lastBuild = { built: 0, reused: 0 };

  constructor(readonly language: TreeSitterLanguage) {}

  /**
   * The model of `tree`. `changed` is `previous.getChangedRanges(tree)` when `tree` was parsed from the
   * previous tree with the edits applied; without it (a full parse) every piece is built again.
   */
  build(tree: Tree, text: string, changed?: readonly Range[]): CodeModel {
    const unchanged = changed ? this.unchangedPieces(text, changed) : () => undefined;
    const pieces: Piece[] = [];
    let reused = 0;
    for (const node of tree.rootNode.children) {
      if (!node) continue;
      const old = unchanged(node);
      if (old?.spans) {
        shift(old.spans, node.startIndex - old.start);
        old.start = node.startIndex;
        old.end = node.endIndex;
        pieces.push(old);
        reused++;
      } else pieces.push(this.buildPiece(node, text));
    }
    this.lastBuild = { built: pieces.length - reused, reused };
    this.pieces = pieces;
    this.text = text;
    return this.assemble(tree.rootNode.hasError);
  }

  /** Resolves every lazy part of the pieces built by the last `build`; call it before their tree is edited or freed. */
  settle(): void {
    for (const piece of this.pieces) {
      if (!piece.release) continue;
      piece.spans = spansOf(piece.model);
      piece.release();
      piece.release = undefined;
    }
  }

  private buildPiece(node: Node, text: string): Piece {
    const { model, release } = buildTreeSitterSubtreeModel(this.language, node, text);
    return { type: node.type, start: node.startIndex, end: node.endIndex, model, release };
  }

  /**
   * The settled piece a node of the new tree can reuse: one that lies wholly in the text the old and the
   * new version share at their start or at their end, where the node has the same type and extent, and
   * that no changed range touches.
   */
  private unchangedPieces(text: string, changed: readonly Range[]): (node: Node) => Piece | undefined {
    const before = this.text;
    const prefix = commonPrefix(before, text);
    const suffix = commonSuffix(before, text, Math.min(before.length, text.length) - prefix);
    const delta = text.length - before.length;
    const byNewStart = new Map<number, Piece>();
    for (const piece of this.pieces) {
      if (!piece.spans) continue;
      if (piece.end <= prefix) byNewStart.set(piece.start, piece);
      else if (piece.start >= before.length - suffix) byNewStart.set(piece.start + delta, piece);
    }
    const touched = overlapTest(changed);
    return (node) => {
      const piece = byNewStart.get(node.startIndex);
      if (!piece || piece.type !== node.type || piece.end - piece.start !== node.endIndex - node.startIndex) return undefined;
      return touched(node) ? undefined : piece;
    };
  }

  private assemble(hasErrors: boolean): CodeModel {
    const model = emptyModel();
    model.hasErrors = hasErrors;
    for (const piece of this.pieces) {
      for (const list of LISTS) {
        const from = piece.model[list] as unknown[];
        if (from.length) pushAll(model[list] as unknown[], from);
      }
    }
    // Variables resolve lazily in each piece; the file's list is theirs in order, resolved on first use.
    const pieces = this.pieces;
    let variables: Variable[] | undefined;
    Object.defineProperty(model, 'variables', {
      enumerable: true,
      get: () => (variables ??= pieces.flatMap((piece) => piece.model.variables)),
    });
    return model;
  }
}

/** Compared a block at a time: string equality of two slices runs natively. */
const BLOCK = 1024;

/** How many code units `a` and `b` share at their start. */
function commonPrefix(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let at = 0;
  while (at + BLOCK <= limit && a.slice(at, at + BLOCK) === b.slice(at, at + BLOCK)) at += BLOCK;
  while (at < limit && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/** How many code units `a` and `b` share at their end, at most `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  while (n + BLOCK <= limit && a.slice(a.length - n - BLOCK, a.length - n) === b.slice(b.length - n - BLOCK, b.length - n)) n += BLOCK;
  while (n < limit && a.charCodeAt(a.length - n - 1) === b.charCodeAt(b.length - n - 1)) n++;
  return n;
}

/** Whether a node overlaps (or touches) one of the changed ranges; nodes are asked in document order. */
function overlapTest(changed: readonly Range[]): (node: Node) => boolean {
  const ranges = [...changed].sort((a, b) => a.startIndex - b.startIndex);
  let next = 0;
  return (node) => {
    while (next < ranges.length && ranges[next].endIndex < node.startIndex) next++;
    return next < ranges.length && ranges[next].startIndex <= node.endIndex;
  };
}

/** Moves the spans of a piece by `delta`. */
function shift(spans: readonly Span[], delta: number): void {
  if (delta === 0) return;
  for (const span of spans) {
    span.start += delta;
    span.end += delta;
  }
}

/**
 * Every object reachable from the model that has a span (expressions, calls, bindings, their key and
 * content spans), each once: expressions are shared between lists. Reading each property resolves the
 * lazy ones; an expression's parts are a function, called here. Iterative: expressions nest deeply.
 */
function spansOf(model: CodeModel): Span[] {
  const spans: Span[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [];
  for (const list of [...LISTS, 'variables'] as const) stack.push(model[list]);
  while (stack.length) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    const object = value as Record<string, unknown>;
    if (typeof object.start === 'number' && typeof object.end === 'number') spans.push(object as unknown as Span);
    for (const key in object) {
      const field = object[key];
      if (typeof field === 'object') stack.push(field);
      else if (key === 'parts' && typeof field === 'function') stack.push((field as () => unknown)());
    }
  }
  return spans;
}
