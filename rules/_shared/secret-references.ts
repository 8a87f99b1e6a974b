/**
 * What an argument expression reveals: the names it mentions outside string literals (including names
 * interpolated into f-strings, template literals and Kotlin strings), each classified as a credential,
 * crypto key or patient identifier, with the wrappers that make it harmless (`strlen(pw)`, `mask(token)`,
 * `pw.length`, `token != null`, `token[:4]`) ruled out. Shared by secret-in-log and
 * cleartext-sensitive-storage.
 */
import type { LanguageId } from '../../server/src/core/types';
import { classifyCredentialName } from './credential-names';
import { NameMemo } from './name-memo';
import { identifierWords, isIdentifierShaped } from './identifier-words';
import { quotedSpans, replaceQuoted } from '../../server/src/core/string-literals';
import { pushAll } from '../../server/src/core/arrays';

export type SensitiveKind = 'credential' | 'key' | 'patient';

export interface SensitiveReference {
  /** The name as written (`cfg.sta.password`, `getToken`). */
  name: string;
  kind: SensitiveKind;
  /** Human wording: "password", "session key", "patient identifier". */
  label: string;
  /**
   * The name is one ambiguous word and nothing more (`pin`, `pass`, `token`, `secret`, `pwd`): a GPIO, a melody
   * note, a pagination cursor as often as a credential. Rules count it only with corroboration from flow or API
   * semantics.
   */
  bare?: boolean;
}

/** Words that, alone as a whole name, say too little to call the value a credential. */
const AMBIGUOUS_WORDS = new Set(['pin', 'pass', 'pw', 'pwd', 'token', 'secret', 'key', 'auth', 'code', 'creds']);
/** Scope prefixes of embedded C naming (`g_` global, `s_` static, `m_` member): `g_pass` is as ambiguous as `pass`. */
const SCOPE_PREFIXES = new Set(['g', 's', 'm']);
/** Words before `token` that make it something other than a credential: a cursor, a lexer or a push address. */
const NON_CREDENTIAL_TOKEN_LEADING = new Set([
  'page',
  'next',
  'prev',
  'previous',
  'continuation',
  'cursor',
  'sync',
  'cancellation',
  'cancel',
  'lexer',
  'parser',
  'parse',
  'syntax',
  'change',
  'resume',
  'batch',
  'push',
  'notification',
  'registration',
  'fcm',
  'gcm',
  'apns',
  'firebase',
  'messaging',
  'note',
  'melody',
  'word',
  'line',
  'text',
  'string',
  'json',
  'xml',
  'csv',
  'split',
]);

/** Leading words that make `…key` a cryptographic key (`aes_key`, `sessionKey`, `ltk`). */
/** How a qualifier reads in a message: `AES key`, not `aes key`. */
const QUALIFIER_SHOWN: Readonly<Record<string, string>> = {
  aes: 'AES',
  hmac: 'HMAC',
  enc: 'encryption',
  kek: 'key-encryption',
  dek: 'data-encryption',
};

/** The label with its indefinite article: `an AES key`, `an API key`, `a PIN`, `a password`. */
export function withArticle(label: string): string {
  // An acronym is read letter by letter ("an HMAC", "an FTP password") unless it is said as a word ("a MAC");
  // a word by its first sound ("an unlock key", but "a user name").
  const acronym = /^[A-Z]{2}/.test(label) && !/^MAC\b/.test(label);
  const vowelSound = acronym ? /^[AEFHILMNORSX]/.test(label) : /^[aeiou]/i.test(label) && !/^u(?:s|ni)/i.test(label);
  return `${vowelSound ? 'an' : 'a'} ${label}`;
}

const KEY_QUALIFIERS = new Set([
  'aes',
  'hmac',
  'session',
  'encryption',
  'enc',
  'master',
  'link',
  'signing',
  'crypto',
  'cipher',
  'wrapping',
  'kek',
  'dek',
  'symmetric',
  'shared',
  'pairing',
  'bond',
  'network',
  'app',
  'device',
  'storage',
  'traffic',
  // Xiaomi MiBeacon's bind key: the AES-CCM key that decrypts a scale's or sensor's advertisements.
  'bind',
]);
const KEY_WORDS = new Set(['ltk', 'irk', 'csrk', 'nwkskey', 'appskey', 'appkey', 'nwkkey', 'bindkey']);
const KEY_TRAILING = new Set(['bytes', 'buf', 'buffer', 'data', 'hex', 'b64', 'base64', 'raw', 'material', 'value']);
const CREDENTIAL_KINDS = new Set(['password', 'pin', 'token', 'secret', 'api-key', 'credentials']);
/**
 * Words that make `…pin` a PIN code: whose it is, what it unlocks, or where it was entered (`pairing_pin`, `userPin`,
 * `DEFAULT_PIN`, `enteredPin`). Firmware names a hundred GPIOs `…_PIN` for each PIN code (`HIBERNATE_PIN`,
 * `SD_CARD_CHIP_SEL_PIN`, `batteryReadPin`), so without one of these a `pin` is as ambiguous as the bare word.
 */
