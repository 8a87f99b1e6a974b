/**
 * unsigned-firmware-update, firmware configuration: whether the project's bootloader or update library checks
 * the image signature itself, which answers the "activated without verification" findings of its C files.
 * MCUboot verifies every image it swaps in when it is built with a signature type (and keeps validating the
 * primary slot). Only explicit settings count: MCUboot's default signature type is not assumed. ESP-IDF is not
 * answered this way: its effective configuration is the generated `sdkconfig`, which a release
 * `sdkconfig.defaults` with Secure Boot does not override, so such a file would vouch for a build it is not.
 *
 * The signature type may also come from the project's Kconfig files rather than a fragment: NCS applications
 * default sysbuild's `choice BOOT_SIGNATURE_TYPE` in their `Kconfig.sysbuild`. Fragments and definition files
 * provide the project's symbols (rules/_shared/kconfig/facts.ts), and every file that does also says which
 * symbols make MCUboot verify (MCUBOOT_VERIFIES), unless a fragment picks no signature or turns slot validation off.
 */
import { derivesFact, encodeDerivation } from '../../server/src/core/derived-facts';
import type { ConfigEntry } from '../../server/src/core/model/types';
import type { ProjectCondition, RuleContext } from '../../server/src/core/types';
import type { Ecosystem } from '../_shared/update-apis';
import { configEntries, isDevelopmentConfigPath, isOff, isOn } from '../_shared/firmware-config';
import { provideDefinitionSymbols, provideFragmentSymbols, requested, SYMBOLS_OFF, SYMBOLS_ON, symbolOn } from '../_shared/kconfig/facts';
import type { KconfigDefinitions } from '../_shared/kconfig/definitions';
import { isBoardKconfigPath, signatureTypePicked, SIGNATURE_TYPES, unsignedDefaults } from '../_shared/mcuboot-signature';

/** The fact value a verifying bootloader of `ecosystem` provides (see SIGNATURE_PATH in rule.ts). */
export const bootloaderVerifies = (ecosystem: Ecosystem): string => `bootloader-verifies:${ecosystem}`;

/** Ecosystems whose activation calls the bootloader or OTA library answers with its own signature check. */
export const BOOTLOADER_CHECKED: ReadonlySet<Ecosystem> = new Set(['zephyr']);

const MCUBOOT_SIGNATURE = /^CONFIG_BOOT_SIGNATURE_TYPE_(?!NONE$)[A-Z0-9_]+$/;

function mcubootVerifies(entries: ReadonlyMap<string, ConfigEntry>): boolean {
  if (isOn(entries.get('CONFIG_BOOT_SIGNATURE_TYPE_NONE')) || isOff(entries.get('CONFIG_BOOT_VALIDATE_SLOT0'))) return false;
  return [...entries.values()].some((e) => MCUBOOT_SIGNATURE.test(e.key.replace(/^SB_/, '')) && isOn(e));
}

export function checkBootloaderConfig(ctx: RuleContext, fact: string): void {
  if (mcubootVerifies(configEntries(ctx.model.config))) ctx.provide(fact, [bootloaderVerifies('zephyr')]);
  provideFragmentSymbols(ctx, isDevelopmentConfigPath);
  provideVerifyingSymbols(ctx);
}

/** Kconfig definition files (`Kconfig.sysbuild`, `Kconfig`): what they turn on, MCUboot's signature type among it. */
export function checkBootloaderKconfig(ctx: RuleContext): void {
  const defs = provideDefinitionSymbols(ctx);
  if (!defs) return;
  provideVerifyingSymbols(ctx);
  provideUnsignedDefault(ctx, defs);
}

/** The derived symbol that holds when a Kconfig file of the project makes unsigned images MCUboot's default. */
const UNSIGNED_BY_DEFAULT = '@mcuboot-unsigned-by-default';

/** The condition "the project's MCUboot takes no signature by default, and no fragment picks a type". */
export const mcubootUnsignedByDefault: ProjectCondition = symbolOn(UNSIGNED_BY_DEFAULT);

/**
 * `choice BOOT_SIGNATURE_TYPE` / `default BOOT_SIGNATURE_TYPE_NONE` in a definition file of the application: no
 * image is signed, so no signing key is used either (secure-boot-disabled reports the default). A board's file
 * says so only for builds of that board, not for the project's other builds.
 */
function provideUnsignedDefault(ctx: RuleContext, defs: KconfigDefinitions): void {
  if (isBoardKconfigPath(ctx.path)) return;
  const derivations = unsignedDefaults(defs).flatMap((d) =>
    d.when.map((when) => encodeDerivation({ allOf: [...when, ...d.dependsOn], then: UNSIGNED_BY_DEFAULT, noneOf: [signatureTypePicked] })),
  );
  if (derivations.length) ctx.provide(derivesFact(SYMBOLS_ON), derivations);
}

/** The derived symbol that holds when the project builds MCUboot to verify signatures. */
const MCUBOOT_VERIFIES = '@mcuboot-verifies';

/** The condition "the project's MCUboot verifies images", as its Kconfig symbols show it. */
export const mcubootVerifiesInProject: ProjectCondition = symbolOn(MCUBOOT_VERIFIES);

function provideVerifyingSymbols(ctx: RuleContext): void {
  const noneOf = [
    { fact: SYMBOLS_OFF, anyOf: ['BOOT_VALIDATE_SLOT0'] },
    { fact: SYMBOLS_ON, anyOf: [requested('BOOT_SIGNATURE_TYPE_NONE')] },
  ];
  ctx.provide(
    derivesFact(SYMBOLS_ON),
    SIGNATURE_TYPES.map((type) => encodeDerivation({ allOf: [type], then: MCUBOOT_VERIFIES, noneOf })),
  );
}
