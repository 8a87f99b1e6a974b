/**
 * App-side download-then-install and download-then-execute for the unsigned-firmware-update rule (Python,
 * TypeScript/JavaScript, Java, Kotlin). A light, file-local data flow marks what holds downloaded bytes:
 * the result of a download, the file a download-handling function writes, what an archive of it unpacks to,
 * parameters a caller passes it to, callbacks that receive it. A sink (process, loader, installer, flasher)
 * whose payload carries such data is reported unless a signature check runs before it on every within-file
 * path (the same call-graph walk as the firmware side).
 */
import type { Call, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { APP_APIS, APP_REMEDY, isAppVerification, isVerificationCommand, resolveCallee } from './unsigned-firmware-update-app-apis';
import type { AppEcosystem, Resolved } from './unsigned-firmware-update-app-apis';
import { buildCallGraph, checkedBefore } from './unsigned-firmware-update-paths';
import type { PathVerdict } from './unsigned-firmware-update-paths';

/** Taint is kept per outermost function (a method with its lambdas and callbacks), or for module-level code. */
type Scope = FunctionDef | 'module';

const inside = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;
const ROOT_IDENTIFIER = /(?<![\w$.])[A-Za-z_$][\w$]*/g;
const FIELD_ACCESS = /\b(?:self|this)\s*\.\s*([A-Za-z_$][\w$]*)/g;
const URL_LIKE = /url|uri|host|endpoint|https?:/i;
const PATH_WRAPPERS = /^(Path|PurePath|File|get|fromFile|join|resolve|abspath|realpath|normpath)$/;

/** Text with string contents and comments blanked, so names are matched only in code. */
function codeOnly(ctx: RuleContext): string {
  const chars = ctx.text.content.split('');
  const blank = (s: Span) => { for (let i = s.start; i < s.end; i++) if (chars[i] !== '\n') chars[i] = ' '; };
  for (const s of ctx.model.strings) if (s.content) blank(s.content);
  for (const c of ctx.model.comments) blank(c);
  return chars.join('');
}

export function checkAppUpdates(ctx: RuleContext): void {
  const apis = APP_APIS[ctx.language];
  if (!apis) return;
  const { model, text } = ctx;
  const content = text.content;
  if (ctx.language === 'typescript' || ctx.language === 'javascript') reportElectronSignatureSwitch(ctx);

  const resolved = new Map<Call, Resolved>(model.calls.map((call) => [call, { call, callee: resolveCallee(call, model.imports) }]));
  const res = (call: Call) => resolved.get(call) ?? { call, callee: call.callee };
  const downloads = new Set(model.calls.filter((c) => apis.isDownload(res(c), content)));
  if (!downloads.size) return;

  const code = codeOnly(ctx);
  const graph = buildCallGraph(model.functions, text);

  // Lexical nesting: lambdas and callbacks share the taint of the function they are written in.
  const parentOf = new Map<FunctionDef, FunctionDef | undefined>();
  for (const fn of model.functions) {
    let best: FunctionDef | undefined;
    for (const other of model.functions) {
      if (other !== fn && inside(fn, other) && (other.start !== fn.start || other.end !== fn.end) && (!best || inside(other, best))) best = other;
    }
    parentOf.set(fn, best);
  }
  const rootOf = (fn: FunctionDef): FunctionDef => { let f = fn; while (parentOf.get(f)) f = parentOf.get(f)!; return f; };
  const scopeOf = (x: { fn?: FunctionDef }): Scope => (x.fn ? rootOf(x.fn) : 'module');
  const callsIn = (fn: FunctionDef) => model.calls.filter((c) => inside(c, fn));
  const scopeCalls = (scope: Scope) => (scope === 'module' ? model.calls.filter((c) => !c.fn) : callsIn(scope));

  const downloadingMemo = new Map<FunctionDef, boolean>();
  const fnDownloads = (fn: FunctionDef, visiting = new Set<FunctionDef>()): boolean => {
    const known = downloadingMemo.get(fn);
    if (known !== undefined) return known;
    if (visiting.has(fn)) return false;
    visiting.add(fn);
    const result = callsIn(fn).some((c) => downloads.has(c) || graph.targets(c).some((t) => fnDownloads(t, visiting)));
    downloadingMemo.set(fn, result);
    return result;
  };
  const callsDownload = (c: Call) => downloads.has(c) || graph.targets(c).some((t) => fnDownloads(t));

  // What holds downloaded data: names per scope, module-level names and fields, literal file paths.
  const local = new Map<Scope, Set<string>>();
  const global = new Set<string>();
  const literals = new Set<string>();
  const moduleNames = new Set(model.variables.filter((v) => !v.fn).map((v) => v.name));
  let changed = true;
  const add = (scope: Scope, name: string | undefined, isGlobal = false) => {
    if (!name || /^(self|this|cls|_)$/.test(name) || (name === 'it' && isGlobal)) return;
    const set = isGlobal || scope === 'module' ? global : local.get(scope) ?? local.set(scope, new Set()).get(scope)!;
    if (!set.has(name)) { set.add(name); changed = true; }
  };
  const names = (scope: Scope) => new Set([...(local.get(scope) ?? []), ...global]);

  const isTainted = (scope: Scope, span: Span | undefined): boolean => {
    if (!span) return false;
    if (model.calls.some((c) => inside(c, span) && callsDownload(c))) return true;
    const slice = code.slice(span.start, span.end);
    const known = names(scope);
    for (const m of slice.matchAll(ROOT_IDENTIFIER)) if (known.has(m[0]) && !(m[0] in Object.prototype)) return true;
    for (const m of slice.matchAll(FIELD_ACCESS)) if (global.has(m[1])) return true;
    return model.strings.some((s) => inside(s, span) && s.value !== undefined && literals.has(s.value));
  };
  const scopeHandlesDownload = (scope: Scope) =>
    (local.get(scope)?.size ?? 0) > 0 || scopeCalls(scope).some(callsDownload);

  /** Marks what an expression names (a variable, a field, a literal path) as holding downloaded data. */
  const mark = (scope: Scope, e: Expr | undefined): void => {
    if (!e) return;
    if (e.kind === 'string') {
      if (e.value !== undefined && !literals.has(e.value)) { literals.add(e.value); changed = true; }
    } else if (e.kind === 'name') {
      const path = (e.value ?? e.text).split('.');
      if (path[0] === 'self' || path[0] === 'this') add(scope, path[1], true);
      else add(scope, path[0], moduleNames.has(path[0]) && !model.variables.some((v) => v.fn && scopeOf(v) === scope && v.name === path[0]));
    } else if (e.kind === 'call' && e.call) {
      if (PATH_WRAPPERS.test(e.call.name)) mark(scope, e.call.args[0]);
      else if (e.call.receiver && /^(toPath|toFile|getPath|getAbsolutePath|path)$/.test(e.call.name)) mark(scope, e.call.receiver);
    } else if (e.kind === 'other') {
      // `await tmp.path`, `dir + "/fw.bin"`, f-strings: the bound names in it.
      const bound = new Set([...model.bindings.map((b) => b.name), ...model.variables.map((v) => v.name), ...model.functions.flatMap((f) => f.params)]);
      for (const m of code.slice(e.start, e.end).matchAll(ROOT_IDENTIFIER)) if (bound.has(m[0])) add(scope, m[0], moduleNames.has(m[0]));
    }
  };
  /** Callbacks written inside a call's arguments receive what the call produces. */
  const taintCallbackParams = (scope: Scope, call: Call) => {
    for (const fn of model.functions) {
      if (!fn.name && call.args.some((a) => inside(fn, a))) {
        fn.params.forEach((p) => add(scope, p));
        if (ctx.language === 'kotlin' && !fn.params.length) add(scope, 'it');
      }
    }
  };
  const writesDownloads = (fn: FunctionDef) =>
    callsIn(fn).some((c) => apis.writesTo(res(c)) || (downloads.has(c) && apis.savedTo(c).some(Boolean)));

  for (let pass = 0; changed && pass < 12; pass++) {
    changed = false;
    for (const b of model.bindings) {
      if (b.kind === 'property' || b.kind === 'default') continue;
      const scope = scopeOf(b);
      if (!isTainted(scope, b.value)) continue;
      const target = content.slice(b.targetSpan.start, b.targetSpan.end);
      const field = /^(self|this)\s*\./.test(target);
      add(scope, b.name, field || !b.fn || (moduleNames.has(b.name) && !model.variables.some((v) => v.fn && scopeOf(v) === scope && v.name === b.name)));
    }
    for (const call of model.calls) {
      const scope = scopeOf(call);
      const resolvedCall = res(call);
      if (ctx.language === 'python') {
        // `with urlopen(url) as resp:`, `with zipfile.ZipFile(path) as zf:` bind no name in the model.
        const alias = /^\s*as\s+([A-Za-z_]\w*)/.exec(content.slice(call.end, call.end + 80));
        if (alias && isTainted(scope, call)) add(scope, alias[1]);
      }
      if (downloads.has(call)) {
        for (const e of apis.savedTo(call)) mark(scope, e);
        taintCallbackParams(scope, call);
      } else if ((call.receiver && isTainted(scope, call.receiver)) || call.args.some((a) => isTainted(scope, a))) {
        taintCallbackParams(scope, call);
        if (/^(write|writelines|write_bytes|writeBytes|copyTo|transferTo|pipe)$/.test(call.name) && call.receiver && !isTainted(scope, call.receiver)) {
          mark(scope, call.receiver);
        }
      }
      const written = apis.writesTo(resolvedCall);
      if (written && scopeHandlesDownload(scope)) mark(scope, written);
      const copy = apis.copies(resolvedCall);
      if (copy && isTainted(scope, copy.from ?? call.receiver)) mark(scope, copy.to);
      for (const target of graph.targets(call)) {
        const offset = /^(self|cls)$/.test(target.params[0] ?? '') && call.receiver ? 1 : 0;
        const targetScope = rootOf(target);
        call.args.forEach((a, i) => { if (isTainted(scope, a)) add(targetScope, target.params[i + offset]); });
        for (const p of call.named) if (isTainted(scope, p.value)) add(targetScope, p.key);
        // `fetch_firmware(URL, "/tmp/fw.bin")`: the path a downloading function is given is where it saves.
        if (fnDownloads(target) && writesDownloads(target)) {
          for (const a of [...call.args, ...call.named.map((p) => p.value)]) {
            if ((a.kind === 'name' || a.kind === 'string') && !URL_LIKE.test(a.text)) mark(scope, a);
          }
        }
      }
    }
  }

  const isVerification = (call: Call) => isAppVerification(res(call), apis.sinks);
  const moduleCalls = model.calls.filter((c) => !c.fn);
  const moduleFn = { name: '', params: [], calls: moduleCalls, statementCount: 0, returns: [], throws: false, start: 0, end: content.length } as FunctionDef;
  /** Whether a verification runs before the call at `index` of `fn`, looking out through enclosing functions. */
  const verifiedAt = (fn: FunctionDef, index: number): PathVerdict => {
    const verdict = checkedBefore(graph, fn, index, isVerification);
    const parent = parentOf.get(fn);
    if (verdict.verified || !parent) return verdict;
    return verifiedAt(parent, parent.calls.filter((c) => c.start < fn.start).length);
  };
  const verdictFor = (at: Span, fn: FunctionDef | undefined): PathVerdict => {
    const owner = fn ?? moduleFn;
    return verifiedAt(owner, owner.calls.filter((c) => c.start < at.start).length);
  };

  const reportSink = (span: Span, name: string, ecosystem: AppEcosystem, action: string, verdict: PathVerdict) => {
    const where = verdict.reachesUncalledRoot ? 'in this file (a check in another file is not seen)' : 'on any path in this file';
    const outcome = ecosystem === 'dfu' || /flashes/.test(action)
      ? 'a tampered or substituted image would become the device firmware'
      : 'a tampered or substituted download would run with this program\'s privileges';
    ctx.report({
      span,
      message: `\`${name}()\` ${action}, and no signature check runs before it ${where}: ${outcome}. ${APP_REMEDY[ecosystem]}`,
    });
  };

  for (const call of model.calls) {
    const spec = apis.sinks.find((s) => s.matches(res(call), content));
    if (!spec || downloads.has(call)) continue;
    if (spec.process && isVerificationCommand(call)) continue;
    const scope = scopeOf(call);
    const carries = spec.payload ? spec.payload(call).some((e) => isTainted(scope, e)) : scopeHandlesDownload(scope);
    if (!carries) continue;
    if (model.calls.some((c) => c !== call && inside(c, call) && isVerification(c))) continue;
    const verdict = verdictFor(call, call.fn);
    if (verdict.verified) continue;
    reportSink({ start: call.start, end: call.end }, call.callee, spec.ecosystem, spec.action(call), verdict);
  }

  if (ctx.language === 'typescript' || ctx.language === 'javascript') {
    // `await import(path)`: the model has no call for a dynamic import.
    for (const m of code.matchAll(/(?<![\w$.])import\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g)) {
      const start = m.index ?? 0;
      const argSpan = { start: start + m[0].indexOf('(') + 1, end: start + m[0].length - 1 };
      const fn = innermostFunction(model.functions, start);
      if (!isTainted(fn ? rootOf(fn) : 'module', argSpan)) continue;
      const verdict = verdictFor({ start, end: start }, fn);
      if (verdict.verified) continue;
      reportSink({ start, end: start + m[0].length }, 'import', 'node', 'loads downloaded code into this process', verdict);
    }
  }
}

function innermostFunction(functions: readonly FunctionDef[], offset: number): FunctionDef | undefined {
  let best: FunctionDef | undefined;
  for (const fn of functions) if (fn.start <= offset && offset < fn.end && (!best || inside(fn, best))) best = fn;
  return best;
}

/** electron-builder `verifyUpdateCodeSignature: false`: electron-updater then installs unsigned Windows updates. */
function reportElectronSignatureSwitch(ctx: RuleContext): void {
  for (const b of ctx.model.bindings) {
    if (b.name !== 'verifyUpdateCodeSignature' || b.value.kind !== 'boolean' || b.value.value !== 'false') continue;
    ctx.report({
      span: { start: b.start, end: b.end },
      message:
        '`verifyUpdateCodeSignature: false` makes electron-updater install Windows updates without checking their code signature, so a substituted update would run on the workstation. Remove it, sign releases with a code-signing certificate and set `publisherName`.',
    });
  }
}
