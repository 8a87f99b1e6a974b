/**
 * A CORS origin that is `"*"` by way of the data-flow layer: a constant or variable holding it, or a default
 * that applies whenever the deployment sets nothing (`process.env.ALLOWED_ORIGIN || '*'`, `?? '*'`,
 * `os.getenv('CORS_ORIGINS', '*')`, `.split(',')` of any of these). A product that ships such a default admits
 * every origin on every installation that does not configure one.
 */
import type { Expr } from '../../server/src/core/model/types';
import type { ValueFlow } from '../../server/src/core/flow/value-flow';

const isStar = (e: Expr | undefined) => e?.kind === 'string' && e.value?.trim() === '*';

/** How `expr` comes to be `"*"` ("falls back to", "holds"), or undefined. Literals are the caller's business. */
export function wildcardThroughFlow(flow: ValueFlow, expr: Expr | undefined): string | undefined {
  if (!expr || expr.kind === 'string' || expr.kind === 'boolean') return undefined;
  if (expr.kind === 'array') {
    for (const element of expr.elements ?? []) {
      const why = wildcardThroughFlow(flow, element);
      if (why) return why;
    }
    return undefined;
  }
  // `os.getenv('ORIGINS', '*').split(',')`: the list holds what the string held.
  const value = expr.kind === 'call' && expr.call?.name === 'split' && expr.call.receiver ? expr.call.receiver : expr;
  const origins = flow.origins(value);
  const star = origins.find((o) => o.kind === 'literal' && (isStar(o.expr) || !!o.expr.elements?.some(isStar)));
  if (!star) return undefined;
  const through = star.steps.length ? ` (through \`${star.steps[star.steps.length - 1].label}\`)` : '';
  return origins.some((o) => o.kind !== 'literal') ? `falls back to "*" when no origin is configured${through}` : `is "*"${through}`;
}
