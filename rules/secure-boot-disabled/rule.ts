import type { ConfigEntry } from '../../server/src/core/model/types';
import type { Confidence, Rule, RuleContext } from '../../server/src/core/types';

/**
 * Firmware configurations that leave nothing to check the application image at boot or update. Only
 * explicit settings count (`# CONFIG_X is not set` is explicit in sdkconfig): a missing line means the
 * default, which this rule does not guess. Debug-interface options (`CONFIG_SECURE_BOOT_ALLOW_JTAG`, ROM
 * download mode) belong to the debug-interface rules and are not reported here.
 */

const isOn = (entry: ConfigEntry | undefined) => !!entry && /^(y|1|true)$/i.test(entry.value);
const isOff = (entry: ConfigEntry | undefined) => !!entry && /^(n|0|false)$/i.test(entry.value);

/** `sdkconfig.debug`, `sdkconfig.defaults.dev`, `bench/prj.conf`: a build that is not meant to ship. */
function isDevelopmentConfig(path: string): boolean {
  const parts = path.toLowerCase().split(/[\\/]/).slice(-2).join('/');
  return /(^|[^a-z])(debug|dev|devel|development|bench|test|testing)([^a-z]|$)/.test(parts);
}

function isEspIdfConfig(ctx: RuleContext, entries: ReadonlyMap<string, ConfigEntry>): boolean {
  const name = ctx.path.split(/[\\/]/).pop()?.toLowerCase() ?? '';
  return name.startsWith('sdkconfig') || [...entries.keys()].some((key) => /^CONFIG_(IDF_TARGET|ESPTOOLPY_|ESP32|ESP_)/.test(key));
}

function findDisabledSecureBoot(ctx: RuleContext): void {
  const entries = new Map(ctx.model.config.map((e) => [e.key, e] as const));
  const development = isDevelopmentConfig(ctx.path);
  const lowered = (confidence: Confidence): Confidence => (development ? 'low' : confidence);
  const suffix = development ? ' (This looks like a development configuration; make sure it cannot be used for a release build.)' : '';
  const report = (entry: ConfigEntry, message: string, confidence: Confidence) =>
    ctx.report({ span: { start: entry.start, end: entry.end }, message: message + suffix, confidence: lowered(confidence) });

  if (isEspIdfConfig(ctx, entries)) {
    const secureBoot = entries.get('CONFIG_SECURE_BOOT');
    const signedApps = entries.get('CONFIG_SECURE_SIGNED_APPS_NO_SECURE_BOOT');
    if (isOff(secureBoot) && !isOn(signedApps)) {
      report(secureBoot!,
        'Secure boot is disabled and app signing is off, so the bootloader runs whatever image is in flash and updates are not signature-checked: anyone with flash or update access runs their own firmware. Enable CONFIG_SECURE_BOOT (Secure Boot v2) with a release signing key for production builds.',
        'high');
    }
    const insecure = entries.get('CONFIG_SECURE_BOOT_INSECURE');
    if (isOn(insecure)) {
      report(insecure!,
        'CONFIG_SECURE_BOOT_INSECURE allows options that weaken secure boot, so the chain of trust can be bypassed on a shipped device. Turn it off for release builds.',
        'medium');
    }
  }

  const signatureType = entries.get('CONFIG_BOOT_SIGNATURE_TYPE_NONE');
  if (isOn(signatureType)) {
    report(signatureType!,
      'MCUboot is built without signature verification (CONFIG_BOOT_SIGNATURE_TYPE_NONE), so it boots and upgrades to any image placed in a slot. Select a signature type (CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256 or ED25519) and provision the public key.',
      'high');
  }
  const validateSlot0 = entries.get('CONFIG_BOOT_VALIDATE_SLOT0');
  if (isOff(validateSlot0)) {
    report(validateSlot0!,
      'MCUboot does not validate the primary slot at boot (CONFIG_BOOT_VALIDATE_SLOT0=n), so an image modified in flash after installation still runs. Keep primary-slot validation on.',
      'medium');
  }
}

