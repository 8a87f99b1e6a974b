/**
 * One pass over a file's text for secrets:
 * 1. armoured private keys (PEM of every type, OpenSSH, PGP, PuTTY), read through string-literal glue;
 * 2. provider tokens, base64 private keys and passwords in URLs, found from their prefixes: one regex of all
 *    prefixes walks the text (the pre-filter), and only at a prefix occurrence does a format's own pattern
 *    run, sticky and bounded, so the cost is linear in the file and independent of the number of formats;
 * 3. in configuration and other text files, values assigned to secret-bearing names (generic secrets).
 * Findings never overlap: a token inside a key block or a URL password that is itself a provider token is
 * reported once, as the more specific kind.
 */
import type { Confidence, Span } from '../../../server/src/core/types';
import { findAssignments } from './assignments';
import { isDefaultPassword } from '../default-credentials';
import type { TextKind } from './file-kinds';
import { PREFIX_FORMATS, type FormatInfo, type PrefixFormat } from './formats';
import { isRandomSecretValue, judgeAssignment, PROVIDER_NAME_KEYWORDS, SECRET_NAME_KEYWORDS } from './generic';
import { characterClasses } from './entropy';
import { isNotASecret, isWordLike } from './placeholders';
import { proseBlocks } from './prose-blocks';
import { BASE64_KEY_PREFIXES, describeBase64Key, findArmouredKeys, findPuttyKeys } from './private-keys';
import { PrefixScanner, type PrefixHit } from './prefix-scan';

export interface SecretFinding {
  /** Where to report: the token, the key block, the assignment's value. */
  span: Span;
  /** What every output masks. */
  secret: Span;
  format: FormatInfo;
  confidence: Confidence;
  kind: 'provider' | 'private-key' | 'url-credential' | 'generic';
  /** Human wording of what was found: "GitHub personal access token", "RSA private key", "password". */
  label: string;
  /** Private keys: the key is encrypted under a passphrase. */
  encrypted?: boolean;
  /** Generic findings: the name the value is assigned to. */
  name?: string;
}

export interface FindOptions {
  kind: TextKind;
  /** The file's path (relative), for file-name conventions (`.netrc`). */
  path: string;
  /**
   * Name = value assignments: `all` judges every secret-bearing name (text and configuration files), `providers`
   * only names of a provider with its value shape (`TWILIO_AUTH_TOKEN` = 32 hex digits; files whose own parser
   * judges the rest), `none` skips them (code has its own model).
   */
  assignments: 'all' | 'providers' | 'none';
  /** The offsets where the lines of `content` start, when the caller has them (the engine's SourceText does). */
  lineStarts?: readonly number[];
}

const PRIVATE_KEY: FormatInfo = { id: 'private-key', provider: 'private key', family: 'private-key' };
const GCP_SERVICE_ACCOUNT: FormatInfo = { id: 'gcp-service-account-key', provider: 'Google Cloud service-account key', family: 'cloud' };
/** A Google service-account key file: JSON with `"type": "service_account"` and the key in `"private_key"`. */
const SERVICE_ACCOUNT = /"type"\s*:\s*"service_account"/;
const URL_PASSWORD: FormatInfo = { id: 'url-password', provider: 'password in a URL', family: 'connection-string' };
const URL_PREFIX = '://';

/**
 * Formats by the first two characters of their prefixes, and the one regex that finds every prefix. A prefix
 * whose formats all start at a word boundary (`ghp_`, `SK`, `pat`) is only looked for there, so the `SK` of
 * `MASK` or the `pat` of `path` costs the regex nothing more than a failed look-behind.
 */
