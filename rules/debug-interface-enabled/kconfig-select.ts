/**
 * debug-interface-enabled, Kconfig definitions: a debug interface turned on by `select` from a symbol of the
 * project (`config APP_FW_UPDATE ... select MCUMGR_GRP_SHELL`), reported at the `select` line when a release
 * configuration of the same project turns the selecting symbol on (rules/_shared/kconfig-select.ts).
 */
import type { RuleContext } from '../../server/src/core/types';
import { isKconfigDefinition, provideSymbolsOn as provideShippedSymbolsOn, selectedSymbols, SYMBOLS_ON } from '../_shared/kconfig-select';
import { INSECURE_KCONFIG, isDevelopmentConfigPath, isSimulatorBoardConfig, type DebugHit } from './config';

/** Provides the symbols a release configuration fragment sets on (not a debug overlay or a simulator board). */
export function provideSymbolsOn(ctx: RuleContext): void {
  provideShippedSymbolsOn(ctx, (path) => isDevelopmentConfigPath(path) || isSimulatorBoardConfig(path));
}

/** `CONFIG_A=y`, or `CONFIG_A=y or CONFIG_B=y (which selects it)`: what turns the owner on. */
function onBy(selectors: readonly string[]): string {
  const [owner, ...above] = selectors;
  if (!above.length) return `\`CONFIG_${owner}=y\``;
  const shown = above.slice(0, 3).map((s) => `\`CONFIG_${s}=y\``);
  return `\`CONFIG_${owner}=y\`, or ${shown.join(', ')}${above.length > 3 ? ' and others' : ''} through the symbols that select it`;
}

export function findSelectedDebugInterfaces(ctx: RuleContext): DebugHit[] {
  if (!isKconfigDefinition(ctx)) return [];
  const hits: DebugHit[] = [];
  for (const selected of selectedSymbols(ctx.text.content)) {
    const key = `CONFIG_${selected.target}`;
    const option = Object.prototype.hasOwnProperty.call(INSECURE_KCONFIG, key) ? INSECURE_KCONFIG[key] : undefined;
    const via = `\`select ${selected.target}\` under \`config ${selected.owner}\`, on in a release configuration of the project (${onBy(selected.selectors)}),`;
    if (option) {
      hits.push({
        span: selected.span,
        message: `${via} ${option.what}: ${option.risk}. A selected symbol cannot be turned off in a configuration file: move the select to a debug-only symbol, or drop it.`,
        confidence: option.confidence,
        when: { fact: SYMBOLS_ON, anyOf: selected.selectors },
      });
    } else if (selected.target === 'SHELL') {
      hits.push({
        span: selected.span,
        message: `${via} builds the Zephyr shell into the product: anyone on its UART, RTT or other backend gets a command line into the device. Move the select to a debug-only symbol, or protect the commands the product needs.`,
        confidence: 'medium',
        when: { fact: SYMBOLS_ON, anyOf: selected.selectors },
      });
    }
  }
  return hits;
}
