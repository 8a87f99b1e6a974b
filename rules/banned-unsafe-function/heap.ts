/**
 * Heap buffers for banned-unsafe-function: the size a pointer was allocated with in the same function, as a
 * constant plus the lengths of strings (`calloc(MAX_STR, sizeof(char))` is 20 bytes, `malloc(strlen(src) + 1)`
 * is one byte more than `src`). C code that sizes a buffer for the string it then copies is the common, correct
 * way to duplicate or join strings; only the symbolic sum says such a copy fits.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { byteLength } from './sizes';
import { pushAll } from '../../server/src/core/arrays';

/** `constant` bytes plus the length of each string in `lengths` (normalised source text, repeats kept). */
export interface HeapSize {
  constant: number;
  lengths: string[];
}

/** Allocators whose first argument is the size in bytes. */
const SIZED_ALLOCATORS = new Set(['malloc', 'k_malloc', 'pvPortMalloc', 'OSA_MemAlloc', 'os_malloc', 'heap_caps_malloc']);
/** Allocators taking a count and an element size. */
const COUNTED_ALLOCATORS = new Set(['calloc', 'k_calloc', 'os_calloc', 'heap_caps_calloc']);
/** `std::make_unique<char[]>(n)`: n elements of the array type. */
const ARRAY_ALLOCATORS = new Set(['make_unique', 'make_shared']);
const MAX_DEPTH = 4;
/** `sizeof(char)`, `sizeof char` with the spaces taken out. */
const CHAR_SIZE = /^sizeof\(?(?:unsigned)?char\)?$/;

const flat = (text: string) => text.replace(/\s+/g, '');

/**
 * The size `dest` was allocated with: a pointer set exactly once in the function of `call`, before it, from an
 * allocation of chars. Undefined for anything else (a parameter, a field, a second assignment, an unknown size).
 */
export function heapSize(ctx: RuleContext, dest: Expr, call: Call): HeapSize | undefined {
  const name = dest.text.trim();
  if (dest.kind !== 'name' || !/^[A-Za-z_]\w*$/.test(name) || !call.fn) return undefined;
  const sets = ctx.model.bindings.filter((b) => b.fn === call.fn && b.name === name && b.target === name);
  if (sets.length === 0) return variableLengthArray(ctx, name, call);
  if (sets.length !== 1 || sets[0].start > call.start) return undefined;
  const allocation = sets[0].value.kind === 'call' ? sets[0].value.call : undefined;
  if (!allocation) return undefined;
  const [first, second] = allocation.args;
  if (SIZED_ALLOCATORS.has(allocation.name) && first) return sizeSum(ctx, first, 0);
  if (ARRAY_ALLOCATORS.has(allocation.name) && first && /<(?:unsigned)?char\[\]>/.test(flat(callText(ctx, allocation))))
    return sizeSum(ctx, first, 0);
  if (!COUNTED_ALLOCATORS.has(allocation.name) || !first || !second) return undefined;
  // `calloc(n, sizeof(char))` or `calloc(n, 1)`: n bytes; `calloc(1, n)` likewise.
  if (isOne(ctx, second)) return sizeSum(ctx, first, 0);
  if (isOne(ctx, first)) return sizeSum(ctx, second, 0);
  return undefined;
}

/**
 * A variable-length char array of the function, sized by string lengths (`char copy[len + 1]` after
 * `int len = s.length();`), counted like an allocation: C99 and GNU C++ size it when the declaration runs.
 */
function variableLengthArray(ctx: RuleContext, name: string, call: Call): HeapSize | undefined {
  const declared = ctx.model.variables.filter((v) => v.fn === call.fn && v.name === name);
  if (declared.length !== 1 || declared[0].start > call.start || !/\bchar\b/.test(declared[0].type ?? '')) return undefined;
  const dimension = VLA_DECLARATOR.exec(ctx.text.content.slice(declared[0].start, declared[0].end));
  if (!dimension || dimension[1] !== name) return undefined;
  const size: HeapSize = { constant: 0, lengths: [] };
  for (const term of dimension[2].split('+').map(flat)) {
    if (/^\d+$/.test(term)) size.constant += Number(term);
    else if (/^[A-Za-z_]\w*$/.test(term)) {
      const sets = ctx.model.bindings.filter((b) => b.fn === call.fn && b.name === term && b.target === term);
      const value = sets.length === 1 && sets[0].start < declared[0].start ? sets[0].value : undefined;
      const length = value?.kind === 'call' && value.call ? lengthOf(ctx, value.call) : undefined;
      if (!length) return undefined;
      size.constant += length.constant;
      pushAll(size.lengths, length.lengths);
    } else return undefined;
  }
  return size.lengths.length ? size : undefined;
}
/** `name[len + 1]`: one dimension, no initializer. */
const VLA_DECLARATOR = /^\s*([A-Za-z_]\w*)\s*\[([^\]]+)\]\s*$/;

