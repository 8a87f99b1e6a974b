/**
 * Sizes for banned-unsafe-function: how many bytes a destination array holds, and the most a copy or a
 * format can write into it. A call is only a finding when the write is not provably bounded by the buffer:
 * `strcpy(line, "READY")` into `char line[40]` is not an overflow, `strcpy(line, payload)` is.
 * Everything here answers "unknown" (undefined) rather than guess.
 */
import type { Node } from 'web-tree-sitter';
import type { Call, Expr, FunctionDef, Variable } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { spanIndex } from '../../server/src/core/model/span-index';
import { maxOf, minOf } from '../../server/src/core/arrays';
import { functionsNamed } from '../../server/src/core/model/functions-by-name';
import { smallestConfiguredValue } from './configurations';

/** The most characters an integer or pointer conversion prints (32-bit int; 64-bit with l/ll/j/z/t). */
const INTEGER_WIDTH: Readonly<Record<string, [number, number]>> = {
  d: [11, 20],
  i: [11, 20],
  u: [10, 20],
  x: [8, 16],
  X: [8, 16],
  o: [11, 22],
  c: [1, 1],
  p: [18, 18],
};
/**
 * `%e`/`%g` are bounded by their precision; `%f` prints every integer digit: a sign, 309 digits for the
 * largest double (DBL_MAX, what a float is promoted to), the point and the precision; 4933 digits for a
 * long double (`%Lf`, LDBL_MAX of the x87 and binary128 formats), whose exponent also takes four digits.
 * `%a` prints "-0x1." and the digits, then an exponent of "p+1023" (a long double's "p+16383").
 */
const FLOAT_WIDTH: Readonly<Record<string, (precision: number, long: boolean) => number | undefined>> = {
  e: (p, long) => p + (long ? 9 : 8),
  E: (p, long) => p + (long ? 9 : 8),
  g: (p, long) => p + (long ? 9 : 8),
  G: (p, long) => p + (long ? 9 : 8),
  a: (p, long) => p + (long ? 12 : 11),
  A: (p, long) => p + (long ? 12 : 11),
  f: (p, long) => p + (long ? 4935 : 311),
  F: (p, long) => p + (long ? 4935 : 311),
};
/**
 * Digits after the point when a conversion names no precision: 6, except `%a`, which prints the value exactly —
 * 13 hex digits for a double's 52-bit fraction, 28 for a binary128 long double (x87's needs 16).
 */
function defaultPrecision(kind: string, long: boolean): number {
  if (kind !== 'a' && kind !== 'A') return 6;
  return long ? 28 : 13;
}
/** The most characters a conversion prints for a value of an 8- or 16-bit type (`uint8_t bpm` → `%d` 3). */
const NARROW_WIDTH: Readonly<Record<NarrowType, Readonly<Record<string, number>>>> = {
  uint8: { d: 3, i: 3, u: 3, x: 2, X: 2, o: 3, c: 1 },
  int8: { d: 4, i: 4, c: 1 },
  uint16: { d: 5, i: 5, u: 5, x: 4, X: 4, o: 6, c: 1 },
  int16: { d: 6, i: 6, c: 1 },
};
type NarrowType = 'uint8' | 'int8' | 'uint16' | 'int16';
const NARROW_TYPES: Readonly<Record<string, NarrowType>> = {
  uint8_t: 'uint8',
  u8: 'uint8',
  uint8: 'uint8',
  byte: 'uint8',
  'unsigned char': 'uint8',
  bool: 'uint8',
  boolean: 'uint8',
  _Bool: 'uint8',
  int8_t: 'int8',
  s8: 'int8',
  int8: 'int8',
  'signed char': 'int8',
  char: 'int8',
  uint16_t: 'uint16',
  u16: 'uint16',
  uint16: 'uint16',
  word: 'uint16',
  'unsigned short': 'uint16',
  'unsigned short int': 'uint16',
  int16_t: 'int16',
  s16: 'int16',
  int16: 'int16',
  short: 'int16',
  'short int': 'int16',
  'signed short': 'int16',
};
const LOOPS = new Set(['for_statement', 'while_statement', 'do_statement', 'for_range_loop']);

/** Bytes `dest` can hold (a char array declared in this file), or undefined. */
export function bufferCapacity(ctx: RuleContext, dest: Expr, call: Call): number | undefined {
  return roomAt(ctx, dest, call, false);
}

/**
 * Bytes a write at `dest` has room for. With `stepped`, the offset may be a loop counter times a step
 * (`hash + i * 2` in `for (i = 0; i < 16; i++)`): the room at its largest value, which bounds every write of the
 * loop. Only a destination may be read that way: a string read from such an offset can be longer.
 */
function roomAt(ctx: RuleContext, dest: Expr, call: Call, stepped: boolean): number | undefined {
  const target = bareTarget(dest);
  if (!target) return undefined;
  const { name, subscripts, counter } = target;
  let { offset } = target;
  if (counter) {
    const last = stepped ? counterMax(ctx, counter.name, call) : undefined;
    if (last === undefined) return undefined;
    offset = (offset ?? 0) + last * counter.step;
  }
  if (offset === undefined) return undefined;
  if (subscripts === 0 && call.fn?.params.includes(name)) {
    const passed = stepped ? roomPassedIn(ctx, call.fn, call.fn.params.indexOf(name)) : undefined;
    return passed === undefined ? undefined : passed - offset;
  }
  const declared = declaredDimensions(ctx, name, call);
  if (!declared || subscripts >= declared.length) return undefined;
  const capacity = declared[subscripts];
  return capacity === undefined ? undefined : capacity - offset;
}

/**
 * The room a buffer parameter has: the smallest its callers pass, when the function is one only this file can
 * call (`static`, or in an anonymous namespace), it is never used but called (no address taken, so no caller
 * elsewhere), and every call passes an array whose size is known there. Only as a destination, as `roomAt`.
 */
function roomPassedIn(ctx: RuleContext, fn: FunctionDef, index: number): number | undefined {
  // One definition: a call of a C++ overload would be matched to the wrong parameter list.
  if (!fn.name || functionsNamed(ctx.model, fn.name).length !== 1 || !isFileLocal(ctx, fn) || ctx.flow.addressEscapes(fn)) return undefined;
  const calls = ctx.model.calls.filter((c) => c.callee === fn.name && !c.receiver);
  if (!calls.length) return undefined;
  const rooms = calls.map((c) => (c.args[index] && c.fn !== fn ? bufferCapacity(ctx, c.args[index], c) : undefined));
  return rooms.every((room): room is number => room !== undefined) ? minOf(rooms) : undefined;
}

