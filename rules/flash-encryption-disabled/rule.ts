/**
 * flash-encryption-disabled: an ESP-IDF configuration for the build that ships leaves flash encryption off or in
 * development mode, so the firmware, its keys and the patient data in flash can be read back in plaintext.
 */
import type { ConfigEntry } from '../../server/src/core/model/types';
import type { Confidence, RuleContext } from '../../server/src/core/types';
import {
  configEntries,
  headerSaysRelease,
  isConfigBackup,
  isEspIdfConfig,
  isOff,
  isOn,
  isReleaseConfig,
  isReleaseConfigPath,
} from '../_shared/firmware-config';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'flash-encryption-disabled',
    title: 'Flash encryption off in a release firmware configuration',
    severity: 'high',
    confidence: 'high',
    languages: ['kconfig'],
    cwe: [311, 312],
    fda: ['app1.E.1', 'app1.D.1', '524b.b2'],
    sees: {
      'app1.E.1': 'firmware, keys and stored data left unencrypted in flash by a release configuration',
      'app1.D.1': 'flash encryption off or in development mode in a release configuration',
    },
    iec62443: ['CR 4.1', 'EDR 2.13'],
    fix: 'none',
    presets: ['recommended'],
    // Both reports are on `CONFIG_SECURE_FLASH_ENC_ENABLED` or `CONFIG_SECURE_FLASH_ENCRYPTION_MODE_DEVELOPMENT`.
    needs: ['secure_flash_enc'],
    docs,
  },
  check(ctx) {
    if (!isConfigBackup(ctx.path)) findUnencryptedFlash(ctx);
  },
});

/** Why the build counts as shipping, for the message. */
function releaseReason(path: string, content: string): string {
  if (isReleaseConfigPath(path)) return 'this configuration is named for a release build';
  if (headerSaysRelease(content)) return 'this configuration says it is for the release build';
  return 'this configuration turns secure boot on, as a production build does';
}

function findUnencryptedFlash(ctx: RuleContext): void {
  const entries = configEntries(ctx.model.config);
  if (!isEspIdfConfig(ctx.path, entries) || !isReleaseConfig(ctx.path, entries, ctx.text.content)) return;
  const why = releaseReason(ctx.path, ctx.text.content);
  const report = (entry: ConfigEntry, message: string, confidence: Confidence) =>
    ctx.report({ span: { start: entry.start, end: entry.end }, message, confidence });

  const enabled = entries.get('CONFIG_SECURE_FLASH_ENC_ENABLED');
  if (isOff(enabled)) {
    report(
      enabled,
      `Flash encryption is off although ${why}: anyone who reads the flash chip or uses the ROM download mode gets the firmware, its keys and credentials, and the patient data stored in flash in plaintext. Enable CONFIG_SECURE_FLASH_ENC_ENABLED in release mode (CONFIG_SECURE_FLASH_ENCRYPTION_MODE_RELEASE) together with secure boot.`,
      'high',
    );
    return;
  }
  const development = entries.get('CONFIG_SECURE_FLASH_ENCRYPTION_MODE_DEVELOPMENT');
  if (isOn(enabled) && isOn(development)) {
    report(
      development,
      `Flash encryption is in development mode although ${why}: the UART bootloader can still write new plaintext firmware and the encryption can be turned off again, so the protection is one serial cable away. Use CONFIG_SECURE_FLASH_ENCRYPTION_MODE_RELEASE for the build that ships.`,
      'medium',
    );
  }
}
