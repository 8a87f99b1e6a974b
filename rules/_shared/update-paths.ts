/**
 * Within-file call paths for the unsigned-firmware-update rule: which functions a call reaches, who calls a
 * function, and whether some check (a signature verification) runs on every path before a given call.
 * Language-neutral: it reads only `FunctionDef.calls` (source order) from the code model.
 */
import type { Call, CodeModel, FunctionDef } from '../../server/src/core/model/types';
import { functionsNamed } from '../../server/src/core/model/functions-by-name';
import { ObjectMemo } from '../../server/src/core/model/object-memo';
import type { SourceText } from '../../server/src/core/text';
import { pushAll } from '../../server/src/core/arrays';

export interface CallSite {
  caller: FunctionDef;
  index: number;
}

export interface CallGraph {
  /** The functions of this file a call may run (by name; several for overloads or same-named methods). */
  targets(call: Call): readonly FunctionDef[];
  /** Where a function is called from within the file. */
  callers(fn: FunctionDef): CallSite[];
  /**
   * The name another file's function must have to be what a call runs: `HTTPClient::begin` for `http.begin(url)`
   * when `http` is declared in the caller as an `HTTPClient` (typed receivers, C++), else the call's name.
   */
  externalName(call: Call, caller: FunctionDef): string;
}

/**
 * A local declared with a type in a C++ body: `HTTPClient http;`, `Updater u(cfg);`, `Session s = ...` (a qualified
 * type by its last segment: `net::HTTPClient http;` is an `HTTPClient`).
 */
