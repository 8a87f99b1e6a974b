/**
 * debug-interface-enabled, Kconfig definitions: a debug interface turned on by `select` or `imply` from a symbol
 * of the project (`config APP_FW_UPDATE ... select MCUMGR_GRP_SHELL`), reported at the line when a release
 * configuration of the same project turns the owning symbol on, directly or through other Kconfig files
 * (rules/_shared/kconfig-select.ts).
 */
import type { RuleContext } from '../../server/src/core/types';
import { provideFragmentSymbols, selectedSymbols, type SelectedSymbol } from '../_shared/kconfig-select';
import { INSECURE_KCONFIG, isDevelopmentConfigPath, isSimulatorBoardConfig, type DebugHit } from './config';

/** Provides the symbols a release configuration fragment sets (not a debug overlay or a simulator board). */
export function provideSymbolsOn(ctx: RuleContext): void {
  provideFragmentSymbols(ctx, (path) => isDevelopmentConfigPath(path) || isSimulatorBoardConfig(path));
}

/** What may turn the owner on: set in a configuration, its default, or a select (naming those in this file). */
function onBy(selectors: readonly string[]): string {
  const [owner, ...above] = selectors;
  const here = above.length
    ? `, here by ${above
        .slice(0, 3)
        .map((s) => `\`${s}\``)
        .join(', ')}${above.length > 3 ? ' and others' : ''}`
    : '';
  return `\`CONFIG_${owner}=y\` in a release configuration, a \`default y\`, or a \`select\` in the project's Kconfig files${here}`;
}

function lineOf(selected: SelectedSymbol): string {
  const verb = selected.weak ? 'imply' : 'select';
  return `\`${verb} ${selected.target}${selected.condition}\` under \`config ${selected.owner}\``;
}

export function findSelectedDebugInterfaces(ctx: RuleContext): DebugHit[] {
  const hits: DebugHit[] = [];
  for (const selected of selectedSymbols(ctx)) {
    const key = `CONFIG_${selected.target}`;
    const option = Object.prototype.hasOwnProperty.call(INSECURE_KCONFIG, key) ? INSECURE_KCONFIG[key] : undefined;
    const via = `${lineOf(selected)}, on in the project's release build (${onBy(selected.selectors)}),`;
    const undo = selected.weak
      ? 'An implied symbol stays on unless a configuration turns it off: set it `=n` in the release configuration, or move the imply to a debug-only symbol.'
      : 'A selected symbol cannot be turned off in a configuration file: move the select to a debug-only symbol, or drop it.';
    const conditions = { when: selected.when, ...(selected.unless.length ? { unless: selected.unless } : {}) };
    if (option) {
      hits.push({
        span: selected.span,
        message: `${via} ${option.what}: ${option.risk}. ${undo}`,
        confidence: option.confidence,
        ...conditions,
      });
    } else if (selected.target === 'SHELL') {
      hits.push({
        span: selected.span,
        message: `${via} builds the Zephyr shell into the product: anyone on its UART, RTT or other backend gets a command line into the device. Move the ${selected.weak ? 'imply' : 'select'} to a debug-only symbol, or protect the commands the product needs.`,
        confidence: 'medium',
        ...conditions,
      });
    }
  }
  return hits;
}
