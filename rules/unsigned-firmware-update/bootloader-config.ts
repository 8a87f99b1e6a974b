/**
 * unsigned-firmware-update, firmware configuration: whether the project's bootloader or update library checks
 * the image signature itself, which answers the "activated without verification" findings of its C files.
 * MCUboot verifies every image it swaps in when it is built with a signature type (and keeps validating the
 * primary slot). Only explicit settings count: MCUboot's default signature type is not assumed. ESP-IDF is not
 * answered this way: its effective configuration is the generated `sdkconfig`, which a release
 * `sdkconfig.defaults` with Secure Boot does not override, so such a file would vouch for a build it is not.
 */
import type { ConfigEntry } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import type { Ecosystem } from '../_shared/update-apis';
import { configEntries, isOff, isOn } from '../_shared/firmware-config';

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
}
