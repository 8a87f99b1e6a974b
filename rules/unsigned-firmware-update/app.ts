/**
 * App-side download-then-install and download-then-execute for the unsigned-firmware-update rule (Python,
 * TypeScript/JavaScript, Java, Kotlin). A light, file-local data flow marks what holds downloaded bytes:
 * the result of a download, the file a download-handling function writes, what an archive of it unpacks to,
 * parameters a caller passes it to, callbacks that receive it. A sink (process, loader, installer, flasher)
 * whose payload carries such data is reported unless a signature check runs before it on every within-file
 * path (the same call-graph walk as the firmware side).
 */
import type { Binding, Call, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import {
  APP_APIS,
  APP_REMEDY,
  installsOrFlashes,
  importsByLocal,
  isAppVerification,
  isVerificationCommand,
  resolveCallee,
} from './app-apis';
import { runsDownloadedArtifact } from './commands';
import { namesOwnProgram } from './own-program';
import type { AppEcosystem, AppSink, Resolved } from './app-apis';
import { buildCallGraph, checkedBefore } from '../_shared/update-paths';
import type { PathVerdict } from '../_shared/update-paths';
import { spanIndex } from '../../server/src/core/model/span-index';

/** Taint is kept per outermost function (a method with its lambdas and callbacks), or for module-level code. */
type Scope = FunctionDef | 'module';

const inside = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;
const ROOT_IDENTIFIER = /(?<![\w$.])[A-Za-z_$][\w$]*/g;
const FIELD_ACCESS = /\b(?:self|this)\s*\.\s*([A-Za-z_$][\w$]*)/g;
const WRITE_METHODS = /^(write|writelines|write_bytes|writeBytes|copyTo|transferTo|pipe)$/;
/** Taint kinds: the downloaded bytes or values, and a file that holds them. */
const DATA = 1;
const PATH = 2;
const NOT_LINE_BREAK = /[^\n]/g;
const PATH_WRAPPERS = /^(Path|PurePath|File|get|fromFile|join|resolve|abspath|realpath|normpath)$/;

/**
 * Text with string contents and comments blanked (line breaks kept), so names are matched only in code.
 * Built from slices between the blanked spans: an array of one string per character costs 8 bytes a
 * character, 40 MB for a 5 MB bundle.
 */
function codeOnly(ctx: RuleContext): string {
  const content = ctx.text.content;
  const spans: Span[] = [];
  for (const s of ctx.model.strings) if (s.content) spans.push(s.content);
  for (const c of ctx.model.comments) spans.push(c);
  spans.sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let done = 0; // everything before it is copied or blanked
  for (const s of spans) {
    if (s.end <= done) continue;
    const from = Math.max(s.start, done);
    pieces.push(content.slice(done, from), content.slice(from, s.end).replace(NOT_LINE_BREAK, ' '));
    done = s.end;
  }
  pieces.push(content.slice(done));
  return pieces.join('');
}

export function checkAppUpdates(ctx: RuleContext): void {
  const apis = APP_APIS[ctx.language];
  if (!apis) return;
  const { model, text } = ctx;
  const content = text.content;
  if (ctx.language === 'typescript' || ctx.language === 'javascript') reportElectronSignatureSwitch(ctx);

  const constant = (expr: Expr) => ctx.flow.constant(expr)?.value;
  const imports = importsByLocal(model.imports);
  const resolved = new Map<Call, Resolved>(model.calls.map((call) => [call, { call, callee: resolveCallee(call, imports), constant }]));
  const res = (call: Call) => resolved.get(call) ?? { call, callee: call.callee };
  const downloads = new Set(model.calls.filter((c) => apis.isDownload(res(c), content)));
  if (!downloads.size) return;

  const code = codeOnly(ctx);
  const graph = buildCallGraph(model, text);

  // Lexical nesting: lambdas and callbacks share the taint of the function they are written in.
  const parentOf = enclosingFunctions(model.functions);
  const rootOf = (fn: FunctionDef): FunctionDef => {
    let f = fn;
    while (parentOf.get(f)) f = parentOf.get(f)!;
    return f;
  };
  const scopeOf = (x: { fn?: FunctionDef }): Scope => (x.fn ? rootOf(x.fn) : 'module');
  const callsIn = (fn: FunctionDef) => spanIndex(model.calls).within(fn);

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
  const downloadingCalls = model.calls.filter(callsDownload);
  const downloadingScopes = new Set(downloadingCalls.map(scopeOf));
  const scopeHasDownload = (scope: Scope) => downloadingScopes.has(scope);
  const bound = new Set([
    ...model.bindings.map((b) => b.name),
    ...model.variables.map((v) => v.name),
    ...model.functions.flatMap((f) => f.params),
  ]);

  // What holds downloaded data: names per scope, module-level names and fields, literal file paths. Each
  // name carries DATA (the downloaded bytes or values) and/or PATH (a file holding them).
  const local = new Map<Scope, Map<string, number>>();
  const global = new Map<string, number>();
  const literals = new Set<string>();
  const moduleNames = new Set([
    ...model.variables.filter((v) => !v.fn).map((v) => v.name),
    ...model.bindings.filter((b) => !b.fn && b.kind !== 'property').map((b) => b.name),
  ]);
  const localNames = new Map<Scope, Set<string>>();
  for (const v of model.variables) {
    if (!v.fn) continue;
    const scope = scopeOf(v);
    (localNames.get(scope) ?? localNames.set(scope, new Set()).get(scope)!).add(v.name);
  }
  const isModuleName = (scope: Scope, name: string) => moduleNames.has(name) && !localNames.get(scope)?.has(name);
  let changed = true;
  const add = (scope: Scope, name: string | undefined, mask: number, isGlobal = false) => {
    if (!name || !mask || /^(self|this|cls|_)$/.test(name) || (name === 'it' && isGlobal)) return;
    const map = isGlobal || scope === 'module' ? global : (local.get(scope) ?? local.set(scope, new Map()).get(scope)!);
    const before = map.get(name) ?? 0;
    if ((before | mask) !== before) {
      map.set(name, before | mask);
      changed = true;
    }
  };
  const maskOf = (scope: Scope, name: string) => (local.get(scope)?.get(name) ?? 0) | (global.get(name) ?? 0);
  // Position lookups by binary search: fixtures are small, generated files are not.
  const stringsIn = (span: Span) => spanIndex(model.strings).within(span);
  const lambdas = spanIndex(model.functions.filter((fn) => !fn.name));
  const downloadingIndex = spanIndex(downloadingCalls);

  /** What a span carries: DATA, PATH, both (a bit mask) or nothing (0). */
  const taintOf = (scope: Scope, span: Span | undefined): number => {
    if (!span) return 0;
    let mask = 0;
    // A download call gives bytes; a call to one of this file's downloading functions may give either.
    for (const c of downloadingIndex.within(span)) mask |= downloads.has(c) ? DATA : DATA | PATH;
    const slice = code.slice(span.start, span.end);
    for (const m of slice.matchAll(ROOT_IDENTIFIER)) mask |= maskOf(scope, m[0]);
    for (const m of slice.matchAll(FIELD_ACCESS)) mask |= global.get(m[1]) ?? 0;
    if (literals.size && stringsIn(span).some((s) => s.value !== undefined && literals.has(s.value))) mask |= PATH;
    return mask;
  };
  const scopeHandlesDownload = (scope: Scope) => (local.get(scope)?.size ?? 0) > 0 || scopeHasDownload(scope);

  /** Marks what an expression names (a variable, a field, a literal path) as a file holding downloaded data. */
  const mark = (scope: Scope, e: Expr | undefined): void => {
    if (!e) return;
    if (e.kind === 'string') {
      if (e.value !== undefined && !literals.has(e.value)) {
        literals.add(e.value);
        changed = true;
      }
    } else if (e.kind === 'name') {
      const path = (e.value ?? e.text).split('.');
      if (path[0] === 'self' || path[0] === 'this') add(scope, path[1], PATH, true);
      else add(scope, path[0], PATH, isModuleName(scope, path[0]));
    } else if (e.kind === 'call' && e.call) {
      if (PATH_WRAPPERS.test(e.call.name)) mark(scope, e.call.args[0]);
      else if (e.call.receiver && /^(toPath|toFile|getPath|getAbsolutePath|path)$/.test(e.call.name)) mark(scope, e.call.receiver);
    } else if (e.kind === 'other') {
      // `await tmp.path`, f-strings: the bound names in it. But `tmp / "key.der"` or `dir + "/cert.pem"`
      // names one file in a directory: marking `tmp` would make every other file under it look downloaded
      // (a provisioning script writing fetched certificates next to the partition it builds, seen in examples/).
      const text = code.slice(e.start, e.end);
      if (/[/+]\s*[fbr]?["'`]/.test(text)) return;
      for (const m of text.matchAll(ROOT_IDENTIFIER)) if (bound.has(m[0])) add(scope, m[0], PATH, isModuleName(scope, m[0]));
    }
  };
  /** Callbacks written inside a call's arguments receive what the call produces. */
  const taintCallbackParams = (scope: Scope, call: Call, mask: number) => {
    for (const fn of lambdas.within(call)) {
      if (call.args.some((a) => inside(fn, a))) {
        fn.params.forEach((p) => add(scope, p, mask));
        if (ctx.language === 'kotlin' && !fn.params.length) add(scope, 'it', mask);
      }
    }
  };
  /** The parameters a function writes downloaded data to (`def fetch(url, dest)`: `open(dest, "wb")`). */
  const destMemo = new Map<FunctionDef, Set<string>>();
  const destinationParams = (fn: FunctionDef): Set<string> => {
    let found = destMemo.get(fn);
    if (found) return found;
    found = new Set();
    const params = new Set(fn.params);
    for (const c of callsIn(fn)) {
      const targets = [apis.writesTo(res(c)), apis.copies(res(c))?.to, ...(downloads.has(c) ? apis.savedTo(c) : [])];
      for (const e of targets) {
        if (!e) continue;
        for (const m of code.slice(e.start, e.end).matchAll(ROOT_IDENTIFIER)) if (params.has(m[0])) found.add(m[0]);
      }
    }
    destMemo.set(fn, found);
    return found;
  };

  for (let pass = 0; changed && pass < 12; pass++) {
    changed = false;
    for (const b of model.bindings) {
      if (b.kind === 'property' || b.kind === 'default') continue;
      const scope = scopeOf(b);
      const mask = taintOf(scope, b.value);
      if (!mask) continue;
      const target = content.slice(b.targetSpan.start, b.targetSpan.end);
      add(scope, b.name, mask, /^(self|this)\s*\./.test(target) || !b.fn || isModuleName(scope, b.name));
    }
    for (const call of model.calls) {
      const scope = scopeOf(call);
      const resolvedCall = res(call);
      if (ctx.language === 'python') {
        // `with urlopen(url) as resp:`, `with zipfile.ZipFile(path) as zf:` bind no name in the model.
        const alias = /^\s*as\s+([A-Za-z_]\w*)/.exec(content.slice(call.end, call.end + 80));
        if (alias) add(scope, alias[1], taintOf(scope, call));
      }
      if (downloads.has(call)) {
        for (const e of apis.savedTo(call)) mark(scope, e);
        taintCallbackParams(scope, call, DATA);
      } else {
        const mask = [call.receiver, ...call.args].reduce((m, e) => m | taintOf(scope, e), 0);
        if (mask) {
          taintCallbackParams(scope, call, mask);
          // `tmp.write(resp.content)`, `input.copyTo(output)`: the receiver now holds the data.
          if (WRITE_METHODS.test(call.name) && call.receiver && call.args.some((a) => taintOf(scope, a))) mark(scope, call.receiver);
        }
      }
      const written = apis.writesTo(resolvedCall);
      if (written && scopeHandlesDownload(scope)) mark(scope, written);
      const copy = apis.copies(resolvedCall);
      if (copy && taintOf(scope, copy.from ?? call.receiver)) mark(scope, copy.to);
      for (const target of graph.targets(call)) {
        const offset = /^(self|cls)$/.test(target.params[0] ?? '') && call.receiver ? 1 : 0;
        const targetScope = rootOf(target);
        call.args.forEach((a, i) => add(targetScope, target.params[i + offset], taintOf(scope, a)));
        for (const p of call.named) add(targetScope, p.key, taintOf(scope, p.value));
        // `fetch_firmware(URL, "/tmp/fw.bin")`: the path a downloading function saves to.
        const destinations = destinationParams(target);
        if (!destinations.size) continue;
        call.args.forEach((a, i) => {
          if (destinations.has(target.params[i + offset])) mark(scope, a);
        });
        for (const p of call.named) if (destinations.has(p.key)) mark(scope, p.value);
      }
    }
  }

  /** What `name` was last bound to before `call`: in the call's function (with its lambdas), else at module level. */
  const valueBefore = (name: string, call: Call): Expr | undefined => {
    const scope = scopeOf(call);
    let local: Binding | undefined;
    let module: Binding | undefined;
    for (const b of model.bindings) {
      if (b.name !== name || b.kind === 'property' || b.start >= call.start) continue;
      if (!b.fn) {
        if (!module || b.start > module.start) module = b;
      } else if (scopeOf(b) === scope && (!local || b.start > local.start)) local = b;
    }
    return (local ?? module)?.value;
  };
  const isVerification = (call: Call) => isAppVerification(res(call), apis.sinks);
  const moduleCalls = model.calls.filter((c) => !c.fn);
  const moduleFn = {
    name: '',
    params: [],
    calls: moduleCalls,
    statementCount: 0,
    returns: [],
    throws: false,
    start: 0,
    end: content.length,
  } as FunctionDef;
  /** Whether a verification runs before the call at `index` of `fn`, looking out through enclosing functions. */
  const verifiedAt = (fn: FunctionDef, index: number): PathVerdict => {
    const verdict = checkedBefore(graph, fn, index, isVerification);
    const parent = parentOf.get(fn);
    if (verdict.verified || !parent) return verdict;
    return verifiedAt(parent, spanIndex(parent.calls).countBefore(fn.start));
  };
  const verdictFor = (at: Span, fn: FunctionDef | undefined): PathVerdict => {
    const owner = fn ?? moduleFn;
    return verifiedAt(owner, spanIndex(owner.calls).countBefore(at.start));
  };

  /**
   * A process runs downloaded code when the download is its program (a downloaded file or downloaded text as
   * the command, `os.system(resp.text)`, or the script an interpreter runs) or the input of a flasher or an
   * installer; a downloaded file or value handed as data to a local program (`logger <status>`,
   * `autotune-prep entries.json`) runs nothing (see commands.ts).
   */
  const carriesDownload = (scope: Scope, call: Call, spec: AppSink): boolean => {
    if (spec.process) {
      return runsDownloadedArtifact(call, {
        model,
        isDownloadedFile: (e) => !!(taintOf(scope, e) & PATH),
        isDownloadedData: (e) => !!(taintOf(scope, e) & DATA),
        installsOrFlashes,
      });
    }
    const payload = spec.payload!(call);
    if (payload.some((e) => taintOf(scope, e) & PATH)) return true;
    if (spec.needsPath) return false;
    return payload.some((e) => taintOf(scope, e));
  };
  const reportSink = (span: Span, name: string, ecosystem: AppEcosystem, action: string, verdict: PathVerdict) => {
    const where = verdict.reachesUncalledRoot ? 'in this file (a check in another file is not seen)' : 'on any path in this file';
    const outcome =
      ecosystem === 'dfu' || /flashes/.test(action)
        ? 'a tampered or substituted image would become the device firmware'
        : "a tampered or substituted download would run with this program's privileges";
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
    if (spec.ontoOwnProgram && !namesOwnProgram(spec.ontoOwnProgram(res(call)), (name) => valueBefore(name, call))) continue;
    const carries = spec.payload ? carriesDownload(scope, call, spec) : scopeHandlesDownload(scope);
    if (!carries) continue;
    if (model.calls.some((c) => c !== call && inside(c, call) && isVerification(c))) continue;
    const verdict = verdictFor(call, call.fn);
    if (verdict.verified) continue;
    // In a chain (`DfuServiceInitiator(a).setKeepBond(true).setZip(uri)`) the finding starts at the method name.
    const calleeText = content.slice(call.calleeSpan.start, call.calleeSpan.end);
    const nameAt = call.receiver ? calleeText.lastIndexOf(call.name) : -1;
    const start = nameAt > 0 ? call.calleeSpan.start + nameAt : call.start;
    reportSink(
      { start, end: call.end },
      /^[\w$.]+$/.test(call.callee) ? call.callee : call.name,
      spec.ecosystem,
      spec.action(call),
      verdict,
    );
  }

  if (ctx.language === 'typescript' || ctx.language === 'javascript') {
    // `await import(path)`: the model has no call for a dynamic import.
    for (const m of code.matchAll(/(?<![\w$.])import\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g)) {
      const start = m.index ?? 0;
      const argSpan = { start: start + m[0].indexOf('(') + 1, end: start + m[0].length - 1 };
      const fn = innermostFunction(model.functions, start);
      if (!(taintOf(fn ? rootOf(fn) : 'module', argSpan) & PATH)) continue;
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

/**
 * Each function's innermost enclosing function (lambdas and callbacks share the taint of the function they
 * are written in). One sweep in source order with a stack of open functions; a function with the same
 * span as another (two model entries for one definition) is not its own parent.
 */
function enclosingFunctions(functions: readonly FunctionDef[]): Map<FunctionDef, FunctionDef | undefined> {
  const parentOf = new Map<FunctionDef, FunctionDef | undefined>();
  const sorted = [...functions].sort((a, b) => a.start - b.start || b.end - a.end);
  const open: FunctionDef[] = [];
  for (const fn of sorted) {
    while (open.length && !inside(fn, open[open.length - 1])) open.pop();
    let i = open.length - 1;
    while (i >= 0 && open[i].start === fn.start && open[i].end === fn.end) i--;
    parentOf.set(fn, i >= 0 ? open[i] : undefined);
    open.push(fn);
  }
  return parentOf;
}
