/**
 * What a piece of code is conditional on: the preprocessor blocks (`model.directives`) and the runtime
 * `if` statements (tree-sitter tree or ESTree) around an offset, each with the condition text and whether
 * the code runs when the condition holds (`whenTrue`) or when it fails (an `#else`/`else` branch).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Node } from 'web-tree-sitter';
import type { Directive } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';

export interface Gate {
  condition: string;
  conditionSpan: Span;
  whenTrue: boolean;
  /** The whole `#if ... #endif` block or `if` statement. */
  span: Span;
  /** The branch that holds the code (for a runtime `if`: the consequence or the alternative). */
  branch?: Span;
}

const contains = (outer: Span, inner: Span) => outer.start <= inner.start && inner.end <= outer.end;

/** The `#if`/`#ifdef`/`#ifndef`/`#elif` whose alternative an `#elif`/`#else` block is. */
function parentDirective(directives: readonly Directive[], alternative: Directive): Directive | undefined {
  return directives
    .filter(
      (d) => d !== alternative && d.kind !== '#else' && d.kind !== '#error' && d.start < alternative.start && contains(d, alternative),
    )
    .sort((a, b) => b.start - a.start)[0];
}

/** Preprocessor conditions around `at`, innermost first. */
export function preprocessorGates(directives: readonly Directive[], at: Span): Gate[] {
  const blocks = directives.filter((d) => d.kind !== '#error' && contains(d, at));
  const alternatives = blocks.filter((d) => d.kind === '#elif' || d.kind === '#else');
  const gates: Gate[] = [];
  for (const block of blocks) {
    // The code sits in an #elif/#else of `block`, not in its own branch.
    if (alternatives.some((alt) => parentDirective(directives, alt) === block)) continue;
    if (block.kind === '#else') {
      const parent = parentDirective(directives, block);
      if (parent) gates.push({ condition: conditionOf(parent), conditionSpan: parent, whenTrue: parent.kind === '#ifndef', span: parent });
      continue;
    }
    gates.push({ condition: conditionOf(block), conditionSpan: block, whenTrue: block.kind !== '#ifndef', span: block });
  }
  return gates.sort((a, b) => b.span.start - a.span.start);
}

function conditionOf(d: Directive): string {
  return d.condition.trim();
}

const IF_TYPES = new Set(['if_statement', 'if_expression', 'elif_clause']);

/** The runtime `if` gate a tree-sitter `if` node puts on `at`, if `at` is in one of its branches. */
function treeSitterGate(node: Node, at: Span): Gate | undefined {
  const condition = node.childForFieldName('condition');
  if (!condition) return undefined;
  if (condition.startIndex <= at.start && at.end <= condition.endIndex) {
    return shortCircuitGate(condition.text, condition.startIndex, at);
  }
  if (at.start < condition.endIndex) return undefined;
  const children = node.namedChildren.filter((c): c is Node => !!c);
  const consequence = node.childForFieldName('consequence') ?? children.find((c) => c.startIndex >= condition.endIndex);
  const inConsequence = !!consequence && consequence.startIndex <= at.start && at.end <= consequence.endIndex;
  const span = { start: node.startIndex, end: node.endIndex };
  return {
    condition: condition.text,
    conditionSpan: { start: condition.startIndex, end: condition.endIndex },
    whenTrue: inConsequence,
    span,
    branch: consequence ? { start: consequence.startIndex, end: consequence.endIndex } : undefined,
  };
}

const SPACE = /\s/;
const WORD = /\w/;

/**
 * The `&&`, `||`, `and` or `or` that `text` ends with, before `!`, `(`, spaces and a `not`: what
 * `(&&|\|\||\band\b|\bor\b)\s*[!(\s]*(not\s+)?$` finds, read from the end (that regex rescans the
 * spaces from every operator and every space: polynomial on a long condition).
 */
export function trailingOperator(text: string): { index: number; op: string } | undefined {
  let end = text.length;
  while (end > 0 && SPACE.test(text[end - 1])) end--;
  if (end === text.length || !text.endsWith('not', end)) end = text.length;
  else end -= 3;
  while (end > 0 && (text[end - 1] === '!' || text[end - 1] === '(' || SPACE.test(text[end - 1]))) end--;
  const op = ['&&', '||', 'and', 'or'].find((o) => text.endsWith(o, end));
  if (!op) return undefined;
  const index = end - op.length;
  const bounded = (at: number) => at <= 0 || at >= text.length || !WORD.test(text[at - 1]) || !WORD.test(text[at]);
  if (/\w/.test(op) && !(bounded(index) && bounded(end))) return undefined;
  return { index, op };
}

/**
 * `flag && verify(...)` / `flag || verify(...)` inside a condition: the left operand decides whether the
 * call runs (when true after `&&`, when false after `||`).
 */
function shortCircuitGate(condition: string, offset: number, at: Span): Gate | undefined {
  const left = condition.slice(0, at.start - offset);
  const operator = trailingOperator(left);
  if (!operator) return undefined;
  const operand = left.slice(0, operator.index).replace(/^[\s(]*/, '');
  if (/&&|\|\||\band\b|\bor\b/.test(operand)) return undefined;
  const start = offset + left.indexOf(operand);
  return {
    condition: operand.trim(),
    conditionSpan: { start, end: start + operand.trimEnd().length },
    whenTrue: operator.op === '&&' || operator.op === 'and',
    span: { start: offset, end: offset + condition.length },
  };
}

type EsNode = TSESTree.Node;

function esChildren(node: EsNode): EsNode[] {
  const out: EsNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent' || key === 'range' || key === 'loc') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object' && 'type' in item) out.push(item as EsNode);
    } else if (value && typeof value === 'object' && 'type' in value) {
      out.push(value as EsNode);
    }
  }
  return out;
}

