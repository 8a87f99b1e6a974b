/**
 * Whether a peer-chosen length is bounded on every path from the start of its handler to a copy, read from the
 * syntax tree: the copy sits in the branch of an `if`/`while` whose condition bounds it (`if (len <= sizeof buf)`),
 * or after a guard whose branch leaves (`if (offset + len > MAX) return ...;`, `if (len != sizeof(cmd)) break;`),
 * an assertion (`__ASSERT(len <= X)`), a `switch (len)`; every branch that reaches the copy must carry one.
 * A comparison that sets a status and goes on, or that guards only one branch, bounds nothing.
 */
import type { Node } from 'web-tree-sitter';
import type { Span } from '../../server/src/core/types';

/** A bound in force (`true`) or not (`false`) at a point of the handler; `exits` when no path goes on from it. */
type State = boolean | 'exits';

/**
 * Whether every path from the start of `body` to `copy` compares `length` (or an expression containing it) in the
 * direction that limits it. `length` is the length as written, spaces removed (`len`, `param->write.len`).
 */
export function boundedOnEveryPath(body: Node, copy: Span, length: string): boolean {
  const path: Node[] = [];
  for (let node: Node | null = innermost(body, copy); node && node.id !== body.id; node = node.parent) path.push(node);
  path.reverse();
  const state = stateOnPath(body, path, 0, false, length);
  return state !== false;
}

/** Where in `within` a comparison of `length` starts, before `before`: the first one, if any (for the message). */
export function firstComparison(within: Node, before: number, length: string): Node | undefined {
  const stack: Node[] = [within];
  let first: Node | undefined;
  while (stack.length) {
    const node = stack.pop()!;
    if (node.startIndex >= before) continue;
    if (isComparison(node) && mentions(node, length) && (!first || node.startIndex < first.startIndex)) first = node;
    if (node.type === 'switch_statement' && mentions(node.childForFieldName('condition'), length)) first = earlier(first, node);
    for (const child of node.namedChildren) if (child) stack.push(child);
  }
  return first;
}

function earlier(a: Node | undefined, b: Node): Node {
  return !a || b.startIndex < a.startIndex ? b : a;
}

function innermost(body: Node, span: Span): Node | null {
  return body.descendantForIndex(span.start, Math.max(span.start, span.end - 1));
}

/** The state at the end of `path` (the copy), walking down from `node` whose child on the path is `path[at]`. */
function stateOnPath(node: Node, path: Node[], at: number, bound: boolean, length: string): State {
  const child = path[at];
  if (!child) return bound;
  const down = (state: State) => (state === 'exits' ? 'exits' : stateOnPath(child, path, at + 1, state, length));
  switch (node.type) {
    case 'compound_statement':
    case 'case_statement':
    case 'translation_unit': {
      // A `case` is entered from the switch, whatever the cases before it do.
      if (node.parent?.type === 'switch_statement') return down(bound);
      const value = node.type === 'case_statement' ? node.childForFieldName('value')?.id : undefined;
      const before: Node[] = [];
      for (const statement of node.namedChildren) {
        if (!statement || statement.id === child.id) break;
        if (statement.id !== value) before.push(statement);
      }
      // After a statement no path leaves, only a label reaches what follows: nothing is known there.
      const state = afterSequence(before, bound, length, true);
      return down(state === 'exits' ? false : state);
    }
    case 'if_statement': {
      const condition = node.childForFieldName('condition');
      if (child.id === node.childForFieldName('consequence')?.id) return down(bound || bounds(condition, true, length));
      if (child.id === node.childForFieldName('alternative')?.id) return down(bound || bounds(condition, false, length));
      return down(bound);
    }
    case 'else_clause': {
      return down(bound);
    }
    case 'while_statement':
    case 'for_statement': {
      const condition = node.childForFieldName('condition');
      if (child.id === node.childForFieldName('body')?.id) return down(bound || bounds(condition, true, length));
      return down(bound);
    }
    case 'switch_statement': {
      const onLength = mentions(node.childForFieldName('condition'), length);
      return down(bound || (child.id === node.childForFieldName('body')?.id && onLength));
    }
    case 'conditional_expression': {
      const condition = node.childForFieldName('condition');
      if (child.id === node.childForFieldName('consequence')?.id) return down(bound || bounds(condition, true, length));
      if (child.id === node.childForFieldName('alternative')?.id) return down(bound || bounds(condition, false, length));
      return down(bound);
    }
    default:
      return down(bound);
  }
}

