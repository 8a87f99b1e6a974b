/**
 * The value a project gives a Kconfig `int` or `hex` symbol (`CONFIG_EXAMPLE_IO_TYPE`), as project facts a rule
 * provides from every file that says something about it, closed by the engine (core/derived-facts.ts):
 * - a configuration file (`sdkconfig`, `sdkconfig.defaults`, `prj.conf`) that ships sets the value it writes;
 * - a definition file (`Kconfig.projbuild`, `Kconfig`) gives the value of the entry's first `default` line when
 *   that line has no condition (Kconfig takes the first default whose condition holds, so a conditional one
 *   before it leaves the value open), unless a configuration file sets the symbol.
 * Source code that uses the symbol (`ble_hs_cfg.sm_io_cap = CONFIG_EXAMPLE_IO_TYPE`) reports with
 * `when: symbolValue(symbol, values)`, which a whole-project scan confirms.
 */
import { derivesFact, encodeDerivation } from '../../../server/src/core/derived-facts';
import type { ConfigEntry } from '../../../server/src/core/model/types';
import type { ProjectCondition, RuleContext } from '../../../server/src/core/types';
import { isKconfigDefinition, kconfigDefinitionsOf } from './facts';

/** `SYMBOL=value` (without `CONFIG_`, numbers in decimal) for each value a symbol has in the project. */
const SYMBOL_VALUES = 'kconfig-symbol-values';
/** Symbols a configuration file sets, whose definition's default then no longer applies. */
const SYMBOLS_SET = 'kconfig-symbols-set';

/** `3`, `0x03` → `3`; a boolean or a string stays as written (without its quotes). */
function normalized(value: string): string {
  const text = value.trim().replace(/^"(.*)"$/, '$1');
  if (/^0x[0-9a-f]+$/i.test(text)) return String(parseInt(text, 16));
  if (/^-?\d+$/.test(text)) return String(parseInt(text, 10));
  return text;
}

/** The condition "the project gives `symbol` (without `CONFIG_`) one of these values". */
export function symbolValue(symbol: string, values: readonly (string | number)[]): ProjectCondition {
  return { fact: SYMBOL_VALUES, anyOf: values.map((v) => `${symbol}=${normalized(String(v))}`) };
}

function symbolOf(key: string): string | undefined {
  return /^(?:SB_)?CONFIG_([A-Za-z0-9_]+)$/.exec(key)?.[1];
}

/** What a configuration file that ships sets; `shipsNot` names the development ones (debug overlays, CI). */
function provideFragmentValues(ctx: RuleContext, entries: readonly ConfigEntry[], shipsNot: (path: string) => boolean): void {
  if (shipsNot(ctx.path)) return;
  const values: string[] = [];
  const set: string[] = [];
  for (const entry of entries) {
    const symbol = symbolOf(entry.key);
    if (!symbol) continue;
    set.push(symbol);
    values.push(`${symbol}=${normalized(entry.value)}`);
  }
  if (values.length) ctx.provide(SYMBOL_VALUES, values);
  if (set.length) ctx.provide(SYMBOLS_SET, set);
}

/** What a definition file's leading unconditional defaults give, unless a configuration file sets the symbol. */
function provideDefaultValues(ctx: RuleContext): void {
  const derivations: string[] = [];
  for (const entry of kconfigDefinitionsOf(ctx).entries) {
    const first = entry.defaults[0];
    if (!first || first.when.length !== 1 || first.when[0].length) continue;
    const then = `${entry.symbol}=${normalized(first.value)}`;
    derivations.push(encodeDerivation({ allOf: [], then, noneOf: [{ fact: SYMBOLS_SET, anyOf: [entry.symbol] }] }));
  }
  if (derivations.length) ctx.provide(derivesFact(SYMBOL_VALUES), derivations);
}

/** Provides what this file says about symbol values: a configuration file, or a Kconfig definition file. */
export function provideSymbolValues(ctx: RuleContext, shipsNot: (path: string) => boolean): void {
  if (ctx.language === 'kconfig') provideFragmentValues(ctx, ctx.model.config, shipsNot);
  else if (isKconfigDefinition(ctx)) provideDefaultValues(ctx);
}
