/**
 * debug-interface-enabled, configuration files: ESP-IDF and Zephyr Kconfig options that leave JTAG, the ROM
 * download mode or a debug stub open, `android:debuggable="true"`, and `--inspect` in a package.json start script
 * or in `NODE_OPTIONS` of a `.env` file.
 */
import type { ConfigEntry } from '../../server/src/core/model/types';
import type { Confidence, Fix, ProjectConditions, RuleContext, Span } from '../../server/src/core/types';
import { isDebugSourceSet } from '../_shared/android-xml';
import { closingOf } from '../../server/src/core/string-literals';
import { symbolOn } from '../_shared/kconfig/facts';

export interface DebugHit {
  span: Span;
  message: string;
  confidence?: Confidence;
  fix?: Fix;
  when?: ProjectConditions;
  unless?: ProjectConditions;
}

interface KconfigOption {
  what: string;
  risk: string;
  confidence?: Confidence;
}

const JTAG_RISK = 'anyone with a probe on the board can halt the CPU, read keys and patient data from RAM, and reflash it';
const ROM_DL_RISK = 'anyone with a USB-serial cable can use the ROM loader to read or write flash and eFuses';
/** mcumgr's shell group runs any shell command an SMP client sends, over Bluetooth and UDP as well as serial. */
const MCUMGR_SHELL_RISK =
  'any client of the SMP service (over Bluetooth or UDP, not only a cable) gets a command line into the device, with no login';
const NETWORK_SHELL_RISK = 'anyone who reaches it over the network gets a command line into the device, with no login';

/** Insecure options that only a debug build should set (ESP-IDF and Zephyr, real option names only). */
export const INSECURE_KCONFIG: Readonly<Record<string, KconfigOption>> = {
  CONFIG_SECURE_BOOT_ALLOW_JTAG: { what: 'keeps JTAG enabled although secure boot is on', risk: JTAG_RISK },
  CONFIG_SECURE_BOOT_ALLOW_ROM_BASIC: {
    what: 'keeps the ROM BASIC interpreter reachable over UART',
    risk: 'a serial console can run ROM commands and poke memory',
  },
  CONFIG_SECURE_INSECURE_ALLOW_DL_MODE: { what: 'leaves the UART ROM download mode unrestricted', risk: ROM_DL_RISK },
  CONFIG_SECURE_FLASH_UART_BOOTLOADER_ALLOW_DEC: {
    what: 'lets the UART bootloader decrypt flash',
    risk: 'the ROM loader reads the encrypted firmware and data back as plaintext',
  },
  CONFIG_SECURE_FLASH_UART_BOOTLOADER_ALLOW_CACHE: {
    what: 'lets the UART bootloader read flash through the cache',
    risk: 'the ROM loader reads decrypted flash contents',
  },
  CONFIG_ESP_SYSTEM_GDBSTUB_RUNTIME: {
    what: 'runs the GDB stub on the console UART at runtime',
    risk: 'anyone on the serial port can read and write memory and change program flow',
  },
  CONFIG_ESP_SYSTEM_PANIC_GDBSTUB: {
    what: 'drops into the GDB stub on a panic',
    risk: 'after a crash anyone on the serial port can read memory, keys included, and run code',
    confidence: 'medium',
  },
  CONFIG_ESP32_PANIC_GDBSTUB: {
    what: 'drops into the GDB stub on a panic',
    risk: 'after a crash anyone on the serial port can read memory, keys included, and run code',
    confidence: 'medium',
  },
  CONFIG_GDBSTUB: {
    what: 'builds the Zephyr GDB stub into the image',
    risk: 'anyone on its UART can read and write memory and change program flow',
  },
  CONFIG_MCUMGR_GRP_SHELL: { what: 'lets mcumgr run shell commands sent over its transports', risk: MCUMGR_SHELL_RISK },
  CONFIG_MCUMGR_CMD_SHELL_MGMT: { what: 'lets mcumgr run shell commands sent over its transports', risk: MCUMGR_SHELL_RISK },
  CONFIG_SHELL_BACKEND_TELNET: { what: 'serves the Zephyr shell over telnet', risk: NETWORK_SHELL_RISK },
  CONFIG_SHELL_BACKEND_MQTT: { what: 'serves the Zephyr shell over MQTT', risk: NETWORK_SHELL_RISK },
  CONFIG_SHELL_BT_NUS: {
    what: 'serves the shell over the Bluetooth Nordic UART Service',
    risk: 'anyone within radio range who can connect gets a command line into the device',
  },
};

