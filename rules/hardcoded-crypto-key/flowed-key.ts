/**
 * A key that reaches a key parameter from a literal written elsewhere: through a `#define`, a constant, a
 * local, a C copy into a buffer, a conversion (`getBytes()`, `encode()`, `Buffer.from()`, `bytes.fromhex()`;
 * the receiver is the value, never the charset) or a helper's parameter. The data-flow layer follows it;
 * every value the key can have must be such a literal (a value read from the environment, a key store, NVS
 * or a file on any path is not a hardcoded key).
 */
import type { Expr } from '../../server/src/core/model/types';
import type { FlowStep } from '../../server/src/core/flow/value-flow';
import type { RuleContext, Span } from '../../server/src/core/types';
import { isPlaceholderSecret } from '../_shared/credential-names';
import { BYTE_BUILDERS, SELF_TEST } from '../_shared/crypto-key-apis';

export interface FlowedKey {
  /** The literal the key is made of (the string, or the byte table). */
  literal: Span;
  /** The part to mask. */
  secret: Span;
  /** The names it passed through, quoted, for the message. */
  through: string;
}

/** Fewer bytes than this in a literal table is an initializer (`{0}`), not a key. */
const MIN_TABLE_BYTES = 4;

/**
 * Names passed to calls the data-flow layer does not follow, with the functions (by start, -1 at file
 * level) of those calls: a buffer such a call may fill (`esp_fill_random(key, …)`, `nvs_get_blob(h, "k",
 * key, …)`) holds what it wrote, not its initializer.
 */
export interface PassedToCalls {
  get(name: string): ReadonlySet<number> | undefined;
}

/** The literal behind a key argument when it came through at least one name. */
export function flowedKey(ctx: RuleContext, keyArg: Expr, filledAtRuntime: PassedToCalls): FlowedKey | undefined {
  const fromString = stringKey(ctx, keyArg);
  // Only C and C++ can write into the storage of a string literal's copy; elsewhere strings are immutable.
  const cLike = ctx.language === 'c' || ctx.language === 'cpp';
  if (fromString) return acceptable(ctx, fromString, cLike ? filledAtRuntime : new Map());
  const origins = ctx.flow.origins(keyArg);
  if (!origins.length || origins.some((o) => o.kind !== 'literal')) return undefined;
  const tables = origins.map((o) => ({ table: byteTable(ctx, (o as { expr: Expr }).expr), steps: o.steps }));
  if (tables.some((t) => !t.table)) return undefined;
  const first = tables[0];
  return acceptable(ctx, { literal: first.table!, secret: first.table!, steps: first.steps }, filledAtRuntime);
}

interface Candidate {
  literal: Span;
  secret: Span;
  steps: readonly FlowStep[];
}

/** A text key: one literal that arrives whole (`ctx.flow.constant`), not a value assembled from parts. */
function stringKey(ctx: RuleContext, keyArg: Expr): Candidate | undefined {
  const flowed = ctx.flow.constant(keyArg);
  const source = flowed?.literals.length === 1 ? flowed.literals[0] : undefined;
  if (!flowed || !source || source.kind !== 'string' || source.value !== flowed.value) return undefined;
  const value = flowed.value.trim();
  if (!value || isPlaceholderSecret(value) || value.includes('-----BEGIN')) return undefined;
  return { literal: source, secret: source.content ?? source, steps: flowed.steps };
}

/** A literal byte table: `{ 0x3a, … }`, `new byte[] { … }`, `[…]`, or the arguments of `byteArrayOf(…)`. */
function byteTable(ctx: RuleContext, expr: Expr): Span | undefined {
  if (expr.kind === 'array') return (expr.elements?.length ?? 0) >= MIN_TABLE_BYTES ? expr : undefined;
  if (expr.kind !== 'number') return undefined;
  // The flow layer passes a builder's first argument on: find the builder call it opens.
  const builder = ctx.model.calls.find((c) => c.args[0] === expr && (BYTE_BUILDERS.has(c.name) || BYTE_BUILDERS.has(c.callee)));
  return builder && builder.args.length >= MIN_TABLE_BYTES && builder.args.every((a) => a.kind === 'number') ? builder : undefined;
}

function acceptable(ctx: RuleContext, candidate: Candidate, filledAtRuntime: PassedToCalls): FlowedKey | undefined {
  // At least one hop: a literal written at the call is reported there already.
  if (!candidate.steps.length) return undefined;
  for (const step of candidate.steps) {
    const name = step.label.split(' ')[0];
    // A known-answer self-test's vector is published, not a secret.
    if (SELF_TEST.test(name)) return undefined;
    // A buffer that a call the flow does not follow may fill, in the function it belongs to (anywhere for a
    // file-level one): its initializer was followed, not what it holds.
    const fns = filledAtRuntime.get(name);
    const fn = ctx.flow.functionAt(step.span.start);
    if (fns && !isConstant(ctx, name) && (!fn || fns.has(fn.start))) return undefined;
  }
  const through = [...new Set(candidate.steps.map((step) => `'${step.label}'`))].join(' and ');
  return { literal: candidate.literal, secret: candidate.secret, through };
}

/** Whether every binding of a name is a declared constant (`const`, `static final`, `#define`, `val`). */
function isConstant(ctx: RuleContext, name: string): boolean {
  const bindings = ctx.model.bindings.filter((b) => b.target === name);
  return bindings.length > 0 && bindings.every((b) => b.constant);
}
