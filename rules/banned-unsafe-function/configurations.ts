/**
 * Build configurations for banned-unsafe-function: a buffer size given by a macro that has one `#define` per
 * display or board (`#ifdef TM1638Display` → 12, `#ifdef PCF8574LCDDisplay` → 40). The size at a call is the
 * smallest definition that can be compiled together with the call and the buffer's declaration; a definition
 * whose `#ifdef`/`#ifndef` contradicts theirs (`#ifndef LCD` around one, `#ifdef LCD` around the call) is never
 * in that build. Only `#ifdef`/`#ifndef`, their `#else`, and `#if (!)defined(X)` are read: any other condition
 * excludes nothing, so the answer stays an upper bound on what the smallest build allows.
 */
import type { Directive } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { minOf } from '../../server/src/core/arrays';

const contains = (outer: Span, inner: Span) => outer.start <= inner.start && inner.end <= outer.end;
const DEFINED = /^(!?)\s*defined(?:\s*\(\s*|\s+)([A-Za-z_]\w*)\s*\)?$/;

/** Macro names the code at `at` needs defined (true) or undefined (false), from the blocks around it. */
function requiredMacros(directives: readonly Directive[], at: Span): Map<string, boolean> {
  const required = new Map<string, boolean>();
  const around = directives.filter((d) => d.kind !== '#error' && contains(d, at));
  for (const block of around) {
    if (block.kind === '#else' || block.kind === '#elif') continue;
    const macro = macroTest(block);
    if (!macro) continue;
    // In an #else/#elif of this block, the code runs when its test fails.
    const inAlternative = around.some((alt) => (alt.kind === '#else' || alt.kind === '#elif') && parentOf(directives, alt) === block);
    required.set(macro.name, inAlternative ? !macro.defined : macro.defined);
  }
  return required;
}

/** The `#if`/`#ifdef`/`#ifndef`/`#elif` an `#else`/`#elif` is the alternative of: the innermost block around it. */
function parentOf(directives: readonly Directive[], alternative: Directive): Directive | undefined {
  let parent: Directive | undefined;
  for (const d of directives) {
    if (d === alternative || d.kind === '#else' || d.kind === '#error' || d.start >= alternative.start || !contains(d, alternative))
      continue;
    if (!parent || d.start > parent.start) parent = d;
  }
  return parent;
}

/** `#ifdef X` → X defined; `#ifndef X` → X undefined; `#if defined(X)` / `#if !defined(X)`. */
function macroTest(d: Directive): { name: string; defined: boolean } | undefined {
  if (d.kind === '#ifdef' || d.kind === '#ifndef')
    return /^[A-Za-z_]\w*$/.test(d.condition) ? { name: d.condition, defined: d.kind === '#ifdef' } : undefined;
  const m = d.kind === '#if' ? DEFINED.exec(d.condition.trim()) : null;
  return m ? { name: m[2], defined: m[1] !== '!' } : undefined;
}

/** Whether code under `a` and code under `b` can be in one build (no macro required both defined and not). */
function compatible(a: ReadonlyMap<string, boolean>, b: ReadonlyMap<string, boolean>): boolean {
  for (const [name, defined] of a) if (b.has(name) && b.get(name) !== defined) return false;
  return true;
}

/**
 * The smallest whole-number value of a macro defined several times in this file, among the definitions that can
 * be built together with every span in `sites`; undefined when one of them is not a plain number or none is left.
 */
export function smallestConfiguredValue(ctx: RuleContext, name: string, sites: readonly Span[]): number | undefined {
  const directives = ctx.model.directives;
  const needed = new Map<string, boolean>();
  for (const site of sites) {
    const required = requiredMacros(directives, site);
    if (!compatible(required, needed)) return undefined;
    for (const [macro, defined] of required) needed.set(macro, defined);
  }
  const defines = ctx.model.bindings.filter((b) => b.kind === 'define' && !b.fn && b.name === name);
  const built = defines.filter((d) => compatible(requiredMacros(directives, d), needed));
  if (defines.length < 2 || !built.length) return undefined;
  const values = built.map((d) =>
    d.value.kind === 'number' && /^\d+[uUlL]*$/.test(d.value.text) ? Number.parseInt(d.value.text, 10) : NaN,
  );
  return values.some((v) => !Number.isInteger(v) || v <= 0) ? undefined : minOf(values);
}
