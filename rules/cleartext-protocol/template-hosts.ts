import type { Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { classifyHost, parseCleartextUrl, type HostKind, type ParsedUrl } from '../_shared/urls';

/**
 * The host of an interpolated URL (`` `ws://${host}:${port}/` ``, `f"ws://{host}/"`, `"ws://$host/"`) when its
 * host is one name whose value this file fixes: a parameter of the enclosing function whose default is a
 * constant and that no call in this file passes, or a name bound to one constant in this file
 * (`const HOST = 'localhost'`). Undefined when the host is anything else; the URL then stays a placeholder.
 *
 * The kiosk front end that reaches its own back end (`createChannel(host = 'localhost')`, called without a
 * host) talks over loopback; a default naming a real host is a real endpoint, and is now named as one.
 */
export function templateHost(
  ctx: RuleContext,
  expr: Expr,
  url: ParsedUrl,
  constantOfName: (name: string) => string | undefined,
): { kind: HostKind; host: string } | undefined {
  const name = interpolatedHostName(url.authority.slice(url.authority.lastIndexOf('@') + 1));
  if (!name) return undefined;
  const fn = enclosingFunctionWithParam(ctx, expr, name);
  const value = fn ? parameterDefault(ctx, fn, name) : constantOfName(name);
  if (value === undefined) return undefined;
  const parsed = parseCleartextUrl(`${url.scheme.scheme}://${value}`);
  if (!parsed || parsed.authority !== value) return undefined;
  return { kind: classifyHost(parsed, parsed.authority), host: parsed.host };
}

/**
 * The one plain name an authority's host interpolates, with or without a port (a number or another
 * interpolation): `host` of `${host}:${port}`, `{host}:8000` (Python), `$host` (Kotlin).
 */
function interpolatedHostName(authority: string): string | undefined {
  const m = HOST_INTERPOLATION.exec(authority);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}
const HOST_INTERPOLATION =
  /^(?:\$\{\s*([A-Za-z_$][\w$]*)\s*\}|\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*))(?::(?:\d+|\$\{[\w$.]*\}|\{[\w.]*\}|\$\w+))?$/;

/** The innermost function around `expr` that has `name` as a parameter. */
function enclosingFunctionWithParam(ctx: RuleContext, expr: Expr, name: string): FunctionDef | undefined {
  let best: FunctionDef | undefined;
  for (const fn of ctx.model.functions) {
    if (fn.start > expr.start || fn.end < expr.end || !fn.params.includes(name)) continue;
    if (!best || fn.start >= best.start) best = fn;
  }
  return best;
}

/**
 * The constant default of parameter `name` of `fn`, when no call in this file passes that parameter (by
 * position or by name); undefined when it has none, it is not a constant, or the function's name is unknown
 * (an anonymous function's callers cannot be told).
 */
function parameterDefault(ctx: RuleContext, fn: FunctionDef, name: string): string | undefined {
  const paramsEnd = fn.body?.start ?? fn.end;
  const binding = ctx.model.bindings.find((b) => b.kind === 'default' && b.target === name && b.start >= fn.start && b.end <= paramsEnd);
  if (!binding) return undefined;
  const value = ctx.flow.constant(binding.value)?.value;
  const fnName = fn.name || ctx.model.bindings.find((b) => b.value.start === fn.start && b.value.end === fn.end)?.name;
  if (value === undefined || !fnName) return undefined;
  const index = fn.params.indexOf(name);
  const passed = ctx.model.calls.some((c) => c.name === fnName && (c.args.length > index || c.named.some((n) => n.key === name)));
  return passed ? undefined : value;
}
