/**
 * MCUboot left on its default signing key: a configuration that builds MCUboot and either names one of the
 * example keys MCUboot ships (`root-rsa-2048.pem`, `root-ec-p256.pem`, … in the bootloader's tree) or names no key
 * at all, when the build falls back to that same example key. Its private half is public, so anyone can sign an
 * image the bootloader accepts. The "names no key" case holds unless another fragment of the project sets one.
 */
import type { ConfigEntry } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { configEntries, isDevelopmentConfigPath, isOn } from '../_shared/firmware-config';
import { requested, SYMBOLS_ON } from '../_shared/kconfig/facts';
import { mcubootUnsignedByDefault } from './bootloader-config';

/** Project fact: a fragment or Kconfig file of the project names its own MCUboot signing key. */
export const MCUBOOT_KEY_SET = 'mcuboot-signing-key-set';
/** Project fact: a sysbuild fragment turns MCUboot on (the application's own `CONFIG_BOOTLOADER_MCUBOOT` then follows it). */
const SYSBUILD_MCUBOOT = 'mcuboot-from-sysbuild';

const KEY_SETTINGS = ['SB_CONFIG_BOOT_SIGNATURE_KEY_FILE', 'CONFIG_BOOT_SIGNATURE_KEY_FILE', 'CONFIG_MCUBOOT_SIGNATURE_KEY_FILE'];
const MCUBOOT_ON = ['SB_CONFIG_BOOTLOADER_MCUBOOT', 'CONFIG_BOOTLOADER_MCUBOOT'];
/** The example keys in MCUboot's repository root. */
const EXAMPLE_KEY = /(?:^|\/)root-(?:rsa-2048|rsa-3072|ec-p256|ec-p384|ed25519|x25519)\.pem$/;
/** A path into the bootloader's own tree, where those example keys live. */
const MCUBOOT_TREE = /MCUBOOT|(?:^|\/)(?:bootloader\/)?mcuboot\//i;

export function checkMcubootKey(ctx: RuleContext): void {
  const entries = configEntries(ctx.model.config);
  const key = KEY_SETTINGS.map((k) => entries.get(k)).find((e): e is ConfigEntry => !!e && e.value.trim() !== '');
  if (key && !isExampleKey(key.value)) ctx.provide(MCUBOOT_KEY_SET, ['yes']);
  const on = MCUBOOT_ON.map((k) => entries.get(k)).find(isOn);
  if (on?.key.startsWith('SB_')) ctx.provide(SYSBUILD_MCUBOOT, ['yes']);
  if (!on || isDevelopmentConfigPath(ctx.path) || unsigned(entries)) return;
  if (key && isExampleKey(key.value)) {
    ctx.report({
      span: key,
      message: `${key.key} points MCUboot at ${key.value.split('/').pop()}, an example key from MCUboot's own repository: its private key is public, so anyone can sign a firmware image this device's bootloader accepts. Generate a private key for the product (imgtool keygen), keep it off the repository (an HSM or the release signing server), and point ${key.key} at it.`,
    });
  } else if (!key) {
    ctx.report({
      span: on,
      message: `${on.key}=y builds MCUboot, but no configuration of the project names a signing key (SB_CONFIG_BOOT_SIGNATURE_KEY_FILE), so the build signs with the example key from MCUboot's repository, whose private key is public: anyone can sign a firmware image the bootloader accepts. Generate a private key for the product, keep it off the repository, and set SB_CONFIG_BOOT_SIGNATURE_KEY_FILE to it (or pass it on the release build's command line and say so here).`,
      confidence: 'medium',
      unless: [
        { fact: MCUBOOT_KEY_SET, anyOf: ['yes'] },
        // Images are not signed at all (a fragment picks no signature, or a Kconfig file of the application makes
        // it the default): secure-boot-disabled reports that, and no key is used.
        { fact: SYMBOLS_ON, anyOf: [requested('BOOT_SIGNATURE_TYPE_NONE')] },
        mcubootUnsignedByDefault,
        ...(on.key.startsWith('SB_') ? [] : [{ fact: SYSBUILD_MCUBOOT, anyOf: ['yes'] }]),
      ],
    });
  }
}

function isExampleKey(value: string): boolean {
  const path = value.trim().replace(/\\/g, '/');
  return EXAMPLE_KEY.test(path) && (MCUBOOT_TREE.test(path) || !path.includes('/'));
}

/** A build without signatures is another finding (no key is used at all). */
function unsigned(entries: ReadonlyMap<string, ConfigEntry>): boolean {
  return isOn(entries.get('SB_CONFIG_BOOT_SIGNATURE_TYPE_NONE')) || isOn(entries.get('CONFIG_BOOT_SIGNATURE_TYPE_NONE'));
}

/** A Kconfig definition file (`Kconfig.sysbuild`) that defaults `BOOT_SIGNATURE_KEY_FILE` to the product's own key. */
export function provideKconfigMcubootKey(ctx: RuleContext): void {
  const text = ctx.text.content;
  const at = text.indexOf('config BOOT_SIGNATURE_KEY_FILE');
  if (at < 0) return;
  const window = text.slice(at, at + 400);
  const open = window.indexOf('default "');
  const close = open < 0 ? -1 : window.indexOf('"', open + 9);
  if (close > open && !isExampleKey(window.slice(open + 9, close))) ctx.provide(MCUBOOT_KEY_SET, ['yes']);
}