/** Whether a heap buffer of `size` holds the unbounded strings `strings` plus `fixed` more bytes and a NUL. */
export function heapHolds(size: HeapSize, strings: readonly Expr[], fixed: number): boolean {
  const left = [...size.lengths];
  for (const s of strings) {
    const at = left.indexOf(normalise(s.text));
    if (at < 0) return false;
    left.splice(at, 1);
  }
  // The lengths not written are zero or more: they only add room.
  return fixed + 1 <= size.constant;
}

/** The text of a call up to its arguments, where a template argument (`make_unique<char[]>`) is written. */
function callText(ctx: RuleContext, call: Call): string {
  const open = ctx.text.content.indexOf('(', call.start);
  return open < 0 || open > call.end ? '' : ctx.text.content.slice(call.start, open);
}

function isOne(ctx: RuleContext, expr: Expr): boolean {
  const text = flat(expr.text);
  return text === '1' || CHAR_SIZE.test(text) || ctx.flow.constant(expr)?.value === '1';
}

/** A size expression as a constant plus string lengths: sums, differences of constants, strlen() and .size(). */
function sizeSum(ctx: RuleContext, expr: Expr, depth: number): HeapSize | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const text = flat(expr.text);
  if (/^\d+$/.test(text)) return { constant: Number(text), lengths: [] };
  if (CHAR_SIZE.test(text)) return { constant: 1, lengths: [] };
  if (expr.kind === 'call' && expr.call) return lengthOf(ctx, expr.call);
  if (expr.kind === 'other' && (expr.operator === '+' || expr.operator === '-')) {
    const [a, b] = expr.parts?.() ?? [];
    const left = a && sizeSum(ctx, a, depth + 1);
    const right = b && sizeSum(ctx, b, depth + 1);
    if (!left || !right) return undefined;
    if (expr.operator === '+') return { constant: left.constant + right.constant, lengths: [...left.lengths, ...right.lengths] };
    // Only a constant can be taken away: `strlen(a) - strlen(b)` says nothing about room.
    return right.lengths.length ? undefined : { constant: left.constant - right.constant, lengths: left.lengths };
  }
  if (expr.kind === 'other' && !expr.operator) {
    const inner = expr.parts?.() ?? [];
    return inner.length === 1 ? sizeSum(ctx, inner[0], depth + 1) : undefined;
  }
  if (expr.kind !== 'name') return undefined;
  const constant = ctx.flow.constant(expr)?.value;
  if (constant !== undefined) return /^\d+$/.test(constant) ? { constant: Number(constant), lengths: [] } : undefined;
  // `int len = strlen(path);` then `calloc(len + 1, 1)`: the one value the name was given.
  const origins = ctx.flow.origins(expr);
  const only = origins.length === 1 ? origins[0] : undefined;
  return only?.kind === 'unknown' && only.expr !== expr ? sizeSum(ctx, only.expr, depth + 1) : undefined;
}

/** `strlen(s)`, `s.size()`, `s.length()`: the length of s (a constant when s is one). */
function lengthOf(ctx: RuleContext, call: Call): HeapSize | undefined {
  const string = call.name === 'strlen' && !call.receiver ? call.args[0] : undefined;
  const method = (call.name === 'size' || call.name === 'length') && call.args.length === 0 ? call.receiver : undefined;
  const of = string ?? method;
  if (!of) return undefined;
  const constant = ctx.flow.constant(of)?.value;
  if (constant !== undefined && string) return { constant: byteLength(constant), lengths: [] };
  return { constant: 0, lengths: [normalise(of.text)] };
}

/** `(char *)src`, `src.c_str()` and `src` name the same string. */
export function normalise(text: string): string {
  return flat(text)
    .replace(/^\((?:const)?(?:unsigned)?char\*\)/, '')
    .replace(/\.c_str\(\)$/, '');
}
