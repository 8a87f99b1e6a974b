/**
 * A Kconfig definition file of the project that makes "no signature" the default of MCUboot's signature type
 * (`choice BOOT_SIGNATURE_TYPE` / `default BOOT_SIGNATURE_TYPE_NONE` in an application's or a board's
 * `Kconfig.sysbuild`): every build that keeps the default, which is every build no fragment overrides, gets an
 * MCUboot that boots and swaps in any image. A whole-project scan confirms it: the project builds MCUboot, the
 * line's `if` condition holds, and no fragment picks a signature type (or none, which the fragment's own line
 * reports).
 */
import type { RuleContext } from '../../server/src/core/types';
import { conditionOf } from '../_shared/kconfig-select';
import { provideDefinitionSymbols, requested, SYMBOLS_ON, symbolOn } from '../_shared/kconfig/facts';
import { buildsMcuboot, isBoardKconfigPath, NO_SIGNATURE, signatureTypePicked, unsignedDefaults } from '../_shared/mcuboot-signature';

export function findUnsignedDefault(ctx: RuleContext): void {
  const defs = provideDefinitionSymbols(ctx);
  if (!defs) return;
  for (const d of unsignedDefaults(defs)) {
    const condition = conditionOf(d.when);
    if (!condition) continue;
    const board = boardOf(ctx.path);
    ctx.report({
      span: d.span,
      message: `This Kconfig file makes ${NO_SIGNATURE} the default of MCUboot's signature type${condition.text}, and no configuration file of the project picks a signature type, so ${board ? `every build for ${board}` : 'every build'} gets an MCUboot that boots and upgrades to any image placed in a slot: whoever can write the secondary slot (over DFU, the debug port or external flash) runs their own firmware. Default the choice to BOOT_SIGNATURE_TYPE_ECDSA_P256 or ED25519 and provision the product's public key.`,
      when: [buildsMcuboot, ...d.dependsOn.map((s) => symbolOn(s)), ...condition.when],
      // A fragment that picks a type overrides the default; one that picks none is reported at its own line.
      unless: [signatureTypePicked, { fact: SYMBOLS_ON, anyOf: [requested(NO_SIGNATURE)] }],
    });
  }
}

/** `boards/<vendor>/<board>/Kconfig.sysbuild` → `<board>`. */
function boardOf(path: string): string | undefined {
  if (!isBoardKconfigPath(path)) return undefined;
  const folder = path.replace(/\\/g, '/').split('/').slice(-2)[0];
  return folder === 'boards' ? undefined : folder;
}
