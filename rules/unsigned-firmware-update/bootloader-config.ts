/**
 * unsigned-firmware-update, firmware configuration: whether the project's bootloader or update library checks
 * the image signature itself, which answers the "activated without verification" findings of its C files.
 * MCUboot verifies every image it swaps in when it is built with a signature type (and keeps validating the
 * primary slot); ESP-IDF verifies in `esp_ota_end` when apps are signed on update (Secure Boot, or signed
 * apps without it). Only explicit settings count: MCUboot's default signature type is not assumed.
 */
import type { ConfigEntry } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import type { Ecosystem } from '../_shared/update-apis';
import { configEntries, isOff, isOn } from '../_shared/firmware-config';

/** The fact value a verifying bootloader of `ecosystem` provides (see SIGNATURE_PATH in rule.ts). */
export const bootloaderVerifies = (ecosystem: Ecosystem): string => `bootloader-verifies:${ecosystem}`;

/** Ecosystems whose activation calls the bootloader or OTA library answers with its own signature check. */
export const BOOTLOADER_CHECKED: ReadonlySet<Ecosystem> = new Set(['zephyr', 'esp-idf']);

const MCUBOOT_SIGNATURE = /^CONFIG_BOOT_SIGNATURE_TYPE_(?!NONE$)[A-Z0-9_]+$/;
const ESP_SIGNED_ON_UPDATE = [
  'CONFIG_SECURE_SIGNED_ON_UPDATE',
  'CONFIG_SECURE_SIGNED_ON_UPDATE_NO_SECURE_BOOT',
  'CONFIG_SECURE_BOOT_V2_ENABLED',
  'CONFIG_SECURE_BOOT',
];

function mcubootVerifies(entries: ReadonlyMap<string, ConfigEntry>): boolean {
  if (isOn(entries.get('CONFIG_BOOT_SIGNATURE_TYPE_NONE')) || isOff(entries.get('CONFIG_BOOT_VALIDATE_SLOT0'))) return false;
  return [...entries.values()].some((e) => MCUBOOT_SIGNATURE.test(e.key.replace(/^SB_/, '')) && isOn(e));
}

export function checkBootloaderConfig(ctx: RuleContext, fact: string): void {
  const entries = configEntries(ctx.model.config);
  const values: string[] = [];
  if (mcubootVerifies(entries)) values.push(bootloaderVerifies('zephyr'));
  if (ESP_SIGNED_ON_UPDATE.some((key) => isOn(entries.get(key)))) values.push(bootloaderVerifies('esp-idf'));
  if (values.length) ctx.provide(fact, values);
}
