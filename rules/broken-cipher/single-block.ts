/**
 * ECB on exactly one block is not the ECB weakness: with a single block there is no pattern to leak and nothing
 * to cut or reorder. It is how AES the block function is reached in JCA and Node (a challenge-response, Milenage, a
 * hand-built CMAC or CTR), as `mbedtls_aes_crypt_ecb` is in C. This follows an ECB cipher object to the calls that
 * feed it data (`doFinal`, `update`) and asks whether every input is provably at most one 16-byte block, through
 * allocations (`new byte[16]`, `ByteArray(16)`, `ByteBuffer.allocate(16).array()`, `Buffer.alloc(16)`), copies
 * (`copyOfRange(a, 0, 16)`, `copyOf(a, 16)`, `slice(0, 16)`), hex decoding of a 32-digit constant, a bytewise
 * `xor` with a block, and the call sites of helpers in the same file. An input that only a caller in another file
 * supplies is answered by the project (see `oneBlockCallers`).
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { perFile } from '../_shared/per-file';
import { ValueIndex, parseInteger } from '../_shared/values';
import { hasMarkWithin, matchOffsets, mergeMarks } from '../_shared/call-marks';
import { maxOf, minOf } from '../../server/src/core/arrays';

export const BLOCK = 16;
const MAX_DEPTH = 8;
const MAX_FLOW_QUERIES = 300;

/** Either a size in bytes, or the functions (defined here, called from other files) whose callers decide it. */
type Size = { bytes: number; callers: string[] };

/** How an ECB cipher object is used: on one block at most, on more (or unknown), or one block if other files' callers say so. */
export type BlockUse = { kind: 'one-block' } | { kind: 'unknown' } | { kind: 'callers'; callers: string[] };

const ALLOCATORS =
  /^(?:ByteArray|UByteArray|ByteBuffer\.allocate|ByteBuffer\.allocateDirect|Buffer\.alloc|Buffer\.allocUnsafe|Uint8Array)$/;
const HEX_DECODERS =
  /^(?:Hex\.decode|Hex\.decodeHex|hexStringToByteArray|hexStringToBytes|hexToBytes|hexToByteArray|decodeHex|fromHex|parseHex|bytes\.fromhex|unhexlify)$/;
const DATA_METHODS = new Set(['doFinal', 'update']);

export class BlockSizes {
  private readonly values: ValueIndex;
  /**
   * Flow queries this file may still spend. Each query follows every definition of a name, and a size asks
   * again for each origin, so a large file of short, reassigned names (vendored jQuery) multiplied them into
   * seconds; past the budget a size is unknown, which keeps the ECB finding (the safe side).
   */
  private flowQueriesLeft = MAX_FLOW_QUERIES;
  /**
   * Sizes already worked out, by expression and depth, with the flow queries each spent: the call sites of a
   * file size the same bindings again and again. A size is kept only when the budget never ran out while it was
   * worked out, and is reused only while the budget still covers what it spent (which is then spent again), so
   * every answer is the one working it out again would give.
   */
  private readonly memo = new Map<Expr, Map<number, { size: Size | undefined; spent: number }>>();

  constructor(private readonly ctx: RuleContext) {
    this.values = new ValueIndex(ctx.model);
  }

  /** Whether every input the cipher made by `factory` receives in this file is at most one block. */
  useOf(factory: Call): BlockUse {
    const inputs = this.ctx.flow
      .uses(factory)
      .filter((u) => u.slot === 'receiver' && DATA_METHODS.has(u.call.name) && u.call.args.length > 0)
      .map((u) => u.call);
    if (!inputs.length) return { kind: 'unknown' };
    const callers = new Set<string>();
    for (const call of inputs) {
      const size = this.inputSize(call);
      if (!size || size.bytes > BLOCK) return { kind: 'unknown' };
      size.callers.forEach((c) => callers.add(c));
    }
    return callers.size ? { kind: 'callers', callers: [...callers] } : { kind: 'one-block' };
  }

  /** `doFinal(data)`, `doFinal(data, 0, data.length)`, `doFinal(data, 0, 16)`, `update(data)`. */
  private inputSize(call: Call): Size | undefined {
    const [data, , length] = call.args;
    if (call.args.length >= 3 && length) {
      const n = this.intOf(length, 0);
      if (n !== undefined) return { bytes: n, callers: [] };
      if (!/\.(?:length|size)$/.test(length.text) || length.text.replace(/\.(?:length|size)$/, '') !== data.text) return undefined;
    }
    return this.sizeOf(data, 0);
  }