const LOCAL_DECLARATION = /\b([A-Za-z_]\w*)[ \t]+([A-Za-z_]\w*)[ \t]*[;({=]/g;
/**
 * The Arduino and ESP32 cores' global objects: `Update.begin(len)` is the core's UpdateClass, never a project's own
 * `begin` defined in another file.
 */
const CORE_OBJECTS = new Set(['Update', 'WiFi', 'Serial', 'SPIFFS', 'LittleFS', 'SD', 'SD_MMC', 'EEPROM', 'ESP', 'Wire', 'SPI']);
/** Words that stand where a type would but are not one (`return x;`, `else y = 1;`). */
const NOT_A_TYPE = new Set([
  'return',
  'else',
  'case',
  'goto',
  'delete',
  'new',
  'throw',
  'co_return',
  'co_yield',
  'auto',
  'const',
  'static',
]);

/** The class of a method defined out of its class, from its header: `SleepHQUploader` for `bool SleepHQUploader::begin()`. */
function methodClass(fn: FunctionDef, text: SourceText): string | undefined {
  if (fn.className) return fn.className;
  if (!fn.name) return undefined;
  const header = text.content.slice(fn.start, fn.body?.start ?? fn.end);
  const at = header.lastIndexOf(`::${fn.name}`);
  let start = at;
  while (start > 0 && /\w/.test(header[start - 1])) start--;
  return at > 0 && start < at ? header.slice(start, at) : undefined;
}

/** `Cls::name(` in a definition's header marks an out-of-class C++ method definition. */
function isMethod(fn: FunctionDef, text: SourceText): boolean {
  if (fn.className) return true;
  const header = text.content.slice(fn.start, fn.body?.start ?? fn.end);
  return header.includes('::');
}

/**
 * Each file's graphs (with and without typed receivers), by its functions list: four rules ask on every file,
 * and building one walks every call. Kept on the functions array, not in a WeakMap: a graph holds the
 * functions (see object-memo.ts).
 */
const GRAPHS = new ObjectMemo<FunctionDef[], { text: SourceText; plain?: CallGraph; typed?: CallGraph }>('medsec.callGraphs');

export function buildCallGraph(
  model: Pick<CodeModel, 'functions'>,
  text: SourceText,
  options: { typedReceivers?: boolean } = {},
): CallGraph {
  let known = GRAPHS.get(model.functions);
  if (known?.text !== text) GRAPHS.set(model.functions, (known = { text }));
  const kind = options.typedReceivers ? 'typed' : 'plain';
  return (known[kind] ??= callGraphOf(model, text, options));
}

function callGraphOf(model: Pick<CodeModel, 'functions'>, text: SourceText, options: { typedReceivers?: boolean }): CallGraph {
  const functions = model.functions;
  // Per function, the types of the locals it declares: asked only for calls to functions this file lacks.
  const localTypes = new Map<FunctionDef, Map<string, string>>();
  const typesIn = (fn: FunctionDef): Map<string, string> => {
    let types = localTypes.get(fn);
    if (types) return types;
    localTypes.set(fn, (types = new Map()));
    const body = fn.body ?? fn;
    for (const m of text.content.slice(body.start, body.end).matchAll(LOCAL_DECLARATION)) {
      if (!NOT_A_TYPE.has(m[1]) && !types.has(m[2])) types.set(m[2], m[1]);
    }
    return types;
  };
  const externalName = (call: Call, caller: FunctionDef): string => {
    const receiver = call.receiver?.kind === 'name' ? call.receiver.text : undefined;
    if (!options.typedReceivers || !receiver) return call.name;
    const type = CORE_OBJECTS.has(receiver) ? receiver : typesIn(caller).get(receiver);
    return type ? `${type}::${call.name}` : call.name;
  };
  // Asked for every call, often more than once: a method's candidates are worked out once per name.
  const methodsByName = new Map<string, FunctionDef[]>();
  const targets = (call: Call): readonly FunctionDef[] => {
    const candidates = functionsNamed(model, call.name);
    if (!candidates.length) return [];
    // `obj.name()` can only be one of our methods, never one of our free functions.
    if (!call.receiver) return candidates;
    let methods = methodsByName.get(call.name);
    if (!methods) methodsByName.set(call.name, (methods = candidates.filter((fn) => isMethod(fn, text))));
    return methods;
  };
  const callSites = new Map<FunctionDef, CallSite[]>();
  for (const caller of functions) {
    caller.calls.forEach((call, index) => {
      for (const target of targets(call)) {
        if (target === caller) continue;
        const sites = callSites.get(target);
        if (sites) sites.push({ caller, index });
        else callSites.set(target, [{ caller, index }]);
      }
    });
  }
  return { targets, callers: (fn) => callSites.get(fn) ?? [], externalName };
}

export interface PathVerdict {
  verified: boolean;
  /** Some unverified path starts at a function nobody in this file calls: a caller elsewhere may verify. */
  reachesUncalledRoot: boolean;
  /** Names of calls made before the sink on the unverified paths to functions this file does not define. */
  externalCallsBefore: string[];
  /** Functions nobody in this file calls, where the unverified paths start. */
  uncalledRoots: string[];
}

/**
 * Whether `isCheck` holds on every within-file path before `fn.calls[index]`: a check earlier in `fn`
 * (directly or anywhere inside a function called earlier), or else before the call to `fn` in every caller.
 */
export function checkedBefore(graph: CallGraph, fn: FunctionDef, index: number, isCheck: (call: Call) => boolean): PathVerdict {
  const containsMemo = new Map<FunctionDef, boolean>();
  const contains = (f: FunctionDef, visiting: Set<FunctionDef>): boolean => {
    const known = containsMemo.get(f);
    if (known !== undefined) return known;
    if (visiting.has(f)) return false;
    visiting.add(f);
    const result = f.calls.some((c) => isCheck(c) || graph.targets(c).some((t) => contains(t, visiting)));
    visiting.delete(f);
    containsMemo.set(f, result);
    return result;
  };
  let reachesUncalledRoot = false;
  const externalCallsBefore = new Set<string>();
  const uncalledRoots = new Set<string>();
  const before = (f: FunctionDef, at: number, onPath: Set<FunctionDef>): boolean => {
    const earlier = f.calls.slice(0, at);
    if (earlier.some((c) => isCheck(c) || graph.targets(c).some((t) => contains(t, new Set([f]))))) return true;
    for (const c of earlier) if (!graph.targets(c).length) externalCallsBefore.add(graph.externalName(c, f));
    const sites = graph.callers(f).filter((site) => !onPath.has(site.caller));
    if (!sites.length) {
      if (graph.callers(f).length === 0) {
        reachesUncalledRoot = true;
        if (f.name) uncalledRoots.add(f.name);
      }
      return false;
    }
    onPath.add(f);
    // Evaluate every caller (no short-circuit) so reachesUncalledRoot reflects all paths.
    const results = sites.map((site) => before(site.caller, site.index, onPath));
    onPath.delete(f);
    return results.every(Boolean);
  };
  const verified = before(fn, index, new Set());
  return verified
    ? { verified, reachesUncalledRoot: false, externalCallsBefore: [], uncalledRoots: [] }
    : { verified, reachesUncalledRoot, externalCallsBefore: [...externalCallsBefore], uncalledRoots: [...uncalledRoots] };
}

/**
 * What a file can vouch for to the rest of the project (values of the `signature-path` fact): the
 * functions it defines that verify a signature (`verifier:NAME`), and the functions it calls, without
 * defining them, after a verification in the same function (`called-after-verify:NAME`).
 */
export function signaturePathFacts(
  graph: CallGraph,
  functions: readonly FunctionDef[],
  isCheck: (call: Call) => boolean,
  text?: SourceText,
): string[] {
  const facts = new Set<string>();
  const verifying = verifyingFunctions(graph, functions, isCheck);
  for (const fn of functions) {
    if (fn.name && verifying.has(fn)) {
      facts.add(`verifier:${fn.name}`);
      // A call through a typed receiver asks for its class's method: `HTTPClient::begin` is not our `Uploader::begin`.
      const cls = text && methodClass(fn, text);
      if (cls) facts.add(`verifier:${cls}::${fn.name}`);
    }
    let verifiedSoFar = false;
    for (const c of fn.calls) {
      const targets = graph.targets(c);
      if (isCheck(c) || targets.some((t) => verifying.has(t))) verifiedSoFar = true;
      else if (verifiedSoFar && !targets.length) facts.add(`called-after-verify:${c.name}`);
    }
  }
  return [...facts];
}

/**
 * The functions that make a check call themselves or reach one through within-file calls. Found backwards from
 * the checks, once per file: a search forwards from every function (and every call's target) was quadratic in
 * the size of the call graph.
 */
function verifyingFunctions(graph: CallGraph, functions: readonly FunctionDef[], isCheck: (call: Call) => boolean): Set<FunctionDef> {
  const callers = new Map<FunctionDef, FunctionDef[]>();
  const verifying = new Set<FunctionDef>();
  for (const fn of functions) {
    for (const c of fn.calls) {
      if (isCheck(c)) verifying.add(fn);
      for (const target of graph.targets(c)) {
        const list = callers.get(target);
        if (list) list.push(fn);
        else callers.set(target, [fn]);
      }
    }
  }
  const queue = [...verifying];
  while (queue.length) {
    for (const caller of callers.get(queue.pop()!) ?? []) {
      if (verifying.has(caller)) continue;
      verifying.add(caller);
      queue.push(caller);
    }
  }
  return verifying;
}

/** Functions reachable from `roots` through within-file calls, stopping at functions `stop` rejects. */
export function reachableFrom(graph: CallGraph, roots: readonly FunctionDef[], stop: (fn: FunctionDef) => boolean): Set<FunctionDef> {
  const seen = new Set<FunctionDef>();
  const queue = [...roots];
  while (queue.length) {
    const fn = queue.pop()!;
    if (seen.has(fn) || stop(fn)) continue;
    seen.add(fn);
    for (const call of fn.calls) pushAll(queue, graph.targets(call));
  }
  return seen;
}
