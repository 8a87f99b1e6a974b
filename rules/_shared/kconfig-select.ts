/**
 * Kconfig `select` and `imply` lines as evidence: `config APP_FW_UPDATE ... select MCUMGR_GRP_SHELL` turns
 * MCUMGR_GRP_SHELL on whenever APP_FW_UPDATE is on, whatever the configuration files say about it. A rule reports
 * at the line, with conditions (Report.when) that a whole-project scan confirms: the owner is on in the project
 * (set in a fragment, or turned on through any chain of the project's Kconfig files, see kconfig/facts.ts), and
 * so is the line's `if` condition; an `imply` also gives way to a fragment that turns its target off.
 */
import type { ProjectCondition, RuleContext } from '../../server/src/core/types';
import { provideDefinitionSymbols, SYMBOLS_OFF, symbolOn } from './kconfig/facts';
import type { KconfigSelect } from './kconfig/definitions';

export { isKconfigDefinition, provideFragmentSymbols, SYMBOLS_ON, symbolOn } from './kconfig/facts';

export interface SelectedSymbol extends Omit<KconfigSelect, 'when'> {
  /** Every symbol of the file that turns the owner on through selects in this file, the owner first (for messages). */
  selectors: string[];
  /** All must hold in the project for the line to take effect. */
  when: ProjectCondition[];
  /** Any one answers it (an `imply` whose target a fragment turns off). */
  unless: ProjectCondition[];
  /** The line's `if` condition, as written in a message (`if BT && APP_REMOTE`), or ''. */
  condition: string;
}

/**
 * Provides what a Kconfig definition file says about symbols, and returns its `select` and `imply` lines with the
 * conditions under which each takes effect. A line whose condition cannot be written as conditions (alternatives
 * of several symbols each, a negation) is left out: nothing shows it takes effect.
 */
export function selectedSymbols(ctx: RuleContext): SelectedSymbol[] {
  const defs = provideDefinitionSymbols(ctx);
  if (!defs) return [];
  const selectorsOf = new Map<string, Set<string>>();
  for (const s of defs.selects) if (!s.weak) selectorsOf.set(s.target, (selectorsOf.get(s.target) ?? new Set()).add(s.owner));
  const out: SelectedSymbol[] = [];
  for (const s of defs.selects) {
    const condition = conditionOf(s.when);
    if (!condition) continue;
    out.push({
      ...s,
      selectors: reaching(s.owner, selectorsOf),
      when: [symbolOn(s.owner), ...condition.when],
      unless: s.weak ? [{ fact: SYMBOLS_OFF, anyOf: [s.target] }] : [],
      condition: condition.text,
    });
  }
  return out;
}

/** `[[A, B]]` → A and B on; `[[A], [B]]` → A or B on; `[[]]` → nothing more; anything else cannot be said. */
export function conditionOf(alternatives: string[][]): { when: ProjectCondition[]; text: string } | undefined {
  if (!alternatives.length) return undefined;
  if (alternatives.length === 1) {
    const atoms = alternatives[0];
    return { when: atoms.map((a) => symbolOn(a)), text: atoms.length ? ` if ${atoms.join(' && ')}` : '' };
  }
  if (alternatives.some((a) => a.length !== 1)) return undefined;
  const atoms = alternatives.map((a) => a[0]);
  return { when: [symbolOn(atoms)], text: ` if ${atoms.join(' || ')}` };
}

/** The symbol and every symbol that reaches it through selects of the file, the symbol first. */
function reaching(symbol: string, selectorsOf: ReadonlyMap<string, Set<string>>): string[] {
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
}