const INDEX = (() => {
  const byHead = new Map<string, { prefix: string; format?: PrefixFormat }[]>();
  const bounded = new Set<string>();
  const free = new Set<string>();
  const add = (prefix: string, format: PrefixFormat | undefined, atBoundary: boolean) => {
    const head = prefix.slice(0, 2);
    byHead.set(head, [...(byHead.get(head) ?? []), { prefix, format }]);
    (atBoundary ? bounded : free).add(prefix);
  };
  for (const format of PREFIX_FORMATS) {
    const atBoundary = !format.before && format.pattern.source.startsWith('(?<![A-Za-z0-9_])');
    for (const prefix of format.prefixes) add(prefix, format, atBoundary && /^\w/.test(prefix));
  }
  for (const prefix of BASE64_KEY_PREFIXES) add(prefix, undefined, false);
  add(URL_PREFIX, undefined, false);
  for (const prefix of free) bounded.delete(prefix); // a prefix some format needs anywhere is looked for anywhere
  const longestFirst = (prefixes: Set<string>) => [...prefixes].sort((a, b) => b.length - a.length);
  const alternation = (prefixes: Set<string>) =>
    longestFirst(prefixes)
      .map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('|');
  // `\b` before a prefix that starts with a word character is the same boundary as the formats' look-behind, and faster.
  return {
    byHead,
    trigger: new RegExp(`\\b(?:${alternation(bounded)})|${alternation(free)}`, 'g'),
    // What the scan runs: the trigger's matches, found by a table of first characters (prefix-scan.ts).
    scanner: new PrefixScanner(longestFirst(bounded), longestFirst(free)),
  };
})();

/** The first prefix occurrence at or after `from`, as the trigger regex finds it: exported for the test that says so. */
export function nextPrefix(content: string, from: number): PrefixHit | undefined {
  return INDEX.scanner.next(content, from);
}

/** The regex of every prefix, which the scanner follows: exported so the ReDoS test and the scanner's test check it. */
export const PREFIX_TRIGGER: RegExp = INDEX.trigger;

export function findSecrets(content: string, options: FindOptions): SecretFinding[] {
  const found: SecretFinding[] = [];
  const taken: Span[] = [];
  const overlaps = (span: Span) => taken.some((t) => span.start < t.end && t.start < span.end);
  const add = (finding: SecretFinding) => {
    if (overlaps(finding.span)) return;
    found.push(finding);
    taken.push(finding.span);
  };

  if (content.includes('-----BEGIN ')) {
    const serviceAccount = SERVICE_ACCOUNT.test(content);
    for (const block of findArmouredKeys(content)) {
      const finding = keyFinding(block.span, block.secret, block.kind, block.encrypted, block.proven);
      if (serviceAccount && /"private_key"\s*:\s*"$/.test(content.slice(Math.max(0, block.span.start - 40), block.span.start))) {
        add({ ...finding, format: GCP_SERVICE_ACCOUNT, kind: 'provider', label: GCP_SERVICE_ACCOUNT.provider });
      } else add(finding);
    }
  }
  if (content.includes('PuTTY-User-Key-File-')) {
    for (const block of findPuttyKeys(content)) add(keyFinding(block.span, block.secret, block.kind, block.encrypted, true));
  }

  let m = nextPrefix(content, 0);
  while (m) {
    const at = m.index;
    let from = at + m.length;
    if (!taken.some((t) => at >= t.start && at < t.end)) {
      const hit = matchAt(content, at, options.kind);
      if (hit) {
        add(hit);
        from = Math.max(from, hit.span.end);
      }
    }
    m = nextPrefix(content, from);
  }

  // Documentation is full of illustrative values: there only a line of a code block (a pasted configuration or
  // shell session) is read for name-based findings, with the standards of prose, and not in a block the prose
  // beside it presents as an example.
  const assignments = options.assignments;
  const prose = options.kind === 'prose' && assignments !== 'none' ? proseBlocks(content) : undefined;
  if (assignments !== 'none') {
    const keywords = assignments === 'providers' ? PROVIDER_NAME_KEYWORDS : SECRET_NAME_KEYWORDS;
    for (const assignment of findAssignments(content, options.kind, options.path, keywords, options.lineStarts)) {
      const block = prose?.blockAt(assignment.keySpan.start);
      if (overlaps(assignment.valueSpan) || (prose && !block)) continue;
      if (prose && /^(?:test|demo|sample|example|my|your)/i.test(assignment.value.trim())) continue;
      const inComment = isCommentLine(content, assignment.keySpan.start);
      const verdict = judgeAssignment(assignment, inComment ? 'prose' : options.kind);
      if (!verdict || (assignments === 'providers' && verdict.format.family === 'generic')) continue;
      if (block && verdict.format.family === 'generic' && prose?.isExampleBlock(block)) continue;
      // A commented-out example (`# password: sallypass`) is prose; a commented-out token is still a token.
      if (
        inComment &&
        verdict.format.family === 'generic' &&
        verdict.label !== 'credential' &&
        !isRandomSecretValue(content.slice(verdict.secret.start, verdict.secret.end))
      )
        continue;
      add({
        span: assignment.valueSpan,
        secret: verdict.secret,
        format: verdict.format,
        confidence: verdict.confidence,
        kind: verdict.format.family === 'generic' ? 'generic' : 'provider',
        label: verdict.label,
        name: assignment.key,
      });
    }
  }
  return found.sort((a, b) => a.span.start - b.span.start);
}

