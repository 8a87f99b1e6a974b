/**
 * What a piece of code is conditional on: the preprocessor blocks (`model.directives`) and the runtime
 * `if` statements (tree-sitter tree, or the model's `conditionals` for TypeScript / JavaScript) around an offset, each with the condition text and whether
 * the code runs when the condition holds (`whenTrue`) or when it fails (an `#else`/`else` branch).
 */
import type { Node } from 'web-tree-sitter';
import type { Conditional, Directive } from '../../server/src/core/model/types';
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

/** Index of the last `if` that starts at or before `offset`, or -1. */
function lastStartingAtOrBefore(ifs: readonly Conditional[], offset: number): number {
  let low = 0;
  let high = ifs.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (ifs[mid].start <= offset) {
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
function ifsAround(ifs: readonly Conditional[], at: Span): Conditional[] {
  const out: Conditional[] = [];
  const last = lastStartingAtOrBefore(ifs, at.start);
  for (let i: number | undefined = last < 0 ? undefined : last; i !== undefined; i = ifs[i].enclosing) {
    if (contains(ifs[i], at)) out.push(ifs[i]);
  }
  return out;
}

function modelGate(node: Conditional, text: string, at: Span): Gate | undefined {
  const { test } = node;
  if (contains(test, at)) return shortCircuitGate(text.slice(test.start, test.end), test.start, at);
  if (at.start < test.end) return undefined;
  const inConsequence = contains(node.consequent, at);
  return {
    condition: text.slice(test.start, test.end),
    conditionSpan: { start: test.start, end: test.end },
    whenTrue: inConsequence,
    span: { start: node.start, end: node.end },
    branch: inConsequence ? node.consequent : node.alternate,
  };
}

/** Runtime `if` conditions around `at`, innermost first. */
export function runtimeGates(ctx: RuleContext, at: Span): Gate[] {
  const gates: Gate[] = [];
  const ifs = ctx.model.conditionals;
  if (ifs) {
    for (const node of ifsAround(ifs, at)) {
      const gate = modelGate(node, ctx.text.content, at);
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
  const ifs = ctx.model.conditionals;
  if (ifs) {
    for (let i = lastStartingAtOrBefore(ifs, within.start - 1) + 1; i < ifs.length && ifs[i].start < within.end; i++) {
      const node = ifs[i];
      if (!contains(within, node)) continue;
      gates.push({
        condition: ctx.text.content.slice(node.test.start, node.test.end),
        conditionSpan: { start: node.test.start, end: node.test.end },
        whenTrue: true,
        span: { start: node.start, end: node.end },
        branch: node.consequent,
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
