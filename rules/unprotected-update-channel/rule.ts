/**
 * unprotected-update-channel: firmware configuration that opens the update channel to anyone: ESP-IDF OTA
 * allowed over plain HTTP, and Zephyr mcumgr image (or file, shell, OS) management over Bluetooth without
 * pairing and authentication, or over UDP, which has none.
 */
import type { ConfigEntry } from '../../server/src/core/model/types';
import type { Fix, RuleContext } from '../../server/src/core/types';
import { configEntries, isConfigBackup, isDevelopmentConfigPath, isOff, isOn } from '../_shared/firmware-config';
import { provideFragmentSymbols, symbolOn } from '../_shared/kconfig-select';
import { AUTHENTICATED_PERMISSION_SYMBOLS, AUTHENTICATING_SYMBOLS, findSelectedChannels, NCS_BT_DFU_SYMBOL } from './selected-transport';
import { provideSmpAuthorization, SMP_COMMANDS_AUTHORIZED } from './smp-hook';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'unprotected-update-channel',
    title: 'Firmware update channel open without authentication or encryption',
    severity: 'high',
    confidence: 'high',
    languages: ['kconfig', 'text', 'c'],
    cwe: [306, 319, 494],
    fda: ['app1.A.4', 'app1.D.3', '524b.b2'],
    sees: {
      'app1.A.4': 'update channels open without authentication (mcumgr over BLE or UDP, OTA over HTTP)',
      'app1.D.3': 'update channels open without authentication or encryption',
    },
    iec62443: ['EDR 3.10 RE(1)', 'CR 1.2', 'CR 3.1'],
    fix: 'suggestion',
    presets: ['recommended'],
    // A C file provides its fact only where it registers an SMP hook (smp-hook.ts); Kconfig and text files
    // provide theirs from any file.
    needs: (_, language) => (language === 'c' ? ['mgmt_callback_register'] : undefined),
    docs,
  },
  check(ctx) {
    if (ctx.language === 'c') {
      provideSmpAuthorization(ctx);
      return;
    }
    // Kconfig definition files (`Kconfig`, read as text): transports an application symbol selects.
    if (ctx.language === 'text') {
      const answers = {
        btAuthenticated: { fact: BT_AUTHENTICATED, anyOf: ['yes'] },
        permissionAuthenticated: { fact: BT_PERMISSION_AUTHENTICATED, anyOf: ['yes'] },
        commandsAuthorized: COMMANDS_AUTHORIZED,
      };
      for (const hit of findSelectedChannels(ctx, answers))
        ctx.report({
          span: hit.selected.span,
          message: hit.message,
          when: hit.when,
          unless: hit.unless,
          // As for a transport set `=y` and left to its default permission: the default is the guess. The DFU
          // option's default permission is written in its Kconfig, as for `CONFIG_NCS_SAMPLE_MCUMGR_BT_OTA_DFU=y`.
          ...(hit.bt && hit.selected.target !== NCS_BT_DFU_SYMBOL ? { confidence: 'medium' as const } : {}),
        });
      return;
    }
    // A backup of an earlier configuration configures no build: it neither opens a channel nor closes one.
    if (isConfigBackup(ctx.path)) return;
    provideFragmentSymbols(ctx, isDevelopmentConfigPath);
    const entries = configEntries(ctx.model.config);
    findHttpOta(ctx, entries);
    findOpenMcumgr(ctx, entries);
  },
});

/** Answers every mcumgr finding: the application refuses commands it has not authorized, whatever the transport. */
const COMMANDS_AUTHORIZED = { fact: SMP_COMMANDS_AUTHORIZED, anyOf: ['yes'] };

const DEVELOPMENT_NOTE = ' (This looks like a development configuration; make sure no release build reads it.)';

function flipFix(ctx: RuleContext, entry: ConfigEntry, to: string): Fix | undefined {
  if (ctx.text.content.slice(entry.valueSpan.start, entry.valueSpan.end) !== 'y') return undefined;
  return { title: `Set ${entry.key}=${to}`, safety: 'suggestion', edits: [{ span: entry.valueSpan, newText: to }] };
}

/** `CONFIG_ESP_HTTPS_OTA_ALLOW_HTTP=y`: esp_https_ota accepts `http://` URLs, so the image travels in cleartext. */
function findHttpOta(ctx: RuleContext, entries: ReadonlyMap<string, ConfigEntry>): void {
  const allowHttp = entries.get('CONFIG_ESP_HTTPS_OTA_ALLOW_HTTP');
  if (!isOn(allowHttp)) return;
  const development = isDevelopmentConfigPath(ctx.path);
  ctx.report({
    span: { start: allowHttp.start, end: allowHttp.end },
    message: `CONFIG_ESP_HTTPS_OTA_ALLOW_HTTP=y lets esp_https_ota download firmware over plain HTTP: anyone on the network path can read the image and, unless every image is signature-checked, replace it. Turn it off and serve updates over HTTPS with the server certificate pinned.${development ? DEVELOPMENT_NOTE : ''}`,
    confidence: development ? 'low' : 'high',
    fixes: [flipFix(ctx, allowHttp, 'n')].filter((f): f is Fix => !!f),
  });
}