const PIN_QUALIFIERS = new Set([
  'pairing',
  'pair',
  'bond',
  'ble',
  'bt',
  'bluetooth',
  'user',
  'admin',
  'access',
  'security',
  'secure',
  'secret',
  'sim',
  'lock',
  'unlock',
  'login',
  'logon',
  'auth',
  'default',
  'factory',
  'master',
  'service',
  'clinician',
  'patient',
  'operator',
  'supervisor',
  'technician',
  'parental',
  'wps',
  'otp',
  'entry',
  'entered',
  'typed',
  'keypad',
  'verify',
  'verification',
  'expected',
  'stored',
  'saved',
  'correct',
  'current',
  'new',
  'old',
  'confirm',
]);

/**
 * Classifies one name (its last segment): credential, crypto key, patient identifier, or nothing. Memoised (the
 * answer depends on the name alone): every name of every log argument and storage key is asked, by three rules.
 * The answer is frozen: callers copy it to change it.
 */
export function classifySensitiveName(name: string): SensitiveReference | undefined {
  if (!isIdentifierShaped(name)) return undefined;
  return SENSITIVE_NAMES.get(name, classifyName);
}

const SENSITIVE_NAMES = new NameMemo<Readonly<SensitiveReference> | undefined>(8_000);

function classifyName(name: string): SensitiveReference | undefined {
  const found = classifyUncached(name);
  return found && Object.freeze(found);
}

function classifyUncached(name: string): SensitiveReference | undefined {
  const last =
    name
      .split(/\.|->|\?\./)
      .filter(Boolean)
      .pop() ?? name;
  const words = [...identifierWords(last)];
  if (words.length && /^(?:get|set|read|load|fetch)$/.test(words[0]) && words.length > 1) words.shift();
  const credential = classifyCredentialName(last);
  if (credential && CREDENTIAL_KINDS.has(credential.kind)) {
    if (credential.kind === 'token' && words.some((w) => NON_CREDENTIAL_TOKEN_LEADING.has(w))) return undefined;
    const qualifying = words.length > 1 && SCOPE_PREFIXES.has(words[0]) ? words.slice(1) : words;
    const bare = (qualifying.length === 1 && AMBIGUOUS_WORDS.has(qualifying[0])) || unqualifiedPin(words);
    return { name, kind: 'credential', label: credential.label, bare };
  }
  const keyIndex = words.lastIndexOf('key');
  if (keyIndex > 0 && KEY_QUALIFIERS.has(words[keyIndex - 1]) && words.slice(keyIndex + 1).every((w) => KEY_TRAILING.has(w))) {
    return { name, kind: 'key', label: `${QUALIFIER_SHOWN[words[keyIndex - 1]] ?? words[keyIndex - 1]} key` };
  }
  if (words.length && words.every((w) => KEY_WORDS.has(w) || KEY_TRAILING.has(w)) && words.some((w) => KEY_WORDS.has(w))) {
    return { name, kind: 'key', label: 'link or session key' };
  }
  const patient = patientIdentifier(words);
  if (patient) return { name, kind: 'patient', label: patient };
  return undefined;
}

/** `HIBERNATE_PIN`, `din_pin`, `batteryReadPin`: the word `pin` with no word that makes it a PIN code (`pin code` is one). */
function unqualifiedPin(words: readonly string[]): boolean {
  const at = words.lastIndexOf('pin');
  return at >= 0 && words[at + 1] !== 'code' && !words.some((w) => PIN_QUALIFIERS.has(w));
}