/** A Zephyr shell is a legitimate feature of some products, so it is reported with medium confidence. */
const ZEPHYR_SHELL = 'CONFIG_SHELL';
/** The mcumgr groups that run shell commands: Kconfig builds them only with `depends on SHELL`. */
const SHELL_GROUPS: ReadonlySet<string> = new Set(['CONFIG_MCUMGR_GRP_SHELL', 'CONFIG_MCUMGR_CMD_SHELL_MGMT']);

/** Whether this fragment turns the shell on itself. */
function shellOnHere(ctx: RuleContext): boolean {
  return ctx.model.config.some((e) => e.key === ZEPHYR_SHELL && e.value === 'y');
}

/** Configuration meant for development: `prj_debug.conf`, `overlay-dev.conf`, `sdkconfig.debug`. */
export function isDevelopmentConfigPath(path: string): boolean {
  const name = path.replace(/\\/g, '/').split('/').pop() ?? '';
  return /(?:^|[._-])(?:debug|dbg|dev|devel|development|test|testing|local)(?:[._-]|$)/i.test(name);
}

function disableFix(entry: ConfigEntry, content: string): Fix | undefined {
  if (content.slice(entry.valueSpan.start, entry.valueSpan.end) !== 'y') return undefined;
  return {
    title: `Set ${entry.key}=n`,
    safety: 'suggestion',
    edits: [{ span: entry.valueSpan, newText: 'n' }],
  };
}

/**
 * A Zephyr board fragment for a board that runs on the host or in an emulator (`boards/native_sim_64.conf`,
 * `native_posix.conf`, `qemu_x86.conf`, `unit_testing`): a simulator build for development and tests, which no
 * device ships. Its shell is on a pseudo-terminal of the developer's machine.
 */
export function isSimulatorBoardConfig(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/');
  const name = (parts.pop() ?? '').replace(/\.(?:conf|overlay)$/, '');
  const board = /^(?:native_sim|native_posix|qemu_|unit_testing)/;
  return board.test(name) || (parts.includes('boards') && parts.slice(parts.indexOf('boards') + 1).some((p) => board.test(p)));
}

export function findKconfigDebugInterfaces(ctx: RuleContext): DebugHit[] {
  if (isDevelopmentConfigPath(ctx.path) || isSimulatorBoardConfig(ctx.path)) return [];
  const hits: DebugHit[] = [];
  for (const entry of ctx.model.config) {
    if (entry.value !== 'y') continue;
    const option = Object.prototype.hasOwnProperty.call(INSECURE_KCONFIG, entry.key) ? INSECURE_KCONFIG[entry.key] : undefined;
    if (option) {
      hits.push({
        span: entry,
        message: `\`${entry.key}=y\` ${option.what}: ${option.risk}. Disable it in release configurations and keep it in a debug-only overlay.`,
        confidence: option.confidence,
        fix: disableFix(entry, ctx.text.content),
        // mcumgr's shell group depends on SHELL: without the shell in the project it is not built, whatever it says.
        ...(SHELL_GROUPS.has(entry.key) && !shellOnHere(ctx) ? { when: symbolOn('SHELL') } : {}),
      });
    } else if (entry.key === ZEPHYR_SHELL) {
      hits.push({
        span: entry,
        message:
          '`CONFIG_SHELL=y` in a configuration that is not a debug overlay builds the Zephyr shell into the product: anyone on its UART or RTT backend gets a command line into the device. Move it to a debug overlay (`overlay-debug.conf`), or protect the commands the product needs.',
        confidence: 'medium',
        fix: disableFix(entry, ctx.text.content),
      });
    }
  }
  return hits;
}

export function findManifestDebuggable(ctx: RuleContext): DebugHit[] {
  // A manifest of a debug-only source set (src/debug/) is merged into debug builds only.
  if (isDebugSourceSet(ctx.path)) return [];
  return ctx.model.config
    .filter((e) => e.key === 'application@android:debuggable' && e.value.trim().toLowerCase() === 'true')
    .map((entry) => ({
      span: entry,
      message:
        '`android:debuggable="true"` lets anyone with USB access attach a debugger to the app, read its private files and tokens, and change what it sends to the device. Remove the attribute and let the build type set it (release builds are not debuggable).',
      fix: { title: 'Set android:debuggable="false"', safety: 'suggestion', edits: [{ span: entry.valueSpan, newText: 'false' }] },
    }));
}

