/**
 * A JavaScript object literal serialised whole into a store: `setItem(KEY, JSON.stringify(authUser))` where this
 * file builds `authUser = { sessionToken, userId, username }`. The stored text holds every property, so a property
 * whose value is a credential is stored with it. Evidence is the object's own construction in the file (followed
 * through the data-flow layer), never the variable's name; a property named by one ambiguous word (`token`, `pin`)
 * does not count alone.
 */
import type { Expr } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { sensitiveReferences, type SensitiveReference } from '../_shared/secret-references';

/** The credential an object literal serialised by `JSON.stringify(…)` holds, if any. */
export function serialisedObjectLiteral(ctx: RuleContext, value: Expr): SensitiveReference | undefined {
  if (value.kind !== 'call' || !/^JSON\s*\.\s*stringify\s*\(/.test(value.text)) return undefined;
  const call = ctx.model.calls.find((c) => c.start === value.start && c.end === value.end);
  const argument = call?.args[0];
  if (!argument) return undefined;
  const literals =
    argument.kind === 'object'
      ? [argument]
      : ctx.flow.origins(argument).flatMap((o) => (o.kind === 'literal' && o.expr.kind === 'object' ? [o.expr] : []));
  for (const literal of literals) {
    const found = sensitiveReferences(literal.text, ctx.language).find((r) => r.kind !== 'patient' && !r.bare);
    if (found) return found;
  }
  return undefined;
}
