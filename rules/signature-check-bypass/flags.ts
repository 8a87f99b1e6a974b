/**
 * Reads a branch condition and says what kind of switch it is: a bypass (`SKIP_VERIFY`, `args.no_verify`,
 * `os.environ.get("SKIP_SIG")`), an opt-in (`cfg.verify_signature`, `CONFIG_VERIFY_SIG`), a debug/test build
 * flag (`DEBUG`, `BuildConfig.DEBUG`), a constant-false block (`#if 0`), or a platform symbol that enables
 * verification (`CONFIG_SECURE_BOOT`, `MBEDTLS_PK_C`), which is never a finding.
 */
import { identifierWords } from '../_shared/identifier-words';
import { stripParens } from '../_shared/parentheses';
import { replaceQuoted } from '../../server/src/core/string-literals';

export type FlagKind = 'bypass' | 'opt-in' | 'debug' | 'release' | 'never';

export interface Flag {
  kind: FlagKind;
  /** The flag as written (`SKIP_VERIFY`, `cfg.verify_signature`, `"SKIP_SIG"`). */
  name: string;
  /** The condition is this flag alone (possibly negated), so its polarity is known. */
  simple: boolean;
  /** The condition is `!flag` / `not flag` / `flag == false`. */
  negated: boolean;
  /** Read from the environment, a command line, a config object or a parameter: settable without a rebuild. */
  settable: boolean;
}

const BYPASS_WORDS = new Set([
  'skip',
  'no',
  'disable',
  'disabled',
  'bypass',
  'ignore',
  'insecure',
  'without',
  'dont',
  'nocheck',
  'noverify',
  'skipverify',
  'unsafe',
]);
const SUBJECT_WORDS = new Set([
  'verify',
  'verification',
  'verified',
  'verifying',
  'sig',
  'sign',
  'signature',
  'signatures',
  'signed',
  'auth',
  'authentication',
  'authenticity',
  'check',
  'checks',
  'validation',
  'validate',
  'secure',
  'security',
]);
const OPT_IN_SUBJECT = new Set(['verify', 'verification', 'sig', 'signature', 'signatures', 'signed']);
const DEBUG_WORDS = new Set(['debug', 'dbg', 'dev', 'devel', 'development', 'test', 'testing', 'bench', 'engineering', 'unittest']);
const KEYWORDS = new Set([
  'not',
  'and',
  'or',
  'true',
  'false',
  'True',
  'False',
  'None',
  'null',
  'nullptr',
  'NULL',
  'unsigned',
  'signed',
  'int',
  'defined',
  'sizeof',
  'is',
  'in',
  'undefined',
  'this',
  'self',
]);
/** Platform and library switches that turn verification ON in secure builds, or select a crypto backend. */
const PLATFORM_SYMBOL =
  /^(CONFIG_SECURE_\w+|CONFIG_MBEDTLS_\w+|MBEDTLS_\w+|PSA_\w+|CONFIG_PSA_\w+|CONFIG_BOOT_\w+|CONFIG_BOOTLOADER_\w+|CONFIG_MCUBOOT_\w+|MCUBOOT_\w+|ARDUINO_SIGNING|CONFIG_ESP_HTTPS_OTA_\w+|OPENSSL_\w+|WOLFSSL_\w+|HAVE_\w+|__has_include)$/;
const ENV_READ = /\b(getenv|environ|process\.env|getProperty|getBoolean|System\.getenv)\b/;
const UNARY_NOT = /^(?:!\s*|not\s+)/;

function kindOf(name: string): FlagKind | undefined {
  const last = name.split(/\.|->|::/).pop() ?? name;
  if (PLATFORM_SYMBOL.test(last)) return undefined;
  const words = identifierWords(last);
  const has = (set: ReadonlySet<string>) => words.some((w) => set.has(w));
  if (words.includes('unsigned') && words.length > 1 && !words.includes('no')) return 'bypass'; // ALLOW_UNSIGNED_FW
  if (has(BYPASS_WORDS) && has(SUBJECT_WORDS)) return 'bypass';
  if (words.includes('ndebug')) return 'release';
  if (has(DEBUG_WORDS)) return 'debug';
  if (has(OPT_IN_SUBJECT)) return 'opt-in';
  return undefined;
}

/**
 * What `text` compares with false (`ok == false`, `ok is False`, `ok === 0` → `ok`), or undefined: the
 * capture of `^(.*?)\s*(==|===|is)\s*(false|False|0)$`, read from the end (the lazy `.*?` before `\s*`
 * rescanned the spaces at every step). The operand is the shortest, so `===` wins over `==`.
 */
export function comparedToFalse(text: string): string | undefined {
  const value = /(?:false|False|0)$/.exec(text);
  if (!value) return undefined;
  let end = value.index;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const operator = ['===', '==', 'is'].find((op) => text.endsWith(op, end));
  if (!operator) return undefined;
  end -= operator.length;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const operand = text.slice(0, end);
  return /[\n\r\u2028\u2029]/.test(operand) ? undefined : operand;
}

/** The switches a condition reads. `params` are the enclosing function's parameters (settable by the caller). */
export function flagsOf(condition: string, params: readonly string[] = []): Flag[] {
  let core = stripParens(condition.replace(/\bdefined\s*\(\s*(\w+)\s*\)/g, '$1').replace(/\bdefined\s+(\w+)/g, '$1'));
  if (/^(0|false|False)$/.test(core)) return [{ kind: 'never', name: core, simple: true, negated: false, settable: false }];
  let negated = false;
  const not = UNARY_NOT.exec(core);
  if (not) {
    negated = true;
    core = stripParens(core.slice(not[0].length));
  }
  const comparedFalse = comparedToFalse(core);
  if (comparedFalse !== undefined) {
    negated = !negated;
    core = stripParens(comparedFalse);
  }
  const flags: Flag[] = [];
  const env = ENV_READ.test(core);
  if (env) {
    for (const m of core.matchAll(/["'`]([A-Za-z_][\w.-]*)["'`]|process\.env\.([A-Za-z_]\w*)/g)) {
      const name = m[1] ?? m[2];
      const kind = kindOf(name);
      if (kind && kind !== 'release') flags.push({ kind, name, simple: false, negated, settable: true });
    }
    if (flags.length === 1) flags[0].simple = !/&&|\|\||\band\b|\bor\b/.test(core);
  }
  // The linear literal scanner: a quote regex restarts at every quote, quadratic on `"\"\"\"…` with no close.
  const identifiers = replaceQuoted(core, `"'\``, '""', 'any-terminator');
  for (const m of identifiers.matchAll(/[A-Za-z_$][\w$]*(?:(?:\.|->|::)[A-Za-z_$][\w$]*)*/g)) {
    const name = m[0];
    const after = identifiers.slice((m.index ?? 0) + name.length);
    if (/^\s*\(/.test(after) || KEYWORDS.has(name) || /^process\.env/.test(name)) continue;
    const kind = kindOf(name);
    if (!kind) continue;
    const settable = /\.|->/.test(name) || params.includes(name) || env;
    flags.push({ kind, name, simple: stripParens(core) === name, negated, settable });
  }
  return flags;
}
