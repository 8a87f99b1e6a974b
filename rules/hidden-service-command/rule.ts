/**
 * hidden-service-command: factory, engineering, service and debug commands (string-dispatched commands, command
 * codes in a switch, Zephyr shell commands, HTTP routes) handled in code that performs no authentication or role
 * check. A heuristic: the check may sit in a caller, so findings are advisory.
 */
import type { Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { identifierWords } from '../_shared/identifier-words';
import { isHiddenCaseLabel, isHiddenCommandName, looksLikeCommand, mentionsAuthCheck } from './names';
import { requestInputOf } from '../_shared/value-evidence';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { pushAll } from '../../server/src/core/arrays';

export default defineRule({
  meta: {
    id: 'hidden-service-command',
    title: 'Factory, service or debug command without an authentication check',
    severity: 'low',
    confidence: 'low',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [912, 306, 489],
    fda: ['app1.A.3', 'app1.B.3', '524b.b2'],
    sees: {
      'app1.A.3': 'factory, service and debug commands handled without a credential or role check',
      'app1.B.3': 'service and factory commands that check no credential or role',
    },
    iec62443: ['CR 2.1', 'CR 7.7'],
    fix: 'none',
    presets: ['strict'],
    docs,
  },
  check(ctx) {
    const sites = [...comparedCommands(ctx), ...routes(ctx)];
    if (ctx.language === 'c' || ctx.language === 'cpp') pushAll(sites, switchedCommands(ctx), shellCommands(ctx));
    const seen = new Set<number>();
    for (const site of sites) {
      if (seen.has(site.span.start)) continue;
      seen.add(site.span.start);
      ctx.report({
        span: site.span,
        message: `The ${site.label.startsWith('"') ? `command ${site.label}` : site.label} runs a factory, service or debug function, and ${site.where} checks no credential or role: anyone who finds it over the console, BLE or network can use it. Require an authenticated service session (and a role check) before it runs.`,
      });
    }
  },
});

interface CommandSite {
  span: Span;
  label: string;
  where: string;
}

const slice = (ctx: RuleContext, span: Span) => ctx.text.content.slice(span.start, span.end);
const fnLabel = (fn: FunctionDef) => (fn.name ? `\`${fn.name}()\`` : 'its handler');
const COMMAND_CODE_WORDS: ReadonlySet<string> = new Set(['cmd', 'command', 'op', 'opcode', 'req', 'request', 'msg']);
const SHELL_MACROS =
  /^(?:SHELL_CMD_REGISTER|SHELL_COND_CMD_REGISTER|SHELL_CMD_ARG_REGISTER|SHELL_CMD|SHELL_CMD_ARG|SHELL_COND_CMD|SHELL_COND_CMD_ARG)$/;
/** Route segments that name a privileged area by themselves: `/service/calibrate`, `/debug/vars`. */
const PRIVILEGED_SEGMENT = /^(?:service|debug|engineering|factory|maintenance|mfg|manufacturing)$/i;
const ROUTE_METHODS = /^(?:route|get|post|put|patch|delete|all|api_route|websocket)$/;

/** `strcmp(cmd, "factory_reset")`, `cmd == "debug_unlock"`, `"eng_mode".equals(cmd)` in a function without an auth check. */
function comparedCommands(ctx: RuleContext): CommandSite[] {
  const sites: CommandSite[] = [];
  for (const cmp of ctx.model.comparisons) {
    const literal = [cmp.left, cmp.right].find(
      (e) => e.kind === 'string' && looksLikeCommand(e.value ?? '') && isHiddenCommandName(e.value ?? ''),
    );
    if (!literal || !cmp.fn || mentionsAuthCheck(slice(ctx, cmp.fn))) continue;
    // The other side must be able to carry a command from outside: a build mode or a stored setting is not one.
    const received = literal === cmp.left ? cmp.right : cmp.left;
    if (!canComeFromOutside(ctx, received)) continue;
    sites.push({ span: cmp, label: `"${literal.value}"`, where: fnLabel(cmp.fn) });
  }
  return sites;
}

/**
 * Whether a compared value can come from a console, a peer or a request: a request read, a parameter, a
 * socket or user input, or a value the file cannot see the source of. A constant (`#define BUILD_MODE
 * "factory"`) or a setting read from NVS or preferences only is not a command someone sends.
 */
function canComeFromOutside(ctx: RuleContext, expr: Expr): boolean {
  if (expr.kind === 'call' && expr.call && requestInputOf(expr.call)) return true;
  const origins = ctx.flow.origins(expr);
  return (
    !origins.length ||
    origins.some(
      (o) =>
        (o.kind === 'parameter' && !isPreferenceKeyParameter(o.fn, o.index)) ||
        o.kind === 'unknown' ||
        (o.kind === 'source' && (o.source === 'network' || o.source === 'input' || o.source === 'file')),
    )
  );
}

/**
 * The `key` Android hands to `onSharedPreferenceChanged(prefs, key)`: the name of one of the app's own settings
 * that changed, not a command a peer sends (`key.equals("service_mode")` reacts to a switch in the settings screen).
 */
function isPreferenceKeyParameter(fn: FunctionDef, index: number): boolean {
  return fn.name === 'onSharedPreferenceChanged' && index === 1;
}

/** `case CMD_ENGINEERING_MODE:` in a C/C++ command switch. */
function switchedCommands(ctx: RuleContext): CommandSite[] {
  const sites: CommandSite[] = [];
  for (const fn of ctx.model.functions) {
    const body = fn.body ?? fn;
    const text = slice(ctx, body);
    const found: CommandSite[] = [];
    const label = /\bcase\s+([A-Za-z_]\w*)\s*:/g;
    for (let m = label.exec(text); m; m = label.exec(text)) {
      const words = identifierWords(m[1]);
      if (!words.some((w) => COMMAND_CODE_WORDS.has(w)) || !isHiddenCaseLabel(m[1])) continue;
      const start = body.start + m.index;
      found.push({ span: { start, end: start + m[0].length }, label: `\`${m[1]}\``, where: fnLabel(fn) });
    }
    // Most functions switch on no command code: their text is searched for an auth check only when one does.
    if (found.length && !mentionsAuthCheck(slice(ctx, fn))) pushAll(sites, found);
  }
  return sites;
}

/** Zephyr `SHELL_CMD_REGISTER(factory, ...)` / `SHELL_CMD(unlock_debug, ...)` whose handler in this file checks nothing. */
function shellCommands(ctx: RuleContext): CommandSite[] {
  const sites: CommandSite[] = [];
  for (const call of ctx.model.calls) {
    if (!SHELL_MACROS.test(call.name)) continue;
    const name = call.args[0];
    const handlerName = call.args[call.name.includes('ARG') ? call.args.length - 3 : call.args.length - 1]?.text;
    if (!name || name.kind !== 'name' || (!isHiddenCommandName(name.text) && !isHiddenCommandName(handlerStem(handlerName)))) continue;
    const handler = ctx.model.functions.find((f) => f.name === handlerName);
    if (handler && mentionsAuthCheck(slice(ctx, handler))) continue;
    if (!handler && handlerName !== 'NULL') continue; // a subcommand set or a handler defined elsewhere: not judged here
    sites.push({ span: call, label: `shell command \`${name.text}\``, where: handler ? fnLabel(handler) : 'its subcommands' });
  }
  return sites;
}

/**
 * A shell handler's name without the words every handler carries: `cmd_diag_status` and `diag_status_handler` say
 * `diag status`, and the `cmd` that makes `diag` read as a debug command is only the naming convention of handlers.
 */
function handlerStem(handlerName: string | undefined): string {
  return identifierWords(handlerName ?? '')
    .filter((w) => !HANDLER_WORDS.has(w))
    .join('_');
}
const HANDLER_WORDS: ReadonlySet<string> = new Set(['cmd', 'command', 'shell', 'handler', 'handle', 'fn', 'cb', 'callback']);

/** Flask/FastAPI decorators and Express/Koa routes for `/factory`, `/service/...`, `/debug/unlock`. */
function routes(ctx: RuleContext): CommandSite[] {
  const sites: CommandSite[] = [];
  const python = ctx.language === 'python';
  for (const call of ctx.model.calls) {
    if (!call.receiver || !ROUTE_METHODS.test(call.name)) continue;
    const path = call.args[0];
    if (path?.kind !== 'string' || !path.value?.startsWith('/') || !looksLikeCommand(path.value)) continue;
    const segments = path.value.split('/').filter((s) => s && !s.startsWith(':') && !s.startsWith('<') && !s.startsWith('{'));
    if (!segments.some((s) => isHiddenCommandName(s) || PRIVILEGED_SEGMENT.test(s))) continue;
    let guarded: boolean;
    if (python) {
      // The decorated function is the next one after the decorator; its other decorators count as checks.
      const handler = ctx.model.functions.filter((f) => f.start >= call.end).sort((a, b) => a.start - b.start)[0];
      guarded = !!handler && mentionsAuthCheck(ctx.text.content.slice(call.end, handler.end));
    } else {
      guarded = call.args.slice(1).some((a) => mentionsAuthCheck(a.text));
    }
    if (guarded) continue;
    sites.push({ span: call, label: `route \`${path.value}\``, where: 'its handler' });
  }
  return sites;
}
