import type { ConfigEntry } from '../../server/src/core/model/types';
import type { Confidence, RuleContext } from '../../server/src/core/types';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import {
  configEntries,
  configRole,
  definedToZero,
  DEVELOPMENT_NOTE,
  isConfigBackup,
  isDevelopmentConfigPath,
  isEspIdfConfig,
  isOff,
  isOn,
} from '../_shared/firmware-config';
import { findUnsignedDefault } from './unsigned-default';
import { provideFragmentSymbols } from '../_shared/kconfig/facts';

export default defineRule({
  meta: {
    id: 'secure-boot-disabled',
    title: 'Secure boot or image signature checking disabled',
    severity: 'critical',
    confidence: 'high',
    // `text`: Kconfig definition files (`Kconfig.sysbuild`) have no extension the engine knows.
    languages: ['kconfig', 'c', 'text'],
    cwe: [1326, 347],
    fda: ['app1.D.4', 'app1.D.1', 'app1.D.2', '524b.b2'],
    sees: {
      'app1.D.4': 'secure boot and signed-image settings switched off in firmware configuration',
      'app1.D.1': 'secure boot and image signature checking switched off in firmware configuration',
      'app1.D.2': 'boot without image signature checking',
    },
    iec62443: ['EDR 3.14 RE(1)', 'EDR 3.14', 'EDR 3.12'],
    fix: 'suggestion',
    presets: ['recommended'],
    // In C only the nRF5 SDK's setting (findUnsignedNordicDfu); Kconfig and text files provide facts from any file.
    needs: (_, language) => (language === 'c' ? [NRF_SIGNED_UPDATE] : undefined),
    docs,
  },
  check(ctx) {
    if (ctx.language === 'c') findUnsignedNordicDfu(ctx);
    else if (ctx.language === 'text') findUnsignedDefault(ctx);
    else if (!isConfigBackup(ctx.path)) {
      findDisabledSecureBoot(ctx);
      // What the fragment turns on, for the Kconfig defaults' conditions (unsigned-default.ts).
      provideFragmentSymbols(ctx, isDevelopmentConfigPath);
    }
  },
});

/**
 * Firmware configurations that leave nothing to check the application image at boot or update. Only
 * explicit settings count (`# CONFIG_X is not set` is explicit in sdkconfig): a missing line means the
 * default, which this rule does not guess. Debug-interface options (`CONFIG_SECURE_BOOT_ALLOW_JTAG`, ROM
 * download mode) belong to the debug-interface rules and are not reported here.
 */

function findDisabledSecureBoot(ctx: RuleContext): void {
  // Sysbuild (`sysbuild.conf`) sets MCUboot's options as SB_CONFIG_BOOT_*.
  const entries = configEntries(ctx.model.config);
  // Which files count, and how: the policy of `configRole`, shared with flash-encryption-disabled.
  const development = configRole(ctx.path, entries, ctx.text.content) === 'development';
  const lowered = (confidence: Confidence): Confidence => (development ? 'low' : confidence);
  const suffix = development ? DEVELOPMENT_NOTE : '';
  const report = (entry: ConfigEntry, message: string, confidence: Confidence) =>
    ctx.report({ span: { start: entry.start, end: entry.end }, message: message + suffix, confidence: lowered(confidence) });

  if (isEspIdfConfig(ctx.path, entries)) {
    const secureBoot = entries.get('CONFIG_SECURE_BOOT');
    const signedApps = entries.get('CONFIG_SECURE_SIGNED_APPS_NO_SECURE_BOOT');
    if (isOff(secureBoot) && !isOn(signedApps)) {
      report(
        secureBoot!,
        'Secure boot is disabled and app signing is off, so the bootloader runs whatever image is in flash and updates are not signature-checked: anyone with flash or update access runs their own firmware. Enable CONFIG_SECURE_BOOT (Secure Boot v2) with a release signing key for production builds.',
        'high',
      );
    }
    const insecure = entries.get('CONFIG_SECURE_BOOT_INSECURE');
    if (isOn(insecure)) {
      report(
        insecure!,
        'CONFIG_SECURE_BOOT_INSECURE allows options that weaken secure boot, so the chain of trust can be bypassed on a shipped device. Turn it off for release builds.',
        'medium',
      );
    }
  }

  const signatureType = entries.get('CONFIG_BOOT_SIGNATURE_TYPE_NONE');
  if (isOn(signatureType)) {
    report(
      signatureType!,
      `MCUboot is built without signature verification (${signatureType!.key}), so it boots and upgrades to any image placed in a slot. Select a signature type (CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256 or ED25519) and provision the public key.`,
      'high',
    );
  }
  const validateSlot0 = entries.get('CONFIG_BOOT_VALIDATE_SLOT0');
  if (isOff(validateSlot0)) {
    report(
      validateSlot0!,
      'MCUboot does not validate the primary slot at boot (CONFIG_BOOT_VALIDATE_SLOT0=n), so an image modified in flash after installation still runs. Keep primary-slot validation on.',
      'medium',
    );
  }
}

/**
 * Nordic nRF5 SDK bootloader `sdk_config.h`: `#define NRF_DFU_REQUIRE_SIGNED_APP_UPDATE 0` lets the DFU
 * bootloader install an application (or SoftDevice) whose init packet carries no valid signature.
 */
const NRF_SIGNED_UPDATE = 'NRF_DFU_REQUIRE_SIGNED_APP_UPDATE';

function findUnsignedNordicDfu(ctx: RuleContext): void {
  if (!ctx.text.content.includes(NRF_SIGNED_UPDATE)) return;
  const setting = definedToZero(ctx.model, NRF_SIGNED_UPDATE);
  if (!setting) return;
  const development = isDevelopmentConfigPath(ctx.path);
  ctx.report({
    span: { start: setting.binding.start, end: setting.binding.end },
    message: `NRF_DFU_REQUIRE_SIGNED_APP_UPDATE is 0, so the nRF5 DFU bootloader installs application and SoftDevice updates without a valid signature: anyone who can start DFU (over BLE, often without pairing) runs their own firmware. Set it to 1 and sign packages with nrfutil and the private key that matches the bootloader's public key.${development ? ' (This looks like a development configuration; make sure no release bootloader is built from it.)' : ''}`,
    confidence: development ? 'low' : 'high',
    fixes: [{ title: 'Set NRF_DFU_REQUIRE_SIGNED_APP_UPDATE to 1', safety: 'suggestion', edits: [{ span: setting.value, newText: '1' }] }],
  });
}