/** The state after `statement`, entered with `bound`. */
function afterStatement(statement: Node, bound: boolean, length: string): State {
  switch (statement.type) {
    case 'return_statement':
    case 'break_statement':
    case 'continue_statement':
    case 'goto_statement':
    case 'throw_statement':
      return 'exits';
    case 'compound_statement':
      return afterSequence(
        statement.namedChildren.filter((c): c is Node => !!c),
        bound,
        length,
        false,
      );
    case 'if_statement': {
      const condition = statement.childForFieldName('condition');
      const consequence = statement.childForFieldName('consequence');
      const alternative = statement.childForFieldName('alternative');
      const then = consequence ? afterStatement(consequence, bound || bounds(condition, true, length), length) : bound;
      const otherwise = bound || bounds(condition, false, length);
      const other = alternative ? afterStatement(alternative, otherwise, length) : otherwise;
      return join(then, other);
    }
    case 'else_clause': {
      const inner = statement.namedChildren.find((c): c is Node => !!c);
      return inner ? afterStatement(inner, bound, length) : bound;
    }
    case 'expression_statement':
      if (noReturnCall(statement)) return 'exits';
      return bound || assertsBound(statement, length);
    case 'labeled_statement': {
      const inner = statement.namedChildren.filter((c): c is Node => !!c).at(-1);
      return inner ? afterStatement(inner, bound, length) : bound;
    }
    default:
      // Loops, switches, declarations: a loop may run no time and a `break` in it leaves only the loop, so what
      // held before holds after, and nothing more.
      return bound;
  }
}

/**
 * The state after statements run in order. Zephyr's `CHECKIF(cond) { ... }` (a macro call, then a block) is read
 * as the `if` it expands to. With `labels`, what follows a statement no path leaves starts over from nothing known
 * (a label may reach it); without, the sequence exits there.
 */
function afterSequence(statements: readonly Node[], bound: boolean, length: string, labels: boolean): State {
  let state: State = bound;
  for (let i = 0; i < statements.length; i++) {
    if (state === 'exits') {
      if (!labels) return 'exits';
      state = false;
    }
    const statement = statements[i];
    const guard = guardMacro(statement);
    const block = statements[i + 1];
    if (guard && block?.type === 'compound_statement') {
      const then = afterStatement(block, state || bounds(guard, true, length), length);
      state = join(then, state || bounds(guard, false, length));
      i++;
      continue;
    }
    state = afterStatement(statement, state, length);
  }
  return state;
}

/** Guards written as a macro call before a block: `CHECKIF(len > X) { return -EINVAL; }`. */
const GUARD_MACROS = new Set(['CHECKIF']);

/** The condition of a guard macro statement, if `statement` is one. */
function guardMacro(statement: Node): Node | null {
  if (statement.type !== 'expression_statement') return null;
  const call = statement.namedChildren[0];
  if (call?.type !== 'call_expression' || !GUARD_MACROS.has(call.childForFieldName('function')?.text ?? '')) return null;
  return call.childForFieldName('arguments')?.namedChildren[0] ?? null;
}

function join(a: State, b: State): State {
  if (a === 'exits') return b;
  if (b === 'exits') return a;
  return a && b;
}

/** `__ASSERT(len <= X)`, `assert(offset + len <= sizeof buf)`: after it, the condition holds. */
const ASSERTIONS = new Set(['assert', '__ASSERT', '__ASSERT_NO_MSG', 'configASSERT', 'ASSERT', 'NRF_ASSERT', 'static_assert']);
/** Calls that do not return: the branch that makes them leaves the handler. */
const NO_RETURN = new Set(['abort', 'exit', '_exit', 'k_panic', 'k_oops', 'esp_system_abort', '__builtin_unreachable', 'k_fatal_halt']);

