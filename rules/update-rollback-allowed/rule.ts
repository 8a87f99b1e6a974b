import type { Call, ConfigEntry, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { identifierWords } from '../_shared/identifier-words';
import { FIRMWARE_SINKS } from '../_shared/update-apis';
import { buildCallGraph } from '../_shared/update-paths';
import { guardedBefore } from '../_shared/anti-rollback';
import {
  configEntries,
  definedToZero,
  isConfigBackup,
  isDevelopmentConfigPath,
  isOff,
  isOn,
  isReleaseConfig,
} from '../_shared/firmware-config';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

/** What the rule sees of most of the controls it maps to (meta.sees). */
const NO_VERSION_CHECK = 'images activated without a version or security-counter check, anti-rollback switched off';

export default defineRule({
  meta: {
    id: 'update-rollback-allowed',
    title: 'Firmware update allows rollback to an older version',
    severity: 'high',
    confidence: 'medium',
    languages: ['c', 'cpp', 'kconfig'],
    cwe: [1328, 757],
    fda: ['app1.C.5', 'app1.D.3', 'app1.D.2', '524b.b2a', '524b.b2b'],
    sees: {
      'app1.C.5': NO_VERSION_CHECK,
      'app1.D.3': NO_VERSION_CHECK,
      'app1.D.2': NO_VERSION_CHECK,
      '524b.b2a': 'updates that let an older image back in',
      '524b.b2b': 'updates that let an older image back in',
    },
    iec62443: ['CR 3.4', 'EDR 3.10'],
    fix: 'suggestion',
    presets: ['recommended'],
    // C and C++ (findUncheckedActivations): the activations of FIRMWARE_SINKS whose kind is 'path'
    // (esp_ota_set_boot_partition, esp_ota_end, esp_https_ota*, Update.end, ESPhttpUpdate.update,
    // boot_request_upgrade*), the nRF5 setting, and a binding named for a downgrade or rollback. Kconfig
    // fragments provide a project fact from any file.
    needs: (_, language) => (language === 'c' || language === 'cpp' ? NATIVE_NEEDS : undefined),
    docs,
  },
  check(ctx) {
    if (ctx.language === 'kconfig') {
      if (!isConfigBackup(ctx.path)) findConfigRollback(ctx);
    } else findUncheckedActivations(ctx);
  },
});

/**
 * An update path that never compares the new image's version with the running one (or a stored security
 * counter) installs an older, signed, vulnerable image just as happily as a new one. Reported at the
 * activation call (C/C++) or at the explicit setting (kconfig, `allow_downgrade = true`).
 */

const ACTIVATIONS = FIRMWARE_SINKS.filter((spec) => spec.kind === 'path');

const NATIVE_NEEDS = [
  'esp_ota_set_boot_partition',
  'esp_ota_end',
  'esp_https_ota',
  'update',
  'boot_request_upgrade',
  'downgrade',
  'rollback',
];

const VERSION_WORDS = new Set(['version', 'versions', 'ver', 'svn', 'revision', 'downgrade', 'semver']);
const COUNTER_QUALIFIERS = new Set(['security', 'monotonic', 'rollback', 'nv', 'anti']);
/** A name of word characters (the lookahead; then no `\w*` follows another) that compares. */
const COMPARE_CALL = /^(?=\w*$)(?:strn?cmp$|memcmp$|strverscmp$|compare|\w*_cmp$|\w*Compare)/;
const CHECK_WORDS = new Set(['cmp', 'compare', 'check', 'newer', 'older', 'validate', 'verify', 'update', 'is', 'allowed']);

function isVersionName(name: string): boolean {
  const words = identifierWords(name.split(/\.|->|::/).pop() ?? name);
  if (words.some((w) => VERSION_WORDS.has(w))) return true;
  return words.includes('counter') && words.some((w) => COUNTER_QUALIFIERS.has(w));
}

/** `esp_efuse_check_secure_version`, `version_compare`, `is_newer_version`: a call that is a version check. */
function isVersionCheckCall(call: Call): boolean {
  const words = identifierWords(call.name);
  return isVersionName(call.name) && words.some((w) => CHECK_WORDS.has(w));
}

const IDENTIFIER = /[A-Za-z_]\w*(?:(?:\.|->)[A-Za-z_]\w*)*/g;

/** Whether `fn`'s text before `before` compares a version: `new.version <= cur.version`, `memcmp(a.version, ...)`. */
function comparesVersion(ctx: RuleContext, fn: FunctionDef, before: number): boolean {
  const { model, text } = ctx;
  if (
    fn.calls.some(
      (c) =>
        c.start < before &&
        (isVersionCheckCall(c) ||
          (COMPARE_CALL.test(c.name) && c.args.some((a) => a.kind !== 'string' && tokens(a.text).some(isVersionName)))),
    )
  ) {
    return true;
  }
  const from = fn.body?.start ?? fn.start;
  const body = text.content.slice(from, Math.min(before, fn.end));
  for (const m of body.matchAll(IDENTIFIER)) {
    const at = from + (m.index ?? 0);
    if (!isVersionName(m[0]) || model.comments.some((c) => c.start <= at && at < c.end)) continue;
    const after = body.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 4);
    const prefix = body.slice(Math.max(0, (m.index ?? 0) - 4), m.index ?? 0);
    if (/^\s*(==|!=|<=|>=|<(?!<)|>(?!>))/.test(after) || /(==|!=|<=|>=|[^<-]<|[^>-]>)\s*$/.test(prefix)) return true;
  }
  return false;
}