/** mcumgr groups that change what the device runs or stores, by current and legacy Kconfig name. */
const SENSITIVE_GROUPS: readonly { keys: string[]; what: string }[] = [
  { keys: ['CONFIG_MCUMGR_GRP_IMG', 'CONFIG_MCUMGR_CMD_IMG_MGMT'], what: 'upload and activate firmware images' },
  { keys: ['CONFIG_MCUMGR_GRP_SHELL', 'CONFIG_MCUMGR_CMD_SHELL_MGMT'], what: 'run shell commands' },
  { keys: ['CONFIG_MCUMGR_GRP_FS', 'CONFIG_MCUMGR_CMD_FS_MGMT'], what: 'read and write files' },
];

/**
 * nRF Connect SDK's one-line Bluetooth DFU option: it selects the Bluetooth transport, implies the image group (with
 * MCUboot), and makes the transport's default permission MCUMGR_TRANSPORT_BT_PERM_RW, which needs no pairing, whether
 * or not BT_SMP is on (samples/common/mcumgr_bt_ota_dfu/Kconfig).
 */
const NCS_BT_DFU = `CONFIG_${NCS_BT_DFU_SYMBOL}`;
const AUTHENTICATED_PERMISSIONS = AUTHENTICATED_PERMISSION_SYMBOLS;
/** Project fact: a configuration file of the project chooses an authenticated or encrypted mcumgr permission. */
const BT_PERMISSION_AUTHENTICATED = 'mcumgr-bt-permission-authenticated';

/** The sensitive groups this file turns on, in words. */
function enabledGroups(entries: ReadonlyMap<string, ConfigEntry>): string[] {
  const groups = SENSITIVE_GROUPS.filter((g) => g.keys.some((k) => isOn(entries.get(k)))).map((g) => g.what);
  const images = SENSITIVE_GROUPS[0];
  if (isOn(entries.get(NCS_BT_DFU)) && !images.keys.some((k) => isOff(entries.get(k))) && !groups.includes(images.what))
    groups.unshift(images.what);
  return groups;
}

/** `CONFIG_NCS_SAMPLE_MCUMGR_BT_OTA_DFU=y` with no authenticated permission chosen in this file: its default is unauthenticated. */
function ncsDfuLeftToDefault(entries: ReadonlyMap<string, ConfigEntry>): ConfigEntry | undefined {
  const dfu = entries.get(NCS_BT_DFU);
  if (!isOn(dfu) || AUTHENTICATED_PERMISSIONS.some((key) => isOn(entries.get(`CONFIG_${key}`)))) return undefined;
  return dfu;
}

/**
 * The Bluetooth transport without authentication, said explicitly: the unauthenticated permission choice
 * (`CONFIG_MCUMGR_TRANSPORT_BT_PERM_RW`, which also says the transport is on), the legacy authentication option
 * turned off, or pairing (BT_SMP) off in the same file as the transport. The Kconfig default (authenticated when
 * BT_SMP is on) is not guessed.
 */
function unauthenticatedBt(entries: ReadonlyMap<string, ConfigEntry>): ConfigEntry | undefined {
  const bt = entries.get('CONFIG_MCUMGR_TRANSPORT_BT') ?? entries.get('CONFIG_MCUMGR_SMP_BT');
  const permRw = entries.get('CONFIG_MCUMGR_TRANSPORT_BT_PERM_RW');
  // The permission is a choice under the Bluetooth transport: choosing it says the transport is in the build,
  // however it got there (often an application symbol's `select`), unless this file turns the transport off.
  if (isOn(permRw) && !isOff(bt)) return permRw;
  if (!isOn(bt)) return undefined;
  const authen = entries.get('CONFIG_MCUMGR_TRANSPORT_BT_AUTHEN') ?? entries.get('CONFIG_MCUMGR_SMP_BT_AUTHEN');
  if (isOff(authen)) return authen;
  if (isOff(entries.get('CONFIG_BT_SMP'))) return bt;
  return undefined;
}

/** Project fact: a configuration file of the project turns on Bluetooth pairing or an authenticated mcumgr permission. */
const BT_AUTHENTICATED = 'mcumgr-bt-authenticated';

const AUTHENTICATING = [
  'CONFIG_BT_SMP',
  'CONFIG_MCUMGR_TRANSPORT_BT_PERM_RW_AUTHEN',
  'CONFIG_MCUMGR_TRANSPORT_BT_PERM_RW_ENCRYPT',
  'CONFIG_MCUMGR_TRANSPORT_BT_AUTHEN',
  'CONFIG_MCUMGR_SMP_BT_AUTHEN',
];

