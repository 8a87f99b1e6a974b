/**
 * Logging and console-output calls per language: ESP-IDF, Zephyr, Nordic, Arduino and printf-family in
 * firmware; logging/logger/print in Python; android.util.Log, Timber, SLF4J/JUL loggers and System.out on the
 * JVM; console and logger objects in Node.
 */
import type { Call } from '../../server/src/core/model/types';
import type { LanguageId } from '../../server/src/core/types';

const NATIVE_LOG_FUNCTIONS = new Set([
  'printf',
  'printk',
  'puts',
  'syslog',
  'vsyslog',
  'os_printf',
  'ets_printf',
  'esp_rom_printf',
  'SEGGER_RTT_printf',
  'log_i',
  'log_d',
  'log_w',
  'log_e',
  'log_v',
  'shell_print',
  'shell_info',
  'shell_warn',
  'shell_error',
  'shell_fprintf',
  'ESP_LOG_BUFFER_HEX',
  'ESP_LOG_BUFFER_HEXDUMP',
  'ESP_LOG_BUFFER_CHAR',
  'ESP_LOG_BUFFER_HEX_LEVEL',
  'ESP_LOG_BUFFER_CHAR_LEVEL',
  'ESP_LOG_LEVEL',
  'ESP_LOG_LEVEL_LOCAL',
  'DEBUG_PRINT',
  'DEBUG_PRINTF',
  'DBG_PRINTF',
  'dbg_printf',
  'PRINTF',
  'LOG_INFO',
  'LOG_DEBUG',
  'LOG_WARN',
  'LOG_ERROR',
  'qDebug',
  'qInfo',
  'qWarning',
]);
/** `ESP_LOGI`, `ESP_EARLY_LOGW`, `LOG_INF`, `LOG_HEXDUMP_DBG`, `NRF_LOG_INFO`, `NRF_LOG_HEXDUMP_DEBUG`. */
const NATIVE_LOG_PATTERN =
  /^(?:ESP_(?:EARLY_|DRAM_)?LOG[EWIDV]|LOG_(?:INF|DBG|WRN|ERR|HEXDUMP_(?:INF|DBG|WRN|ERR))|NRF_LOG_(?:INFO|DEBUG|WARNING|ERROR|HEXDUMP_\w+|RAW_INFO))$/;
const LEVELS = new Set([
  'trace',
  'debug',
  'info',
  'warn',
  'warning',
  'error',
  'fatal',
  'critical',
  'exception',
  'log',
  'verbose',
  'silly',
  'severe',
  'fine',
  'finer',
  'finest',
  'config',
  'notice',
  'v',
  'd',
  'i',
  'w',
  'e',
  'wtf',
]);
const LOGGER_RECEIVER = /(?:^|\.)(?:_*log|_*logger|LOG|LOGGER|Log|Logger|[a-z]\w*Log(?:ger)?|logging|Timber|Slog|console)$/;

/**
 * A project's own logging macro (`LOGGER`, `LOGGERWEB`, `LOGAR`, `APP_LOGI`, `MY_LOG_DEBUG`): an upper-case name
 * that starts a segment with LOG, called with a string literal. Setup macros (`LOG_MODULE_REGISTER`, `LOG_LEVEL_SET`) are not.
 */
// The lookahead checks the segments once; then one `\w*` finds a segment that starts with LOG (linear).
const PROJECT_LOG_MACRO = /^(?=[A-Z0-9]+(?:_[A-Z0-9]+)*$)(?:\w*_)?LOG/;
const LOG_SETUP_MACRO = /(?:^|_)(?:LEVEL|MODULE|REGISTER|DECLARE|INIT|ENABLE|DISABLE|SET|FLUSH|BACKEND|PANIC|PROCESS|STRDUP)(?:_|$)/;

/** Whether `call` writes its arguments to a log, console or serial port. */
export function isLogCall(call: Call, language: LanguageId): boolean {
  const receiver = call.receiver?.text.replace(/^this\.|^self\./, '') ?? '';
  if (language === 'c' || language === 'cpp') {
    if (NATIVE_LOG_FUNCTIONS.has(call.name) || NATIVE_LOG_PATTERN.test(call.name)) return true;
    if (call.callee === call.name && PROJECT_LOG_MACRO.test(call.name) && !LOG_SETUP_MACRO.test(call.name))
      return call.args.some((a) => a.kind === 'string');
    if (call.name === 'fprintf' || call.name === 'fputs')
      return /^(?:stderr|stdout)$/.test(call.args[call.name === 'fprintf' ? 0 : 1]?.text ?? '');
    return /^(?:print|println|printf)$/.test(call.name) && /^(?:Serial\d?|SerialUSB|Debug\w*|Log)$/.test(receiver);
  }
  if (language === 'python' && call.callee === 'print') return true;
  if (language !== 'python' && isProjectLogWrapper(call, receiver)) return true;
  if (language === 'kotlin' && (call.callee === 'println' || call.callee === 'print')) return true;
  if (
    (language === 'java' || language === 'kotlin') &&
    /^System\.(?:out|err)$/.test(receiver) &&
    /^(?:println|print|printf|format)$/.test(call.name)
  )
    return true;
  if (!LEVELS.has(call.name) || !receiver) return false;
  // Single-letter levels only on android.util.Log / Timber, or a project's wrapper of it (`UserError.Log.d`).
  if (call.name.length === 1 || call.name === 'wtf') return /(?:^|\.)(?:Log|Timber|Slog)$/.test(receiver);
  return LOGGER_RECEIVER.test(receiver) || /^(?:logging|console)$/.test(receiver);
}

/** `logD`, `logW`, `logDebug`, `logError`: a level in the name of the function itself. */
const WRAPPER_NAME = /^log(?:[VDIWE]|Verbose|Debug|Info|Warn|Warning|Error)$/;
/** `LogManager`, `LogUtils`, `AppLog`: a class of the project's own that the app logs through. */
const WRAPPER_CLASS = /^(?:[A-Z]\w*)?Log(?:Manager|Utils?|Helper|Wrapper)?$/;

/**
 * A project's own logging wrapper in an app language: a function named for a level called without a receiver
 * (`logD("Auto-saving bind key: $value")`, defined in a base class of another file), or a level method of a class
 * named for logging (`LogManager.d(TAG, ...)`). The message must be text (a literal or template) in one of the
 * first two places, so `logE(x)` that computes a logarithm is not one.
 */
function isProjectLogWrapper(call: Call, receiver: string): boolean {
  const textual = call.args
    .slice(0, 2)
    .some((a) => a.kind === 'string' || (a.kind === 'other' && (a.operator === undefined || a.operator === '+') && /^["'`]/.test(a.text)));
  if (!textual) return false;
  if (!receiver) return WRAPPER_NAME.test(call.name);
  return LEVELS.has(call.name) && WRAPPER_CLASS.test(receiver.split('.').pop() ?? '');
}