const INSPECT_FLAG = /--inspect(?:-brk|-wait)?(?:=(\S+?))?(?=\s|\\|"|'|$)/;

function inspectMessage(where: string, flag: RegExpExecArray): string {
  const host = flag[1] ?? '';
  const remote = /^(?:0\.0\.0\.0|\[?::\]?)(?::\d+)?$/.test(host) || /^0\.0\.0\.0|^\[::\]/.test(host);
  const reach = remote
    ? 'on every network interface, so anyone on the network'
    : 'on the inspector port, so any local process (or a tunnelled port)';
  return `${where} starts Node with \`${flag[0]}\`: the V8 inspector listens ${reach} can run arbitrary code in the service. Start production without \`--inspect\` and keep it in a separate debug script.`;
}

/** Scripts that run the product: `start`, `serve`, and names that say production. */
const PRODUCTION_SCRIPT = /^(?:start|serve|server|prod|production|start:prod|start:production)$/;

/**
 * package.json has no code model: find `"scripts": { ... }` and its production entries by a small scan of
 * the text (JSON strings cannot span lines, and the scripts object is flat).
 */
export function findPackageJsonInspect(ctx: RuleContext): DebugHit[] {
  if (!/(?:^|[\\/])package\.json$/.test(ctx.path)) return [];
  const content = ctx.text.content;
  const scripts = /"scripts"\s*:\s*\{([^{}]*)\}/.exec(content);
  if (!scripts) return [];
  const bodyStart = scripts.index + scripts[0].indexOf('{') + 1;
  const hits: DebugHit[] = [];
  for (const m of stringPairs(scripts[1])) {
    if (!PRODUCTION_SCRIPT.test(m.key)) continue;
    const flag = INSPECT_FLAG.exec(m.value);
    if (!flag) continue;
    const valueStart = bodyStart + m.valueStart;
    const start = valueStart + flag.index;
    hits.push({ span: { start, end: start + flag[0].length }, message: inspectMessage(`The \`${m.key}\` script`, flag) });
  }
  return hits;
}

const COLON = /\s*:\s*/y;

/**
 * The `"key": "value"` pairs of `text`, as `/"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)"/g` finds them
 * (that regex restarts at every quote: quadratic on many quotes with no close). A quote inside a literal
 * opens one that ends where it does, so after a key that leads nowhere the next try is its closing quote.
 */
export function stringPairs(text: string): { key: string; value: string; valueStart: number }[] {
  const pairs: { key: string; value: string; valueStart: number }[] = [];
  for (let key = text.indexOf('"'); key >= 0;) {
    const keyEnd = closingOf(text, key, false);
    if (keyEnd < 0) {
      key = text.indexOf('"', -keyEnd - 1); // every quote before the failure fails there too
      continue;
    }
    COLON.lastIndex = keyEnd;
    const value = COLON.test(text) && text[COLON.lastIndex] === '"' ? COLON.lastIndex : -1;
    const valueEnd = value < 0 ? -1 : closingOf(text, value, false);
    if (valueEnd < 0) {
      key = keyEnd - 1;
      continue;
    }
    pairs.push({ key: text.slice(key + 1, keyEnd - 1), value: text.slice(value + 1, valueEnd - 1), valueStart: value + 1 });
    key = text.indexOf('"', valueEnd);
  }
  return pairs;
}

export function findDotenvInspect(ctx: RuleContext): DebugHit[] {
  if (isDevelopmentConfigPath(ctx.path)) return [];
  const hits: DebugHit[] = [];
  for (const entry of ctx.model.config) {
    if (entry.key !== 'NODE_OPTIONS') continue;
    const flag = INSPECT_FLAG.exec(entry.value);
    if (!flag) continue;
    const offset = ctx.text.content.slice(entry.valueSpan.start, entry.valueSpan.end).indexOf(flag[0]);
    const start = entry.valueSpan.start + Math.max(offset, 0);
    hits.push({ span: { start, end: start + flag[0].length }, message: inspectMessage('`NODE_OPTIONS`', flag) });
  }
  return hits;
}
