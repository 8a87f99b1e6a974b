/**
 * Credential-name and credential-value classification, shared by the rules that reason about secrets
 * (hardcoded-credential; later default-credential and secret-in-log).
 *
 * Names are judged word by word (`wifiPassword` → wifi, password), so a credential term only counts as the
 * HEAD of the identifier: `wifi_password`, `MQTT_PASS`, `apiKey`, `PIN_CODE` are credentials, while
 * `password_length`, `PASSWORD_PROMPT`, `passwordField`, `tokenType`, `token_url`, `MAX_PIN_ATTEMPTS` and
 * `is_password` are not: a word after the term that is not a neutral suffix (`value`, `str`, `buf`, `ap`,
 * digits …), or a flag/counter word before it (`max`, `is`, `show` …), makes it something else.
 */
import { identifierWords, isIdentifierShaped } from './identifier-words';
import { NameMemo } from './name-memo';
import type { CodeModel } from '../../server/src/core/model/types';
import { perModel } from './per-file';

/** What a credential name holds; rules word their messages and value checks on it. */
export type CredentialKind = 'password' | 'pin' | 'token' | 'api-key' | 'secret' | 'credentials';

export interface CredentialName {
  kind: CredentialKind;
  /** Human wording for messages: "password", "PIN", "access token", "API key" … */
  label: string;
}

/** Single-word terms (exact word match). */
const WORD_TERMS: Readonly<Record<string, CredentialName>> = {
  password: { kind: 'password', label: 'password' },
  passwd: { kind: 'password', label: 'password' },
  pwd: { kind: 'password', label: 'password' },
  pw: { kind: 'password', label: 'password' },
  pass: { kind: 'password', label: 'password' },
  passphrase: { kind: 'password', label: 'passphrase' },
  passcode: { kind: 'password', label: 'passcode' },
  psk: { kind: 'secret', label: 'pre-shared key' },
  secret: { kind: 'secret', label: 'secret' },
  token: { kind: 'token', label: 'token' },
  credential: { kind: 'credentials', label: 'credential' },
  credentials: { kind: 'credentials', label: 'credential' },
  creds: { kind: 'credentials', label: 'credential' },
  pin: { kind: 'pin', label: 'PIN' },
  pincode: { kind: 'pin', label: 'PIN' },
  passkey: { kind: 'pin', label: 'passkey' },
  apikey: { kind: 'api-key', label: 'API key' },
};

/** Two-word terms (`api_key`, `clientSecret`, `pass_phrase`), joined before lookup. */
const PAIR_TERMS: Readonly<Record<string, CredentialName>> = {
  'api key': { kind: 'api-key', label: 'API key' },
  'access key': { kind: 'api-key', label: 'access key' },
  'secret key': { kind: 'secret', label: 'secret key' },
  'private key': { kind: 'secret', label: 'private key' },
  'auth key': { kind: 'secret', label: 'authentication key' },
  'shared key': { kind: 'secret', label: 'pre-shared key' },
  'client secret': { kind: 'secret', label: 'client secret' },
  'pass word': { kind: 'password', label: 'password' },
  'pass phrase': { kind: 'password', label: 'passphrase' },
  'pass code': { kind: 'password', label: 'passcode' },
  'pass key': { kind: 'pin', label: 'passkey' },
  'pin code': { kind: 'pin', label: 'PIN' },
  // The code a pump or sensor shows for pairing (Tandem's, a BLE passkey): whoever has it authenticates as the app.
  'pairing code': { kind: 'pin', label: 'pairing code' },
  // Codes that authenticate whoever holds them: one sent to verify an account or device, one that unlocks a pump's
  // menu or a door. Other codes (`statusCode`, `errorCode`, `countryCode`, `keyCode`, `opCode`) are no pair term.
  'verification code': { kind: 'pin', label: 'verification code' },
  'unlock code': { kind: 'pin', label: 'unlock code' },
  'access code': { kind: 'pin', label: 'access code' },
  'security code': { kind: 'pin', label: 'security code' },
  // The key an app writes to a BLE cuff or scale to pair and later unlock it (Omron's unlock key): a password of 16 bytes.
  'pairing key': { kind: 'secret', label: 'pairing key' },
  'unlock key': { kind: 'secret', label: 'unlock key' },
};