/** Whether the line holding `offset` is a comment (`#`, `//`, `;`, `--`, `<!--`, `*`, `REM`). */
function isCommentLine(content: string, offset: number): boolean {
  const lineStart = content.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]{0,40}(?:#|\/\/|;|--|<!--|\*|REM\b)/i.test(content.slice(lineStart, Math.min(content.length, lineStart + 48)));
}

function keyFinding(span: Span, secret: Span, kind: string, encrypted: boolean, proven: boolean): SecretFinding {
  return {
    span,
    secret,
    format: PRIVATE_KEY,
    confidence: encrypted || !proven ? 'medium' : 'high',
    kind: 'private-key',
    label: kind,
    encrypted,
  };
}

/** The secret that starts at a prefix occurrence, if any. */
function matchAt(content: string, at: number, kind: TextKind): SecretFinding | undefined {
  const candidates = INDEX.byHead.get(content.slice(at, at + 2)) ?? [];
  for (const { prefix, format } of candidates) {
    if (!content.startsWith(prefix, at)) continue;
    const hit = prefix === URL_PREFIX ? urlPasswordAt(content, at, kind) : format ? tokenAt(content, at, format) : base64KeyAt(content, at);
    if (hit) return hit;
  }
  return undefined;
}

function tokenAt(content: string, at: number, format: PrefixFormat): SecretFinding | undefined {
  let start = at;
  if (format.before) {
    const before = format.before.exec(content.slice(Math.max(0, at - 64), at));
    if (!before) return undefined;
    start = at - before[0].length;
  }
  format.pattern.lastIndex = at;
  const m = format.pattern.exec(content);
  if (!m) return undefined;
  const end = at + m[0].length;
  const token = content.slice(start, end);
  const groupIndex = m.findIndex((group, index) => index > 0 && group !== undefined);
  const secretText = groupIndex > 0 ? m[groupIndex] : token;
  const secretStart = groupIndex > 0 ? at + m[0].indexOf(secretText) : start;
  // The random part must not be a stand-in: `ghp_xxxx…`, `sk_live_YOUR_KEY_HERE…`, `AKIA…EXAMPLE`.
  if (isNotASecret(secretText) || isNotASecret(token)) return undefined;
  const random = secretText.slice(groupIndex > 0 ? 0 : (format.prefixes.find((p) => secretText.startsWith(p))?.length ?? 0));
  if (format.confidence !== 'high' && random.length >= 12 && isWordLike(random)) return undefined;
  let confidence = format.confidence;
  if (format.verify) {
    const verdict = format.verify(token, content.slice(Math.max(0, start - 400), Math.min(content.length, end + 400)));
    if (verdict === false) return undefined;
    if (verdict === 'proven') confidence = 'high';
  }
  return {
    span: { start, end },
    secret: { start: secretStart, end: secretStart + secretText.length },
    format,
    confidence,
    kind: format.family === 'private-key' ? 'private-key' : 'provider',
    label: format.provider,
  };
}

