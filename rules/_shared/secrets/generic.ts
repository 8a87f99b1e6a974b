/**
 * Generic secrets: a value assigned to a secret-bearing name in a configuration or text file, judged by the
 * name (what it holds) and by the value (whether it is a real secret rather than a stand-in). Passwords are
 * judged as passwords (any non-default, non-placeholder value is one); tokens, keys and secrets must look
 * machine-generated for their alphabet. A provider-specific name with the provider's value shape
 * (`TWILIO_AUTH_TOKEN` = 32 hex digits) is reported as that provider's credential.
 */
import type { Confidence, Span } from '../../../server/src/core/types';
import { classifyCredentialName, isCredentialName, isPinValue, type CredentialName } from '../credential-names';
import { isDefaultPassword, isDefaultPin } from '../default-credentials';
import { identifierWords, isIdentifierShaped } from '../identifier-words';
import type { Assignment } from './assignments';
import { basicCredential, decodeBase64Text } from './checks';
import { alphabetOf, characterClasses, looksRandom, shannonEntropy } from './entropy';
import type { TextKind } from './file-kinds';
import { slotFormatsFor, SLOT_FORMATS, type FormatInfo } from './formats';
import { isLabelledHash, isNotASecret, isSequential, isUuid, isWordLike } from './placeholders';

export interface GenericSecret {
  format: FormatInfo;
  confidence: Confidence;
  /** What the name says it holds: "password", "API key", "pre-shared key". */
  label: string;
  /** The secret part of the value (after a `Bearer ` scheme, the password of a Basic credential…). */
  secret: Span;
}

/** Secret-bearing configuration names that the identifier classifier does not cover. */
const EXTRA_SECRET_NAMES: ReadonlyMap<string, CredentialName> = new Map([
  ...[
    'wpa_psk',
    'presharedkey',
    'preshared_key',
    'pre_shared_key',
    'wep_key0',
    'wep_key1',
    'wep_key2',
    'wep_key3',
    'shared_secret',
    'auth_server_shared_secret',
    'acct_server_shared_secret',
    'radius_secret',
  ].map((name): [string, CredentialName] => [name, { kind: 'secret', label: 'pre-shared key' }]),
  ...[
    'sae_password',
    'requirepass',
    'masterauth',
    'rpcpassword',
    'private_key_passwd',
    'keystore_pass',
    'storepass',
    'keypass',
    'bind_pw',
    'bindpw',
    'admin_pass',
  ].map((name): [string, CredentialName] => [name, { kind: 'password', label: 'password' }]),
  ...[
    'secret_key_base',
    'app_key',
    'signing_key',
    'encryption_key',
    'master_key',
    'session_secret',
    'cookie_secret',
    'jwt_secret',
    'hmac_key',
    'webhook_secret',
    'rpcauth',
    'x-api-key',
    'x-auth-token',
    'private-token',
    'api-token',
    'x-access-token',
    'sas_token',
    'sastoken',
    'account_key',
    'accountkey',
    'access_key_secret',
    'private_key',
  ].map((name): [string, CredentialName] => [name, { kind: 'secret', label: 'secret' }]),
  ...['_auth', 'auth', '_authtoken', 'authorization', 'proxy-authorization'].map((name): [string, CredentialName] => [
    name,
    { kind: 'credentials', label: 'credential' },
  ]),
  ...['_password'].map((name): [string, CredentialName] => [name, { kind: 'password', label: 'password' }]),
]);

/**
 * Words one of which every secret-bearing name contains (lower case): the line pre-filter of the assignment
 * pass. Provider names count through the longest word of each of their name groups.
 */
export const PROVIDER_NAME_KEYWORDS: readonly string[] = [
  ...new Set(SLOT_FORMATS.flatMap((format) => format.words.map((group) => [...group].sort((a, b) => b.length - a.length)[0]))),
];
export const SECRET_NAME_KEYWORDS: readonly string[] = [
  ...new Set([
    'pass',
    'pwd',
    'pw',
    'secret',
    'token',
    'key',
    'auth',
    'cred',
    'psk',
    'sas',
    'private',
    'bearer',
    'basic',
    ...PROVIDER_NAME_KEYWORDS,
  ]),
];

