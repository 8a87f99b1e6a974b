/**
 * Which operands of a comparison are secrets whose comparison time leaks them: MACs, HMACs, signatures,
 * authentication tags, tokens, passwords, PINs and password hashes. Judged from identifier words, with the
 * look-alikes device code is full of ruled out: MAC *addresses*, log `TAG`s, unkeyed firmware digests.
 */
import type { Expr } from '../../server/src/core/model/types';
import { classifyCredentialName } from '../_shared/credential-names';
import { identifierWords } from '../_shared/identifier-words';
import { withoutLeadingCasts, withoutSubscripts } from '../_shared/expression-text';

/** Words that alone make a name a keyed authenticator. */
const AUTHENTICATOR_WORDS = new Set(['hmac', 'cmac', 'signature', 'sig', 'authtag', 'otp', 'totp', 'hotp']);
/**
 * Words that, with `mac`, `mic` or `tag`, say it is a message authenticator (not an address, a microphone
 * setting or a log tag).
 */
const MESSAGE_WORDS = new Set([
  'expected',
  'computed',
  'calc',
  'calculated',
  'received',
  'rx',
  'msg',
  'message',
  'packet',
  'pkt',
  'frame',
  'cmd',
  'command',
  'auth',
  'gcm',
  'ccm',
  'truncated',
  'calced',
  'actual',
  'given',
  'provided',
  'recv',
  'mac',
  'tag',
]);
/** Words that make `mac` a hardware address. */
const ADDRESS_WORDS = new Set([
  'addr',
  'address',
  'bssid',
  'peer',
  'bda',
  'bd',
  'sta',
  'ap',
  'station',
  'wifi',
  'eth',
  'bt',
  'ble',
  'bluetooth',
  'device',
  'dev',
  'str',
  'oui',
  'base',
  'efuse',
  'src',
  'dst',
  'dest',
  'source',
  'destination',
  'hw',
  'iface',
  'interface',
  'os',
  'name',
  'type',
  'len',
  'length',
  'size',
]);
/** Operands that are the user's own second entry or a policy check, not a stored secret. */
const POLICY_WORDS = new Set(['confirm', 'confirmation', 'repeat', 'repeated', 'retype', 'again', 'old', 'previous', 'last', 'new']);
/** Words that make the name a length, count or bound of the secret (`PIN_HASH_LEN`, `mac_size`). */
const MEASURE_WORDS = new Set([
  'len',
  'length',
  'size',
  'sz',
  'count',
  'cnt',
  'max',
  'min',
  'num',
  'idx',
  'index',
  'offset',
  'type',
  'kind',
  'version',
]);
/** Public values that look like secrets by name: certificate pins and fingerprints are not secret. */
const PUBLIC_WORDS = new Set(['fingerprint', 'fingerprint256', 'cert', 'certificate', 'spki', 'pubkey', 'public', 'thumbprint']);

/** Whether `name` is a public value (a certificate fingerprint): comparing it in variable time leaks nothing. */
export function isPublicOperand(name: string): boolean {
  return name.split('.').some((segment) => identifierWords(segment).some((w) => PUBLIC_WORDS.has(w)));
}

/** Credential kinds whose comparison time matters. */
const SECRET_KINDS = new Set(['password', 'pin', 'token', 'secret', 'api-key', 'credentials']);

export interface SecretOperand {
  name: string;
  label: string;
  /**
   * The name is one ambiguous word and nothing more (`pin`, `pass`, `token`, `key`, `sig`, `mac`, `tag`, `secret`,
   * `auth`): a GPIO, a render pass, a lexer token. It counts only with corroboration from flow or API semantics.
   */
  bare: boolean;
  /**
   * The bare word is `mac` or `mic`, as often a hardware address or an audio setting as an authenticator: a
   * stored or received value proves nothing, only an authenticator API or a credential-named store or field does.
   */
  addressLike?: boolean;
}

/**
 * Words that say which one of a kind a value is, not what kind: `curr_pin`, `current_token`, `this_key`, `tmpPass`.
 * Beside an ambiguous word they leave it as ambiguous as alone (the pin of a netlist node, the current lexer token).
 */
const GENERIC_QUALIFIERS = new Set([
  'a',
  'an',
  'the',
  'my',
  'this',
  'cur',
  'curr',
  'current',
  'tmp',
  'temp',
  'local',
  'each',
  'next',
  'node',
]);

/** Words that, alone as a whole name, say too little to call the value a secret. */
const AMBIGUOUS_WORDS = new Set(['pin', 'pass', 'token', 'key', 'sig', 'signature', 'mac', 'mic', 'tag', 'secret', 'auth', 'code', 'otp']);
/** Words that make a credential name a hash of it (`apiKeySHA1`, `pinDigest`, `password_hash`). */
const HASH_WORDS = new Set(['hash', 'digest', 'hashed', 'sha1', 'sha256', 'sha512', 'md5']);

