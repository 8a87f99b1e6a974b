/**
 * The secrets that need no credential-named slot to be recognised, in any file of the repository: provider
 * tokens, private keys in every armour, passwords in URLs, committed key containers (PKCS#12, JKS, DER), and
 * in configuration and text files also values assigned to secret-bearing names (generic secrets). The
 * detection is the secrets library's; this file words the findings and says which are live secrets, the input
 * the engine's test-code policy needs (it lowers findings in test code, except live secrets).
 */
import type { Expr } from '../../server/src/core/model/types';
import type { Confidence, LanguageId, ProjectCondition, RuleContext, Span } from '../../server/src/core/types';
import { parseJwt } from '../_shared/secrets/checks';
import { findSecrets, type SecretFinding } from '../_shared/secrets/find-secrets';
import { isStringStatement } from '../_shared/python-docstrings';
import { slotFormatsFor } from '../_shared/secrets/formats';
import { isGeneratedSecret, judgeAssignment } from '../_shared/secrets/generic';
import { isLocalePath, isTemplatePath, textKindOf, type TextKind } from '../_shared/secrets/file-kinds';
import { testKeyCondition } from './test-certificates';
import { publishedRecordIdNames } from './published-record-ids';
import { RELEASE_SIGNED_WITH_DEBUG_KEY } from './release-signing';
import { ANDROID_DEBUG_KEY } from '../../server/src/core/key-container';

const RISK = 'anyone with the firmware image, app package or source can read it and use it against every deployed device';
const REVOKE = 'Revoke it and load the replacement at runtime from a secrets manager or protected storage.';
const KEY_RISK =
  'whoever reads the repository, source or binary can impersonate the device or service it belongs to, or decrypt its traffic';
const KEY_ADVICE =
  'Remove it from the repository (and its history) and replace the key: keep a signing key (firmware, bootloader, release) in an HSM or offline signing service with only its public half in the device, and provision a device or service key per device into a secure element, Keystore or encrypted storage.';

const CODE_LANGUAGES: ReadonlySet<LanguageId> = new Set(['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript']);
/** Formats whose values are parsed by the engine's own config model (the rule's slot checks cover those). */
const CONFIG_MODEL_LANGUAGES: ReadonlySet<LanguageId> = new Set(['kconfig', 'dotenv', 'android-manifest']);

/** Words that mark a key or token as made for a test, when it sits in test code (the test-code policy). */
const TEST_FIXTURE_WORDS =
  /(?:^|[^a-z])(?:test|tests|testing|fake|dummy|mock|sample|example|fixture|fixtures|stub|unittest|localhost|snakeoil|selfsigned|self-signed|insecure)(?:[^a-z]|$)/i;

/**
 * `live`: a real provider token or private key, leaked wherever it sits (test code does not lower it); a condition:
 * live unless the project provides it (a key in test code whose certificate is a test certificate).
 */
type Report = (
  span: Span,
  message: string,
  secret: Span | undefined,
  confidence?: Confidence,
  live?: boolean | ProjectCondition,
  when?: ProjectCondition,
) => void;

const article = (text: string) => (/^[AEIOUaeiou]/.test(text) ? 'an' : 'a');

/** How the secrets pass reads this file. */
function textKindFor(ctx: RuleContext): TextKind {
  if (CODE_LANGUAGES.has(ctx.language)) return 'source';
  if (CONFIG_MODEL_LANGUAGES.has(ctx.language)) return 'config';
  return textKindOf(ctx.path, ctx.text.content);
}

/**
 * Reports every recognisable secret in the file. Returns the spans it reported, so the rule's slot checks
 * on configuration entries do not report the same value again.
 */