  /** The most bytes an expression can hold, or undefined when the file does not say. */
  sizeOf(expr: Expr | undefined, depth: number): Size | undefined {
    if (!expr || depth > MAX_DEPTH) return undefined;
    const known = this.memo.get(expr)?.get(depth);
    if (known && this.flowQueriesLeft >= known.spent) {
      this.flowQueriesLeft -= known.spent;
      return known.size;
    }
    const before = this.flowQueriesLeft;
    const size = this.computeSize(expr, depth);
    // The lowest the budget went is its value now: it only ever counts down.
    if (this.flowQueriesLeft >= 0) {
      let byDepth = this.memo.get(expr);
      if (!byDepth) this.memo.set(expr, (byDepth = new Map()));
      byDepth.set(depth, { size, spent: before - this.flowQueriesLeft });
    }
    return size;
  }

  private computeSize(expr: Expr, depth: number): Size | undefined {
    const next = depth + 1;
    switch (expr.kind) {
      case 'array':
        return { bytes: (expr.elements ?? []).length, callers: [] };
      case 'call':
        return expr.call ? this.sizeOfCall(expr.call, next) : undefined;
      case 'name':
        return this.sizeOfName(expr, next);
      case 'other':
        return this.sizeOfOther(expr, next);
      default:
        return undefined;
    }
  }

  private sizeOfCall(call: Call, depth: number): Size | undefined {
    const bytes = (n: number | undefined) => (n === undefined ? undefined : { bytes: n, callers: [] });
    const callee = call.isNew ? call.name : call.callee;
    if (ALLOCATORS.test(callee) && call.args.length === 1) return bytes(this.intOf(call.args[0], depth));
    if (call.name === 'array' && call.receiver && !call.args.length) return this.sizeOf(call.receiver, depth);
    if (call.name === 'copyOfRange' || call.name === 'slice' || call.name === 'subarray') {
      const [from, to] = call.args.length >= 2 ? call.args.slice(-2) : [];
      const a = this.intOf(from, depth);
      const b = this.intOf(to, depth);
      return a !== undefined && b !== undefined ? bytes(b - a) : undefined;
    }
    if (call.name === 'copyOf') return bytes(this.intOf(call.args[call.args.length - 1], depth));
    const hex =
      HEX_DECODERS.test(call.callee) || HEX_DECODERS.test(call.name) || (call.callee === 'Buffer.from' && call.args[1]?.value === 'hex');
    if (hex) {
      const text = this.ctx.flow.constant(call.args[0] ?? call.receiver!)?.value;
      return text !== undefined && /^[0-9a-fA-F]*$/.test(text) ? bytes(text.length / 2) : undefined;
    }
    if (/^(?:getBytes|toByteArray|encodeToByteArray|encode)$/.test(call.name) && call.receiver) {
      const text = this.ctx.flow.constant(call.receiver)?.value;
      return text !== undefined && /^[\x00-\x7f]*$/.test(text) ? bytes(text.length) : undefined;
    }
    if (call.name === 'xor' && call.receiver) return this.eitherOf([call.receiver, call.args[0]], depth);
    return this.fromOrigins({ start: call.start, end: call.end, text: '', kind: 'call', call }, depth);
  }

  private sizeOfName(expr: Expr, depth: number): Size | undefined {
    const bindings = this.values.bindingsOf(expr.value ?? expr.text, { fn: this.ctx.flow.functionAt(expr.start) });
    if (bindings.length) return this.largest(bindings.map((b) => this.sizeOf(b.value, depth)));
    return this.fromOrigins(expr, depth);
  }

  private sizeOfOther(expr: Expr, depth: number): Size | undefined {
    const text = expr.text.trim();
    // The size between the brackets, trimmed (all blanks: the last one), as `\[\s*([^\]]+?)\s*\]` read it.
    const brackets = /^new\s+byte\s*\[([^\]]*)\]$/.exec(text)?.[1];
    const size = brackets ? brackets.trim() || brackets.slice(-1) : undefined;
    if (size !== undefined) {
      const n = this.intOf({ ...expr, kind: /^\d/.test(size) ? 'number' : 'name', text: size, value: size }, depth);
      return n === undefined ? undefined : { bytes: n, callers: [] };
    }
    const parts = expr.parts?.() ?? [];
    // A bytewise xor of a block with anything is at most a block (Kotlin `a xor b`, written by the project).
    if (parts.length === 3 && parts[1].kind === 'name' && parts[1].text === 'xor') return this.eitherOf([parts[0], parts[2]], depth);
    if (/^\(/.test(text) && parts.length === 1) return this.sizeOf(parts[0], depth);
    if (expr.operator === '?:' || expr.operator === '??' || /\?:/.test(text)) return this.largest(parts.map((p) => this.sizeOf(p, depth)));
    return undefined;
  }

