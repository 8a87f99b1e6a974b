/**
 * Length guards for banned-unsafe-function: an `if` before a copy or append that leaves the function when the
 * string is too long, the idiom of code that checks before it calls `strcat`:
 *
 *   if (strlen(dir) + strlen(name) >= sizeof(path)) return -ENOMEM;   // total: at most sizeof(path) - 1
 *   if (strlen(name) > NAME_MAX) return -ENAMETOOLONG;                   // source: at most NAME_MAX
 *
 * The bound is what the guard proves, not whether it suffices: a source bound that forgets what the buffer already
 * holds is still an overflow, and the message then says by how much.
 */
import type { Node } from 'web-tree-sitter';
import type { Call, Expr } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { pushAll } from '../../server/src/core/arrays';

/**
 * The size of a destination the guard measures by `sizeof`/`ARRAY_SIZE` when no number is known for it (a Kconfig
 * value): the arithmetic stays relative to it, so `size - 1 + 1` is still seen to leave no room for the NUL.
 */
export const SYMBOLIC_SIZE = 2 ** 30;

/** `n` bytes in words: relative to `sizeof dest` when it counts from the symbolic size. */
export function bytesText(n: number, dest: string): string {
  if (n < SYMBOLIC_SIZE / 2) return `${n}`;
  const rest = n - SYMBOLIC_SIZE;
  return `sizeof ${dest}${rest ? ` ${rest > 0 ? '+' : '-'} ${Math.abs(rest)}` : ''}`;
}

export interface LengthGuard {
  /** `total`: dest and src together; `source`: src alone. */
  kind: 'total' | 'source';
  /** The most characters (without the NUL) the guarded string or strings hold. */
  max: number;
}

/**
 * The guard before `call` that bounds `src`, and the whole of `dest` with it when the rest of the sum is what
 * `dest` holds (`dest` itself, or the `content` appended to it since it was empty), if any.
 */
export function lengthGuard(
  ctx: RuleContext,
  call: Call,
  dest: Expr,
  src: Expr,
  capacity: number | undefined,
  constantOf: (text: string) => number | undefined,
  content: readonly string[] = [],
): LengthGuard | undefined {
  const names = { dest: compact(dest.text), src: compact(src.text), content: new Set([compact(dest.text), ...content.map(compact)]) };
  const limitOf = (text: string): number | undefined => {
    const size = CAPACITY.exec(text);
    return size ? (size[1] === names.dest ? (capacity ?? SYMBOLIC_SIZE) : undefined) : constantOf(text);
  };
  for (const condition of exitingConditions(ctx, call)) {
    const guard = readGuard(condition, names, limitOf);
    if (guard) return guard;
  }
  for (const condition of enclosingConditions(ctx, call, names.src)) {
    const guard = readGuard(asExitCondition(condition), names, limitOf);
    if (guard) return guard;
  }
  return undefined;
}

/**
 * Conditions of the `if` statements whose then-branch holds `call` (`if (strlen(src) < sizeof dst) strcpy(dst,
 * src);`), one for each `&&` operand, when nothing in the branch assigns `src` before the call.
 */
function enclosingConditions(ctx: RuleContext, call: Call, src: string): string[] {
  const out: string[] = [];
  const tree = ctx.tree;
  if (!tree) return out;
  let node: Node | null = tree.rootNode.descendantForIndex(call.start, call.start);
  for (; node && node.type !== 'function_definition'; node = node.parent) {
    const statement = node.parent;
    if (statement?.type !== 'if_statement' || statement.childForFieldName('consequence')?.id !== node.id) continue;
    const condition = statement.childForFieldName('condition');
    if (!condition) continue;
    const between = ctx.text.content.slice(condition.endIndex, call.start);
    if (new RegExp(`(?:^|[^\\w.>])${escapeRegExp(src)}\\s*(?:[-+*/|&^]?=(?!=)|\\+\\+|--)`).test(between)) continue;
    const inner = compact(condition.text).replace(/^\((.*)\)$/, '$1');
    pushAll(out, topLevelConjuncts(inner));
  }
  return out;
}

