/**
 * MCUboot's signature type as Kconfig sets it: `choice BOOT_SIGNATURE_TYPE` of MCUboot's own Kconfig and of
 * sysbuild (`SB_CONFIG_BOOT_SIGNATURE_TYPE_*`). A project picks a member in a configuration fragment, or moves the
 * choice's default in a definition file of its own (an application's or a board's `Kconfig.sysbuild`, a board's
 * `Kconfig.defconfig`): `default BOOT_SIGNATURE_TYPE_NONE` there builds a bootloader that boots and swaps in any
 * image, with no fragment line to show it.
 */
import type { ProjectCondition } from '../../server/src/core/types';
import type { ChoiceDefault, KconfigDefinitions } from './kconfig/definitions';
import { requested, SYMBOLS_ON, symbolOn } from './kconfig/facts';

export const NO_SIGNATURE = 'BOOT_SIGNATURE_TYPE_NONE';

/** The members of the choice that make MCUboot verify images. */
export const SIGNATURE_TYPES = [
  'BOOT_SIGNATURE_TYPE_RSA',
  'BOOT_SIGNATURE_TYPE_ECDSA_P256',
  'BOOT_SIGNATURE_TYPE_ECDSA_P384',
  'BOOT_SIGNATURE_TYPE_ED25519',
  'BOOT_SIGNATURE_TYPE_EC256',
];

/** The project builds MCUboot (sysbuild's `BOOTLOADER_MCUBOOT`), or is MCUboot's own image (`MCUBOOT`). */
export const buildsMcuboot: ProjectCondition = symbolOn(['BOOTLOADER_MCUBOOT', 'MCUBOOT']);

/**
 * A fragment of the project picks a signature type itself, which overrides any definition's default. A file that
 * only moves the default does not list the choice's members, so the members are named here.
 */
export const signatureTypePicked: ProjectCondition = { fact: SYMBOLS_ON, anyOf: SIGNATURE_TYPES.map(requested) };

/** The `default BOOT_SIGNATURE_TYPE_NONE` lines of a definition file's choices. */
export function unsignedDefaults(defs: KconfigDefinitions): ChoiceDefault[] {
  return defs.choiceDefaults.filter((d) => d.symbol === NO_SIGNATURE);
}

/**
 * A Kconfig file of a board definition (`boards/<vendor>/<board>/Kconfig.sysbuild`): its defaults hold for builds
 * of that board only, so they say nothing about the project's other builds.
 */
export function isBoardKconfigPath(path: string): boolean {
  return path.replace(/\\/g, '/').split('/').slice(0, -1).includes('boards');
}
