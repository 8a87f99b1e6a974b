/**
 * banned-unsafe-function: calls to the C string and formatting functions that cannot bound what they write
 * (`gets`, `strcpy`, `strcat`, `sprintf`, `vsprintf`, their wide and Windows variants) and scanf-family `%s`
 * conversions without a field width. Matched on the call itself, so identifiers that merely contain the name
 * (`my_strcpy_safe`), the bounded `_s` variants, comments and other namespaces' functions (`fmt::sprintf`,
 * Qt's `str.sprintf`) are not findings.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Fix, RuleContext } from '../../server/src/core/types';
import { BANNED_FUNCTIONS, SCANF_FORMAT_INDEX, bannedCallName, isLocalCharArray, unboundedScanfConversions } from './table';
import { heapHolds, heapSize } from './heap';
import {
  bufferCapacity,
  constantSize,
  writeRoom,
  INTEGER_TO_TEXT,
  integerTextLength,
  contentBeforeAppend,
  formatBounds,
  formatMaxLength,
  inLoop,
  maxStringLength,
  readsOnly,
} from './sizes';
import { bytesText, lengthGuard, SYMBOLIC_SIZE, type LengthGuard } from './guards';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'banned-unsafe-function',
    title: 'Banned unbounded C string or formatting function',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp'],
    cwe: [242, 676, 120],
    fda: ['app1.D.8', 'app1.D.11', '524b.b2'],
    sees: {
      'app1.D.8': 'C functions that write into a buffer without knowing its size',
      'app1.D.11': 'unbounded C string functions and scanf formats',
    },
    iec62443: ['CR 3.5', 'SI-2'],
    fix: 'safe',
    presets: ['strict'],
    // Every report is on a call whose name is one of the tables' (bannedCallName: plain, `std::` or `::`), which
    // the text holds as a whole identifier: `widgets` and `getsockopt` hold no `gets`.
    needs: [...Object.keys(BANNED_FUNCTIONS), ...Object.keys(SCANF_FORMAT_INDEX)].map((name) => `<${name}>`),
    docs,
  },
  check(ctx) {
    findBannedCalls(ctx);
  },
});

const IMPACT = 'a longer value overwrites adjacent memory (stack, therapy state, return address)';
/** Narrow copies, appends and formats whose sizes can be reasoned about; the rest are always reported. */
const COPIES = new Set(['strcpy', 'stpcpy', 'lstrcpyA', 'StrCpyA']);
const APPENDS = new Set(['strcat', 'lstrcatA', 'StrCatA']);

/** Replaces the last segment of the callee (`std::sprintf` → `std::snprintf`). */
function renameCallee(call: Call, newName: string) {
  return { span: { start: call.calleeSpan.end - call.name.length, end: call.calleeSpan.end }, newText: newName };
}

/** The fix for a call whose destination is a char array declared in the same function or file, if any. */
function boundedFix(ctx: RuleContext, call: Call, name: string): Fix | undefined {
  const dst = call.args[0];
  if (!isLocalCharArray(dst, call, ctx.model, ctx.text.content)) return undefined;
  const size = `sizeof ${dst.text}`;
  switch (name) {
    case 'sprintf':
    case 'vsprintf':
      if (call.args.length < 2) return undefined;
      return {
        title: `Bound the write with ${name === 'sprintf' ? 'snprintf' : 'vsnprintf'}(${dst.text}, ${size}, ...)`,
        safety: 'safe',
        edits: [
          renameCallee(call, name === 'sprintf' ? 'snprintf' : 'vsnprintf'),
          { span: { start: dst.end, end: dst.end }, newText: `, ${size}` },
        ],
      };
    case 'gets':
      if (call.args.length !== 1) return undefined;
      return {
        title: `Read with fgets(${dst.text}, ${size}, stdin)`,
        safety: 'suggestion',
        edits: [renameCallee(call, 'fgets'), { span: { start: dst.end, end: dst.end }, newText: `, ${size}, stdin` }],
      };
    case 'strcpy':
      if (call.args.length !== 2) return undefined;
      return {
        title: `Copy with snprintf(${dst.text}, ${size}, "%s", ...)`,
        safety: 'suggestion',
        edits: [renameCallee(call, 'snprintf'), { span: { start: dst.end, end: dst.end }, newText: `, ${size}, "%s"` }],
      };
    default:
      return undefined;
  }
}

