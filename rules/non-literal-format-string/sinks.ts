/**
 * Printf-family sinks (C/C++ libc, POSIX, ESP-IDF, Zephyr, Nordic, Arduino, Android NDK) with the index of
 * their format argument, and a quick test for a format expression that is plainly fixed at build time (before
 * the data-flow layer is asked where anything else comes from).
 */
import type { Call, CodeModel, Expr } from '../../server/src/core/model/types';
import { quotedSpans } from '../../server/src/core/string-literals';

/** Matched on the full callee (`Serial.printf`) first, then on the plain name. */
export const FORMAT_SINKS: Readonly<Record<string, number>> = {
  printf: 0,
  vprintf: 0,
  wprintf: 0,
  vwprintf: 0,
  printk: 0,
  vprintk: 0,
  ets_printf: 0,
  esp_rom_printf: 0,
  os_printf: 0,
  fprintf: 1,
  vfprintf: 1,
  fwprintf: 1,
  dprintf: 1,
  vdprintf: 1,
  sprintf: 1,
  vsprintf: 1,
  asprintf: 1,
  vasprintf: 1,
  snprintf: 2,
  vsnprintf: 2,
  swprintf: 2,
  vswprintf: 2,
  snprintk: 2,
  vsnprintk: 2,
  syslog: 1,
  vsyslog: 1,
  warn: 0,
  warnx: 0,
  err: 1,
  errx: 1,
  __android_log_print: 2,
  __android_log_vprint: 2,
  ESP_LOGE: 1,
  ESP_LOGW: 1,
  ESP_LOGI: 1,
  ESP_LOGD: 1,
  ESP_LOGV: 1,
  ESP_EARLY_LOGE: 1,
  ESP_EARLY_LOGW: 1,
  ESP_EARLY_LOGI: 1,
  ESP_EARLY_LOGD: 1,
  ESP_EARLY_LOGV: 1,
  ESP_DRAM_LOGE: 1,
  ESP_DRAM_LOGW: 1,
  ESP_DRAM_LOGI: 1,
  LOG_ERR: 0,
  LOG_WRN: 0,
  LOG_INF: 0,
  LOG_DBG: 0,
  LOG_PRINTK: 0,
  LOG_RAW: 0,
  shell_print: 1,
  shell_info: 1,
  shell_warn: 1,
  shell_error: 1,
  shell_fprintf: 2,
  NRF_LOG_ERROR: 0,
  NRF_LOG_WARNING: 0,
  NRF_LOG_INFO: 0,
  NRF_LOG_DEBUG: 0,
  'Serial.printf': 0,
  'Serial1.printf': 0,
  'Serial2.printf': 0,
  'SerialUSB.printf': 0,
  log_printf: 0,
};

/** The va_list forms: a wrapper forwarding its own `fmt` parameter to one of these is not the bug. */
export const VA_LIST_SINKS: ReadonlySet<string> = new Set([
  'vprintf',
  'vwprintf',
  'vprintk',
  'vfprintf',
  'vdprintf',
  'vsprintf',
  'vasprintf',
  'vsnprintf',
  'vswprintf',
  'vsnprintk',
  'vsyslog',
  '__android_log_vprint',
]);

/** Wide-character sinks: a `"%s"` fix would need `L"%ls"`, so they get none. */
export const WIDE_SINKS: ReadonlySet<string> = new Set(['wprintf', 'vwprintf', 'fwprintf', 'swprintf', 'vswprintf']);

/** Wrappers around a literal that keep it a literal: gettext, Arduino flash strings, Windows TEXT. */
const LITERAL_WRAPPERS: ReadonlySet<string> = new Set([
  '_',
  'N_',
  'gettext',
  'dgettext',
  'ngettext',
  'F',
  'PSTR',
  'FPSTR',
  'TEXT',
  '_T',
  'tr',
]);

export function sinkFormatIndex(call: Call): number | undefined {
  const own = Object.prototype.hasOwnProperty;
  if (own.call(FORMAT_SINKS, call.callee)) return FORMAT_SINKS[call.callee];
  if (call.receiver || (call.callee !== call.name && !call.callee.startsWith('std.') && !call.callee.startsWith('.'))) return undefined;
  return own.call(FORMAT_SINKS, call.name) ? FORMAT_SINKS[call.name] : undefined;
}

/**
 * `text` with each string literal, and its `L`/`u8`/`u`/`U` prefix, replaced by `""`: what
 * `/(?:\b(?:L|u8|u|U))?"(?:[^"\\\n]|\\.)*"/g` replaces, by the linear literal scanner (the regex restarts
 * at every quote, quadratic on many quotes with no close).
 */
export function withoutStringLiterals(text: string): string {
  let out = '';
  let last = 0;
  for (const span of quotedSpans(text, '"', true)) {
    out += `${text.slice(last, span.start - prefixLength(text, span.start))} "" `;
    last = span.end;
  }
  return out + text.slice(last);
}

/** The length of the encoding prefix (`L`, `u8`, `u`, `U`) that starts a word just before `quote`. */
function prefixLength(text: string, quote: number): number {
  const wordStart = (at: number) => at === 0 || !/\w/.test(text[at - 1]);
  if (text.startsWith('u8', quote - 2) && wordStart(quote - 2)) return 2;
  return quote > 0 && 'LuU'.includes(text[quote - 1]) && wordStart(quote - 1) ? 1 : 0;
}
const MACRO_NAME = /^(?:(?:PRI|SCN)[a-zA-Z0-9_]+|[A-Z][A-Z0-9_]*)$/;

/** A plain identifier bound only to string literals in this file (`#define FMT "..."`, `static const char fmt[] = "..."`). */
function isLiteralBoundName(name: string, model: CodeModel, seen: Set<string>): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  const bindings = model.bindings.filter((b) => b.target === name);
  return bindings.length > 0 && bindings.every((b) => isConstantFormat(b.value, model, seen));
}

/** Text made only of string literals, macro names (`PRIu32`, `LOG_PREFIX`), parentheses and a literal ternary. */
function isConstantText(text: string, model: CodeModel, seen: Set<string>): boolean {
  const stripped = withoutStringLiterals(text);
  const ternary = /^[^?]+\?([^:]+):(.+)$/.exec(stripped);
  if (ternary) return isConstantText(ternary[1], model, seen) && isConstantText(ternary[2], model, seen);
  const tokens = stripped.replace(/[()]/g, ' ').split(/\s+/).filter(Boolean);
  return (
    tokens.length > 0 &&
    tokens.every((t) => t === '""' || MACRO_NAME.test(t) || (/^[A-Za-z_]\w*$/.test(t) && isLiteralBoundName(t, model, seen)))
  );
}

/** Whether a format expression is fixed when the program is built. */
export function isConstantFormat(expr: Expr, model: CodeModel, seen = new Set<string>()): boolean {
  switch (expr.kind) {
    case 'string':
      return true;
    case 'name':
      if (!/^[A-Za-z_]\w*$/.test(expr.text)) return false;
      return MACRO_NAME.test(expr.text) || isLiteralBoundName(expr.text, model, seen);
    case 'call':
      if (!expr.call) return false;
      return LITERAL_WRAPPERS.has(expr.call.callee) && expr.call.args.every((a) => isConstantFormat(a, model, seen));
    case 'other':
      return isConstantText(expr.text, model, seen);
    default:
      return false;
  }
}