/** The dotted name an operand refers to (`cfg->psk` → `cfg.psk`, `hmac(...)` → `hmac`), if any. */
export function operandName(expr: Expr): string | undefined {
  // An entry of a map of secrets read under a named key: `secrets[apiKeySHA1]` is judged by its key.
  const entry = /^[A-Za-z_][\w.]*\[\s*([A-Za-z_]\w*)\s*\]$/.exec(expr.text.trim());
  if (entry && /secret|credential|key|token/i.test(expr.text.split('[')[0])) return entry[1];
  if (expr.kind === 'name') return expr.value ?? expr.text;
  if (expr.kind === 'call' && expr.call) return expr.call.callee;
  if (expr.kind !== 'other') return undefined;
  const bare = withoutSubscripts(withoutLeadingCasts(expr.text, true))
    .replace(/^this\.|^self\./, '')
    .replace(/->/g, '.');
  return /^[A-Za-z_][\w.]*(?:\(\))?$/.test(bare) ? bare.replace(/\(\)$/, '') : undefined;
}

/** Whether `name` is the user's second entry or an old value (`confirm_password`, `oldPin`): a policy check. */
export function isPolicyOperand(name: string): boolean {
  return identifierWords(name.split('.').pop() ?? name).some((w) => POLICY_WORDS.has(w));
}

/** `enteredPassword` vs `enteredPassword2`, `pin1` vs `pin2`: the same entry typed twice, not a stored secret. */
export function isRepeatedEntry(a: string, b: string): boolean {
  const stem = (n: string) => n.replace(/(?:_|(?<!\d))\d+$/, '');
  return a !== b && stem(a) === stem(b) && stem(a).length > 0;
}

/** What secret `name` holds, or undefined when it is not one. */
export function classifySecretOperand(name: string): SecretOperand | undefined {
  const last = name.split('.').filter(Boolean).pop() ?? name;
  const words = identifierWords(last);
  if (!words.length || words.some((w) => POLICY_WORDS.has(w) || MEASURE_WORDS.has(w))) return undefined;
  const specific = words.filter((w) => !GENERIC_QUALIFIERS.has(w));
  const bare = specific.length === 1 && AMBIGUOUS_WORDS.has(specific[0]);
  const found = (label: string): SecretOperand => ({
    name,
    label,
    bare,
    ...(bare && /^(?:mac|mic)$/.test(specific[0]) ? { addressLike: true } : {}),
  });
  if (words.some((w) => AUTHENTICATOR_WORDS.has(w))) {
    return found(
      words.includes('signature') || words.includes('sig')
        ? 'signature'
        : words.includes('otp') || words.includes('totp') || words.includes('hotp')
          ? 'one-time code'
          : 'MAC',
    );
  }
  const hasMessageWord = (except: string) => words.some((w) => w !== except && MESSAGE_WORDS.has(w));
  if (words.includes('mac') && !words.some((w) => ADDRESS_WORDS.has(w)) && hasMessageWord('mac')) return found('MAC');
  // `mic` is as often the microphone (`micGain`, `mic_level`) as a message integrity code: only with a message word.
  if (words.includes('mic') && (hasMessageWord('mic') || words.length === 1)) return found('MAC');
  if (words.includes('tag') && hasMessageWord('tag')) return found('authentication tag');
  // Hashes of a credential: `stored_password_hash`, `pinDigest`, `apiKeySHA1`.
  if (
    words.some((w) => HASH_WORDS.has(w)) &&
    (words.some((w) => /^(?:password|passwd|pwd|pin|passcode|passphrase|secret|token)$/.test(w)) || /api key|apikey/.test(words.join(' ')))
  ) {
    return found('password hash');
  }
  const credential = classifyCredentialName(last);
  if (credential && SECRET_KINDS.has(credential.kind)) return found(credential.label);
  return undefined;
}

/** Whether an operand is a literal or constant-looking value (comparisons with literals are other rules' concern). */
export function isLiteralOperand(expr: Expr): boolean {
  if (['string', 'number', 'boolean', 'null'].includes(expr.kind)) return true;
  if (expr.kind === 'name' && /^(?:None|null|nil|NULL|undefined|nullptr|true|false|True|False)$/.test(expr.text)) return true;
  if (expr.kind === 'other' && /^(?:'.*'|".*"|`[^$]*`|\d+|0x[0-9a-f]+)$/is.test(expr.text.trim())) return true;
  return false;
}