/** A C or C++ function no other file can call: `static` outside a class, or in an anonymous namespace. */
function isFileLocal(ctx: RuleContext, fn: FunctionDef): boolean {
  if (fn.className) return false;
  let node: Node | null = ctx.tree?.rootNode.descendantForIndex(fn.start, fn.start) ?? null;
  while (node && node.type !== 'function_definition') node = node.parent;
  if (!node || node.parent?.type === 'field_declaration_list') return false;
  if (node.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static')) return true;
  for (let up = node.parent; up; up = up.parent) if (up.type === 'namespace_definition' && !up.childForFieldName('name')) return true;
  return false;
}

/** Bytes a write into `dest` has room for, where the offset may step with a loop counter (see `roomAt`). */
export function writeRoom(ctx: RuleContext, dest: Expr, call: Call): number | undefined {
  return roomAt(ctx, dest, call, true);
}

/**
 * The largest value a loop counter has at `call`: the innermost `for` around it that starts the counter at a
 * whole number, runs while `counter < N` (or `<=`) with N a constant, steps it by one, and assigns it nowhere
 * else in its body. Undefined for anything else.
 */
function counterMax(ctx: RuleContext, counter: string, call: Call): number | undefined {
  const tree = ctx.tree;
  if (!tree) return undefined;
  let loop: Node | null = tree.rootNode.descendantForIndex(call.start, call.start);
  while (loop && loop.type !== 'for_statement') {
    if (loop.type === 'function_definition') return undefined;
    loop = loop.parent;
  }
  if (!loop) return undefined;
  const first = counterStart(loop.childForFieldName('initializer'), counter);
  const condition = /^([A-Za-z_]\w*)(<=?)(.+)$/.exec(loop.childForFieldName('condition')?.text.replace(/\s+/g, '') ?? '');
  const update = loop.childForFieldName('update')?.text.replace(/\s+/g, '');
  if (first === undefined || !condition || condition[1] !== counter) return undefined;
  if (update !== `${counter}++` && update !== `++${counter}` && update !== `${counter}+=1`) return undefined;
  const limit = constantSize(ctx, condition[3], call.start);
  const body = loop.childForFieldName('body');
  if (limit === undefined || !body || assigns(body, counter)) return undefined;
  const last = condition[2] === '<=' ? limit : limit - 1;
  return last >= first ? last : undefined;
}

/** The variable and value of `int i = 0` or `i = 0`. */
function initialAssignment(init: Node): [Node | null, Node | null] {
  if (init.type === 'assignment_expression' && init.childForFieldName('operator')?.text === '=')
    return [init.childForFieldName('left'), init.childForFieldName('right')];
  const declarators = init.type === 'declaration' ? init.childrenForFieldName('declarator') : [];
  const only = declarators.length === 1 ? declarators[0] : null;
  return only?.type === 'init_declarator' ? [only.childForFieldName('declarator'), only.childForFieldName('value')] : [null, null];
}

/** The whole number a `for` initializer sets the counter to (`int i = 0`, `i = 1`), or undefined. */
function counterStart(init: Node | null, counter: string): number | undefined {
  if (!init) return undefined;
  const [target, value] = initialAssignment(init);
  if (target?.type !== 'identifier' || target.text !== counter || value?.type !== 'number_literal') return undefined;
  return /^\d+$/.test(value.text) ? Number(value.text) : undefined;
}

/** Whether `node` assigns or steps the variable `name` anywhere inside it. */
function assigns(node: Node, name: string): boolean {
  for (const change of node.descendantsOfType(['assignment_expression', 'update_expression'])) {
    const target = change?.childForFieldName(change.type === 'update_expression' ? 'argument' : 'left');
    if (target?.type === 'identifier' && target.text === name) return true;
  }
  return false;
}

/**
 * The most bytes (without the NUL) the string `expr` can hold, or undefined when unknown. With `writtenBy` (the
 * most a write leaves in its buffer), a local array filled earlier in the function by bounded writes holds no
 * more than they wrote: `sprintf(id, "%d", n); strcat(path, id);` appends at most 11 bytes, not `sizeof id - 1`.
 */
export function maxStringLength(ctx: RuleContext, expr: Expr, call: Call, writtenBy?: (c: Call) => number | undefined): number | undefined {
  const constant = ctx.flow.constant(expr);
  // A writable array initialised with a literal (`static char dir[64] = "";`) holds whatever was copied in since.
  const writable = isWritableArray(ctx, expr, call);
  if (constant && !writable) return byteLength(constant.value);
  const capacity = bufferCapacity(ctx, expr, call);
  if (capacity !== undefined) {
    const filled = writable && writtenBy ? contentBeforeAppend(ctx, expr, call, writtenBy) : undefined;
    return filled === undefined ? capacity - 1 : Math.min(filled, capacity - 1);
  }
  return writable ? undefined : longestChoice(ctx, expr, call);
}

/** `expr` names a char array declared in this file without `const` (in scope at `call`). */
function isWritableArray(ctx: RuleContext, expr: Expr, call: Call): boolean {
  const name = expr.text.trim();
  if (expr.kind !== 'name' || !/^[A-Za-z_]\w*$/.test(name)) return false;
  const candidates = visibleDeclarations(ctx, name, call);
  const content = ctx.text.content;
  return candidates.some((v) => {
    const after = content.slice(v.start + name.length, v.end).trimStart();
    const lineStart = content.lastIndexOf('\n', v.start) + 1;
    return after.startsWith('[') && !/\bconst\b/.test(content.slice(lineStart, v.start));
  });
}

/**
 * `ok ? "OK" : "FAIL"`, or a `const char *msg` every definition of which sets it to a literal
 * (`if (c) msg = "A"; else msg = "B";`): the longest choice. A literal that reaches the name as a call's argument
 * (a copy or format into a buffer, a helper's parameter) is not the whole value and answers "unknown".
 */
function longestChoice(ctx: RuleContext, expr: Expr, call: Call): number | undefined {
  if (expr.kind === 'other' && expr.operator === '?:') {
    const branches = expr.parts?.() ?? [];
    const lengths = branches.map((branch) => maxStringLength(ctx, branch, call));
    return branches.length && lengths.every((n) => n !== undefined) ? maxOf(lengths as number[]) : undefined;
  }
  if (expr.kind !== 'name') return undefined;
  const origins = ctx.flow.origins(expr);
  let longest = 0;
  for (const origin of origins) {
    if (origin.kind !== 'literal' || origin.expr.kind !== 'string' || origin.expr.value === undefined) return undefined;
    if (isCallArgument(ctx, origin.expr)) return undefined;
    longest = Math.max(longest, byteLength(origin.expr.value));
  }
  return origins.length ? longest : undefined;
}

function isCallArgument(ctx: RuleContext, literal: Expr): boolean {
  return ctx.model.calls.some(
    (c) => c.start <= literal.start && literal.end <= c.end && c.args.some((a) => a.start <= literal.start && literal.end <= a.end),
  );
}

/** The most characters a printf format writes with these arguments, or undefined when unbounded. */
export function formatMaxLength(ctx: RuleContext, format: Expr, args: readonly Expr[], call: Call): number | undefined {
  const text = formatText(ctx, format);
  if (text === undefined) return undefined;
  let total = 0;
  let next = 0;
  // A width starts at 1-9 (a leading 0 is a flag): with `\d*` a run of zeros split two ways, polynomially.
  const conversion = /%(?:%|([-+ #0]*)([1-9]\d*|\*|)(?:\.(\d*|\*))?(hh|h|ll|l|j|z|t|L|q)?([diouxXcspeEfFgGaAn]))/g;
  let last = 0;
  for (let m = conversion.exec(text); m; m = conversion.exec(text)) {
    total += byteLength(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0] === '%%') {
      total += 1;
      continue;
    }
    const [, , width, precision, length, kind] = m;
    if (width === '*' || precision === '*') return undefined;
    const arg = args[next++];
    const natural = conversionWidth(ctx, kind, length, precision, arg, call);
    if (natural === undefined) return undefined;
    total += Math.max(natural, width ? Number(width) : 0);
  }
  return total + byteLength(text.slice(last));
}

export interface FormatBounds {
  /** Characters written when every number prints its shortest (one digit). */
  min: number;
  /** Characters written at most. */
  max: number;
  /** `%s` arguments whose length is not known. */
  unbounded: Expr[];
  /** Arguments of numeric conversions. */
  numbers: Expr[];
}

/** The bounds of a printf format with constant text; undefined when the format itself is not a constant. */
export function formatBounds(ctx: RuleContext, format: Expr, args: readonly Expr[], call: Call): FormatBounds | undefined {
  const text = formatText(ctx, format);
  if (text === undefined) return choiceOfFormats(ctx, format, args, call);
  const bounds: FormatBounds = { min: 0, max: 0, unbounded: [], numbers: [] };
  let next = 0;
  let last = 0;
  const conversion = /%(?:%|([-+ #0]*)([1-9]\d*|\*|)(?:\.(\d*|\*))?(hh|h|ll|l|j|z|t|L|q)?([diouxXcspeEfFgGaAn]))/g;
  for (let m = conversion.exec(text); m; m = conversion.exec(text)) {
    const literal = byteLength(text.slice(last, m.index)) + (m[0] === '%%' ? 1 : 0);
    bounds.min += literal;
    bounds.max += literal;
    last = m.index + m[0].length;
    if (m[0] === '%%') continue;
    const [, , width, precision, length, kind] = m;
    const arg = args[next++];
    if (width === '*' || precision === '*') return undefined;
    const widest = conversionWidth(ctx, kind, length, precision, arg, call);
    const least = Math.max(kind === 's' ? (widest ?? 0) : 1, width ? Number(width) : 0);
    if (kind === 's' && widest === undefined) {
      if (arg) bounds.unbounded.push(arg);
      continue;
    }
    if (kind !== 's' && kind !== 'c' && arg) bounds.numbers.push(arg);
    bounds.min += kind === 's' ? least : Math.max(1, width ? Number(width) : 0);
    bounds.max += Math.max(widest ?? 0, width ? Number(width) : 0);
    if (widest === undefined) return { ...bounds, max: Infinity };
  }
  const tail = byteLength(text.slice(last));
  return { ...bounds, min: bounds.min + tail, max: bounds.max + tail };
}

/**
 * The text of a format: a constant, or literals joined with `<inttypes.h>` macros (`"/lfs/hr/%" PRId64`): an
 * exact-width macro of 32 bits or less as a plain int conversion, any other as its widest expansion (`lld`).
 */
function formatText(ctx: RuleContext, format: Expr): string | undefined {
  const constant = ctx.flow.constant(format)?.value;
  if (constant !== undefined || format.kind !== 'other' || format.operator !== undefined) return constant;
  let text = '';
  let macros = 0;
  for (const part of format.parts?.() ?? []) {
    const macro = part.kind === 'name' ? INTTYPES_MACRO.exec(part.text) : null;
    if (macro) {
      // An exact-width type of 32 bits or less prints as an int; the others may be 64 bits wide.
      text += `${/^(?:8|16|32)$/.test(macro[2]) ? '' : 'll'}${macro[1]}`;
      macros++;
    } else if (part.kind === 'string' && part.value !== undefined) text += part.value;
    else return undefined;
  }
  return macros ? text : undefined;
}

const INTTYPES_MACRO = /^PRI([diouxX])(8|16|32|64|MAX|PTR|FAST(?:8|16|32|64)|LEAST(?:8|16|32|64))$/;

/** `sprintf(buf, blink ? "SET %d" : "RATE %d", v)`: the bounds of every branch together. */
function choiceOfFormats(ctx: RuleContext, format: Expr, args: readonly Expr[], call: Call): FormatBounds | undefined {
  if (format.kind !== 'other' || format.operator !== '?:') return undefined;
  const branches = (format.parts?.() ?? []).map((branch) => formatBounds(ctx, branch, args, call));
  if (!branches.length || branches.some((b) => b === undefined)) return undefined;
  const all = branches as FormatBounds[];
  return {
    min: minOf(all.map((b) => b.min)),
    max: maxOf(all.map((b) => b.max)),
    unbounded: all.flatMap((b) => b.unbounded),
    numbers: all.flatMap((b) => b.numbers),
  };
}

function conversionWidth(
  ctx: RuleContext,
  kind: string,
  length: string | undefined,
  precision: string | undefined,
  arg: Expr | undefined,
  call: Call,
): number | undefined {
  if (kind === 'n') return 0;
  if (kind === 's') {
    const max = arg ? maxStringLength(ctx, arg, call) : undefined;
    if (precision !== undefined && precision !== '') return max === undefined ? Number(precision) : Math.min(max, Number(precision));
    return max;
  }
  const integer = INTEGER_WIDTH[kind];
  if (integer) {
    if (/^(?:l|ll|j|z|t|q)$/.test(length ?? '')) return integer[1];
    const narrow = length === 'hh' ? NARROW_WIDTH.uint8 : length === 'h' ? NARROW_WIDTH.uint16 : undefined;
    const declared = arg ? narrowTypeOf(ctx, arg, call) : undefined;
    // A signed char or short promoted to int prints its 32-bit pattern under %u/%x/%o: only %d/%i stay short.
    const byType = declared && (declared.startsWith('uint') || kind === 'd' || kind === 'i') ? NARROW_WIDTH[declared][kind] : undefined;
    const byLength = narrow?.[kind];
    const byValue =
      arg && (kind === 'd' || kind === 'i' || kind === 'u') ? decimalWidthOfValue(ctx, arg, call, kind, integer[0]) : undefined;
    const widths = [integer[0], byType, byLength, byValue].filter((w): w is number => w !== undefined);
    return minOf(widths);
  }
  const float = FLOAT_WIDTH[kind];
  if (!float) return undefined;
  const digits = precision === undefined ? defaultPrecision(kind, length === 'L') : Number(precision || 0);
  const bounded = float(digits, length === 'L');
  if (!arg || (kind !== 'f' && kind !== 'F')) return bounded;
  // `%f` of an integer scaled down (`(double)ecg_uv / 1000`): the integer part has at most the integer's digits.
  const whole = integerPartDigits(ctx, arg, call, 0);
  const scaled = whole === undefined ? undefined : 1 + whole + (digits ? 1 + digits : 0);
  return scaled === undefined || bounded === undefined ? (scaled ?? bounded) : Math.min(scaled, bounded);
}

/**
 * The most bytes already in `dest` when `call` appends to it: the writes to it earlier in the same function
 * (a bounded `strcpy`/`sprintf`/`snprintf`, then bounded `strcat`s), none of them in a loop. Undefined when
 * any is unbounded, when the append runs in a loop, or when the buffer may hold something from elsewhere.
 */
export function contentBeforeAppend(
  ctx: RuleContext,
  dest: Expr,
  call: Call,
  sizeOf: (c: Call) => number | undefined,
  totalAfter: (c: Call) => number | undefined = () => undefined,
): number | undefined {
  if (inLoop(ctx, call) || !call.fn) return undefined;
  const text = dest.text.replace(/\s+/g, '');
  const reset = lastReset(ctx, text, call, sizeOf);
  const writes = call.fn.calls.filter(
    (c) =>
      c.start < call.start &&
      (!reset || c.start > reset.call.start) &&
      !READS_ONLY.test(c.name) &&
      c.args[0] &&
      c.args[0].text.replace(/\s+/g, '') === text,
  );
  let content = reset ? reset.size : initialContent(ctx, dest, call, writes.length);
  if (reset && mentionsBetween(ctx, text, reset.call, call) !== writes.length) return undefined;
  for (const write of writes) {
    if (/^(?:strcat|strncat|strlcat|wcscat)$/.test(write.name)) {
      if (inLoop(ctx, write)) return undefined;
      const checked = totalAfter(write);
      if (checked !== undefined) {
        content = checked;
        continue;
      }
      const added = sizeOf(write);
      if (content === undefined || added === undefined) return undefined;
      content += added;
    } else if (/^(?:strcpy|strncpy|strlcpy|sprintf|snprintf|strftime|memset)$/.test(write.name)) {
      content = write.name === 'memset' ? 0 : sizeOf(write);
      if (content === undefined) return undefined;
    } else {
      // passed to something else that may fill it, unless a helper of this file that only appends bounded strings
      const added = inLoop(ctx, write) ? undefined : appendedByHelper(ctx, write, sizeOf);
      if (content === undefined || added === undefined) return undefined;
      content += added;
    }
  }
  return content;
}

/**
 * A function of this file whose only use of its first parameter is appending bounded strings to it, outside loops
 * (`set_color(str, on)` doing `strcat(str, on ? GREEN : RED)`, or one `strcat` per branch): the most one call adds,
 * every append counted (both branches of an `if` together, an upper bound).
 */
function appendedByHelper(ctx: RuleContext, call: Call, sizeOf: (c: Call) => number | undefined): number | undefined {
  const defs = functionsNamed(ctx.model, call.name);
  const helper = defs.length === 1 ? defs[0] : undefined;
  const param = helper?.params[0];
  if (!helper || !param || !/^[A-Za-z_]\w*$/.test(param)) return undefined;
  const mention = new RegExp(`(?<![\\w.>])${param}(?!\\w)`, 'g');
  const uses = helper.calls.filter((c) => c.args.some((a) => a.text.match(mention)));
  const body = ctx.text.content.slice((helper.body ?? helper).start, (helper.body ?? helper).end);
  if (!uses.length || (body.match(mention)?.length ?? 0) !== uses.length) return undefined;
  const added: number[] = [];
  for (const use of uses) {
    if (!/^(?:strcat|strlcat|strncat)$/.test(use.name) || use.args[0]?.text.trim() !== param || inLoop(ctx, use)) return undefined;
    const size = sizeOf(use);
    if (size === undefined) return undefined;
    added.push(size);
  }
  return uses.length === 2 && inOtherBranches(ctx, uses[0], uses[1]) ? maxOf(added) : added.reduce((a, b) => a + b, 0);
}

/** `if (c) strcat(s, A); else strcat(s, B);`: one call or the other runs, never both. */
function inOtherBranches(ctx: RuleContext, a: Call, b: Call): boolean {
  const branchOf = (call: Call): { statement: number; branch: string } | undefined => {
    let node: Node | null = ctx.tree?.rootNode.descendantForIndex(call.start, call.start) ?? null;
    for (; node?.parent; node = node.parent) {
      if (node.parent.type !== 'if_statement' && node.parent.type !== 'else_clause') continue;
      const statement = node.parent.type === 'else_clause' ? node.parent.parent : node.parent;
      if (!statement || node.type === 'condition_clause' || node.type === 'parenthesized_expression') return undefined;
      return { statement: statement.startIndex, branch: node.parent.type === 'else_clause' ? 'else' : 'then' };
    }
    return undefined;
  };
  const [x, y] = [branchOf(a), branchOf(b)];
  return !!x && !!y && x.statement === y.statement && x.branch !== y.branch;
}

/**
 * What a local char array holds before its first write: its initialiser (`= ""`, `= "/SD:/"`, `= SD_ROOT`,
 * `= {0}`), when the array is declared in this function (not `static`, which keeps what the last call left)
 * and is mentioned before `call` only by the `writes` that are counted.
 */
function initialContent(ctx: RuleContext, dest: Expr, call: Call, writes: number): number | undefined {
  const name = dest.text.trim();
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const declared = ctx.model.variables.filter((v) => v.fn && v.fn === call.fn && v.name === name && v.start < call.start);
  if (declared.length !== 1) return undefined;
  const variable = declared[0];
  const content = ctx.text.content;
  const lineStart = content.lastIndexOf('\n', variable.start) + 1;
  if (/\bstatic\b/.test(content.slice(lineStart, variable.start))) return undefined;
  // Measuring the array (`sizeof`, `ARRAY_SIZE`, `strlen`) does not change what it holds.
  const between = content.slice(variable.end, call.start).replace(MEASURED, '');
  const mentions = between.match(new RegExp(`(?<![\\w.>])${name}(?!\\w)`, 'g'));
  if ((mentions?.length ?? 0) !== writes) return undefined;
  const declarator = content.slice(variable.start, variable.end);
  const eq = declarator.indexOf('=');
  if (eq < 0) return undefined;
  const init = declarator.slice(eq + 1).trim();
  if (/^\{(?:0|'\\0')?\}$/.test(init.replace(/\s+/g, ''))) return 0;
  if (init.startsWith('"')) {
    const literal = spanIndex(ctx.model.strings).firstWithin(variable);
    return literal?.value === undefined ? undefined : byteLength(literal.value);
  }
  if (!/^[A-Za-z_]\w*$/.test(init)) return undefined;
  const at = variable.start + declarator.indexOf(init, eq);
  const value = ctx.flow.constant({ start: at, end: at + init.length, text: init, kind: 'name', value: init })?.value;
  return value === undefined ? undefined : byteLength(value);
}

/**
 * The last write before `call` that replaces what `dest` holds (`strcpy`, `sprintf`, `itoa(v, dest, 10)`) with a
 * bounded string, in the same statement list as `call` (one block, `case` or preprocessor branch), so every path
 * to the call passes through it: what the buffer held before no longer counts.
 */
function lastReset(
  ctx: RuleContext,
  dest: string,
  call: Call,
  sizeOf: (c: Call) => number | undefined,
): { call: Call; size: number } | undefined {
  const list = statementListOf(ctx, call);
  if (!list) return undefined;
  const before = (call.fn?.calls ?? []).filter((c) => c.start < call.start);
  for (let i = before.length - 1; i >= 0; i--) {
    const write = before[i];
    const target = INTEGER_TO_TEXT.test(write.name) ? write.args[1] : RESETS.test(write.name) ? write.args[0] : undefined;
    if (target?.text.replace(/\s+/g, '') !== dest) continue;
    const size = statementListOf(ctx, write) === list ? sizeOf(write) : undefined;
    return size === undefined ? undefined : { call: write, size };
  }
  return undefined;
}

const RESETS = /^(?:strcpy|strncpy|strlcpy|sprintf|snprintf|strftime)$/;
/** avr-libc / newlib `itoa(value, buffer, radix)` and friends: the buffer is the second argument. */
export const INTEGER_TO_TEXT = /^(?:itoa|ltoa|utoa|ultoa)$/;

/**
 * The most characters `itoa`-style conversion writes for a radix (an `int` of up to 32 bits; a `long` may have 64),
 * with the sign of a negative decimal; undefined for a radix that is not a constant it knows.
 */
export function integerTextLength(name: string, radix: string | undefined): number | undefined {
  const wide = name === 'ltoa' || name === 'ultoa';
  const digits: Readonly<Record<string, [number, number]>> = { '2': [32, 64], '8': [11, 22], '10': [10, 20], '16': [8, 16] };
  const widths = radix === undefined ? undefined : digits[radix.trim()];
  if (!widths) return undefined;
  const sign = radix?.trim() === '10' && !name.startsWith('u') ? 1 : 0;
  return widths[wide ? 1 : 0] + sign;
}

/** The block, `case` or preprocessor branch whose statement holds `call` (its start offset), or undefined. */
function statementListOf(ctx: RuleContext, call: Call): number | undefined {
  let node: Node | null = ctx.tree?.rootNode.descendantForIndex(call.start, call.start) ?? null;
  for (; node?.parent; node = node.parent) {
    // The innermost statement: `if (c) itoa(v, buf, 10);` puts the call under the `if`, not in the block.
    if (node.type.endsWith('statement') || node.type === 'declaration')
      return STATEMENT_LISTS.has(node.parent.type) ? node.parent.startIndex : undefined;
    if (node.type === 'function_definition') return undefined;
  }
  return undefined;
}

const STATEMENT_LISTS = new Set(['compound_statement', 'case_statement', 'preproc_ifdef', 'preproc_if', 'preproc_else', 'preproc_elif']);

/**
 * How many times `dest` is written out between two calls (the calls themselves excluded), measuring aside, and
 * stores of a NUL into one of its elements (`time[strlen(time) - 1] = 0;`, dropping a last character) aside too:
 * a NUL ends the string where it is stored, so it never makes it longer.
 */
function mentionsBetween(ctx: RuleContext, dest: string, from: Call, to: Call): number {
  if (!/^[A-Za-z_]\w*$/.test(dest)) return -1;
  // Bounded repeats: an unbounded index or spacing would scan the rest of the text again at every mention.
  const nulStore = new RegExp(
    `(?<![\\w.>])${dest}[ \\t]{0,8}\\[[^\\]\\[;\\n]{0,80}\\][ \\t]{0,8}=[ \\t]{0,8}(?:0|'\\\\0')[ \\t]{0,8};`,
    'g',
  );
  const between = ctx.text.content.slice(from.end, to.start).replace(MEASURED, '').replace(nulStore, '');
  const mentions = between.match(new RegExp(`(?<![\\w.>])${dest}(?!\\w)`, 'g'))?.length ?? 0;
  // Copied or printed from (`strcpy(name, dest)`, `printf("%s", dest)`): read, not written.
  const reads = (to.fn?.calls ?? [])
    .filter((c) => c.start >= from.end && c.end <= to.start && SOURCE_READERS.test(c.name))
    .flatMap((c) => c.args.slice(1))
    .filter((a) => a.text.replace(/\s+/g, '') === dest).length;
  return mentions - reads;
}

/** Calls whose arguments after the first are only read: the sources of a copy, append or format. */
const SOURCE_READERS = /^(?:strcpy|strncpy|strlcpy|strcat|strncat|strlcat|sprintf|snprintf|printf)$/;

/**
 * Calls that read a string and leave it as it was (a length check before an append, a comparison), and
 * `ARRAY_SIZE` (Zephyr's and Linux's macro), which the model sees as a call but only measures the array.
 */
const READS_ONLY = /^(?:strlen|strnlen|ARRAY_SIZE|strcmp|strncmp|strcasecmp|strncasecmp|strstr|strchr|strrchr)$/;

/** Whether a call only reads or measures its arguments, so it is no write to a buffer it is given. */
export function readsOnly(call: Call): boolean {
  return READS_ONLY.test(call.name);
}
const MEASURED = /\b(?:sizeof|ARRAY_SIZE|strlen)\s*\(\s*[A-Za-z_]\w*\s*\)|\bsizeof\s+[A-Za-z_]\w*/g;

/** An array size or length limit written in the source (`PATH_MAX_LEN + 1`, `64`), or undefined. */
export function constantSize(ctx: RuleContext, text: string, at: number): number | undefined {
  return evaluate(ctx, text, at);
}

/**
 * The 8- or 16-bit integer type of a printf argument: a cast (`(uint8_t)x`), or a plain local, global or
 * parameter declared with that type in this file. Undefined for anything else (wider, unknown, an expression).
 */
function narrowTypeOf(ctx: RuleContext, arg: Expr, call: Call): NarrowType | undefined {
  const text = arg.text.trim();
  const cast = /^\(\s*((?:(?:un)?signed\s+)?[A-Za-z_]\w*(?:\s+int)?)\s*\)\s*[A-Za-z_][\w.>-]*$/.exec(text);
  if (cast) return NARROW_TYPES[cast[1].replace(/\s+/g, ' ')];
  const element = /^([A-Za-z_]\w*)\s*\[[^\]]+\]$/.exec(text);
  if (element && !call.fn?.params.includes(element[1])) return narrowType(elementType(ctx, element[1], call));
  if (arg.kind !== 'name' || !/^[A-Za-z_]\w*$/.test(text)) return undefined;
  return narrowType(call.fn?.params.includes(text) ? parameterType(ctx, text, call) : variableType(ctx, text, call));
}

/** The 8- or 16-bit integer type a declared type names, ignoring qualifiers. */
function narrowType(type: string | undefined): NarrowType | undefined {
  return type === undefined
    ? undefined
    : NARROW_TYPES[
        type
          .replace(/\b(?:const|volatile|static)\b/g, '')
          .trim()
          .replace(/\s+/g, ' ')
      ];
}

/**
 * The most characters `%d`/`%u` prints for an `int` whose expression bounds it: `abs(x)` has no sign (abs(INT_MIN)
 * is undefined behaviour), `x / 10` loses a digit for each power of ten of a literal divisor, and `x % 60` under
 * `%d` prints at most the digits of 59 and, unless `x` is declared unsigned, a sign. A plain local is judged by the
 * assignment that last set it in the same block (`id = id % 100000000;` just before the `sprintf`).
 */
function decimalWidthOfValue(ctx: RuleContext, arg: Expr, call: Call, kind: string, width: number, depth = 0): number | undefined {
  if (ABS_CALL.test(arg.text.trim())) return width - (width === 11 ? 1 : 0);
  if (arg.kind === 'name' && depth === 0) {
    const set = lastAssignmentInBlock(ctx, arg.text.trim(), call);
    return set ? decimalWidthOfValue(ctx, set, call, kind, width, depth + 1) : undefined;
  }
  const parts = arg.kind === 'other' && (arg.operator === '/' || arg.operator === '%') ? (arg.parts?.() ?? []) : [];
  if (parts.length !== 2 || parts[1].kind !== 'number' || !/^\d+[uUlL]*$/.test(parts[1].text)) return undefined;
  const divisor = Number.parseInt(parts[1].text, 10);
  if (arg.operator === '/') return divisor >= 10 ? width - Math.floor(Math.log10(divisor)) : undefined;
  // A negative remainder printed by %u is its 32-bit pattern: only %d/%i are bounded by the divisor.
  if (kind === 'u' || divisor < 1) return undefined;
  const dividend = parts[0].kind === 'name' ? variableType(ctx, parts[0].text.trim(), call) : undefined;
  const sign = dividend && /^(?:u(?:int\d*(?:_t)?|\d+)|unsigned\b|size_t$|byte$)/.test(dividend) ? 0 : 1;
  return Math.min(width, String(divisor - 1).length + sign);
}

/**
 * What `name = value;` gave a plain local last, when that statement comes before the call's own statement in the
 * same block and no statement between them names it: straight-line code, so the value reaches the call.
 */
function lastAssignmentInBlock(ctx: RuleContext, name: string, call: Call): Expr | undefined {
  if (!/^[A-Za-z_]\w*$/.test(name) || !ctx.tree || call.fn?.params.includes(name)) return undefined;
  let statement: Node | null = ctx.tree.rootNode.descendantForIndex(call.start, call.end);
  while (statement && statement.parent?.type !== 'compound_statement') statement = statement.parent;
  const named = new RegExp(`\\b${name}\\b`);
  for (let before = statement?.previousNamedSibling ?? null; before; before = before.previousNamedSibling) {
    if (!named.test(before.text)) continue;
    const assignment = before.type === 'expression_statement' ? before.namedChild(0) : null;
    const left = assignment?.type === 'assignment_expression' ? assignment.childForFieldName('left') : null;
    const right = assignment?.childForFieldName('right');
    const operator = assignment?.childForFieldName('operator')?.text ?? assignment?.child(1)?.text;
    if (!right || left?.type !== 'identifier' || left.text !== name || operator !== '=') return undefined;
    return ctx.model.bindings.find(
      (b) => b.kind === 'assignment' && b.target === name && b.value.start === right.startIndex && b.value.end === right.endIndex,
    )?.value;
  }
  return undefined;
}
const ABS_CALL = /^(?:std::)?abs\s*\([^()]*\)$/;

/**
 * The most digits before the point of a floating value built from an integer of 32 bits or less: the integer
 * itself, a cast of it, or it divided by a numeric literal of at least 1, directly or through the one
 * definition of a local (`double mv = (double)raw_uv / 1000;`). One digit of margin covers an increment.
 */
function integerPartDigits(ctx: RuleContext, expr: Expr, call: Call, depth: number): number | undefined {
  if (depth > 4) return undefined;
  if (expr.kind === 'number') return /^\d+(?:\.\d*)?[fFlLuU]*$/.test(expr.text) ? expr.text.split('.')[0].length : undefined;
  if (expr.kind === 'other') {
    const parts = expr.parts?.() ?? [];
    if (expr.operator === '/' && parts.length === 2) {
      const divisor = parts[1].kind === 'number' ? Number.parseFloat(parts[1].text) : NaN;
      return divisor >= 1 ? integerPartDigits(ctx, parts[0], call, depth + 1) : undefined;
    }
    // a cast or parentheses: `(double)x`, `(x)`
    return expr.operator === undefined && parts.length === 1 ? integerPartDigits(ctx, parts[0], call, depth + 1) : undefined;
  }
  // A cast of a name is the name (`(double)raw_uv` has the value `raw_uv`).
  const name = expr.kind === 'name' ? (expr.value ?? expr.text) : '';
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  if (call.fn?.params.includes(name)) return INTEGER_TYPES.test(parameterType(ctx, name, call) ?? '') ? 11 : undefined;
  const type = variableType(ctx, name, call);
  if (type !== undefined && INTEGER_TYPES.test(type)) return 11;
  if (type === undefined || !/^(?:const\s+)?(?:double|float)$/.test(type.trim())) return undefined;
  const definitions = ctx.model.bindings.filter((b) => b.fn === call.fn && b.name === name);
  return definitions.length === 1 && definitions[0].start < call.start
    ? integerPartDigits(ctx, definitions[0].value, call, depth + 1)
    : undefined;
}

/** Integer types of 32 bits or less, as declared (10 digits at most, plus one of margin). */
const INTEGER_TYPES =
  /^(?:const\s+)?(?:u?int(?:8|16|32)_t|(?:(?:un)?signed\s+)?(?:int|short|char)|unsigned|int|u8|u16|u32|s8|s16|s32|byte|word)$/;

/** The declared type of a plain (not pointer, not array) variable in scope at the call, when every declaration agrees. */
function variableType(ctx: RuleContext, name: string, call: Call): string | undefined {
  const content = ctx.text.content;
  const candidates = visibleDeclarations(ctx, name, call);
  if (!candidates.length) return undefined;
  const plain = candidates.every(
    (v) =>
      content.startsWith(name, v.start) &&
      PLAIN_DECLARATOR.test(content.slice(v.start + name.length, Math.min(v.end, v.start + name.length + 2))),
  );
  const types = new Set(candidates.map((v) => v.type));
  return plain && types.size === 1 ? candidates[0].type : undefined;
}

/** The element type of an array (`uint8_t digest[16]`) in scope at the call, when every declaration agrees. */
function elementType(ctx: RuleContext, name: string, call: Call): string | undefined {
  const content = ctx.text.content;
  const candidates = visibleDeclarations(ctx, name, call);
  const arrays = candidates.every((v) => content.startsWith(name, v.start) && /^\s*\[/.test(content.slice(v.start + name.length, v.end)));
  const types = new Set(candidates.map((v) => v.type));
  return candidates.length && arrays && types.size === 1 ? candidates[0].type : undefined;
}

/**
 * The declarations of `name` a use in `call` sees: the locals declared before it in the innermost block around it
 * that declares the name (a `char buf[30]` in this `if` branch, not the `char buf[32]` of the one before), else the
 * file's globals. Two in one block (one per `#ifdef` branch) are both kept, for the caller to reconcile.
 */
function visibleDeclarations(ctx: RuleContext, name: string, call: Call): Variable[] {
  const all = ctx.model.variables.filter((v) => v.name === name);
  const locals = all.filter((v) => v.fn && v.fn === call.fn && v.start < call.start);
  const tree = ctx.tree;
  if (!tree || locals.length < 2) return locals.length ? locals : all.filter((v) => !v.fn);
  let innermost = -1;
  const scoped: { variable: Variable; block: number }[] = [];
  for (const variable of locals) {
    let block: Node | null = tree.rootNode.descendantForIndex(variable.start, variable.start);
    while (block && !SCOPES.has(block.type)) block = block.parent;
    if (block && (block.startIndex > call.start || call.end > block.endIndex)) continue;
    const start = block?.startIndex ?? -1;
    scoped.push({ variable, block: start });
    innermost = Math.max(innermost, start);
  }
  const visible = scoped.filter((s) => s.block === innermost).map((s) => s.variable);
  return visible.length ? visible : all.filter((v) => !v.fn);
}

/** Syntax that opens a scope for the declarations in it. */
const SCOPES = new Set(['compound_statement', 'for_statement', 'for_range_loop', 'function_definition']);

/** After a declarator's name: the end, an initialiser, or the next declarator (not `[` or `(`). */
const PLAIN_DECLARATOR = /^(?:$|[\s=,;])/;

/** The declared type of a plain parameter of the function that makes the call (from the syntax tree). */
function parameterType(ctx: RuleContext, name: string, call: Call): string | undefined {
  const tree = ctx.tree;
  if (!tree || !call.fn) return undefined;
  let fn: Node | null = tree.rootNode.descendantForIndex(call.start, call.start);
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  let declarator = fn?.childForFieldName('declarator') ?? null;
  while (declarator && declarator.type !== 'function_declarator') declarator = declarator.childForFieldName('declarator');
  for (const parameter of declarator?.childForFieldName('parameters')?.namedChildren ?? []) {
    if (parameter?.type !== 'parameter_declaration') continue;
    const id = parameter.childForFieldName('declarator');
    if (id?.type === 'identifier' && id.text === name) return parameter.childForFieldName('type')?.text;
  }
  return undefined;
}

export function inLoop(ctx: RuleContext, call: Call): boolean {
  const tree = ctx.tree;
  if (!tree) return true;
  for (let node: Node | null = tree.rootNode.descendantForIndex(call.start, call.start); node; node = node.parent) {
    if (LOOPS.has(node.type)) return true;
    if (node.type === 'function_definition') return false;
  }
  return false;
}

/**
 * `buf`, `buf[i]`, `&buf[0]`, `(char *)buf`, `buf + 4`, `cfg.name` → the array name, subscripts and offset;
 * `hash + i * 2`, `&hash[2 * i]`, `out + i` → a loop counter and its step as the offset.
 */
function bareTarget(expr: Expr): { name: string; subscripts: number; offset?: number; counter?: Counter } | undefined {
  let text = expr.text.replace(/\s+/g, '');
  text = text.replace(/^\((?:unsigned)?(?:const)?(?:char|uint8_t|int8_t|wchar_t)\*\)/, '');
  let offset = 0;
  let counter: Counter | undefined;
  const plus = text.lastIndexOf('+');
  if (plus > 0 && !text.endsWith('++')) {
    const added = text.slice(plus + 1);
    if (/^\d+$/.test(added)) offset = Number(added);
    else if (!(counter = steppedCounter(added))) return undefined;
    text = text.slice(0, plus);
  }
  const address = /^&(.*)\[0\]$/.exec(text);
  const element = address ? null : /^&([^[]*)\[([^\]]+)\]$/.exec(text);
  if (address) text = address[1];
  else if (element) {
    if (counter || !(counter = steppedCounter(element[2]))) return undefined;
    text = element[1];
  }
  const m = /^([A-Za-z_]\w*(?:(?:\.|->)[A-Za-z_]\w*)*)((?:\[[^\]]+\])*)$/.exec(text);
  if (!m) return undefined;
  const subscripts = (m[2].match(/\[/g) ?? []).length;
  return { name: m[1].replace(/->/g, '.'), subscripts, offset, counter };
}

interface Counter {
  name: string;
  step: number;
}

/** `i`, `i*2`, `(i * 3)`, `2*i` → the counter and its step. */
function steppedCounter(text: string): Counter | undefined {
  const inner = text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1) : text;
  const m = /^(?:([A-Za-z_]\w*)(?:\*(\d+))?|(\d+)\*([A-Za-z_]\w*))$/.exec(inner);
  if (!m) return undefined;
  return m[1] ? { name: m[1], step: m[2] ? Number(m[2]) : 1 } : { name: m[4], step: Number(m[3]) };
}

/** The array dimensions of a variable or struct member declared in this file, when every declaration agrees. */
function declaredDimensions(ctx: RuleContext, name: string, call: Call): (number | undefined)[] | undefined {
  const last = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name;
  const isMember = name.includes('.');
  if (!isMember && call.fn?.params.includes(name)) return undefined; // an array parameter is a pointer
  const candidates = isMember ? ctx.model.variables.filter((v) => v.name === last && !v.fn) : visibleDeclarations(ctx, name, call);
  if (!candidates.length) return undefined;
  const all = candidates.map((v) => dimensionsOf(ctx, v, call));
  const first = JSON.stringify(all[0]);
  return all.every((d) => d && JSON.stringify(d) === first) ? all[0] : undefined;
}

function dimensionsOf(ctx: RuleContext, variable: Variable, call: Call): (number | undefined)[] | undefined {
  if (!variable.type || !/\b(?:char|wchar_t|uint8_t|int8_t|TCHAR|gchar)\b/.test(variable.type)) return undefined;
  const declarator = ctx.text.content.slice(variable.start, variable.end);
  let at = declarator.indexOf(variable.name);
  if (at < 0 || /[^*\s]/.test(declarator.slice(0, at))) return undefined;
  at += variable.name.length;
  const dims: string[] = [];
  for (;;) {
    while (/\s/.test(declarator[at] ?? '')) at++;
    if (declarator[at] !== '[') break;
    const close = declarator.indexOf(']', at);
    if (close < 0) return undefined;
    dims.push(declarator.slice(at + 1, close).trim());
    at = close + 1;
  }
  if (!dims.length) return undefined;
  return dims.map((dim, i) => {
    if (dim) return evaluate(ctx, dim, variable.start, [variable, call]);
    // `char greeting[] = "hello"`: the initializer sets the size.
    if (i !== 0) return undefined;
    const literal = spanIndex(ctx.model.strings).firstWithin(variable);
    return literal?.value === undefined ? undefined : byteLength(literal.value) + 1;
  });
}

/**
 * An array size: numbers, constants of this file, + - * / and parentheses. A macro defined once per build
 * configuration takes its smallest value in the builds that compile every span of `sites` (the declaration and
 * the call), so a write that fits it fits every such build.
 */
function evaluate(ctx: RuleContext, text: string, at: number, sites: readonly Span[] = []): number | undefined {
  const tokens = text.match(/\d+[uUlL]*|[A-Za-z_]\w*|[-+*/()]|\S/g) ?? [];
  const values = tokens.map((token) => {
    if (/^[A-Za-z_]/.test(token)) {
      const value = ctx.flow.constant({ start: at, end: at + token.length, text: token, kind: 'name', value: token })?.value;
      if (value === undefined && sites.length) return smallestConfiguredValue(ctx, token, sites)?.toString();
      return value !== undefined && /^\(?\s*\d+[uUlL]*\s*\)?$/.test(value) ? value.replace(/[uUlL()\s]/g, '') : undefined;
    }
    return token.replace(/(?<![uUlL])[uUlL]+$/, '');
  });
  if (values.some((v) => v === undefined)) return undefined;
  const result = arithmetic(values as string[]);
  return result !== undefined && Number.isInteger(result) && result > 0 ? result : undefined;
}

/** Integer arithmetic over tokens: + - * / and parentheses, by recursive descent. */
function arithmetic(tokens: readonly string[]): number | undefined {
  let i = 0;
  const primary = (): number | undefined => {
    const token = tokens[i++];
    if (token === '(') {
      const value = sum();
      return tokens[i++] === ')' ? value : undefined;
    }
    return token !== undefined && /^\d+$/.test(token) ? Number(token) : undefined;
  };
  const product = (): number | undefined => {
    let value = primary();
    while (value !== undefined && (tokens[i] === '*' || tokens[i] === '/')) {
      const op = tokens[i++];
      const right = primary();
      if (right === undefined || (op === '/' && right === 0)) return undefined;
      value = op === '*' ? value * right : Math.floor(value / right);
    }
    return value;
  };
  const sum = (): number | undefined => {
    let value = product();
    while (value !== undefined && (tokens[i] === '+' || tokens[i] === '-')) {
      const op = tokens[i++];
      const right = product();
      if (right === undefined) return undefined;
      value = op === '+' ? value + right : value - right;
    }
    return value;
  };
  const value = sum();
  return i === tokens.length ? value : undefined;
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