function findBannedCalls(ctx: RuleContext): void {
  const definedHere = new Set(ctx.model.functions.map((f) => f.name));
  for (const call of ctx.model.calls) {
    const name = bannedCallName(call);
    if (!name || definedHere.has(name)) continue;
    const banned = Object.prototype.hasOwnProperty.call(BANNED_FUNCTIONS, name) ? BANNED_FUNCTIONS[name] : undefined;
    if (banned) {
      const write = boundedWrite(ctx, call, name);
      if (write?.fits) continue;
      const fix = boundedFix(ctx, call, name);
      ctx.report({
        span: call,
        message: write?.overflows
          ? `\`${name}\` ${write.what}: with its terminating NUL that ${write.exact ? 'does not fit, so it overwrites adjacent memory (stack, therapy state, return address) every time it runs' : 'can exceed the buffer and overwrite adjacent memory (stack, therapy state, return address)'}. Use ${banned.replacement}.`
          : `\`${name}\` ${write?.what ?? banned.why}: ${IMPACT}. Use ${banned.replacement}.`,
        fixes: fix ? [fix] : undefined,
        confidence: write?.overflows ? 'high' : write ? 'medium' : 'high',
      });
      continue;
    }
    const formatIndex = Object.prototype.hasOwnProperty.call(SCANF_FORMAT_INDEX, name) ? SCANF_FORMAT_INDEX[name] : undefined;
    const format = formatIndex === undefined ? undefined : call.args[formatIndex];
    if (format?.kind !== 'string' || format.value === undefined) continue;
    const unbounded = unboundedScanfConversions(format.value);
    if (!unbounded.length) continue;
    ctx.report({
      span: call,
      message: `\`${name}\` with \`${unbounded[0]}\` and no field width writes a word of any length into the buffer: ${IMPACT}. Give every \`%s\`/\`%[\` a width one less than the buffer (\`%31s\` for \`char buf[32]\`).`,
    });
  }
}

interface BoundedWrite {
  /** Not the weakness: it provably fits, or only bounded or program-internal values are written. */
  fits: boolean;
  /** Provably does not fit (for some values of its inputs, or always when `exact`). */
  overflows?: boolean;
  /** The length written is exact (a constant), not an upper bound. */
  exact?: boolean;
  /** What the call writes where, for the message. */
  what: string;
}

/**
 * Whether a copy, append or format provably fits its destination: the destination is a char array declared in
 * this file and the most the call writes (a constant, a smaller array, a bounded format, or bounded appends
 * after a bounded write, outside a loop) is known. Anything else is reported, with what is known.
 */
