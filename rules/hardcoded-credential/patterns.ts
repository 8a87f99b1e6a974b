/**
 * Value-side knowledge for hardcoded-credential's slot checks: literals that look like a credential slot's
 * value but are not a secret (labels, key names, hashes, paths, URLs, secret-store references). Secrets
 * recognisable on their own (provider tokens, private keys, passwords in URLs) are the secrets library's.
 */
import { isCredentialName } from '../_shared/credential-names';
import { identifierWords } from '../_shared/identifier-words';

/** Identifier-shaped: `wifi_pass`, `DB_PASSWORD`, `wifiPassword`, `x-api-key`, `mqtt.password` (not `St0re-Pass`). */
function isKeyLike(value: string): boolean {
  return /^[a-z][a-z0-9_.-]*$/.test(value) || /^[A-Z][A-Z0-9_.-]*$/.test(value) || /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]+)+$/.test(value);
}

/** A segment ending in what it names: `authkey`, `password`, `token` (glued words included). */
const NAMED_SEGMENT = /(?:key|pass|passwd|password|pwd|token|secret|credentials?|pin|psk)$/;

/**
 * The name a value is stored under, as preference, NVS and settings keys are written: lower-case words joined
 * by `_`, `.` or `-`, no digit, the last or another word naming what is stored (`miband_data_authkey`,
 * `pref_password`, `pump.auth-token`). A chosen password has digits, capitals or symbols, or is no such name.
 */
function isStorageKeyName(value: string): boolean {
  if (!/^[a-z]+(?:[_.-][a-z]+)+$/.test(value)) return false;
  return value.split(/[_.-]/).some((segment) => NAMED_SEGMENT.test(segment));
}

/**
 * A settings path: namespaces joined by `/` as Zephyr settings, DataStore and per-driver preference keys are
 * written (`bodyconnect/password`, `wifi/psk`, `pump/auth-token`), lower-case words with no digit, the last
 * segment naming what is stored. A chosen password is no such path.
 */
function isSettingsPath(value: string): boolean {
  if (!/^[a-z]+(?:[_.-][a-z]+)*(?:\/[a-z]+(?:[_.-][a-z]+)*)+$/.test(value)) return false;
  const last = value.slice(value.lastIndexOf('/') + 1);
  return isCredentialName(last) || last.split(/[_.-]/).some((segment) => NAMED_SEGMENT.test(segment));
}

/** Words that say a value is meant to be refused: what a test or a data tool sends to see a login fail. */
const REFUSED_WORDS = new Set(['wrong', 'incorrect', 'invalid', 'bad', 'bogus', 'nope', 'fail', 'failing', 'denied', 'rejected']);
/** Words that may stand beside them: `wrong_password`, `invalidApiKey`, `not-the-secret`. */
const SLOT_WORDS = new Set(['password', 'passwd', 'pass', 'pw', 'pwd', 'pin', 'secret', 'token', 'key', 'api', 'auth', 'the', 'a', 'not']);

/**
 * `incorrect`, `wrong-password`, `invalidToken`, `WrongPass999!`: a value that says it is wrong is not a working
 * credential (a number beside the words, as password rules demand one, adds no secret).
 */
function isDeliberatelyWrong(value: string): boolean {
  const words = identifierWords(value);
  return (
    words.length <= 4 &&
    words.some((w) => REFUSED_WORDS.has(w)) &&
    words.every((w) => {
      const bare = w.replace(/\d{1,6}$/, '');
      return !bare || REFUSED_WORDS.has(bare) || SLOT_WORDS.has(bare);
    })
  );
}

/** A password hash in a standard encoding (bcrypt, argon2, crypt(3), PBKDF2, LDAP): not the secret. */
export function isPasswordHash(value: string): boolean {
  return (
    /^\$(?:2[abxy]?|argon2(?:id|i|d)|[156]|5|y|pbkdf2[-\w]*|scrypt|7)\$/.test(value) ||
    /^(?:pbkdf2_sha(?:1|256|512)|bcrypt_sha256|sha(?:1|256|512)|md5)\$/.test(value) ||
    /^\{(?:SSHA|SHA|SSHA256|SSHA512|PBKDF2[-\w]*|CRYPT)\}/i.test(value)
  );
}

/** Credential words of the languages firmware UIs are localised into, as a one-word prompt spells them. */
const PROMPT_WORDS =
  /(?:pass(?:wor[dt]|wd|phrase|key|code)?|pwd|kennwort|wachtwoord|contrase[ñn]a|senha|motdepasse|parola|has[łl]o|l[öo]senord|adgangskode|salasana|jelsz[óo]|heslo|пароль|密码|密碼|パスワード|pin|code|token|secret|key)/;

