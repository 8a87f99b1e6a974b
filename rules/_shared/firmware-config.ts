/**
 * Reading firmware configuration files (ESP-IDF `sdkconfig*`, Zephyr `prj.conf` and overlays, MCUboot and
 * sysbuild fragments): explicit settings only, and which build a file configures. A missing line means the
 * Kconfig default, which the rules do not guess; `# CONFIG_X is not set` is explicit (the model reads it as `n`).
 */
import type { Binding, CodeModel, ConfigEntry } from '../../server/src/core/model/types';
import type { Span } from '../../server/src/core/types';

export const isOn = (entry: ConfigEntry | undefined): entry is ConfigEntry => !!entry && /^(y|1|true)$/i.test(entry.value);
export const isOff = (entry: ConfigEntry | undefined): entry is ConfigEntry => !!entry && /^(n|0|false)$/i.test(entry.value);

/** The explicit settings of a file by key; sysbuild's `SB_CONFIG_X` is read as `CONFIG_X` where no `CONFIG_X` is set. */
export function configEntries(config: readonly ConfigEntry[]): Map<string, ConfigEntry> {
  const entries = new Map<string, ConfigEntry>();
  for (const entry of config) entries.set(entry.key, entry);
  for (const entry of config) {
    if (!entry.key.startsWith('SB_CONFIG_')) continue;
    const key = entry.key.slice(3);
    if (!entries.has(key)) entries.set(key, entry);
  }
  return entries;
}

const nameOf = (path: string) => path.replace(/\\/g, '/').split('/').pop()?.toLowerCase() ?? '';

/** ESP-IDF project configuration: an `sdkconfig*` file, or one that sets ESP-IDF-only options. */
export function isEspIdfConfig(path: string, entries: ReadonlyMap<string, ConfigEntry>): boolean {
  return nameOf(path).startsWith('sdkconfig') || [...entries.keys()].some((key) => /^CONFIG_(IDF_TARGET|ESPTOOLPY_|ESP32|ESP_)/.test(key));
}

/**
 * A backup of an earlier configuration (`sdkconfig.old`, `.config.old`): menuconfig writes it when the configuration
 * is saved, and no build reads it. Rules about what a build turns on or off skip it; the secrets rules still read it,
 * since a committed backup leaks what it holds.
 */
export function isConfigBackup(path: string): boolean {
  return nameOf(path).endsWith('.old');
}

/** The last two path segments say the build is not meant to ship: `sdkconfig.debug`, `sdkconfig.ci.hmac` (a CI test build), `bench/prj.conf`, `overlay-dev.conf`. */
export function isDevelopmentConfigPath(path: string): boolean {
  const tail = path.replace(/\\/g, '/').toLowerCase().split('/').slice(-2).join('/');
  return /(?:^|[^a-z])(?:debug|dbg|dev|devel|development|bench|ci|test|testing|local|example|examples|demo|sample|samples)(?:[^a-z]|$)/.test(
    tail,
  );
}

/** The last two path segments name a shipping build: `sdkconfig.release`, `sdkconfig.defaults.prod`, `production/prj.conf`. */
export function isReleaseConfigPath(path: string): boolean {
  const tail = path.replace(/\\/g, '/').toLowerCase().split('/').slice(-2).join('/');
  return /(?:^|[^a-z])(?:release|prod|production|shipping)(?:[^a-z]|$)/.test(tail);
}

/** The comment block that opens the file, as one line; ESP-IDF's generated banner ("IoT Development Framework") left out. */
function headerOf(content: string): string {
  const header: string[] = [];
  for (const line of content.split('\n', 40)) {
    const t = line.trim();
    if (t && !t.startsWith('#')) break;
    if (/^#\s*CONFIG_\w+ is not set/.test(t)) break;
    header.push(t);
  }
  return header.join(' ').replace(/\bIoT Development Framework\b/gi, '');
}

/** The comment block that opens the file says the build is not meant to ship: `# Bench rig`, `# not for production`. */
export function headerSaysDevelopment(content: string): boolean {
  return /\b(?:debug|development|devkit|dev board|bench|testing|not for (?:release|production))\b/i.test(headerOf(content));
}

/** The comment block that opens the file says it configures the shipping build: `# Release configuration of ...`. */
export function headerSaysRelease(content: string): boolean {
  if (headerSaysDevelopment(content)) return false;
  return /\b(?:release|production|shipping)\b/i.test(headerOf(content));
}

/**
 * A configuration for the build that ships: its name, or the comment that opens it, says release or production,
 * or it turns secure boot on, which only a production build does (it burns eFuses); and its name does not say
 * debug, development, test, bench or example.
 */
export function isReleaseConfig(path: string, entries: ReadonlyMap<string, ConfigEntry>, content = ''): boolean {
  if (isDevelopmentConfigPath(path)) return false;
  if (isReleaseConfigPath(path) || headerSaysRelease(content)) return true;
  return isOn(entries.get('CONFIG_SECURE_BOOT')) || isOn(entries.get('CONFIG_SECURE_BOOT_V2_ENABLED'));
}

/**
 * What a configuration file is to the build, one policy for the rules about the security settings it holds
 * (secure-boot-disabled, flash-encryption-disabled):
 * - `backup`: `sdkconfig.old` and friends, which no build reads: not judged;
 * - `development`: its name or opening comment says debug, dev, bench, ci, test, example, not for production:
 *   judged, at low confidence, with a note to keep it out of release builds;
 * - `release`: its name or opening comment says release or production, or it turns secure boot on;
 * - `build`: any other configuration a build reads, judged like a release one: the project's committed choice
 *   (`sdkconfig.defaults`, `sdkconfig.defaults.<target>`, `prj.conf`), and a committed `sdkconfig` (or
 *   PlatformIO's `sdkconfig.<env>`): ESP-IDF generates it, but once committed it is what the next build uses.
 */
export type ConfigRole = 'backup' | 'development' | 'release' | 'build';

export function configRole(path: string, entries: ReadonlyMap<string, ConfigEntry>, content: string): ConfigRole {
  if (isConfigBackup(path)) return 'backup';
  if (isDevelopmentConfigPath(path) || headerSaysDevelopment(content)) return 'development';
  return isReleaseConfig(path, entries, content) ? 'release' : 'build';
}

/** The note a finding in a development configuration carries. */
export const DEVELOPMENT_NOTE = ' (This looks like a development configuration; make sure it cannot be used for a release build.)';

/**
 * A Nordic nRF5 SDK `sdk_config.h` option defined to 0 (`#define NRF_DFU_REQUIRE_SIGNED_APP_UPDATE 0`), with
 * the span of the value for a fix. The SDK wraps each option in `#ifndef`, so the define is the setting.
 */
export function definedToZero(model: CodeModel, name: string): { binding: Binding; value: Span } | undefined {
  const binding = model.bindings.find((b) => b.kind === 'define' && b.name === name && b.value.text.trim() === '0');
  return binding ? { binding, value: { start: binding.value.start, end: binding.value.end } } : undefined;
}