/** The words of the names default passwords and PINs are assigned to. */
export const PASSWORD_NAME_KEYWORDS: readonly string[] = ['pass', 'pwd', 'pw', 'secret', 'pin', 'cred', 'psk', 'auth'];

/** The last segment of a configuration key: `spring.datasource.password` → `password`, `//reg/:_authToken` → `_authToken`. */
function lastSegment(key: string): string {
  const trimmed = key.replace(/^["']|["'\]]$/g, '');
  const parts = trimmed.split(/[.:/\\[\]]/).filter(Boolean);
  return parts[parts.length - 1] ?? trimmed;
}

/** Words before `key` that make it something other than a secret (`public_key`, `cache_key`, `sort_key`). */
const NON_SECRET_KEY_QUALIFIERS = new Set([
  'public',
  'pub',
  'cache',
  'sort',
  'partition',
  'primary',
  'foreign',
  'hash',
  'idempotency',
  'dedup',
  'routing',
  'lookup',
  'map',
  'object',
  'file',
  'path',
  'name',
  'id',
  'index',
  'row',
  'column',
  'field',
  'attribute',
  'header',
  'query',
  'storage',
  'translation',
  'i18n',
  'message',
  'label',
  'pref',
  'preference',
  'setting',
  'config',
  'registry',
  'event',
  'metric',
  'tag',
  'group',
  'unique',
  'composite',
  'range',
  'shard',
  'bucket',
  'prefix',
  'suffix',
  'host',
  'ssh',
  'gpg',
  'pgp',
  'known',
  'trusted',
  'publishable',
  'site',
  'recaptcha',
  'verify',
  'verification',
  'sku',
  'cert',
  'certificate',
  'ca',
]);

/** What a configuration name holds, if it names a secret. */
export function secretNameOf(key: string): CredentialName | undefined {
  if (!isIdentifierShaped(key)) return undefined;
  const last = lastSegment(key);
  const known = EXTRA_SECRET_NAMES.get(last.toLowerCase()) ?? classifyCredentialName(last);
  if (known) return known;
  // `SENDGRID_KEY`, `NEWRELIC_LICENSE_KEY`, `BASIC_AUTH`: a provider's or a purpose's key or credential.
  const words = identifierWords(last);
  const final = words[words.length - 1];
  if (words.length >= 2 && final === 'key' && !NON_SECRET_KEY_QUALIFIERS.has(words[words.length - 2]))
    return { kind: 'secret', label: 'key' };
  if (words.length >= 2 && final === 'auth') return { kind: 'credentials', label: 'credential' };
  return undefined;
}

const GENERIC: FormatInfo = { id: 'generic-secret', provider: 'secret', family: 'generic' };

/**
 * Whether a named secret of a text file was judged machine-generated (a token, key or secret slot holding a
 * value as random as its alphabet allows), as opposed to a password a person chose.
 */
export function isGeneratedSecret(format: FormatInfo): boolean {
  return format === GENERIC;
}
const GENERIC_PASSWORD: FormatInfo = { id: 'generic-password', provider: 'password', family: 'generic' };

/** Values that are obviously not a secret whatever the name: paths, URLs, e-mail addresses, hosts, numbers, words. */
/**
 * Whether a variable is expanded inside a value: `${NAME}`, `$(command)`, `$NAME` (three or more characters). A `$`
 * after a word character or another `$` (`Pa$$w0rd`, compose's `$$` escape) expands nothing.
 */
function interpolatesVariable(value: string): boolean {
  for (let i = value.indexOf('$'); i >= 0; i = value.indexOf('$', i + 1)) {
    if (i > 0 && /[$\\\w]/.test(value[i - 1])) continue;
    const next = value.slice(i + 1, i + 4);
    if ((next[0] === '{' && value.indexOf('}', i) > i + 2) || (next[0] === '(' && value.indexOf(')', i) > i + 2)) return true;
    if (/^[A-Za-z_]\w\w$/.test(next)) return true;
  }
  return false;
}

function isPlainValue(value: string, key: string): boolean {
  const v = value.trim();
  if (
    /^(?:true|false|yes|no|on|off|null|nil|none|undefined|required|optional|enabled|disabled|auto|default|string|str|int|bool|any|empty|random|generated|prompt|ask|env|file|secret|password|token|key)$/i.test(
      v,
    )
  )
    return true;
  if (
    /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\|\\\\)/.test(v) ||
    /\.(?:pem|key|der|crt|cer|p12|pfx|jks|bks|keystore|json|txt|env|bin|ini|conf|cfg|yaml|yml|properties|gpg|asc|kdbx)$/i.test(v)
  )
    return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/.test(v)) return true;
  if (/^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$/.test(v) || /^(?:[a-z0-9-]+\.)+[a-z]{2,}$/.test(v)) return true;
  if (/^-?\d+(?:\.\d+)?$/.test(v)) return true;
  // `s/mqtt_password=.*/mqtt_password=$MQTT_PASSWORD/`, `${DB_USER}:${DB_PASSWORD}`, `$(cat /run/secrets/pw)`: the
  // shell or the compose file puts a variable's value there at run time; what is written is no secret.
  if (interpolatesVariable(v)) return true;
  // `password: DB_PASSWORD`, `token: api_token`: the name of a variable or key, not its value.
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v) || (/^[a-z][a-z0-9]*(?:[_.-][a-z0-9]+)+$/.test(v) && isCredentialName(v))) return true;
  // Identifiers meant to be public: publishable keys, Twilio account SIDs, Mapbox public tokens.
  if (/^pk_(?:live|test)_|^pk\.eyJ|^AC[a-f0-9]{32}$/.test(v)) return true;
  // A member access or call (`this.cfg.mqttPassword`, `process.env.TOKEN`, `getPassword()`): code, not a value.
  if (/^[A-Za-z_$][\w$]{0,60}(?:\.[A-Za-z_$][\w$]{0,60}){1,8}(?:\(\))?$/.test(v) || /^[A-Za-z_$][\w$.]{0,80}\(/.test(v)) return true;
  const bare = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  // `pass = pass1`, `password: password`, `token: my_token`: the name, numbered or owned, not a value.
  let named = bare(v);
  while (named && named.charCodeAt(named.length - 1) >= 48 && named.charCodeAt(named.length - 1) <= 57) named = named.slice(0, -1);
  named = named.replace(/^(?:my|your|the|some)/, '');
  if (named === bare(lastSegment(key)) || (named.length >= 3 && identifierWords(lastSegment(key)).includes(named))) return true;
  // Prose and labels: several words.
  if (/\s/.test(v) && /^[A-Za-z'’,.!?-]+(?:\s+[A-Za-z'’,.!?:-]+)+$/.test(v)) return true;
  return false;
}