function tokens(text: string): string[] {
  return [...text.matchAll(IDENTIFIER)].map((m) => m[0]);
}

const DOWNGRADE_TEXT = /downgrade|rollback/i;

function findUncheckedActivations(ctx: RuleContext): void {
  findNordicDowngradeSetting(ctx);
  const { model, text } = ctx;
  const graph = buildCallGraph(model, text);
  // `#if !CONFIG_BOOTLOADER_APP_ANTI_ROLLBACK` + `#error`: the build enforces the bootloader's version check.
  const enforcedByBuild =
    model.directives.some((d) => d.kind === '#error') &&
    model.directives.some((d) =>
      /\b(CONFIG_BOOTLOADER_APP_ANTI_ROLLBACK|CONFIG_MCUBOOT_DOWNGRADE_PREVENTION|MCUBOOT_DOWNGRADE_PREVENTION)\b/.test(d.condition),
    );
  for (const fn of enforcedByBuild ? [] : model.functions) {
    const fnText = text.content.slice(fn.start, fn.end);
    for (const call of fn.calls) {
      const spec = ACTIVATIONS.find((s) => s.matches(call));
      if (!spec) continue;
      if (spec.deferTo && model.calls.some((c) => spec.deferTo!.includes(c.name))) continue;
      if (spec.benign?.(fn, fnText)) continue;
      if (guardedBefore(graph, fn, call.start, (f, before) => comparesVersion(ctx, f, before))) continue;
      ctx.report({
        span: { start: call.start, end: call.end },
        message: `\`${call.callee}()\` activates an image without comparing its version (or security counter) with the running one on any path in this file, so an older, validly signed image with known vulnerabilities can be installed. Refuse images whose secure version is lower than the stored one (e.g. ESP-IDF anti-rollback, MCUboot downgrade prevention, or an explicit check).`,
        // A project whose firmware configuration turns on the bootloader's own version check is covered.
        unless: { fact: BOOTLOADER_ENFORCES, anyOf: ['yes'] },
      });
    }
  }
  for (const binding of model.bindings) {
    // Every name that allows a downgrade holds one of these words: the rest are answered without splitting.
    if (!DOWNGRADE_TEXT.test(binding.name)) continue;
    const words = identifierWords(binding.name);
    const allowsDowngrade =
      (words.includes('allow') && (words.includes('downgrade') || words.includes('downgrades'))) ||
      (words.some((w) => w === 'disable' || w === 'skip' || w === 'no') &&
        (words.includes('downgrade') || (words.includes('anti') && words.includes('rollback'))));
    if (!allowsDowngrade || !/^(true|True|1|y)$/.test(binding.value.value ?? binding.value.text)) continue;
    ctx.report({
      span: { start: binding.start, end: binding.end },
      message: `\`${binding.target}\` turns downgrade protection off, so an older, vulnerable firmware image is accepted. Remove the switch and keep version checks on in every build that can reach a device.`,
    });
  }
}

