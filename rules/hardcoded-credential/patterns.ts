/**
 * Value-side knowledge for hardcoded-credential: secret formats recognisable on their own (PEM private
 * keys, provider tokens, passwords inside URLs) and literals that look like a credential slot's value but
 * are not a secret (labels, key names, hashes, paths, URLs, secret-store references).
 */
import { isCredentialName } from '../_shared/credential-names';

/** A PEM private key header followed by key material (a bare header is what parsers search for). */
const PEM_PRIVATE_KEY = /-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----[\s\S]{0,200}?[A-Za-z0-9+/]{32,}/;

export function containsPemPrivateKey(value: string): boolean {
  return PEM_PRIVATE_KEY.test(value);
}

export interface TokenFormat { provider: string; pattern: RegExp; confidence: 'high' | 'medium' }

/** Provider credentials with a fixed, unambiguous shape, recognised in any string literal. */
export const TOKEN_FORMATS: readonly TokenFormat[] = [
  { provider: 'AWS access key id', pattern: /(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])/, confidence: 'high' },
  { provider: 'GitHub token', pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/, confidence: 'high' },
  { provider: 'GitHub token', pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{50,}/, confidence: 'high' },
  { provider: 'Slack token', pattern: /(?<![A-Za-z0-9])xox[baprs]-[0-9A-Za-z]{6,}-[0-9A-Za-z-]{6,}/, confidence: 'high' },
  { provider: 'Google API key', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/, confidence: 'high' },
  { provider: 'Stripe live secret key', pattern: /(?<![A-Za-z0-9])[sr]k_live_[0-9A-Za-z]{20,}/, confidence: 'high' },
  { provider: 'JSON Web Token', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/, confidence: 'medium' },
];

export function findTokenFormat(value: string): TokenFormat | undefined {
  if (/example/i.test(value)) return undefined; // AWS and vendor documentation keys say EXAMPLE
  return TOKEN_FORMATS.find((format) => format.pattern.test(value));
}

/** `scheme://user:password@host`: the offsets of the password within `value`, when it is a real one. */
export function urlPassword(value: string): { start: number; end: number } | undefined {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]+):([^\s/@]+)@[^\s@]+$/i.exec(value.trim());
  if (!m) return undefined;
  const password = m[3];
  if (/^[$%{<*x]|[{}<>]/.test(password) || /^(pass(word)?|pw|pwd|secret|token)$/i.test(password)) return undefined;
  const start = value.indexOf(m[0]) + m[1].length + m[2].length + 1;
  return { start, end: start + password.length };
}

/** Identifier-shaped: `wifi_pass`, `DB_PASSWORD`, `wifiPassword`, `x-api-key`, `mqtt.password` (not `St0re-Pass`). */
function isKeyLike(value: string): boolean {
  return /^[a-z][a-z0-9_.-]*$/.test(value) || /^[A-Z][A-Z0-9_.-]*$/.test(value) || /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]+)+$/.test(value);
}

/** A password hash in a standard encoding (bcrypt, argon2, crypt(3), PBKDF2, LDAP): not the secret. */
export function isPasswordHash(value: string): boolean {
  return /^\$(?:2[abxy]?|argon2(?:id|i|d)|[156]|5|y|pbkdf2[-\w]*|scrypt|7)\$/.test(value)
    || /^(?:pbkdf2_sha(?:1|256|512)|bcrypt_sha256|sha(?:1|256|512)|md5)\$/.test(value)
    || /^\{(?:SSHA|SHA|SSHA256|SSHA512|PBKDF2[-\w]*|CRYPT)\}/i.test(value);
}

/**
 * Whether a literal in a credential slot is something other than a secret: a UI label (`Password`,
 * `Enter password:`), a key or variable name (`wifi_password`, `DB_PASSWORD`), the slot's own name, a
 * file path or URL, or a reference to a secret store (`vault:…`, `arn:aws:secretsmanager:…`).
 */
export function isNonSecretLiteral(value: string, slotName: string): boolean {
  const v = value.trim();
  const normalized = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (normalized(v) === normalized(slotName.split('.').pop() ?? slotName)) return true;
  // Identifier-like values that themselves name a credential are keys (NVS, env, prefs, form fields).
  if (isKeyLike(v) && isCredentialName(v)) return true;
  // Labels and prompts: words with spaces that read as text, or anything ending like a prompt.
  if (/[:?…]\s*$/.test(v) && /\s/.test(v)) return true;
  if (/\s/.test(v) && /^[A-Z][A-Za-z'’-]*(\s+[A-Za-z'’-]+)+[.!]?$/.test(v)) return true;
  if (/\s/.test(v) && /\b(password|passphrase|pin|token|secret|key)\b/i.test(v)) return true;
  if (isPasswordHash(v)) return true;
  // Paths to key or credential files, and URLs (a URL with an embedded password is reported on its own).
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v) || /\.(?:pem|key|der|crt|cer|p12|pfx|jks|bks|keystore|json|txt|env|bin|ini|conf)$/i.test(v)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return true;
  if (/^(?:vault|env|secret|secretsmanager|ssm|keychain|keyring|op|aws-sm|gcp-sm):/i.test(v) || /^arn:aws:(?:secretsmanager|ssm|kms):/.test(v)) return true;
  return false;
}
