/**
 * "Does some check run before this offset on every within-file path?", where a check may be a call or any
 * text in the function (a comparison), unlike unsigned-firmware-update-paths' `checkedBefore`, which looks
 * at calls only. Also used by crc-as-integrity-check.
 */
import type { Call, FunctionDef } from '../../server/src/core/model/types';
import type { CallGraph } from './update-paths';

export type Sink = { fn: FunctionDef; call: Call };

/**
 * Whether `hasCheck(f, before)` holds for `fn` before `offset`, or inside a function called before it, or
 * before the call to `fn` in every within-file caller. `hasCheck` looks at `f`'s own text up to `before`.
 */
export function guardedBefore(
  graph: CallGraph,
  fn: FunctionDef,
  offset: number,
  hasCheck: (f: FunctionDef, before: number) => boolean,
): boolean {
  const memo = new Map<FunctionDef, boolean>();
  const contains = (f: FunctionDef, visiting: Set<FunctionDef>): boolean => {
    const known = memo.get(f);
    if (known !== undefined) return known;
    if (visiting.has(f)) return false;
    visiting.add(f);
    const result = hasCheck(f, f.end) || f.calls.some((c) => graph.targets(c).some((t) => contains(t, visiting)));
    visiting.delete(f);
    memo.set(f, result);
    return result;
  };
  const before = (f: FunctionDef, at: number, onPath: Set<FunctionDef>): boolean => {
    if (hasCheck(f, at)) return true;
    if (f.calls.some((c) => c.end <= at && graph.targets(c).some((t) => contains(t, new Set([f]))))) return true;
    const sites = graph.callers(f).filter((site) => !onPath.has(site.caller));
    if (!sites.length) return false;
    onPath.add(f);
    const results = sites.map((site) => before(site.caller, site.caller.calls[site.index].start, onPath));
    onPath.delete(f);
    return results.every(Boolean);
  };
  return before(fn, offset, new Set());
}

/** The functions whose text precedes `offset` on a within-file path to it: `fn`, callees called earlier, callers. */
export function functionsBefore(graph: CallGraph, fn: FunctionDef, offset: number): Map<FunctionDef, number> {
  const out = new Map<FunctionDef, number>();
  const addCallee = (f: FunctionDef) => {
    if (out.has(f)) return;
    out.set(f, f.end);
    for (const c of f.calls) for (const t of graph.targets(c)) addCallee(t);
  };
  const visit = (f: FunctionDef, at: number) => {
    if ((out.get(f) ?? -1) >= at) return;
    out.set(f, at);
    for (const c of f.calls) if (c.end <= at) for (const t of graph.targets(c)) if (t !== f) addCallee(t);
    for (const site of graph.callers(f)) visit(site.caller, site.caller.calls[site.index].start);
  };
  visit(fn, offset);
  return out;
}