/** Project fact: a firmware configuration of this project has the bootloader refuse older images. */
const BOOTLOADER_ENFORCES = 'bootloader-enforces-anti-rollback';

/**
 * This configuration itself says the firmware takes updates: an OTA partition layout, or the bootloader's
 * rollback of a failed update (which only an OTA build uses).
 */
function configUpdates(entries: ReadonlyMap<string, ConfigEntry>): boolean {
  return ['CONFIG_PARTITION_TABLE_TWO_OTA', 'CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE', 'CONFIG_APP_ROLLBACK_ENABLE'].some((key) =>
    isOn(entries.get(key)),
  );
}

function findConfigRollback(ctx: RuleContext): void {
  const entries = configEntries(ctx.model.config);
  const antiRollback = entries.get('CONFIG_BOOTLOADER_APP_ANTI_ROLLBACK');
  if (isOn(antiRollback) || isOn(entries.get('CONFIG_MCUBOOT_DOWNGRADE_PREVENTION'))) ctx.provide(BOOTLOADER_ENFORCES, ['yes']);
  const updates = configUpdates(entries);
  // A release build (secure boot on, or named so) that takes OTA updates; secure boot alone keeps the old low-confidence report.
  if (
    isOff(antiRollback) &&
    (isOn(entries.get('CONFIG_SECURE_BOOT')) || (updates && isReleaseConfig(ctx.path, entries, ctx.text.content)))
  ) {
    ctx.report({
      span: { start: antiRollback.start, end: antiRollback.end },
      message: `${updates ? 'This release configuration takes OTA updates' : 'Secure boot is on'} but bootloader anti-rollback is off, so the bootloader boots any correctly signed image, including an older one with known vulnerabilities. Enable CONFIG_BOOTLOADER_APP_ANTI_ROLLBACK and raise CONFIG_BOOTLOADER_APP_SECURE_VERSION with each security fix, unless the application enforces its own version check.`,
      confidence: updates ? 'medium' : 'low',
    });
  }
  const downgrade = entries.get('CONFIG_MCUBOOT_DOWNGRADE_PREVENTION');
  if (isOff(downgrade)) {
    ctx.report({
      span: { start: downgrade!.start, end: downgrade!.end },
      message:
        'MCUboot downgrade prevention is off, so an older, validly signed image can be swapped in. Enable CONFIG_MCUBOOT_DOWNGRADE_PREVENTION (with a security counter) for release builds.',
      confidence: 'medium',
    });
  }
}

/**
 * Nordic nRF5 SDK bootloader `sdk_config.h`: `#define NRF_DFU_APP_DOWNGRADE_PREVENTION 0` makes the DFU
 * bootloader accept an application whose version is lower than the installed one.
 */
function findNordicDowngradeSetting(ctx: RuleContext): void {
  if (!ctx.text.content.includes('NRF_DFU_APP_DOWNGRADE_PREVENTION')) return;
  const setting = definedToZero(ctx.model, 'NRF_DFU_APP_DOWNGRADE_PREVENTION');
  if (!setting) return;
  const development = isDevelopmentConfigPath(ctx.path);
  ctx.report({
    span: { start: setting.binding.start, end: setting.binding.end },
    message: `NRF_DFU_APP_DOWNGRADE_PREVENTION is 0, so the nRF5 DFU bootloader installs an application older than the one running, signed or not: an attacker can put back a release with known vulnerabilities. Set it to 1 and raise the application version in each release package.${development ? ' (This looks like a development configuration; make sure no release bootloader is built from it.)' : ''}`,
    confidence: development ? 'low' : 'medium',
    fixes: [{ title: 'Set NRF_DFU_APP_DOWNGRADE_PREVENTION to 1', safety: 'suggestion', edits: [{ span: setting.value, newText: '1' }] }],
  });
}