function boundedWrite(ctx: RuleContext, call: Call, name: string): BoundedWrite | undefined {
  const [dest, second] = call.args;
  if (!dest || !second) return undefined;
  const room = writeRoom(ctx, dest, call);
  // A pointer allocated in this function: a constant size counts like an array's, `strlen(src) + 1` only for src.
  const heap = room === undefined ? heapSize(ctx, dest, call) : undefined;
  const capacity = room ?? (heap && !heap.lengths.length ? heap.constant : undefined);
  // A destination stepped by a loop counter (`hex + i * 2`) has this room at the counter's last value.
  const passed = call.fn?.params.includes(dest.text.trim()) ? ', the smallest its callers pass' : '';
  const stepped =
    room !== undefined && bufferCapacity(ctx, dest, call) === undefined && !passed ? ' left at the last pass of the loop' : passed;
  const into = `\`${dest.text}\`${capacity === undefined ? ' (size not known here)' : ` (${capacity} bytes${stepped})`}`;
  if (COPIES.has(name) && heap?.lengths.length && heapHolds(heap, [second], 0)) return { fits: true, what: '' };
  if (COPIES.has(name) || APPENDS.has(name)) {
    const guard = guardOf(ctx, call);
    const known = maxStringLength(ctx, second, call, (c) => writtenBy(ctx, c));
    const checked = known === undefined && guard?.kind === 'source' ? guard.max : undefined;
    const length = known ?? checked;
    const source =
      checked === undefined
        ? describeSource(ctx, second, length)
        : `${describeSource(ctx, second, undefined)}, checked to at most ${bytesText(checked, dest.text)} bytes`;
    if (guard?.kind === 'total' && APPENDS.has(name)) {
      const size = capacity ?? (guard.max >= SYMBOLIC_SIZE / 2 ? SYMBOLIC_SIZE : undefined);
      const total = bytesText(guard.max, dest.text);
      return judgeBounded(guard.max, guard.max, size, `appends ${source} to ${into} after checking that both fit in ${total} bytes`, false);
    }
    if (length === undefined)
      return judgeUnbounded(
        `${COPIES.has(name) ? 'copies' : 'appends'} ${source} ${COPIES.has(name) ? 'into' : 'to'} ${into}, with no bound`,
      );
    if (COPIES.has(name)) return judgeBounded(length, length, capacity, `copies ${source} into ${into}`, !!ctx.flow.constant(second));
    const before = contentBeforeAppend(
      ctx,
      dest,
      call,
      (c) => writtenBy(ctx, c),
      (c) => (APPENDS.has(c.name) && guardOf(ctx, c)?.kind === 'total' ? guardOf(ctx, c)?.max : undefined),
    );
    if (before === undefined) {
      const where = inLoop(ctx, call) ? ' in a loop, with no bound on the total' : ', whose current length is not known here';
      return { fits: false, what: `appends ${source} to ${into}${where}` };
    }
    // A content counted from a guard on `sizeof dest` is relative to that size, and so is the room.
    const size = capacity ?? (before + length >= SYMBOLIC_SIZE / 2 ? SYMBOLIC_SIZE : undefined);
    return judgeBounded(
      before + length,
      before + length,
      size,
      `appends ${source} to ${into}, which then holds up to ${bytesText(before + length, dest.text)} bytes`,
      false,
    );
  }
  if (name !== 'sprintf') return undefined;
  const format = formatBounds(ctx, second, call.args.slice(2), call);
  if (!format) return judgeUnbounded(`formats into ${into} with a format that is not a constant, with no bound`);
  if (heap && heapHolds(heap, format.unbounded, format.max)) return { fits: true, what: '' };
  if (format.unbounded.length) {
    return judgeUnbounded(
      `formats ${format.unbounded.map((e) => describeSource(ctx, e, undefined)).join(', ')} into ${into}, with no bound`,
    );
  }
  if (capacity === undefined || format.max + 1 <= capacity || format.min + 1 > capacity) {
    return judgeBounded(format.min, format.max, capacity, `formats ${upTo(format.max)} into ${into}`, false);
  }
  // It overflows only for large numbers.
  return judgeUnbounded(`formats ${upTo(format.max)} into ${into}`, true);
}

/** A length check before a copy or append that leaves the function when the string is too long. */
function guardOf(ctx: RuleContext, call: Call): LengthGuard | undefined {
  const [dest, src] = call.args;
  if (!dest || !src) return undefined;
  const capacity = bufferCapacity(ctx, dest, call);
  return lengthGuard(ctx, call, dest, src, capacity, (text) => constantSize(ctx, text, call.start), appendedSinceEmpty(ctx, call));
}

/** What was appended to `call`'s destination earlier in the function, when it was empty before the first. */
function appendedSinceEmpty(ctx: RuleContext, call: Call): string[] {
  const dest = call.args[0].text.replace(/\s+/g, '');
  const earlier = (call.fn?.calls ?? []).filter(
    (c) => c.start < call.start && !readsOnly(c) && c.args[0]?.text.replace(/\s+/g, '') === dest,
  );
  if (!earlier.length || earlier.some((c) => !APPENDS.has(c.name) || !c.args[1])) return [];
  return contentBeforeAppend(ctx, call.args[0], earlier[0], () => undefined) === 0 ? earlier.map((c) => c.args[1].text) : [];
}