/** A base64 run from `at` that decodes to a private key (DER without armour, or a base64-encoded PEM). */
function base64KeyAt(content: string, at: number): SecretFinding | undefined {
  if (at > 0 && /[A-Za-z0-9+/]/.test(content[at - 1])) return undefined;
  let end = at;
  while (end < content.length && end - at < 20_000 && /[A-Za-z0-9+/=]/.test(content[end])) end++;
  const run = content.slice(at, end);
  const key = describeBase64Key(run);
  if (!key || isNotASecret(run)) return undefined;
  const span = { start: at, end };
  return {
    span,
    secret: span,
    format: PRIVATE_KEY,
    confidence: key.encrypted ? 'medium' : 'high',
    kind: 'private-key',
    label: key.kind,
    encrypted: key.encrypted,
  };
}

/** "password" in the languages of the translations that ship with apps: a placeholder in a URL. */
const PASSWORD_WORDS = new Set([
  'password',
  'passwort',
  'parola',
  'contraseña',
  'contrasena',
  'senha',
  'motdepasse',
  'wachtwoord',
  'hasło',
  'haslo',
  'heslo',
  'lozinka',
  'salasana',
  'jelszó',
  'jelszo',
  'losenord',
  'lösenord',
  'adgangskode',
  'passord',
  'пароль',
  'mypassword',
  'yourpassword',
  'pass',
  'secret',
]);

const URL_AUTHORITY = /([^\s:/@"'<>?#]{0,100}):([^\s/@"'<>?#]{1,200})@([^\s/"'<>:@?#]{1,253})/y;
const URL_SCHEME = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}$/;

/** The machine itself: a service there is reached by no one but what runs beside it. */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0)$/i;

/**
 * `postgres://app:testpassword@localhost:5432/app_test`: a URL that says it is for a test (in its password or its
 * path) and reaches a service on the machine itself, as a CI job or a test run starts one (a throwaway database
 * container). Whoever reads the password can use it only there.
 */
function isLocalTestService(password: string, host: string, after: string): boolean {
  if (!LOOPBACK_HOST.test(host)) return false;
  const path = /^[^\s"'<>]*/.exec(after)?.[0] ?? '';
  return [password, path].some((part) =>
    part
      .toLowerCase()
      .split(/[^a-z]+/)
      .some((word) => word.startsWith('test')),
  );
}

/** `scheme://user:password@host`: the password, when it is a real one. */
function urlPasswordAt(content: string, at: number, kind: TextKind): SecretFinding | undefined {
  const scheme = URL_SCHEME.exec(content.slice(Math.max(0, at - 24), at));
  if (!scheme) return undefined;
  URL_AUTHORITY.lastIndex = at + 3;
  const m = URL_AUTHORITY.exec(content);
  if (!m) return undefined;
  const [, user, password, host] = m;
  if (isLocalTestService(password, host, content.slice(at + 3 + m[0].length, at + 3 + m[0].length + 120))) return undefined;
  if (
    isNotASecret(password) ||
    isDefaultPassword(password) ||
    password === user ||
    /^(?:pass(?:word)?|pwd|pw|secret|token|x-oauth-basic)$/i.test(password)
  )
    return undefined;
  if (/^[$%{<*]|[{}<>]/.test(password) || PASSWORD_WORDS.has(password.toLowerCase())) return undefined;
  // In documentation and comments, `mongodb://sally:sallypass@…` is an illustration: only a password that looks
  // generated or chosen for real (three character classes, not a word) counts there.
  if (
    (kind === 'prose' || isCommentLine(content, at)) &&
    !(isRandomSecretValue(password) || (password.length >= 10 && characterClasses(password) >= 3 && !isWordLike(password)))
  )
    return undefined;
  const start = at - scheme[0].length;
  const passwordStart = at + 3 + user.length + 1;
  return {
    span: { start, end: at + 3 + m[0].length },
    secret: { start: passwordStart, end: passwordStart + password.length },
    format: URL_PASSWORD,
    confidence: 'high',
    kind: 'url-credential',
    label: 'password in a URL',
  };
}