/** Whether two words are one credential term together (`api key`, `client secret`, `pairing code`). */
export function isCredentialPair(first: string, second: string): boolean {
  return PAIR_TERMS[`${first.toLowerCase()} ${second.toLowerCase()}`] !== undefined;
}

/** Glued words ending in a term (`wifipassword`, `mqttpasswd`, `authtoken`, `xApiKey` lower-cased). */
const SUFFIX_TERMS: readonly [string, CredentialName][] = [
  ['password', WORD_TERMS.password],
  ['passwd', WORD_TERMS.passwd],
  ['passphrase', WORD_TERMS.passphrase],
  ['passcode', WORD_TERMS.passcode],
  ['apikey', WORD_TERMS.apikey],
  ['secret', WORD_TERMS.secret],
  ['token', WORD_TERMS.token],
];

/** Words that may follow the term without changing what the name holds. */
const NEUTRAL_TRAILING = new Set([
  'value',
  'val',
  'str',
  'string',
  'buf',
  'buffer',
  'bytes',
  'data',
  'raw',
  'plain',
  'plaintext',
  'cleartext',
  'hex',
  'b64',
  'base64',
  'default',
  'dflt',
  'def',
  'literal',
  'const',
  'fixed',
  'static',
  'hardcoded',
  'ap',
  'sta',
  'wifi',
  'wlan',
  'mqtt',
  'db',
  'admin',
  'root',
  'user',
  'global',
  'g',
  'p',
  's',
  'var',
  'arr',
  'array',
  'chars',
  'char',
  'cstr',
  'utf8',
  'w',
  'a',
  'live',
  'prod',
  'production',
]);

/**
 * Words before the term that turn the name into a flag, counter, message or check. A predicate verb first
 * (`is`, `has`, `should`, `can`, `needs`…) names a Boolean: `shouldPin` is whether to pin an item, `hasPassword`
 * whether one is set.
 */
const DISQUALIFYING_LEADING = new Set([
  'max',
  'min',
  'num',
  'is',
  'has',
  'should',
  'can',
  'was',
  'did',
  'does',
  'must',
  'need',
  'needs',
  'will',
  'use',
  'uses',
  'enable',
  'enabled',
  'require',
  'requires',
  'required',
  'show',
  'hide',
  'reset',
  'forgot',
  'forgotten',
  'no',
  'invalid',
  'wrong',
  'bad',
  'incorrect',
  'unexpected',
  'unknown',
  'missing',
  'empty',
  'validate',
  'check',
  'prompt',
  'label',
  'hint',
  'placeholder',
  'msg',
  'message',
  'err',
  'error',
]);

/** Words before `pin` that make it a hardware pin, not a PIN code. */
const HARDWARE_PIN_LEADING = new Set([
  'led',
  'gpio',
  'io',
  'button',
  'btn',
  'sda',
  'scl',
  'tx',
  'rx',
  'cs',
  'ss',
  'pwm',
  'adc',
  'dac',
  'int',
  'irq',
  'rst',
  'en',
  'clk',
  'clock',
  'miso',
  'mosi',
  'sck',
  'power',
  'pwr',
  'relay',
  'sensor',
  'buzzer',
  'motor',
  'servo',
  'analog',
  'digital',
  'input',
  'output',
  'out',
  'in',
  'dc',
  'busy',
  'mode',
  'vibration',
  'pump',
]);

/**
 * What credential `name` names, or undefined. `name` may be a dotted or subscripted path; its last
 * segment is judged (`cfg.sta.password` → password).
 */
const CLASSIFY_CACHE = new NameMemo<CredentialName | undefined>(16_000);

