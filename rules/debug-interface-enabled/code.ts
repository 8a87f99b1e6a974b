/**
 * debug-interface-enabled, application code: Flask and Django debug mode, and Android WebView remote debugging
 * that is not limited to debug builds.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Fix, RuleContext, Span } from '../../server/src/core/types';
import type { DebugHit } from './config';
import { isDevelopmentConfigPath } from './config';
import { inDebugGuard } from '../_shared/debug-build-guard';

const isTrue = (expr: Expr | undefined) => expr?.kind === 'boolean' && /^true$/i.test(expr.text);

function falseFix(expr: Expr): Fix {
  return { title: 'Turn debug mode off', safety: 'suggestion', edits: [{ span: { start: expr.start, end: expr.end }, newText: 'False' }] };
}

/** The body of the `if __name__ == "__main__":` block (a script entry point) around an offset, if any. */
function mainGuardAt(content: string, offset: number): Span | undefined {
  const guard = /^([ \t]*)if\s+__name__\s*==\s*['"]__main__['"]\s*:/gm;
  for (let m = guard.exec(content); m && m.index < offset; m = guard.exec(content)) {
    const indent = m[1].length;
    const start = m.index + m[0].length;
    const lines = content.slice(start).split('\n');
    let end = start + lines[0].length;
    for (const line of lines.slice(1)) {
      if (line.trim() && line.length - line.trimStart().length <= indent) break;
      end += line.length + 1;
    }
    if (offset < end) return { start, end };
  }
  return undefined;
}

/** What a script entry point may do besides starting the server and still be only a development entry. */
const DEV_ENTRY_CALLS = /^(?:print|basicConfig|getLogger|setLevel|info|debug|warning|run)$/;

const FLASK_DEBUG_MESSAGE =
  'runs the web server in debug mode: the Werkzeug debugger lets anyone who can reach the port run Python on the host (and on a device gateway, send commands to the devices behind it), and error pages show code and configuration. Leave debug off and turn it on only from a development environment variable.';

function isDjangoSettings(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/');
  const name = parts[parts.length - 1];
  return (/^settings.*\.py$/.test(name) || parts[parts.length - 2] === 'settings') && !isDevelopmentConfigPath(name);
}

export function findPythonDebugMode(ctx: RuleContext): DebugHit[] {
  const { model, text } = ctx;
  const hits: DebugHit[] = [];
  const content = text.content;
  const candidates = model.calls.filter((call) => {
    if (call.name !== 'run' && call.callee !== 'app.config.update' && !call.callee.endsWith('.config.update')) return false;
    const debug = call.named.find((p) => p.key === (call.name === 'run' ? 'debug' : 'DEBUG'));
    return !!debug && isTrue(debug.value);
  });
  const bindingHits = findDebugBindings(ctx);
  for (const call of candidates) {
    const debug = call.named.find((p) => p.key === (call.name === 'run' ? 'debug' : 'DEBUG'))!;
    const guard = mainGuardAt(content, call.start);
    const guarded = !!guard;
    // Debug only on a script entry point that does nothing but start the server: the deployed start path
    // (`flask run`, a WSGI server importing `app`) never runs that block, so it runs without debug.
    if (guard && candidates.length === 1 && !bindingHits.length && isDevelopmentEntry(model.calls, guard)) continue;
    hits.push({
      span: call,
      message: `\`${call.callee}(${debug.key}=True)\` ${FLASK_DEBUG_MESSAGE}${guarded ? ' (It sits under `if __name__ == "__main__"`, but a device that starts the script directly still runs it.)' : ''}`,
      confidence: guarded ? 'medium' : undefined,
      fix: falseFix(debug.value),
    });
  }
  return [...hits, ...bindingHits];
}

/** Whether a `__main__` block only starts the server (and prints or sets up logging): no program work of its own. */
function isDevelopmentEntry(calls: readonly Call[], guard: Span): boolean {
  const inside = calls.filter((c) => c.start >= guard.start && c.end <= guard.end);
  return inside.every((c) => DEV_ENTRY_CALLS.test(c.name));
}

/** `app.debug = True`, `app.config["DEBUG"] = True`, Django `DEBUG = True`. */
function findDebugBindings(ctx: RuleContext): DebugHit[] {
  const { model, text } = ctx;
  const content = text.content;
  const hits: DebugHit[] = [];
  for (const binding of model.bindings) {
    if (!isTrue(binding.value)) continue;
    // The assigned expression as written: `app.config["DEBUG"]` (the binding's target is only the key there).
    const targetText = content
      .slice(binding.start, binding.value.start)
      .replace(/(?<!\s)\s*=\s*$/, '')
      .trim();
    const flaskAttr = /^(?:app|application|flask_app|server|api)\.debug$/.test(targetText);
    const flaskConfig = /\.config\[\s*['"]DEBUG['"]\s*\]$/.test(targetText);
    const djangoSetting = targetText === 'DEBUG' && !binding.fn && isDjangoSettings(ctx.path);
    if (!flaskAttr && !flaskConfig && !djangoSetting) continue;
    hits.push({
      span: { start: binding.start, end: binding.end },
      message: djangoSetting
        ? '`DEBUG = True` in Django settings shows stack traces, settings and SQL to anyone who triggers an error, and keeps every query in memory. Set `DEBUG = False` in production settings and read it from the environment for development.'
        : `\`${targetText} = True\` ${FLASK_DEBUG_MESSAGE}`,
      fix: falseFix(binding.value),
    });
  }
  return hits;
}

export function findWebViewDebugging(ctx: RuleContext): DebugHit[] {
  const hits: DebugHit[] = [];
  for (const call of ctx.model.calls) {
    if (call.name !== 'setWebContentsDebuggingEnabled' || !isTrue(call.args[0])) continue;
    const scope: Span = call.fn ?? { start: 0, end: ctx.text.content.length };
    if (inDebugGuard(ctx.text.content, scope, call.start)) continue;
    hits.push({
      span: call,
      message:
        "`setWebContentsDebuggingEnabled(true)` outside a `BuildConfig.DEBUG` check lets anyone with USB access inspect and script the app's WebViews from Chrome DevTools, including their session tokens and the device commands they send. Pass `BuildConfig.DEBUG` instead of `true`.",
      fix: {
        title: 'Enable WebView debugging only in debug builds (BuildConfig.DEBUG)',
        safety: 'suggestion',
        edits: [{ span: { start: call.args[0].start, end: call.args[0].end }, newText: 'BuildConfig.DEBUG' }],
      },
    });
  }
  return hits;
}