  /** Where the data-flow layer finds the value's roots: allocations, call-site arguments, or a caller elsewhere. */
  private fromOrigins(expr: Expr, depth: number): Size | undefined {
    if (--this.flowQueriesLeft < 0) return undefined;
    const sizes: Size[] = [];
    for (const origin of this.ctx.flow.origins(expr)) {
      let size: Size | undefined;
      if (origin.kind === 'parameter') size = { bytes: 0, callers: [`${origin.fn.name}/${origin.fn.params.length}`] };
      else if (origin.kind !== 'source' && origin.expr !== expr && (origin.expr.start !== expr.start || origin.expr.end !== expr.end))
        size = this.sizeOf(origin.expr, depth);
      // One origin of unknown size makes the whole unknown: the other origins need not be sized.
      if (!size) return undefined;
      sizes.push(size);
    }
    return sizes.length ? this.largest(sizes) : undefined;
  }

  private largest(sizes: (Size | undefined)[]): Size | undefined {
    if (!sizes.length || sizes.some((s) => !s)) return undefined;
    return { bytes: maxOf(sizes.map((s) => s!.bytes)), callers: sizes.flatMap((s) => s!.callers) };
  }

  private eitherOf(parts: (Expr | undefined)[], depth: number): Size | undefined {
    const known = parts.map((p) => this.sizeOf(p, depth)).filter((s): s is Size => !!s && !s.callers.length);
    return known.length ? { bytes: minOf(known.map((s) => s.bytes)), callers: [] } : undefined;
  }

  private intOf(expr: Expr | undefined, depth: number): number | undefined {
    if (!expr || depth > MAX_DEPTH) return undefined;
    const direct = parseInteger(expr.text);
    if (direct !== undefined) return direct;
    const value = this.ctx.flow.constant(expr)?.value;
    return value === undefined ? undefined : parseInteger(value);
  }
}

/**
 * The functions this file calls with a value of at most one block, as `name/arity`: the answer to
 * `BlockUse.callers` (a raw-block helper such as `aes(byte[] block)` whose callers live in other files).
 */
export function oneBlockCallers(ctx: RuleContext): string[] {
  if (!ONE_BLOCK_HINT.test(ctx.text.content)) return [];
  const marks = blockMarks(ctx);
  if (marks && !marks.length) return [];
  let sizes: BlockSizes | undefined;
  const names = new Set<string>();
  for (const call of ctx.model.calls) {
    // Only a call with an allocation or a sized name somewhere in its text can pass one: the others' arguments stay unresolved.
    if (marks && !hasMarkWithin(marks, call)) continue;
    const name = `${call.name}/${call.args.length}`;
    if (!call.args.length || names.has(name)) continue;
    const blocks = call.args.some((arg) => ALLOCATION_TEXT.test(arg.text) || (arg.kind === 'name' && sizedNames(ctx).has(arg.value ?? '')));
    if (!blocks) continue;
    if (
      call.args.some((arg) => {
        const size = (sizes ??= new BlockSizes(ctx)).sizeOf(arg, 0);
        return size && !size.callers.length && size.bytes > 0 && size.bytes <= BLOCK;
      })
    )
      names.add(name);
  }
  return [...names];
}

/** A file that builds a small byte buffer somewhere (cheap test before any flow query). */
const ONE_BLOCK_HINT = /\b(?:allocate|allocUnsafe|alloc|ByteArray|copyOfRange|copyOf|Uint8Array|slice|subarray)\b|\bbyte\s*\[/;
const SIZED_VALUE = /\b(?:allocate|allocUnsafe|alloc|ByteArray|copyOfRange|copyOf|slice|subarray)\b|\bbyte\s*\[|\.array\(\)/;
/** An allocation anywhere: where an argument that allocates a buffer can start. */
const ALLOCATION_ANYWHERE = /new\s+byte\s*\[|ByteArray\(|ByteBuffer\.allocate|Buffer\.alloc|Arrays\.copyOf|new\s+Uint8Array\(/g;
const ALLOCATION_TEXT = new RegExp(`^(?:${ALLOCATION_ANYWHERE.source})`);

/**
 * Where an argument `oneBlockCallers` sizes can be: an allocation, or a mention of the last segment of a sized
 * name (a name argument equal to a sized target ends with it). A superset is harmless; it only costs resolving.
 * Undefined when a sized target does not end in an identifier: then every call is looked at.
 */
function blockMarks(ctx: RuleContext): number[] | undefined {
  const content = ctx.text.content;
  const segments = [...new Set([...sizedNames(ctx)].map((target) => target.split('.').pop() ?? ''))];
  if (!segments.every((segment) => IDENTIFIER.test(segment))) return undefined;
  const mentions = segments.length
    ? matchOffsets(content, new RegExp(segments.map((segment) => segment.replace(/\$/g, '\\$')).join('|'), 'g'))
    : [];
  return mergeMarks(matchOffsets(content, ALLOCATION_ANYWHERE), mentions);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Locals bound to an allocation, a copy or a buffer's array: the only names worth sizing for `oneBlockCallers`. */
const sizedNames = perFile(
  'medsec.sizedNames',
  (ctx) => new Set(ctx.model.bindings.filter((b) => SIZED_VALUE.test(b.value.text)).map((b) => b.target)),
);