/**
 * Text every credential name contains, whatever its case: a term is a word of the name (or, for a pair, two
 * words; for a suffix term, the end of one), and a word is a slice of the name lower-cased. Most names have
 * none of these, and are answered without splitting them or looking them up in the memo.
 */
const TERM_TEXT = new RegExp(
  [
    ...new Set([
      ...Object.keys(WORD_TERMS),
      // Of a pair's two words, one is enough: a single-word term when it has one (`pass`, `pin`), else the head.
      ...Object.keys(PAIR_TERMS).map((pair) => {
        const [first, head] = pair.split(' ');
        return first in WORD_TERMS ? first : head;
      }),
      ...SUFFIX_TERMS.map(([suffix]) => suffix),
    ]),
  ]
    .sort((a, b) => b.length - a.length)
    .join('|'),
  'i',
);

/** Languages where `private` is a keyword, written before every private member: no evidence of a `private key`. */
const PRIVATE_KEYWORD: ReadonlySet<string> = new Set(['cpp', 'java', 'kotlin', 'typescript']);

/**
 * Pre-filter fragments (core/fragment-scan.ts), one of which every name `classifyCredentialName` accepts holds as
 * a word of it: a single-word term whole (`<<pin>>`: `user_pin`, `setPin`, not `spinlock` or `mapping`), a
 * suffix term at a word's end (`token>>`: `authtoken`), and a pair term by one of its two words, the first
 * unless that is covered already or is a keyword of the language (`private` in Java: then `key`).
 */
export function credentialNameFragments(language: string): string[] {
  const suffixes = new Set(SUFFIX_TERMS.map(([suffix]) => suffix));
  const covered = (word: string) => word in WORD_TERMS || [...suffixes].some((suffix) => word.endsWith(suffix));
  const fragments = new Set<string>();
  for (const suffix of suffixes) fragments.add(`${suffix}>>`);
  for (const term of Object.keys(WORD_TERMS)) if (!suffixes.has(term)) fragments.add(`<<${term}>>`);
  for (const pair of Object.keys(PAIR_TERMS)) {
    const [first, second] = pair.split(' ');
    if (covered(first) || covered(second)) continue;
    fragments.add(`<<${first === 'private' && PRIVATE_KEYWORD.has(language) ? second : first}>>`);
  }
  return [...fragments];
}

/** Memoised: the same names come back in every file (see `classifyName` for the rules). */
export function classifyCredentialName(name: string): CredentialName | undefined {
  // A value is not a name: never split, classified or cached.
  if (!isIdentifierShaped(name) || !TERM_TEXT.test(name)) return undefined;
  return CLASSIFY_CACHE.get(name, classifyName);
}

/**
 * The starts of a file's string literals whose value is a credential name (`"password"`, `"api_key"`),
 * sorted: where a keyed setter or getter may take a credential. Computed once per file for the rules
 * that ask (each used to classify every literal of the file again).
 */
export const credentialKeyStarts: (model: CodeModel) => number[] = perModel('medsec.credentialKeyStarts', (model) =>
  model.strings
    .filter((literal) => literal.value !== undefined && classifyCredentialName(literal.value) !== undefined)
    .map((literal) => literal.start)
    .sort((a, b) => a - b),
);

function classifyName(name: string): CredentialName | undefined {
  const last =
    name
      .split(/\.|->|::/)
      .filter(Boolean)
      .pop() ?? name;
  const words = identifierWords(last);
  for (let i = words.length - 1; i >= 0; i--) {
    const pair = i > 0 ? PAIR_TERMS[`${words[i - 1]} ${words[i]}`] : undefined;
    const termStart = pair ? i - 1 : i;
    const term = pair ?? WORD_TERMS[words[i]] ?? suffixTerm(words[i]);
    if (!term) continue;
    const trailing = words.slice(i + 1);
    if (!trailing.every((w) => NEUTRAL_TRAILING.has(w) || /^\d+$/.test(w))) return undefined;
    const leading = words.slice(0, termStart);
    if (leading.some((w) => DISQUALIFYING_LEADING.has(w))) return undefined;
    if (term.kind === 'pin' && leading.some((w) => HARDWARE_PIN_LEADING.has(w))) return undefined;
    // `pass` alone as the head of a longer verb phrase (`pass_through`) is caught by the trailing check;
    // `bypass` / `compass` are single words that are not `pass`.
    return term;
  }
  return undefined;
}