export function reportRecognisableSecrets(ctx: RuleContext, report: Report): Span[] {
  if (ctx.language === 'key-container') {
    reportKeyContainer(ctx, report);
    return [];
  }
  const content = ctx.text.content;
  const kind = textKindFor(ctx);
  const isCode = CODE_LANGUAGES.has(ctx.language);
  const assignments =
    isCode || kind === 'lock' || kind === 'minified' || kind === 'key' || kind === 'data'
      ? 'none'
      : CONFIG_MODEL_LANGUAGES.has(ctx.language)
        ? 'providers'
        : 'all';
  const reported: Span[] = [];
  const template = isTemplatePath(ctx.path);
  const locale = isLocalePath(ctx.path);
  const hits = [...findSecrets(content, { kind, path: ctx.path, assignments, lineStarts: ctx.text.lineStarts })];
  // A table of records, each naming its public page by the value (`"childKey": "Sb6u…"`, `…/history/Sb6u…`).
  const generic = hits.filter((hit) => hit.kind === 'generic');
  const recordIdNames = generic.length
    ? publishedRecordIdNames(
        content,
        generic.map((hit) => ({ name: hit.name, value: content.slice(hit.secret.start, hit.secret.end) })),
      )
    : undefined;
  for (const hit of hits) {
    // Templates and samples show the names of secrets, translations name them: a generic value there is not one.
    if ((template || locale) && !isCode && (hit.kind === 'generic' || (locale && hit.kind === 'url-credential'))) continue;
    if (hit.kind === 'generic' && hit.name && recordIdNames?.has(hit.name)) continue;
    const literal = isCode ? enclosingLiteral(ctx, hit.span) : undefined;
    // URLs with passwords in code: only inside string literals.
    if (hit.kind === 'url-credential' && isCode && !literal) continue;
    // A docstring shows example settings (`fhir_server = 'https://user:pass@localhost/...'`): prose, not a value the
    // program uses. Provider tokens and private keys leak wherever they are written, docstrings included.
    if (
      (hit.kind === 'url-credential' || hit.kind === 'generic') &&
      literal &&
      ctx.language === 'python' &&
      isStringStatement(ctx, literal)
    )
      continue;
    const span = literal ?? hit.span;
    // A literal that is the secret masks whole, as before; a secret inside other text masks just itself.
    const secret =
      literal?.content && hit.secret.start - literal.content.start <= 8 && literal.content.end - hit.secret.end <= 8
        ? literal.content
        : hit.secret;
    const entry = ctx.model.config.find(
      (e) => e.valueSpan.start <= hit.span.start && hit.span.start < Math.max(e.valueSpan.end, e.valueSpan.start + 1),
    );
    const message = entry && CONFIG_MODEL_LANGUAGES.has(ctx.language) ? configEntryMessage(hit, entry.key, ctx.language) : undefined;
    const live = isLiveSecret(hit) && !(ctx.inTestCode && isTestFixture(ctx, hit));
    report(span, message ?? messageFor(hit, literal, ctx.language), secret, hit.confidence, live && liveness(ctx, hit, isCode));
    reported.push(hit.span);
  }
  if (isCode) reportProviderSlots(ctx, report);
  return reported;
}

/**
 * A live secret's liveness: a private key in test code is live unless its certificate is a test certificate
 * (test-certificates.ts), which another file may hold; anything else live is live.
 */
function liveness(ctx: RuleContext, hit: SecretFinding, isCode: boolean): true | ProjectCondition {
  if (!ctx.inTestCode || hit.kind !== 'private-key') return true;
  return testKeyCondition(ctx, ctx.text.content.slice(hit.secret.start, hit.secret.end), !isCode) ?? true;
}

/**
 * A secret that is leaked wherever it sits, test code included: a provider's token, a private key, or a
 * machine-generated value a configuration file gives a token or key setting (`CODACY_PROJECT_TOKEN=<32 hex>` in
 * a CI env file was issued by a service; the dummy passwords tests set up for themselves are chosen by a person).
 */
function isLiveSecret(hit: SecretFinding): boolean {
  return hit.kind === 'provider' || hit.kind === 'private-key' || (hit.kind === 'generic' && isGeneratedSecret(hit.format));
}

/**
 * Code: a literal assigned to a name of a provider, with that provider's value shape (`TWILIO_AUTH_TOKEN =
 * "<32 hex digits>"`, `LAUNCHDARKLY_SDK_KEY = "sdk-<uuid>"`), including names the credential-name
 * classifier does not count as credentials.
 */
function reportProviderSlots(ctx: RuleContext, report: Report): void {
  for (const binding of ctx.model.bindings) {
    // The name first: most names name no provider, and their values are then never resolved.
    if (slotFormatsFor(binding.name).length === 0) continue;
    const literal = binding.value;
    if (literal.kind !== 'string' || literal.value === undefined || !literal.content) continue;
    const verdict = judgeAssignment(
      { key: binding.name, keySpan: binding.targetSpan, value: literal.value, valueSpan: literal.content, quoted: true },
      'source',
    );
    if (!verdict || verdict.format.family === 'generic') continue;
    const live = !(ctx.inTestCode && isTestFixtureText(ctx, binding.target, binding.value.start));
    report(
      literal,
      `'${binding.name}' holds ${article(verdict.label)} ${verdict.label}: ${RISK}. ${REVOKE}`,
      literal.content,
      verdict.confidence,
      live,
    );
  }
}

/** The string literal a hit lies in, when the model has one (code files). */
function enclosingLiteral(ctx: RuleContext, span: Span): Expr | undefined {
  let best: Expr | undefined;
  for (const literal of ctx.model.strings) {
    if (literal.start <= span.start && span.start < literal.end && (!best || literal.end - literal.start < best.end - best.start))
      best = literal;
  }
  return best;
}

function messageFor(hit: SecretFinding, literal: Expr | undefined, language: LanguageId): string {
  const where = literal ? 'this string literal' : CODE_LANGUAGES.has(language) ? 'this line' : 'this file';
  switch (hit.kind) {
    case 'private-key': {
      const what =
        hit.label === 'PKCS#8 private key' && literal ? 'A PEM private key' : `${article(hit.label).replace(/^a/, 'A')} ${hit.label}`;
      const encrypted = hit.encrypted
        ? ' It is encrypted, but the passphrase that opens it usually sits in the same repository or build.'
        : '';
      return `${what} is embedded in ${where}: ${KEY_RISK}.${encrypted} ${KEY_ADVICE}`;
    }
    case 'url-credential':
      return `This URL embeds a hardcoded password: ${RISK}. Pass credentials separately, loaded at runtime from protected storage.`;
    case 'generic':
      return `'${hit.name}' is set to a hardcoded ${hit.label} in a file that ships with the source: ${RISK}. Leave it out of the repository and inject it at deployment from a secrets manager or per-device provisioning.`;
    case 'provider':
      return hit.name
        ? `'${hit.name}' holds ${article(hit.label)} ${hit.label}: ${RISK}. ${REVOKE}`
        : `${where.replace(/^t/, 'T')} holds ${article(hit.label)} ${hit.label}: ${RISK}. ${REVOKE}`;
  }
}

