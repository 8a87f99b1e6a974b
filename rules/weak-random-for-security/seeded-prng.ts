/**
 * A `SecureRandom` that is deterministic: `SecureRandom.getInstance("SHA1PRNG")` seeded with a constant before its
 * first output replaces its seed with that constant (on Android and the Sun provider alike), so every value it
 * produces - keys, IVs, pairing codes - is the same on every run and every device. A default `SecureRandom`, or a
 * seed given after the first output, only adds to the entropy and is not reported.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';

export interface SeededPrngHit {
  setSeed: Call;
  seed: string;
}

const OUTPUT_METHODS = new Set([
  'nextBytes',
  'nextInt',
  'nextLong',
  'nextDouble',
  'nextFloat',
  'nextBoolean',
  'generateSeed',
  'ints',
  'longs',
]);

/** One element of a Java byte array literal: `7`, `-1`, `0x5a`, `(byte) 0xff`. */
const BYTE_LITERAL = /^(?:\(byte\)\s*)?-?(?:0x[0-9a-fA-F]+|\d+)$/;

/** The seed when it is a constant: a number, a string's bytes, or an array of numbers written in the code. */
function constantSeed(ctx: RuleContext, expr: Expr | undefined): string | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'array' && expr.elements?.length && expr.elements.every((e) => e.kind === 'number')) return expr.text;
  const array = /^new\s+byte\s*\[\s*\]\s*\{([^}]*)\}$/.exec(expr.text.trim());
  if (array && array[1].split(',').every((item) => BYTE_LITERAL.test(item.trim()))) return expr.text;
  const constant = ctx.flow.constant(expr);
  if (!constant) return undefined;
  // Only literals: a value built from a call (time, a counter) is not a constant seed.
  return constant.literals.every((l) => l.kind === 'string' || l.kind === 'number') ? constant.value : undefined;
}

export function seededSha1Prngs(ctx: RuleContext): SeededPrngHit[] {
  if (!ctx.text.content.includes('SHA1PRNG')) return [];
  const hits: SeededPrngHit[] = [];
  for (const factory of ctx.model.calls) {
    if (factory.callee !== 'SecureRandom.getInstance' || ctx.flow.constant(factory.args[0] ?? factory)?.value !== 'SHA1PRNG') continue;
    const uses = ctx.flow
      .uses(factory)
      .filter((u) => u.slot === 'receiver')
      .map((u) => u.call)
      .sort((a, b) => a.start - b.start);
    const first = uses.find((c) => c.name === 'setSeed' || OUTPUT_METHODS.has(c.name));
    if (first?.name !== 'setSeed') continue;
    const seed = constantSeed(ctx, first.args[0]);
    if (seed !== undefined) hits.push({ setSeed: first, seed });
  }
  return hits;
}