/** A password in a configuration file: any real value, except defaults (default-credential reports those). */
function isPasswordValue(value: string, kind: TextKind): boolean {
  const v = decodedIfBase64(value.trim());
  if (v.length < 4 || isDefaultPassword(v) || isNotASecret(v)) return false;
  if (isLabelledHash(v)) return false;
  // Letters only (`Passwort`, `Contraseña`, `Hidden`): a translated label or a word, not a chosen secret.
  if (/^[\p{L} ]{1,24}$/u.test(v)) return false;
  // In documentation a password must look chosen, not illustrative (`Password: hunter2` in a README).
  if (kind === 'prose') return v.length >= 8 && characterClasses(v) >= 3 && !isWordLike(v);
  return true;
}

/**
 * Kubernetes secrets and some tools store a password base64-encoded (`cGFzc3dvcmQ=`): judge what it encodes
 * when it decodes to printable text (a random password rarely does).
 */
function decodedIfBase64(value: string): string {
  if (value.length < 8 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return value;
  const decoded = decodeBase64Text(value, 256);
  return decoded && /^[\x20-\x7e]{4,}$/.test(decoded) ? decoded : value;
}

/** A token, key or secret: machine-generated for its alphabet. */
export function isRandomSecretValue(value: string): boolean {
  const v = value.trim();
  if (v.length < 16 || v.length > 1000 || /\s/.test(v)) return false;
  if (isNotASecret(v) || isUuid(v) || isSequential(v) || isLabelledHash(v)) return false;
  // Generated key material is random bytes, whose base64 is almost never printable text: base64 that decodes to
  // text (`dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcw==`, "test-encryption-key-32-bytes") is as random as that text.
  const text = decodedIfBase64(v);
  if (text !== v && !isRandomSecretValue(text)) return false;
  // Made of words and without a digit: a name (`production_database_url`), not a generated secret.
  if (isWordLike(v) && !/\d/.test(v)) return false;
  // Below 3.5 bits a character (3 for hex) a value reads as chosen by a person (`testingsecret123`), the floor
  // the established scanners use; only values shorter than 20 characters come near it when random.
  if (shannonEntropy(v) < (alphabetOf(v) === 'hex' ? 3 : 3.5)) return false;
  return looksRandom(v);
}

/** Splits an `Authorization`-style value into its scheme and credential: `Bearer abc` → abc. */
function credentialPart(value: string, valueStart: number): { text: string; start: number; scheme?: string } {
  const scheme = /^(Basic|Bearer|Token|token|Digest|ApiKey|Key|SSWS|GenieKey|Splunk|OAuth)\s+/.exec(value);
  if (scheme) return { text: value.slice(scheme[0].length), start: valueStart + scheme[0].length, scheme: scheme[1] };
  const base64Prefix = /^base64:/.exec(value);
  if (base64Prefix) return { text: value.slice(7), start: valueStart + 7 };
  return { text: value, start: valueStart };
}

/** Judges one assignment of a text file; undefined when it is not a secret (or not a named one). */
export function judgeAssignment(assignment: Assignment, kind: TextKind): GenericSecret | undefined {
  const key = assignment.key;
  const {
    text: value,
    start,
    scheme,
  } = credentialPart(assignment.value.trim(), assignment.valueSpan.start + (assignment.value.length - assignment.value.trimStart().length));
  if (!value) return undefined;
  const secret = { start, end: start + value.length };

  const slotFormat = slotFormatsFor(key).find((format) => format.value.test(value));
  if (slotFormat && !isNotASecret(value))
    return { format: slotFormat, confidence: slotFormat.confidence, label: slotFormat.provider, secret };

  const name = secretNameOf(key) ?? (scheme ? ({ kind: 'credentials', label: 'credential' } as CredentialName) : undefined);
  if (!name) return undefined;
  if (scheme === 'Basic') {
    const basic = basicCredential(value);
    if (!basic || !isPasswordValue(basic.password, kind) || basic.password === basic.user) return undefined;
    return { format: GENERIC_PASSWORD, confidence: 'medium', label: 'Basic-authentication credential', secret };
  }
  if (isPlainValue(value, key)) return undefined;
  if (name.kind === 'pin') {
    return kind === 'config' && isPinValue(value) && !isDefaultPin(value)
      ? { format: GENERIC_PASSWORD, confidence: 'medium', label: name.label, secret }
      : undefined;
  }
  const passwordLike = name.kind === 'password' || name.label === 'pre-shared key';
  if (passwordLike && !scheme) {
    return isPasswordValue(value, kind)
      ? { format: GENERIC_PASSWORD, confidence: kind === 'config' ? 'medium' : 'low', label: name.label, secret }
      : undefined;
  }
  if (!isRandomSecretValue(value)) return undefined;
  return { format: GENERIC, confidence: value.length >= 24 ? 'medium' : 'low', label: name.label, secret };
}