/** Findings in a firmware configuration or .env entry are worded for that entry, as the rule's slot findings are. */
function configEntryMessage(hit: SecretFinding, key: string, language: LanguageId): string | undefined {
  const where = language === 'kconfig' ? 'is built into the firmware image' : 'is deployed with the service';
  if (hit.kind === 'url-credential')
    return `${key} is a URL with an embedded password: ${RISK}. Keep the password out of the URL and inject it at deployment from a secrets manager.`;
  if (hit.kind === 'provider')
    return `${key} holds ${article(hit.label)} ${hit.label} that ${where}: ${RISK}. Revoke it and inject the replacement at provisioning time.`;
  return undefined;
}

/**
 * Whether a key or token in test code is plainly made for the test (its file, its holder or its own line says
 * test, fake, dummy, mock, sample, fixture): then it is no live secret, and the test-code policy lowers it like
 * any other finding there; a live-looking provider token or key without such a name stays live.
 */
function isTestFixture(ctx: RuleContext, hit: SecretFinding): boolean {
  // A key or data file is named for what it is (`tests/fixtures/fake_device.key`); test code files are all named test_*.
  if (!CODE_LANGUAGES.has(ctx.language) && hasTestFixtureWord((ctx.path.split('/').pop() ?? '').replace(/\.[^.]*$/, ''))) return true;
  if (hit.format.family === 'jwt' && isTestJwt(ctx.text.content.slice(hit.secret.start, hit.secret.end))) return true;
  const holder = ctx.model.bindings.find((b) => b.value.start <= hit.span.start && hit.span.start < b.value.end)?.target ?? hit.name ?? '';
  return isTestFixtureText(ctx, holder, hit.span.start);
}

/** The claims that say whom a JWT was issued to and by whom. */
const JWT_IDENTITY_CLAIMS = ['iss', 'sub', 'aud', 'azp', 'client_id', 'name', 'email', 'preferred_username'];

/**
 * A JWT says in its own claims whom it is for: a token a test minted for itself names a test issuer, subject or
 * audience (`"iss": "testIssuer"`, `"aud": ["testAudience"]`) or carries no claims at all (`{}`), while a token
 * issued by a real service names that service and a real account, and stays live wherever it sits.
 */
function isTestJwt(token: string): boolean {
  const payload = parseJwt(token.replace(/^Bearer\s+/i, ''))?.payload;
  if (!payload) return false;
  if (Object.keys(payload).length === 0) return true;
  return JWT_IDENTITY_CLAIMS.flatMap((claim) => [payload[claim]].flat()).some(
    (value) => typeof value === 'string' && hasTestFixtureWord(value),
  );
}

/** The holder's name or the line up to `offset` says the value is made for a test. */
function isTestFixtureText(ctx: RuleContext, holder: string, offset: number): boolean {
  const text = ctx.text.content;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return hasTestFixtureWord(holder) || hasTestFixtureWord(text.slice(lineStart, offset));
}

function hasTestFixtureWord(text: string): boolean {
  return TEST_FIXTURE_WORDS.test(text.replace(/([a-z])([A-Z])/g, '$1_$2'));
}

/** A committed PKCS#12, JKS or DER key file: the engine hands over a one-line description, never the bytes. */
function reportKeyContainer(ctx: RuleContext, report: Report): void {
  const description = ctx.text.content.replace(/^\[binary |, \d+ bytes\]$/g, '');
  const live = !(ctx.inTestCode && hasTestFixtureWord((ctx.path.split('/').pop() ?? '').replace(/\.[^.]*$/, '')));
  const encrypted = /password-encrypted|key store|enveloped/.test(description);
  // The Android debug key signs debug builds only, unless the module's Gradle script ships with it (release-signing.ts).
  const debugKey = description.endsWith(ANDROID_DEBUG_KEY);
  const risk = debugKey
    ? `a release build of this module signs with it (Gradle: a non-debug build or signing configuration uses the debug key store), so the shipped app's signing key is public and anyone can sign an update the phone accepts as this app`
    : KEY_RISK;
  report(
    { start: 0, end: ctx.text.content.length },
    `This file is ${article(description)} ${description}, committed to the repository: ${risk}.${encrypted ? ' Its password is usually in the same repository or build scripts.' : ''} ${KEY_ADVICE}`,
    undefined,
    encrypted ? 'medium' : 'high',
    live,
    debugKey ? { fact: RELEASE_SIGNED_WITH_DEBUG_KEY, anyOf: ['yes'] } : undefined,
  );
}