const esSpan = (node: EsNode): Span => ({ start: node.range[0], end: node.range[1] });

/** The `if` statements of an ESTree in source order, each with the innermost `if` around it. */
interface EsIfs {
  ifs: TSESTree.IfStatement[];
  enclosing: Map<TSESTree.IfStatement, TSESTree.IfStatement | undefined>;
}

/** Walked once per tree: a rule asks for the gates of every verification call, and a minified bundle has thousands. */
const ifsByTree = new WeakMap<EsNode, EsIfs>();

function esIfs(root: EsNode): EsIfs {
  const cached = ifsByTree.get(root);
  if (cached) return cached;
  const ifs: TSESTree.IfStatement[] = [];
  const enclosing = new Map<TSESTree.IfStatement, TSESTree.IfStatement | undefined>();
  const stack: { node: EsNode; around?: TSESTree.IfStatement }[] = [{ node: root }];
  while (stack.length) {
    const { node, around } = stack.pop()!;
    let inner = around;
    if (node.type === 'IfStatement') {
      ifs.push(node);
      enclosing.set(node, around);
      inner = node;
    }
    for (const child of esChildren(node)) stack.push({ node: child, around: inner });
  }
  ifs.sort((a, b) => a.range[0] - b.range[0]);
  const result = { ifs, enclosing };
  ifsByTree.set(root, result);
  return result;
}

/** Index of the last `if` that starts at or before `offset`, or -1. */
function lastStartingAtOrBefore(ifs: readonly TSESTree.IfStatement[], offset: number): number {
  let low = 0;
  let high = ifs.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (ifs[mid].range[0] <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

/**
 * The `if` statements around `at`, innermost first. `if`s nest or are disjoint, so every one around `at`
 * encloses the last `if` that starts before it: walking that one's enclosing chain finds them all.
 */
function esIfsAround(root: EsNode, at: Span): TSESTree.IfStatement[] {
  const { ifs, enclosing } = esIfs(root);
  const out: TSESTree.IfStatement[] = [];
  const last = lastStartingAtOrBefore(ifs, at.start);
  for (let node = last < 0 ? undefined : ifs[last]; node; node = enclosing.get(node)) {
    if (contains(esSpan(node), at)) out.push(node);
  }
  return out;
}

function esGate(node: TSESTree.IfStatement, text: string, at: Span): Gate | undefined {
  const test = esSpan(node.test);
  if (contains(test, at)) return shortCircuitGate(text.slice(test.start, test.end), test.start, at);
  if (at.start < test.end) return undefined;
  const consequence = esSpan(node.consequent);
  const inConsequence = contains(consequence, at);
  return {
    condition: text.slice(test.start, test.end),
    conditionSpan: test,
    whenTrue: inConsequence,
    span: esSpan(node),
    branch: inConsequence ? consequence : node.alternate ? esSpan(node.alternate) : undefined,
  };
}

/** Runtime `if` conditions around `at`, innermost first. */
export function runtimeGates(ctx: RuleContext, at: Span): Gate[] {
  const gates: Gate[] = [];
  if (ctx.ast) {
    for (const node of esIfsAround(ctx.ast, at)) {
      const gate = esGate(node, ctx.text.content, at);
      if (gate) gates.push(gate);
    }
    return gates;
  }
  if (!ctx.tree) return gates;
  for (let node: Node | null = ctx.tree.rootNode.descendantForIndex(at.start, at.end); node; node = node.parent) {
    if (!IF_TYPES.has(node.type)) continue;
    const gate = treeSitterGate(node, at);
    if (gate) gates.push(gate);
  }
  return gates;
}

/** Every `if` inside `within` (a function), in source order, with its condition and consequence. */
export function ifStatementsIn(ctx: RuleContext, within: Span): Gate[] {
  const gates: Gate[] = [];
  if (ctx.ast) {
    const { ifs } = esIfs(ctx.ast);
    for (let i = lastStartingAtOrBefore(ifs, within.start - 1) + 1; i < ifs.length && ifs[i].range[0] < within.end; i++) {
      const node = ifs[i];
      if (!contains(within, esSpan(node))) continue;
      const consequence = esSpan(node.consequent);
      gates.push({
        condition: ctx.text.content.slice(node.test.range[0], node.test.range[1]),
        conditionSpan: esSpan(node.test),
        whenTrue: true,
        span: esSpan(node),
        branch: consequence,
      });
    }
    return gates;
  }
  if (!ctx.tree) return gates;
  const root = ctx.tree.rootNode.descendantForIndex(within.start, within.end);
  const stack: Node[] = root ? [root] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (IF_TYPES.has(node.type) && node.type !== 'elif_clause' && contains(within, { start: node.startIndex, end: node.endIndex })) {
      const condition = node.childForFieldName('condition');
      if (condition) {
        const children = node.namedChildren.filter((c): c is Node => !!c);
        const consequence = node.childForFieldName('consequence') ?? children.find((c) => c.startIndex >= condition.endIndex);
        gates.push({
          condition: condition.text,
          conditionSpan: { start: condition.startIndex, end: condition.endIndex },
          whenTrue: true,
          span: { start: node.startIndex, end: node.endIndex },
          branch: consequence ? { start: consequence.startIndex, end: consequence.endIndex } : undefined,
        });
      }
    }
    for (const child of node.namedChildren) if (child) stack.push(child);
  }
  return gates.sort((a, b) => a.span.start - b.span.start);
}