/** `a && b && c` at the top level of a condition (not inside parentheses). */
function topLevelConjuncts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (depth === 0 && text.startsWith('&&', i)) {
      parts.push(text.slice(from, i));
      from = i + 2;
      i++;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/**
 * The condition under which the branch is left, for a condition under which it is entered: `strlen(s) < N`
 * holds the copy, so `strlen(s) >= N` would have skipped it; `N > strlen(s)` reads the same. Undefined forms
 * stay as they are (readGuard finds nothing in them).
 */
function asExitCondition(condition: string): string {
  const less = lessThan(condition);
  if (less) {
    const [left, right] = [condition.slice(0, less.index), condition.slice(less.index + less.op.length)];
    return `${left}${less.op === '<' ? '>=' : '>'}${right}`;
  }
  const greater = comparison(condition);
  if (!greater) return '';
  const [left, right] = [condition.slice(0, greater.index), condition.slice(greater.index + greater.op.length)];
  return STRLEN_SUM.test(right) ? `${right}${greater.op === '>' ? '>=' : '>'}${left}` : '';
}

/** The first `<` or `<=` that is not part of a shift (`<<`), scanned rather than matched (no backtracking). */
function lessThan(text: string): { index: number; op: '<' | '<=' } | undefined {
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    if (text[i - 1] === '<' || text[i + 1] === '<') continue;
    return { index: i, op: text[i + 1] === '=' ? '<=' : '<' };
  }
  return undefined;
}

const STRLEN_SUM = /^\(?strlen\([^()]+\)\)?(?:\+\(?strlen\([^()]+\)\)?)*$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Conditions of `if` statements before `call`, in blocks around it, whose branch leaves (return, goto, break). */
function exitingConditions(ctx: RuleContext, call: Call): string[] {
  const out: string[] = [];
  const tree = ctx.tree;
  if (!tree) return out;
  let node: Node | null = tree.rootNode.descendantForIndex(call.start, call.start);
  for (; node && node.type !== 'function_definition'; node = node.parent) {
    const block = node.parent;
    if (block?.type !== 'compound_statement') continue;
    for (const statement of block.namedChildren) {
      if (!statement || statement.endIndex > node.startIndex) break;
      if (statement.type !== 'if_statement' || statement.childForFieldName('alternative')) continue;
      const then = statement.childForFieldName('consequence');
      const condition = statement.childForFieldName('condition');
      if (then && condition && EXIT.test(then.text)) out.push(condition.text);
    }
  }
  return out;
}

const EXIT = /\b(?:return|goto|break|continue)\b/;

/** `strlen(a) + strlen(b) >= LIMIT` or `strlen(a) > LIMIT`, with the names it compares. */
function readGuard(
  condition: string,
  names: { dest: string; src: string; content: ReadonlySet<string> },
  limitOf: (text: string) => number | undefined,
): LengthGuard | undefined {
  const text = compact(condition.replace(/\bsizeof\s+([A-Za-z_]\w*)/g, 'sizeof($1)'));
  const inner = text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1) : text;
  const at = comparison(inner);
  if (!at) return undefined;
  const limit = limitOf(inner.slice(at.index + at.op.length));
  if (limit === undefined) return undefined;
  const measured = inner
    .slice(0, at.index)
    .split('+')
    .map((term) => STRLEN.exec(term)?.[1]);
  if (measured.some((m) => m === undefined)) return undefined;
  const max = at.op === '>=' ? limit - 1 : limit;
  if (!measured.includes(names.src)) return undefined;
  // The rest of the sum is what the destination already holds: itself, or what was appended to it when empty.
  const rest = measured.filter((m) => m !== names.src);
  return { kind: rest.length && rest.every((m) => names.content.has(m!)) ? 'total' : 'source', max };
}

const STRLEN = /^\(?strlen\(([^()]+)\)\)?$/;

/** The first `>=` or `>` that is not part of `->`. */
function comparison(text: string): { index: number; op: '>=' | '>' } | undefined {
  for (let i = text.indexOf('>'); i >= 0; i = text.indexOf('>', i + 1)) {
    if (text[i - 1] === '-') continue;
    return { index: i, op: text[i + 1] === '=' ? '>=' : '>' };
  }
  return undefined;
}

/** `sizeof(dest)` or `ARRAY_SIZE(dest)` (of a char array, whose elements are bytes). */
const CAPACITY = /^(?:sizeof|ARRAY_SIZE)\(([A-Za-z_][\w.]*)\)$/;

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}
