/**
 * Kconfig `select`: `config APP_FW_UPDATE ... select MCUMGR_GRP_SHELL` turns MCUMGR_GRP_SHELL on whenever
 * APP_FW_UPDATE is on, whatever the configuration files say about it, so a symbol turned on that way is as on as
 * one set `=y`. This reads the Kconfig definition files of a project (`Kconfig`, `Kconfig.projbuild`, ...) for
 * their unconditional selects, followed through the file (A selects B, B selects C: A turns C on), and the
 * configuration fragments for the symbols they set `=y`. A rule reports at the `select` line with a condition
 * (Report.when) on the second: a whole-project scan confirms it when a configuration of the same project turns
 * one of the selecting symbols on.
 *
 * Kconfig is a line language: a symbol's properties are the lines after its `config` line, up to the next
 * entry; a `help` block is the text indented deeper than the `help` line. `select X if Y` is not followed (it
 * needs Y too) and neither is `imply` (a default the configuration can override).
 */
import type { ConfigEntry } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';

export interface SelectedSymbol {
  /** The selected symbol, without `CONFIG_`. */
  target: string;
  /** The `select` line's symbol name, where the finding goes. */
  span: Span;
  /** The symbol whose entry holds the `select`. */
  owner: string;
  /** Every symbol of the file that turns `target` on through this line: the owner and what selects it. */
  selectors: string[];
}

const KCONFIG_DEFINITION = /^Kconfig(?:\.[\w.-]+)?$/;
const ENTRY = /^[ \t]*(menuconfig|config)[ \t]+([A-Za-z0-9_]+)[ \t]*(?:#.*)?$/;
const ENDS_ENTRY = /^[ \t]*(?:choice|endchoice|menu|endmenu|if|endif|source|rsource|osource|orsource|comment|mainmenu)\b/;
const SELECT = /^[ \t]*select[ \t]+([A-Za-z0-9_]+)[ \t]*(if\b)?/;
const HELP = /^[ \t]*(?:help|---help---)[ \t]*(?:#.*)?$/;

/** A Kconfig definition file (not a `Kconfig.defaults` fragment, which the engine reads as configuration). */
export function isKconfigDefinition(ctx: RuleContext): boolean {
  return ctx.language === 'text' && KCONFIG_DEFINITION.test(ctx.path.split('/').pop() ?? '');
}

/** Indentation width, a tab to the next multiple of 8 as Kconfig counts it. */
function indentOf(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width = width - (width % 8) + 8;
    else break;
  }
  return width;
}

interface DirectSelect {
  owner: string;
  target: string;
  span: Span;
}

/** The unconditional `select` lines of a Kconfig file, with the symbol each belongs to. */
function directSelects(content: string): DirectSelect[] {
  const out: DirectSelect[] = [];
  let owner: string | undefined;
  let helpIndent: number | undefined;
  let offset = 0;
  for (const line of content.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    if (helpIndent !== undefined) {
      if (!line.trim() || indentOf(line) > helpIndent) continue;
      helpIndent = undefined;
    }
    const entry = ENTRY.exec(line);
    if (entry) {
      owner = entry[2];
      continue;
    }
    if (ENDS_ENTRY.test(line)) {
      owner = undefined;
      continue;
    }
    if (HELP.test(line)) {
      helpIndent = indentOf(line);
      continue;
    }
    const select = owner ? SELECT.exec(line) : null;
    if (!select || select[2]) continue;
    const at = start + line.indexOf(select[1], line.indexOf('select') + 6);
    out.push({ owner: owner!, target: select[1], span: { start: at, end: at + select[1].length } });
  }
  return out;
}

/** Every `select` line of the file, with the symbols that turn its target on through it (in-file chains followed). */
export function selectedSymbols(content: string): SelectedSymbol[] {
  if (!content.includes('select')) return [];
  const direct = directSelects(content);
  // Who selects each symbol directly; then, for a line owned by S, every symbol that reaches S.
  const selectorsOf = new Map<string, Set<string>>();
  for (const d of direct) selectorsOf.set(d.target, (selectorsOf.get(d.target) ?? new Set()).add(d.owner));
  const reaching = (symbol: string): string[] => {
    const seen = new Set<string>([symbol]);
    const queue = [symbol];
    while (queue.length) {
      for (const up of selectorsOf.get(queue.pop()!) ?? []) {
        if (!seen.has(up)) {
          seen.add(up);
          queue.push(up);
        }
      }
    }
    return [...seen];
  };
  return direct.map((d) => ({ ...d, selectors: reaching(d.owner) }));
}

/** The fact a rule provides from configuration fragments: the symbols they set `=y`, without `CONFIG_`. */
export const SYMBOLS_ON = 'kconfig-symbols-on';

/** The symbols a configuration fragment sets `=y`, without `CONFIG_`. */
export function symbolsSetOn(config: readonly ConfigEntry[]): string[] {
  return config.filter((e) => e.value === 'y' && e.key.startsWith('CONFIG_')).map((e) => e.key.slice('CONFIG_'.length));
}

/**
 * Provides the symbols a configuration fragment that ships sets on. `shipsNot` says which fragments a rule takes
 * for development (debug overlays, simulator boards); a generated full configuration is left out, since Kconfig
 * already resolved the selects in it.
 */
export function provideSymbolsOn(ctx: RuleContext, shipsNot: (path: string) => boolean): void {
  if (shipsNot(ctx.path) || isGeneratedConfig(ctx.text.content)) return;
  const on = symbolsSetOn(ctx.model.config);
  if (on.length) ctx.provide(SYMBOLS_ON, on);
}

/** A full configuration that Kconfig wrote (`sdkconfig`, `.config`): selects are already resolved in it. */
export function isGeneratedConfig(content: string): boolean {
  return /^#\s*Automatically generated file;?\s*DO NOT EDIT/im.test(content.slice(0, 400));
}
