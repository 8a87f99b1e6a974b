/**
 * Sizes for banned-unsafe-function: how many bytes a destination array holds, and the most a copy or a
 * format can write into it. A call is only a finding when the write is not provably bounded by the buffer:
 * `strcpy(line, "READY")` into `char line[40]` is not an overflow, `strcpy(line, payload)` is.
 * Everything here answers "unknown" (undefined) rather than guess.
 */
import type { Node } from 'web-tree-sitter';
import type { Call, Expr, Variable } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { spanIndex } from '../../server/src/core/model/span-index';

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
 */
const FLOAT_WIDTH: Readonly<Record<string, (precision: number, long: boolean) => number | undefined>> = {
  e: (p, long) => p + (long ? 9 : 8),
  E: (p, long) => p + (long ? 9 : 8),
  g: (p, long) => p + (long ? 9 : 8),
  G: (p, long) => p + (long ? 9 : 8),
  a: (p) => p + 12,
  A: (p) => p + 12,
  f: (p, long) => p + (long ? 4935 : 311),
  F: (p, long) => p + (long ? 4935 : 311),
};
const LOOPS = new Set(['for_statement', 'while_statement', 'do_statement', 'for_range_loop']);

/** Bytes `dest` can hold (a char array declared in this file), or undefined. */
export function bufferCapacity(ctx: RuleContext, dest: Expr, call: Call): number | undefined {
  const target = bareTarget(dest);
  if (!target) return undefined;
  const { name, subscripts, offset } = target;
  if (offset === undefined) return undefined;
  const declared = declaredDimensions(ctx, name, call);
  if (!declared || subscripts >= declared.length) return undefined;
  const capacity = declared[subscripts];
  return capacity === undefined ? undefined : capacity - offset;
}

/** The most bytes (without the NUL) the string `expr` can hold, or undefined when unknown. */
export function maxStringLength(ctx: RuleContext, expr: Expr, call: Call): number | undefined {
  const constant = ctx.flow.constant(expr);
  if (constant) return byteLength(constant.value);
  const capacity = bufferCapacity(ctx, expr, call);
  return capacity === undefined ? undefined : capacity - 1;
}

/** The most characters a printf format writes with these arguments, or undefined when unbounded. */
export function formatMaxLength(ctx: RuleContext, format: Expr, args: readonly Expr[], call: Call): number | undefined {
  const text = ctx.flow.constant(format)?.value;
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
  const text = ctx.flow.constant(format)?.value;
  if (text === undefined) return undefined;
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
  if (integer) return /^(?:l|ll|j|z|t|q)$/.test(length ?? '') ? integer[1] : integer[0];
  const float = FLOAT_WIDTH[kind];
  return float ? float(precision === undefined ? 6 : Number(precision || 0), length === 'L') : undefined;
}

/**
 * The most bytes already in `dest` when `call` appends to it: the writes to it earlier in the same function
 * (a bounded `strcpy`/`sprintf`/`snprintf`, then bounded `strcat`s), none of them in a loop. Undefined when
 * any is unbounded, when the append runs in a loop, or when the buffer may hold something from elsewhere.
 */
export function contentBeforeAppend(ctx: RuleContext, dest: Expr, call: Call, sizeOf: (c: Call) => number | undefined): number | undefined {
  if (inLoop(ctx, call) || !call.fn) return undefined;
  const text = dest.text.replace(/\s+/g, '');
  const writes = call.fn.calls.filter((c) => c.start < call.start && c.args[0] && c.args[0].text.replace(/\s+/g, '') === text);
  let content: number | undefined;
  for (const write of writes) {
    if (/^(?:strcat|strncat|strlcat|wcscat)$/.test(write.name)) {
      if (content === undefined || inLoop(ctx, write)) return undefined;
      const added = sizeOf(write);
      if (added === undefined) return undefined;
      content += added;
    } else if (/^(?:strcpy|strncpy|strlcpy|sprintf|snprintf|memset)$/.test(write.name)) {
      content = write.name === 'memset' ? 0 : sizeOf(write);
      if (content === undefined) return undefined;
    } else return undefined; // passed to something else that may fill it
  }
  return content;
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

/** `buf`, `buf[i]`, `&buf[0]`, `(char *)buf`, `buf + 4`, `cfg.name` → the array name, subscripts and offset. */
function bareTarget(expr: Expr): { name: string; subscripts: number; offset?: number } | undefined {
  let text = expr.text.replace(/\s+/g, '');
  text = text.replace(/^\((?:unsigned)?(?:const)?(?:char|uint8_t|int8_t|wchar_t)\*\)/, '');
  let offset = 0;
  const plus = /^(.*?)\+(\d+)$/.exec(text);
  if (plus) {
    text = plus[1];
    offset = Number(plus[2]);
  }
  const address = /^&(.*)\[0\]$/.exec(text);
  if (address) text = address[1];
  const m = /^([A-Za-z_]\w*(?:(?:\.|->)[A-Za-z_]\w*)*)((?:\[[^\]]+\])*)$/.exec(text);
  if (!m) return undefined;
  const subscripts = (m[2].match(/\[/g) ?? []).length;
  return { name: m[1].replace(/->/g, '.'), subscripts, offset };
}

/** The array dimensions of a variable or struct member declared in this file, when every declaration agrees. */
function declaredDimensions(ctx: RuleContext, name: string, call: Call): (number | undefined)[] | undefined {
  const last = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name;
  const isMember = name.includes('.');
  if (!isMember && call.fn?.params.includes(name)) return undefined; // an array parameter is a pointer
  let candidates = ctx.model.variables.filter((v) => v.name === last);
  if (!isMember) {
    const local = candidates.filter((v) => v.fn && v.fn === call.fn && v.start < call.start);
    candidates = local.length ? local : candidates.filter((v) => !v.fn);
  } else candidates = candidates.filter((v) => !v.fn);
  if (!candidates.length) return undefined;
  const all = candidates.map((v) => dimensionsOf(ctx, v));
  const first = JSON.stringify(all[0]);
  return all.every((d) => d && JSON.stringify(d) === first) ? all[0] : undefined;
}

function dimensionsOf(ctx: RuleContext, variable: Variable): (number | undefined)[] | undefined {
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
    if (dim) return evaluate(ctx, dim, variable.start);
    // `char greeting[] = "hello"`: the initializer sets the size.
    if (i !== 0) return undefined;
    const literal = spanIndex(ctx.model.strings).firstWithin(variable);
    return literal?.value === undefined ? undefined : byteLength(literal.value) + 1;
  });
}

/** An array size: numbers, constants of this file, + - * / and parentheses. */
function evaluate(ctx: RuleContext, text: string, at: number): number | undefined {
  const tokens = text.match(/\d+[uUlL]*|[A-Za-z_]\w*|[-+*/()]|\S/g) ?? [];
  const values = tokens.map((token) => {
    if (/^[A-Za-z_]/.test(token)) {
      const value = ctx.flow.constant({ start: at, end: at + token.length, text: token, kind: 'name', value: token })?.value;
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

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