function assertsBound(statement: Node, length: string): boolean {
  const call = statement.namedChildren[0];
  if (call?.type !== 'call_expression') return false;
  const name = call.childForFieldName('function')?.text ?? '';
  const first = call.childForFieldName('arguments')?.namedChildren[0] ?? null;
  return ASSERTIONS.has(name) && bounds(first, true, length);
}

function noReturnCall(statement: Node): boolean {
  const call = statement.namedChildren[0];
  return call?.type === 'call_expression' && NO_RETURN.has(call.childForFieldName('function')?.text ?? '');
}

/**
 * Whether `condition` being `holds` limits `length` from above: `len < X`, `len <= X`, `len == X` holding, or
 * `len > X`, `offset + len >= X`, `len != X` failing. A condition of `&&`/`||` bounds what its parts bound.
 */
function bounds(condition: Node | null, holds: boolean, length: string): boolean {
  if (!condition) return false;
  const node = unwrap(condition);
  if (node.type === 'unary_expression' && node.childForFieldName('operator')?.text === '!')
    return bounds(node.childForFieldName('argument'), !holds, length);
  if (node.type !== 'binary_expression') return false;
  const operator = node.childForFieldName('operator')?.text ?? '';
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  // `a && b` holding: both hold, so either may bound it; failing: one of them failed, so both must bound.
  if (operator === '&&')
    return holds ? bounds(left, true, length) || bounds(right, true, length) : bounds(left, false, length) && bounds(right, false, length);
  if (operator === '||')
    return holds ? bounds(left, true, length) && bounds(right, true, length) : bounds(left, false, length) || bounds(right, false, length);
  if (!RELATIONAL.has(operator) || !left || !right) return false;
  const onLeft = signOf(left, length);
  const onRight = signOf(right, length);
  if ((onLeft === 0) === (onRight === 0)) return false; // the length on neither side, or on both
  // Put the length on the left, with a positive sign: `sizeof(v) < len` is `len > sizeof(v)`, `X - len > 0` is `len < X`.
  let op = onLeft ? operator : FLIP[operator];
  if ((onLeft || onRight) < 0) op = FLIP[op];
  if (!holds) op = NEGATE[op];
  return op === '<' || op === '<=' || op === '==';
}

const RELATIONAL = new Set(['<', '<=', '>', '>=', '==', '!=']);
const FLIP: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };
const NEGATE: Readonly<Record<string, string>> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=', '!=': '==' };

/** The expression inside parentheses, casts and C++'s `condition_clause`. */
function unwrap(node: Node): Node {
  for (let at = node; ;) {
    const inner =
      at.type === 'cast_expression'
        ? at.childForFieldName('value')
        : at.type === 'condition_clause'
          ? at.childForFieldName('value')
          : at.type === 'parenthesized_expression'
            ? at.namedChildren.at(-1)
            : undefined;
    if (!inner) return at;
    at = inner;
  }
}

/** The sign `length` is summed with in `side` (`offset + len`: 1, `MAX - len`: -1), 0 when it is not there. */
function signOf(side: Node, length: string): number {
  const found = occurrence(side, length);
  if (!found) return 0;
  let sign = 1;
  for (let node: Node = found; node.id !== side.id && node.parent; node = node.parent) {
    const parent = node.parent;
    if (
      parent.type === 'binary_expression' &&
      parent.childForFieldName('operator')?.text === '-' &&
      parent.childForFieldName('right')?.id === node.id
    )
      sign = -sign;
    if (parent.type === 'unary_expression' && parent.childForFieldName('operator')?.text === '-') sign = -sign;
  }
  return sign;
}

function isComparison(node: Node): boolean {
  return node.type === 'binary_expression' && RELATIONAL.has(node.childForFieldName('operator')?.text ?? '');
}

function mentions(node: Node | null, length: string): boolean {
  return !!node && !!occurrence(node, length);
}

/** The identifier or member access that is `length` in `node`, if any. */
function occurrence(node: Node, length: string): Node | undefined {
  const stack: Node[] = [node];
  while (stack.length) {
    const at = stack.pop()!;
    if ((at.type === 'identifier' || at.type === 'field_expression') && at.text.replace(/\s+/g, '') === length) return at;
    for (const child of at.namedChildren) if (child) stack.push(child);
  }
  return undefined;
}