function suffixTerm(word: string): CredentialName | undefined {
  for (const [suffix, term] of SUFFIX_TERMS) {
    if (word.length > suffix.length && word.endsWith(suffix)) return term;
  }
  return undefined;
}

/** Whether `name` names a credential (see classifyCredentialName). */
export function isCredentialName(name: string): boolean {
  return classifyCredentialName(name) !== undefined;
}

/** A PIN or passkey value: 4 to 8 decimal digits. */
export function isPinValue(value: string): boolean {
  return /^\d{4,8}$/.test(value);
}

const PLACEHOLDER_WORDS = new Set([
  'todo',
  'fixme',
  'tbd',
  'xxx',
  'none',
  'null',
  'nil',
  'undefined',
  'n/a',
  'na',
  'unset',
  'notset',
  'redacted',
  'hidden',
  'masked',
  'placeholder',
  'dummy',
  'fake',
  'example',
  'sample',
  'changeme',
  'changeit',
  'replaceme',
  'mypassword',
  'mypass',
  'mysecret',
  'mytoken',
  'secret',
  'password',
  'passwd',
  'token',
  'pin',
  'apikey',
]);

/**
 * Whether a literal is a stand-in rather than a real secret, so a rule must not report it:
 * empty or blank; a mask (`xxxx`, `****`, `....`); a template or reference (`<password>`, `${PASSWORD}`,
 * `{{token}}`, `$(PW)`, `%API_KEY%`, `{}` / `%s` format slots); a fill-me-in marker (`YOUR_PASSWORD`,
 * `your-api-key-here`, `TODO`, `changeme`, `REPLACE_ME`, ESP-IDF's `mypassword`); or a value mentioning
 * EXAMPLE (AWS documentation keys).
 *
 * `changeme`-style values are deliberately placeholders here: they are meant to be replaced, and when one
 * ships it is a DEFAULT credential, which the default-credential rule reports. Real weak values (`admin`,
 * `1234`) are not placeholders.
 */
export function isPlaceholderSecret(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  if (/^(.)\1*$/.test(v) && /[xX*.#?_\-•]/.test(v[0])) return true;
  if (/^<[^<>]*>$/.test(v) || /^\[[^\]]*\]$/.test(v)) return true;
  if (/^\$\{[^}]*\}$|^\$\([^)]*\)$|^\{\{[^}]*\}\}$|^%[A-Za-z_][A-Za-z0-9_]*%$|^\$[A-Z_][A-Z0-9_]*$/.test(v)) return true;
  // Each repetition starts at a `%` and a width cannot start with 0 (a flag), so every string splits one way.
  if (
    /^[^%]*(?:%[-+ #0]*(?:[1-9]\d*)?(?:\.\d+)?[sdiuxXc][^%]*)+$/.test(v) &&
    v.replace(/%[-+ #0]*(?:[1-9]\d*)?(?:\.\d+)?[sdiuxXc]/g, '').length <= 3
  )
    return true;
  if (/^\{\w*\}$/.test(v)) return true;
  const lower = v.toLowerCase();
  const bare = lower.replace(/[\s_\-.]+/g, '');
  if (PLACEHOLDER_WORDS.has(lower) || PLACEHOLDER_WORDS.has(bare)) return true;
  if (/^(your|insert[\s_-]|enter[\s_-]|put[\s_-]your)|[\s_-]here$/i.test(v)) return true;
  if (/(^|[^a-z])(change|replace)[_\s-]?(me|it|this)([^a-z]|$)/i.test(v)) return true;
  if (/example/i.test(v)) return true;
  return false;
}