function patientIdentifier(words: string[]): string | undefined {
  const joined = words.join(' ');
  if (/^(?:patient )?(?:mrn|ssn|dob)$/.test(joined) || /^(?:patient )?(?:mrn|ssn) (?:number|no|str)$/.test(joined))
    return 'patient identifier';
  if (/^patient (?:id|name|first name|last name|full name|birth date|birthdate|dob|mrn|ssn|number|identifier|address|phone)$/.test(joined))
    return 'patient identifier';
  if (/^(?:date of birth|birth date|birthdate|medical record number|medical record no|social security number)$/.test(joined))
    return 'patient identifier';
  return undefined;
}

/** Collects the code parts of an expression: text outside string literals, plus interpolated expressions. */
function codeOf(text: string, language: LanguageId): string {
  const interpolated: string[] = [];
  if (language === 'typescript' || language === 'javascript') {
    for (const span of quotedSpans(text, '`')) pushAll(interpolated, interpolations(text.slice(span.start, span.end), false));
  }
  if (language === 'kotlin') {
    for (const span of quotedSpans(text, '"')) pushAll(interpolated, interpolations(text.slice(span.start, span.end), true));
  }
  if (language === 'python') {
    for (const m of text.matchAll(/\b[fF][rR]?("|')((?:\\.|(?!\1)[^\\])*)\1/g))
      for (const i of m[2].matchAll(/\{([^{}:!]+)/g)) interpolated.push(i[1]);
  }
  const stripped = stripStrings(text);
  // Literals inside an interpolation are text too: `${ok ? 'PASS' : 'FAIL'}` prints no password.
  return [stripped, ...interpolated.map(stripStrings)].join(' ; ');
}

const TEMPLATE_NAME = /[A-Za-z_]\w*/y;

/**
 * The `${...}` holes of a template (and Kotlin's `$name`), as `/\$\{([^}]*)\}|\$([A-Za-z_]\w*)/g` finds
 * them, by a scan: that regex restarts at every `${` and reads to the end when no `}` follows (quadratic).
 */
export function interpolations(template: string, bareNames: boolean): string[] {
  const found: string[] = [];
  let closed = true; // false once no `}` is left: no later `${` closes either
  for (let i = template.indexOf('$'); i >= 0; i = template.indexOf('$', i)) {
    const close = closed && template[i + 1] === '{' ? template.indexOf('}', i + 2) : -1;
    if (close >= 0) {
      found.push(template.slice(i + 2, close));
      i = close + 1;
      continue;
    }
    if (template[i + 1] === '{') closed = false;
    TEMPLATE_NAME.lastIndex = i + 1;
    const name = bareNames ? TEMPLATE_NAME.exec(template) : null;
    if (name) found.push(name[0]);
    i = name ? TEMPLATE_NAME.lastIndex : i + 1;
  }
  return found;
}

function stripStrings(text: string): string {
  return replaceQuoted(text, '`"\'', '""');
}

/**
 * Calls that print their argument's value in another form (`bytesToHex(key)`, `String(pw)`, `str(t)`,
 * `Base64.encodeToString(k)`, `format(...)`): a name passed to any other call (`getPatient(patientId)`,
 * `analogRead(LDR_PIN)`, `WiFi.softAP(name, pass)`) is transformed or consumed, and the call's result is
 * what gets printed.
 */
const REVEALING_CALL =
  /^(?:String|str|repr|bytes|bytearray|valueOf|toString|format|formatted|sprintf|snprintf|f|join|concat|append|plus|stringify|btoa|listOf|arrayOf|asList|c_str|data|getBytes|toByteArray|toCharArray|decode|encode|trim|strip|lower|upper|toLowerCase|toUpperCase|QString|QByteArray|fromUtf8|new)$|hex|base64|b64|tostring|tostr/i;

/** The callee of the innermost call whose argument list holds `index`, if any (stopping at a `;`). */
function enclosingCallee(code: string, index: number): string | undefined {
  let depth = 0;
  for (let i = index - 1; i >= 0 && index - i < 400; i--) {
    const ch = code[i];
    if (ch === ')' || ch === ']' || ch === '}') depth++;
    else if (ch === '(' || ch === '[' || ch === '{') {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (ch !== '(') return undefined;
      const m = /([A-Za-z_$][\w$]*)\s*(?:<[^<>()]*>)?\s*$/.exec(code.slice(Math.max(0, i - CALLEE_WINDOW), i));
      return m ? m[1] : undefined;
    } else if (ch === ';' && depth === 0) return undefined;
  }
  return undefined;
}

const CONVERSIONS = [
  ...['c_str', 'toString', 'decode', 'encode', 'toCharArray', 'getBytes', 'toByteArray', 'hex', 'toHex', 'toHexString'],
  ...['data', 'strip', 'trim', 'value', 'get', 'orEmpty'],
];

/**
 * `name` without its trailing conversions (`.c_str`, `?.toHex`), stripped from the end: each starts with a
 * dot and no `.word` ends another, so the suffix splits one way (a `(?:\.(?:c_str|…))+$` regex retried at
 * every dot of a long chain is quadratic).
 */
export function withoutConversions(name: string): string {
  for (;;) {
    const word = CONVERSIONS.find((c) => name.endsWith(`.${c}`));
    if (!word) return name;
    name = name.slice(0, name.length - word.length - (name.endsWith(`?.${word}`) ? 2 : 1));
  }
}

/** Text around a name the checks below read: bounded, so their backtracking regexes stay cheap. */
const CALLEE_WINDOW = 80;
const BEFORE_WINDOW = 60;
const AFTER_WINDOW = 40;

/** Wrappers before a name that reduce it to a length, flag, hash or mask. */
const HARMLESS_BEFORE =
  /(?:\b(?:strlen|strnlen|len|sizeof|size|length|count|bool|Boolean|typeof|type|isEmpty|isBlank|isset|empty|hash\w*|sha\d*\w*|md5\w*|\w*[mM]ask\w*|\w*[rR]edact\w*|\w*[oO]bfuscate\w*|\w*[fF]ingerprint\w*|\w*[pP]review\w*)\s*\(\s*|!!?\s*|\bnot\s+)$/;
/** What after a name reduces it to a length, flag or partial value, or makes it a key or keyword name. */
const HARMLESS_AFTER =
  /^\s*(?:(?:\.|\?\.)\s*(?:length|size|count|isEmpty|isBlank|isNullOrEmpty|isNullOrBlank|isNotEmpty|len|hashCode|slice|substring|substr|take|takeLast|startsWith|endsWith|isPresent|isDefined)\b|!==?|===?|\bis\b|\bin\b|\[\s*-?\d*\s*:|:(?!:)|=(?!=)|\?(?![.?]))/;

const CONDITION_BEFORE = /\bif\s+$/;

/** The sensitive names `text` (one argument's source) exposes, in order. */
export function sensitiveReferences(text: string, language: LanguageId): SensitiveReference[] {
  const code = codeOf(text, language);
  const out: SensitiveReference[] = [];
  for (const m of code.matchAll(/[A-Za-z_$][\w$]*(?:\s*(?:\.|->|\?\.)\s*[A-Za-z_$][\w$]*)*/g)) {
    // Conversions print the same value: `otaPassword.c_str()`, `pairingKey.toHex()`, `token.decode()`.
    const name = withoutConversions(m[0].replace(/\s+/g, ''));
    // Most names in a log call are not sensitive: classified first, the context below is read only for those that are.
    const reference = classifySensitiveName(name);
    if (!reference) continue;
    // Casts do not change what is printed: `strlen((const char *)cfg->sta.password)`.
    // Words, then optional stars: one way to match each cast (`[\w\s]+\**\s*` backtracked exponentially).
    const before = code.slice(Math.max(0, m.index! - BEFORE_WINDOW), m.index!).replace(/(?:\(\s*\w+(?:\s+\w+)*(?:\s*\*+)?\s*\)\s*)+$/, '');
    const after = code.slice(m.index! + m[0].length, m.index! + m[0].length + AFTER_WINDOW);
    // A member of something else (`.password` after a call): judged by the full chain instead.
    if (/(?:\.|->)\s*$/.test(before)) continue;
    if (HARMLESS_BEFORE.test(before) || HARMLESS_AFTER.test(after)) continue;
    // The condition of Python's `'***' if password else 'None'` picks what is printed; it is not printed itself.
    if (language === 'python' && CONDITION_BEFORE.test(before)) continue;
    // A called name is judged as a getter (`getPassword()`, `WiFi.psk()`); a call with arguments
    // (`mask_secret(token)`) is not the value itself, and its arguments are judged on their own.
    if (/^\s*\((?!\s*\))/.test(after)) continue;
    // `creds[name]`: some entry of a collection, not known to be the secret.
    if (/^\s*\[(?!\s*['"])/.test(after)) continue;
    // An argument of a call that transforms or consumes it: the call's result is printed, not the value.
    const callee = enclosingCallee(code, m.index!);
    if (callee && !REVEALING_CALL.test(callee)) continue;
    out.push(reference);
  }
  return out;
}
