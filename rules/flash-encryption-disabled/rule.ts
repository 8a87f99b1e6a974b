/**
 * flash-encryption-disabled: an ESP-IDF configuration a build reads leaves flash encryption off or in development
 * mode, so the firmware, its keys and the patient data in flash can be read back in plaintext. Which files count
 * is the policy of `configRole` (shared with secure-boot-disabled).
 */
import type { ConfigEntry } from '../../server/src/core/model/types';
import type { Confidence, RuleContext } from '../../server/src/core/types';
import {
  configEntries,
  configRole,
  DEVELOPMENT_NOTE,
  headerSaysRelease,
  isEspIdfConfig,
  isOff,
  isOn,
  isReleaseConfigPath,
  type ConfigRole,
} from '../_shared/firmware-config';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'flash-encryption-disabled',
    title: 'Flash encryption off in a firmware build configuration',
    severity: 'high',
    confidence: 'high',
    languages: ['kconfig'],
    cwe: [311, 312],
    fda: ['app1.E.1', 'app1.D.1', '524b.b2'],
    sees: {
      'app1.E.1': 'firmware, keys and stored data left unencrypted in flash by a build configuration',
      'app1.D.1': 'flash encryption off or in development mode in a build configuration',
    },
    iec62443: ['CR 4.1', 'EDR 2.13'],
    fix: 'none',
    presets: ['recommended'],
    // Both reports are on `CONFIG_SECURE_FLASH_ENC_ENABLED` or `CONFIG_SECURE_FLASH_ENCRYPTION_MODE_DEVELOPMENT`.
    needs: ['secure_flash_enc'],
    docs,
  },
  check(ctx) {
    findUnencryptedFlash(ctx);
  },
});

/** Which build the configuration sets, for the message. */
function buildReason(role: ConfigRole, path: string, content: string): string {
  if (role === 'development') return 'in this configuration';
  if (role === 'build') return 'in this configuration, which the build reads as committed';
  if (isReleaseConfigPath(path)) return 'although this configuration is named for a release build';
  if (headerSaysRelease(content)) return 'although this configuration says it is for the release build';
  return 'although this configuration turns secure boot on, as a production build does';
}

function findUnencryptedFlash(ctx: RuleContext): void {
  const entries = configEntries(ctx.model.config);
  if (!isEspIdfConfig(ctx.path, entries)) return;
  const role = configRole(ctx.path, entries, ctx.text.content);
  if (role === 'backup') return;
  const why = buildReason(role, ctx.path, ctx.text.content);
  const note = role === 'development' ? DEVELOPMENT_NOTE : '';
  const report = (entry: ConfigEntry, message: string, confidence: Confidence) =>
    ctx.report({
      span: { start: entry.start, end: entry.end },
      message: message + note,
      confidence: role === 'development' ? 'low' : confidence,
    });

  const enabled = entries.get('CONFIG_SECURE_FLASH_ENC_ENABLED');
  if (isOff(enabled)) {
    report(
      enabled,
      `Flash encryption is off ${why}: anyone who reads the flash chip or uses the ROM download mode gets the firmware, its keys and credentials, and the patient data stored in flash in plaintext. Enable CONFIG_SECURE_FLASH_ENC_ENABLED in release mode (CONFIG_SECURE_FLASH_ENCRYPTION_MODE_RELEASE) together with secure boot.`,
      'high',
    );
    return;
  }
  const development = entries.get('CONFIG_SECURE_FLASH_ENCRYPTION_MODE_DEVELOPMENT');
  if (isOn(enabled) && isOn(development)) {
    report(
      development,
      `Flash encryption is in development mode ${why}: the UART bootloader can still write new plaintext firmware and the encryption can be turned off again, so the protection is one serial cable away. Use CONFIG_SECURE_FLASH_ENCRYPTION_MODE_RELEASE for the build that ships.`,
      'medium',
    );
  }
}