/**
 * The Bluetooth transport on with nothing said about its permission and pairing not turned on here: its default
 * is then unauthenticated (the authenticated default needs BT_SMP), unless another file of the project turns
 * pairing on (a project fact).
 */
function btLeftToDefault(entries: ReadonlyMap<string, ConfigEntry>): ConfigEntry | undefined {
  const bt = entries.get('CONFIG_MCUMGR_TRANSPORT_BT') ?? entries.get('CONFIG_MCUMGR_SMP_BT');
  if (!isOn(bt) || AUTHENTICATING.some((key) => entries.has(key))) return undefined;
  return bt;
}

function findOpenMcumgr(ctx: RuleContext, entries: ReadonlyMap<string, ConfigEntry>): void {
  if (AUTHENTICATING.some((key) => isOn(entries.get(key)))) ctx.provide(BT_AUTHENTICATED, ['yes']);
  if (AUTHENTICATED_PERMISSIONS.some((key) => isOn(entries.get(`CONFIG_${key}`)))) ctx.provide(BT_PERMISSION_AUTHENTICATED, ['yes']);
  const groups = enabledGroups(entries);
  if (!groups.length) return;
  const development = isDevelopmentConfigPath(ctx.path);
  const confidence = development ? 'low' : 'high';
  const note = development ? DEVELOPMENT_NOTE : '';
  const can = groups.join(', ');
  const bt = unauthenticatedBt(entries);
  const ncsDfu = bt ? undefined : ncsDfuLeftToDefault(entries);
  if (ncsDfu) {
    ctx.report({
      span: { start: ncsDfu.start, end: ncsDfu.end },
      message: `${NCS_BT_DFU}=y puts mcumgr on Bluetooth so that it can ${can}, and makes the transport's default permission MCUMGR_TRANSPORT_BT_PERM_RW, which needs no pairing even with CONFIG_BT_SMP on; no file of the project chooses an authenticated permission, so anyone within radio range can. Set CONFIG_MCUMGR_TRANSPORT_BT_PERM_RW_AUTHEN=y (with BT_SMP and a passkey or numeric comparison), and keep images signed.${note}`,
      confidence,
      unless: [{ fact: BT_PERMISSION_AUTHENTICATED, anyOf: ['yes'] }, symbolOn(AUTHENTICATED_PERMISSIONS), COMMANDS_AUTHORIZED],
    });
  }
  const defaultBt = bt || ncsDfu ? undefined : btLeftToDefault(entries);
  if (defaultBt) {
    ctx.report({
      span: { start: defaultBt.start, end: defaultBt.end },
      message: `mcumgr is reachable over Bluetooth and this configuration lets it ${can}, but no file of the project turns on pairing (CONFIG_BT_SMP) or an authenticated permission: without BT_SMP the transport's default permission is unauthenticated, so anyone within radio range can. Set CONFIG_BT_SMP=y and CONFIG_MCUMGR_TRANSPORT_BT_PERM_RW_AUTHEN=y, and keep images signed.${note}`,
      confidence: development ? 'low' : 'medium',
      // Answered by pairing set in a configuration file, or turned on by a Kconfig symbol of the project.
      unless: [{ fact: BT_AUTHENTICATED, anyOf: ['yes'] }, symbolOn(AUTHENTICATING_SYMBOLS), COMMANDS_AUTHORIZED],
    });
  }
  if (bt) {
    ctx.report({
      span: { start: bt.start, end: bt.end },
      message: `mcumgr is reachable over Bluetooth without pairing or authentication (\`${bt.key}=${bt.value}\`), and this configuration lets it ${can}: anyone within radio range can. Require an authenticated, encrypted link (CONFIG_MCUMGR_TRANSPORT_BT_PERM_RW_AUTHEN with BT_SMP and a passkey or numeric comparison), and keep images signed.${note}`,
      confidence,
      unless: COMMANDS_AUTHORIZED,
    });
  }
  const udp = entries.get('CONFIG_MCUMGR_TRANSPORT_UDP') ?? entries.get('CONFIG_MCUMGR_SMP_UDP');
  if (isOn(udp)) {
    ctx.report({
      span: { start: udp.start, end: udp.end },
      message: `mcumgr listens on UDP, which has no authentication or encryption, and this configuration lets it ${can}: anyone who can send a datagram to the device can. Keep UDP SMP to development builds, or put device management behind an authenticated, encrypted channel (e.g. LwM2M/DTLS or a VPN) and keep images signed.${note}`,
      confidence,
      unless: COMMANDS_AUTHORIZED,
      fixes: [flipFix(ctx, udp, 'n')].filter((f): f is Fix => !!f),
    });
  }
}