/** How much a format writes at most, in words when no number bounds it. */
function upTo(max: number): string {
  return Number.isFinite(max) ? `up to ${max} characters` : 'a number of characters no size bounds';
}

/** A bounded write: fits, overflows for sure (`min` too long), can overflow (`max` too long), or unknown. */
function judgeBounded(min: number, max: number, capacity: number | undefined, what: string, exact: boolean): BoundedWrite {
  if (capacity === undefined) return { fits: false, what };
  if (max + 1 <= capacity) return { fits: true, what };
  return { fits: false, overflows: true, exact: exact && min === max, what };
}

/** A write of unknown length: always worth a look in an audit (the message says where the input comes from). */
function judgeUnbounded(what: string, overflows = false): BoundedWrite {
  return { fits: false, overflows, what };
}

/** The most bytes a write into a buffer leaves in it (for appends that follow it). */
function writtenBy(ctx: RuleContext, call: Call): number | undefined {
  const [, second] = call.args;
  if (!second) return undefined;
  if (INTEGER_TO_TEXT.test(call.name)) return integerTextLength(call.name, call.args[2] && ctx.flow.constant(call.args[2])?.value);
  if (call.name === 'sprintf') return formatMaxLength(ctx, second, call.args.slice(2), call);
  if (call.name === 'snprintf') {
    const bound = ctx.flow.constant(second)?.value;
    const formatted = call.args[2] ? formatMaxLength(ctx, call.args[2], call.args.slice(3), call) : undefined;
    const limit = bound && /^\d+$/.test(bound) ? Number(bound) - 1 : undefined;
    return formatted ?? limit;
  }
  // `strftime(buf, max, ...)` writes at most `max` bytes with the NUL, whatever the format and the time.
  if (call.name === 'strftime') {
    const bound = ctx.flow.constant(second)?.value;
    return bound && /^\d+$/.test(bound) && Number(bound) > 0 ? Number(bound) - 1 : undefined;
  }
  if (call.name === 'strncpy' || call.name === 'strlcpy') {
    const bound = call.args[2] && ctx.flow.constant(call.args[2])?.value;
    return bound && /^\d+$/.test(bound) ? Number(bound) : maxStringLength(ctx, second, call, (c) => writtenBy(ctx, c));
  }
  return maxStringLength(ctx, second, call, (c) => writtenBy(ctx, c));
}

/** `a 12-byte string`, `data read from the network (recv)`, `\`name\`, a parameter of f()`. */
function describeSource(ctx: RuleContext, expr: Expr, length: number | undefined): string {
  if (length !== undefined) {
    return ctx.flow.constant(expr)
      ? `a string of ${length} bytes (\`${short(expr.text)}\`)`
      : `up to ${length} bytes from \`${short(expr.text)}\``;
  }
  const origins = ctx.flow.origins(expr);
  const source = origins.find((o) => o.kind === 'source');
  if (source?.kind === 'source')
    return `\`${short(expr.text)}\` (${SOURCE_LABELS[source.source] ?? 'data read at run time'}${source.call ? `, \`${source.call.callee}\`` : ''})`;
  const param = origins.find((o) => o.kind === 'parameter');
  if (param?.kind === 'parameter') return `\`${short(expr.text)}\` (a parameter of \`${param.fn.name}()\`, length not checked here)`;
  const api = origins.find((o) => o.kind === 'unknown' && o.expr.kind === 'call');
  if (api?.kind === 'unknown' && api.expr.call)
    return `\`${short(expr.text)}\` (returned by \`${api.expr.call.callee}()\`, length not checked here)`;
  return `\`${short(expr.text)}\` (length not known here)`;
}

const SOURCE_LABELS: Readonly<Record<string, string>> = {
  network: 'data received from the network',
  input: 'user or command-line input',
  file: 'data read from a file',
  nvs: 'data read from device storage',
  preferences: 'data read from app preferences',
  environment: 'an environment value',
  keystore: 'data read from a key store',
};

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}