const rule = {
  meta: {
    id: 'secure-boot-disabled',
    title: 'Secure boot or image signature checking disabled',
    severity: 'critical',
    confidence: 'high',
    languages: ['kconfig'],
    cwe: [1326, 347],
    fda: ['app1.D.4', 'app1.D.1', 'app1.D.2', '524b.b2'],
    iec62443: ['EDR 3.14 RE(1)', 'EDR 3.14', 'EDR 3.12'],
    fix: 'none',
    presets: ['recommended'],
    docs: {
      summary:
        'Finds firmware configurations in which nothing verifies the application image: ESP-IDF `sdkconfig`/`sdkconfig.defaults` with `# CONFIG_SECURE_BOOT is not set` (or `=n`) and no signed apps (`CONFIG_SECURE_SIGNED_APPS_NO_SECURE_BOOT`), ESP-IDF `CONFIG_SECURE_BOOT_INSECURE=y`, and MCUboot/Zephyr `CONFIG_BOOT_SIGNATURE_TYPE_NONE=y` or `CONFIG_BOOT_VALIDATE_SLOT0=n`. Only explicit settings are reported; a missing line means the default. Files whose name or folder says debug, dev, bench or test are reported at low confidence. Debug-interface options (`CONFIG_SECURE_BOOT_ALLOW_JTAG`, ROM download mode) are left to the debug-interface rules.',
      risk:
        'Without secure boot the device runs whatever is in flash: a modified image written over the debug port, through a compromised update or by swapping the flash chip controls therapy, alarms and reported data, and nothing on the device can tell. FDA expects software and firmware to be validated before execution and asks for a hardware root of trust where the device has one.',
      fix:
        'For ESP-IDF release builds enable Secure Boot v2 (`CONFIG_SECURE_BOOT=y`, `CONFIG_SECURE_BOOT_V2_ENABLED=y`) with a release signing key kept off the build machine, together with flash encryption; keep `CONFIG_SECURE_BOOT_INSECURE` off. For MCUboot choose a signature type (ECDSA P-256 or Ed25519), provision the public key and keep primary-slot validation on. Keep development settings in a separate, clearly named file that release builds do not read.',
      examples: [
        {
          language: 'kconfig',
          bad: 'CONFIG_IDF_TARGET="esp32s3"\n# CONFIG_SECURE_SIGNED_APPS_NO_SECURE_BOOT is not set\n# CONFIG_SECURE_BOOT is not set\n',
          good: 'CONFIG_IDF_TARGET="esp32s3"\nCONFIG_SECURE_BOOT=y\nCONFIG_SECURE_BOOT_V2_ENABLED=y\nCONFIG_SECURE_BOOT_SIGNING_KEY="secure_boot_signing_key.pem"\n',
        },
        {
          language: 'kconfig',
          bad: 'CONFIG_BOOT_SIGNATURE_TYPE_NONE=y\nCONFIG_BOOT_UPGRADE_ONLY=y\n',
          good: 'CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256=y\nCONFIG_BOOT_SIGNATURE_KEY_FILE="keys/release-p256.pem"\nCONFIG_BOOT_UPGRADE_ONLY=y\n',
        },
      ],
      fixSafety:
        'No automatic fix: turning secure boot on needs a signing key, a signed bootloader and (on ESP32) burns eFuses irreversibly, so flipping the option alone would produce a build that cannot be flashed or bricks the board.',
      references: [
        { title: 'CWE-1326: Missing Immutable Root of Trust in Hardware', url: 'https://cwe.mitre.org/data/definitions/1326.html' },
        { title: 'ESP-IDF: Secure Boot v2', url: 'https://docs.espressif.com/projects/esp-idf/en/latest/esp32/security/secure-boot-v2.html' },
        { title: 'ESP-IDF: Security overview', url: 'https://docs.espressif.com/projects/esp-idf/en/latest/esp32/security/security.html' },
        { title: 'MCUboot: design and image validation', url: 'https://docs.mcuboot.com/design.html' },
        { title: 'FDA: Cybersecurity in Medical Devices (premarket guidance)', url: 'https://www.fda.gov/regulatory-information/search-fda-guidance-documents/cybersecurity-medical-devices-quality-system-considerations-and-content-premarket-submissions' },
      ],
    },
  },
  check(ctx) {
    findDisabledSecureBoot(ctx);
  },
} satisfies Rule;

export default rule;
