/**
 * Flask and FastAPI routes: `@app.route("/path", methods=[...])`, `@app.post("/path")`, `@router.get(...)`, with the
 * decorated function as the handler. Authentication that covers every route of the app (a `before_request` hook
 * or a FastAPI dependency on the app or router) is reported apart, so the rule can drop those routes.
 */
import type { Call, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import type { Route } from './arduino-routes';

const VERBS = /^(?:route|get|post|put|patch|delete|api_route)$/;
const WEB_MODULES = /^(?:flask|fastapi|quart|sanic)(?:\.|$)/;

export interface PythonRoutes {
  routes: Route[];
  /** Text of the code every request passes through first: `@app.before_request` hooks, app-wide dependencies. */
  appWideChecks: string;
}

export function pythonRoutes(ctx: RuleContext): PythonRoutes {
  if (!ctx.model.imports.some((i) => WEB_MODULES.test(i.module)) || servesLoopbackOnly(ctx)) return { routes: [], appWideChecks: '' };
  const functions = [...ctx.model.functions].sort((a, b) => a.start - b.start);
  const routes: Route[] = [];
  let appWideChecks = '';
  for (const call of ctx.model.calls) {
    if (!call.receiver) continue;
    if (call.name === 'before_request' || call.name === 'before_app_request') {
      const hook = call.args[0]?.kind === 'name' ? functions.find((f) => f.name === call.args[0].value) : decorated(functions, call);
      if (hook) appWideChecks += ctx.text.content.slice(hook.start, hook.end);
      continue;
    }
    if ((call.name === 'FastAPI' || call.name === 'APIRouter' || call.name === 'include_router') && call.named.length)
      appWideChecks += call.named
        .filter((p) => p.key === 'dependencies')
        .map((p) => p.value.text)
        .join(' ');
    if (!VERBS.test(call.name)) continue;
    const path = call.args[0];
    if (path?.kind !== 'string' || !path.value?.startsWith('/')) continue;
    const handler = decorated(functions, call);
    if (!handler) continue;
    routes.push({ span: call, path: path.value, method: methodOf(call), handlers: [handler], plain: true });
  }
  appWideChecks += beforeRequestHooks(ctx, functions);
  // `FastAPI(dependencies=[...])` is a call without a receiver.
  for (const call of ctx.model.calls)
    if (!call.receiver && /^(?:FastAPI|APIRouter)$/.test(call.name))
      appWideChecks += call.named
        .filter((p) => p.key === 'dependencies')
        .map((p) => p.value.text)
        .join(' ');
  return { routes, appWideChecks };
}

/** `@app.before_request` written without parentheses (a decorator, not a call): the hooks' text. */
function beforeRequestHooks(ctx: RuleContext, functions: readonly FunctionDef[]): string {
  const text = ctx.text.content;
  let out = '';
  const hook = /\.before_(?:app_)?request\b/g;
  for (let m = hook.exec(text); m; m = hook.exec(text)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (text.slice(lineStart, m.index).trimStart()[0] !== '@') continue;
    const fn = functions.find((f) => f.start >= m!.index);
    if (fn) out += text.slice(fn.start, fn.end);
  }
  return out;
}

const LOOPBACK = /^(?:127\.0\.0\.1|localhost|::1)$/;

/**
 * `app.run(host="127.0.0.1")`, `uvicorn.run(app, host="localhost")`: the file starts its server on loopback only,
 * so no one on the network reaches its routes (a reverse proxy in front then owns authentication).
 */
function servesLoopbackOnly(ctx: RuleContext): boolean {
  const runs = ctx.model.calls.filter((c) => c.name === 'run' && c.named.some((p) => p.key === 'host'));
  return (
    runs.length > 0 &&
    runs.every((c) => {
      const host = c.named.find((p) => p.key === 'host')!.value;
      const value = host.kind === 'string' ? host.value : ctx.flow.constant(host)?.value;
      return typeof value === 'string' && LOOPBACK.test(value);
    })
  );
}

/** The function a decorator stands over: the first one that starts after the decorator call. */
function decorated(functions: readonly FunctionDef[], call: Call): FunctionDef | undefined {
  const fn = functions.find((f) => f.start >= call.end);
  return fn && fn.start - call.end < 400 ? fn : undefined;
}

function methodOf(call: Call): string {
  if (call.name !== 'route' && call.name !== 'api_route') return call.name.toUpperCase();
  const methods = call.named.find((p) => p.key === 'methods')?.value;
  const listed = (methods?.elements ?? []).map((e) => (e.value ?? '').toUpperCase());
  const state = listed.find((m) => /^(?:POST|PUT|PATCH|DELETE)$/.test(m));
  return state ?? (listed[0] || 'GET');
}