/**
 * A one-word prompt: a word in some language that names a credential, followed by the colon a UI puts before the
 * field (`Password:`, `Passwort:`, `Stationspasswort:`, `PIN:`), as localisation tables define them. A secret does
 * not end in a prompt's colon after nothing but letters.
 */
function isOneWordPrompt(v: string): boolean {
  const match = /^(\p{L}[\p{L}'’-]*)\s*:$/u.exec(v);
  return !!match && PROMPT_WORDS.test(match[1].toLowerCase());
}

/** A word of running text, with the punctuation that may cling to it: `only,`, `(expected)`, `medical-safety`. */
const PROSE_WORD = /^[("'“‘]?\p{L}+(?:['’-]\p{L}+)*[.,;:!?)"'”’]{0,3}$/u;

/**
 * Text written for a reader (a message, a label, a help line): three or more words with a sentence's punctuation
 * (`NOT FLAGGED — safety screen only, NOT a medical-safety guarantee`, `Sidecar reachable (expected).`), or eight or
 * more words. A chosen passphrase is bare words, and a diceware one has up to seven (six is the usual advice;
 * Nightscout's example `API_SECRET` is six words of a sentence); a generated secret has no spaces at all.
 */
/** Bare words (no sentence punctuation) that make a value prose: more than a diceware passphrase holds. */
const PROSE_BARE_WORDS = 8;

export function isProse(value: string): boolean {
  const tokens = value.trim().split(/\s+/);
  const words = tokens.filter((token) => PROSE_WORD.test(token)).length;
  if (words < 3 || words < 0.7 * tokens.length) return false;
  return tokens.length >= PROSE_BARE_WORDS || /[,;()—–]|[.!?]\s|[.!?]$/.test(value.trim());
}

/**
 * Whether a literal in a credential slot is something other than a secret: a UI label (`Password`,
 * `Enter password:`), a key or variable name (`wifi_password`, `DB_PASSWORD`), the slot's own name, a
 * file path or URL, or a reference to a secret store (`vault:…`, `arn:aws:secretsmanager:…`).
 */
export function isNonSecretLiteral(value: string, slotName: string): boolean {
  const v = value.trim();
  const normalized = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const slot = normalized(slotName.split('.').pop() ?? slotName);
  if (normalized(v) === slot) return true;
  if (isDeliberatelyWrong(v)) return true;
  // A value that spells part of its own name is a label of it, as generated headers and bundles write them:
  // `SN_kx_psk "KxPSK"`, `SN_id_regCtrl_regToken "id-regCtrl-regToken"`, `DATA_API_KEY = '.data-api'`.
  if (normalized(v).length >= 4 && !/\d/.test(v) && slot.includes(normalized(v))) return true;
  // `WiFiPASSWORD`, `MyApiToken`: the slot's own name dressed up, as templates write what to fill in.
  if (slot.length >= 4 && !/\d/.test(v) && normalized(v).includes(slot)) return true;
  // A fragment of JSON or code around a value (`","expires":`), not the value.
  if (/^["',:{}[\]]/.test(v) && /"\s*:/.test(v)) return true;
  // The Fetch API's `credentials` option holds a mode, not a credential.
  if (/^credentials$/i.test(slotName) && /^(?:omit|same-origin|include)$/.test(v)) return true;
  // Identifier-like values that themselves name a credential are keys (NVS, env, prefs, form fields).
  if (isKeyLike(v) && (isCredentialName(v) || isStorageKeyName(v))) return true;
  if (isSettingsPath(v)) return true;
  // Labels and prompts: words with spaces that read as text, or anything ending like a prompt.
  if (/[:?…]\s*$/.test(v) && /\s/.test(v)) return true;
  if (isOneWordPrompt(v)) return true;
  if (/\s/.test(v) && /^[A-Z][A-Za-z'’-]*(\s+[A-Za-z'’-]+)+[.!]?$/.test(v)) return true;
  if (/\s/.test(v) && /\b(password|passphrase|pin|token|secret|key)\b/i.test(v)) return true;
  if (isPasswordHash(v)) return true;
  // Paths to key or credential files, and URLs (a URL with an embedded password is reported on its own).
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v) || /\.(?:pem|key|der|crt|cer|p12|pfx|jks|bks|keystore|json|txt|env|bin|ini|conf)$/i.test(v))
    return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return true;
  if (
    /^(?:vault|env|secret|secretsmanager|ssm|keychain|keyring|op|aws-sm|gcp-sm):/i.test(v) ||
    /^arn:aws:(?:secretsmanager|ssm|kms):/.test(v)
  )
    return true;
  return false;
}
