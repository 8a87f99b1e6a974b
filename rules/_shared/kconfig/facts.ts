/**
 * Which Kconfig symbols a project turns on, as project facts a rule provides from every file that says something
 * about it, closed across the project's files by the engine (core/derived-facts.ts):
 * - a configuration fragment that ships (`prj.conf`, an overlay, a board `_defconfig`, `sysbuild.conf`) asks for
 *   the symbols it sets `=y` (`=X`), which are on unless a definition's `depends on` names a symbol a fragment
 *   turns off; and it turns off the symbols it sets `=n` or leaves `is not set`;
 * - a definition file (`Kconfig`, `Kconfig.defconfig`, `Kconfig.sysbuild`) says what follows from what is on:
 *   `select` (also `select X if C`), `imply` (unless a fragment turns the target off), `default y`, and a
 *   `choice`'s default (unless a fragment picks another member).
 * A finding that holds when a symbol is on carries `{ fact: SYMBOLS_ON, anyOf: [symbol] }`; one that a protection
 * answers carries the protection's symbols as an `unless`.
 */
import { derivesFact, encodeDerivation, type Derivation } from '../../../server/src/core/derived-facts';
import type { ConfigEntry } from '../../../server/src/core/model/types';
import type { ProjectCondition, RuleContext } from '../../../server/src/core/types';
import { isKconfigDefinitionName, readKconfig, type KconfigDefinitions } from './definitions';

/** Symbols (without `CONFIG_`) the project turns on: set `=y` in a fragment, or derived. */
export const SYMBOLS_ON = 'kconfig-symbols-on';
/** Symbols a shipping fragment turns off. */
export const SYMBOLS_OFF = 'kconfig-symbols-off';
/** Symbols a definition file gives dependencies, whose `=y` in a fragment needs them. */
const GUARDED = 'kconfig-guarded';

/** The value a fragment provides for a symbol it sets `=y`: asked for, on once its dependencies allow. */
export const requested = (symbol: string): string => `=${symbol}`;

/** The condition "this symbol is on in the project". */
export const symbolOn = (symbols: string | Iterable<string>): ProjectCondition => ({
  fact: SYMBOLS_ON,
  anyOf: typeof symbols === 'string' ? [symbols] : [...symbols],
});

/** The symbol a fragment's key sets: `CONFIG_X` and sysbuild's `SB_CONFIG_X` both set X. */
function symbolOf(key: string): string | undefined {
  const m = /^(?:SB_)?CONFIG_([A-Za-z0-9_]+)$/.exec(key);
  return m ? m[1] : undefined;
}

/** The symbols a configuration fragment sets on and off. */
export function symbolsSet(config: readonly ConfigEntry[]): { on: string[]; off: string[] } {
  const on: string[] = [];
  const off: string[] = [];
  for (const entry of config) {
    const symbol = symbolOf(entry.key);
    if (!symbol) continue;
    if (/^(y|1|true)$/i.test(entry.value)) on.push(symbol);
    else if (/^(n|0|false)$/i.test(entry.value)) off.push(symbol);
  }
  return { on, off };
}

/**
 * Provides what a configuration fragment that ships says about symbols. `shipsNot` says which fragments a rule
 * takes for development (debug overlays, simulator boards); a generated full configuration is left out, since
 * Kconfig already resolved the selects in it.
 */
export function provideFragmentSymbols(ctx: RuleContext, shipsNot: (path: string) => boolean): void {
  if (shipsNot(ctx.path) || isGeneratedConfig(ctx.text.content)) return;
  const { on, off } = symbolsSet(ctx.model.config);
  if (on.length) {
    ctx.provide(SYMBOLS_ON, on.map(requested));
    const unguarded = (s: string): Derivation => ({ allOf: [requested(s)], then: s, noneOf: [{ fact: GUARDED, anyOf: [s] }] });
    ctx.provide(
      derivesFact(SYMBOLS_ON),
      on.map((s) => encodeDerivation(unguarded(s))),
    );
  }
  if (off.length) ctx.provide(SYMBOLS_OFF, off);
}

/** A full configuration that Kconfig wrote (`sdkconfig`, `.config`): selects are already resolved in it. */
export function isGeneratedConfig(content: string): boolean {
  return /^#\s*Automatically generated file;?\s*DO NOT EDIT/im.test(content.slice(0, 400));
}

/** A Kconfig definition file, read as text (`Kconfig.defaults` is a fragment the engine reads as configuration). */
export function isKconfigDefinition(ctx: RuleContext): boolean {
  return ctx.language === 'text' && isKconfigDefinitionName(ctx.path.split('/').pop() ?? '');
}

/** Provides what a definition file says follows from what is on; returns what it read, for the rule's own use. */
export function provideDefinitionSymbols(ctx: RuleContext): KconfigDefinitions | undefined {
  if (!isKconfigDefinition(ctx)) return undefined;
  const defs = kconfigDefinitionsOf(ctx);
  const derivations = definitionDerivations(defs);
  const guarded = defs.entries.filter((e) => e.dependsOn.length).map((e) => e.symbol);
  if (guarded.length) ctx.provide(GUARDED, [...new Set(guarded)]);
  if (derivations.length) ctx.provide(derivesFact(SYMBOLS_ON), [...new Set(derivations.map(encodeDerivation))]);
  return defs;
}

/** Read once per file, whichever rule asks first (several rules read the same definition file). */
const READ = new WeakMap<object, KconfigDefinitions>();

export function kconfigDefinitionsOf(ctx: RuleContext): KconfigDefinitions {
  let defs = READ.get(ctx.text);
  if (!defs) {
    defs = readKconfig(ctx.text.content);
    READ.set(ctx.text, defs);
  }
  return defs;
}

function definitionDerivations(defs: KconfigDefinitions): Derivation[] {
  const out: Derivation[] = [];
  for (const e of defs.entries) {
    // Asked for in a fragment, on unless a fragment turns off what this definition depends on.
    out.push({ allOf: [requested(e.symbol)], then: e.symbol, noneOf: [{ fact: SYMBOLS_OFF, anyOf: e.dependsOn }] });
    for (const when of e.defaultOn)
      out.push({ allOf: [...when, ...e.dependsOn], then: e.symbol, noneOf: [{ fact: SYMBOLS_OFF, anyOf: [e.symbol] }] });
  }
  for (const s of defs.selects) {
    const weak = s.weak ? { noneOf: [{ fact: SYMBOLS_OFF, anyOf: [s.target] }] } : {};
    for (const when of s.when) out.push({ allOf: [s.owner, ...when], then: s.target, ...weak });
  }
  for (const c of defs.choiceDefaults) {
    for (const when of c.when) out.push({ allOf: when, then: c.symbol, noneOf: [{ fact: SYMBOLS_ON, anyOf: c.others.map(requested) }] });
  }
  return out;
}
