/**
 * cleartext-sensitive-storage: passwords, tokens and keys written to storage that is not encrypted: ESP-IDF
 * NVS opened without NVS encryption, Zephyr settings, Arduino Preferences and EEPROM, plain files, Android
 * SharedPreferences (not EncryptedSharedPreferences) and the password fields of preference screens, which the
 * Preference framework saves there (preference-screens.ts), browser localStorage/sessionStorage, Java Properties.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Confidence, RuleContext } from '../../server/src/core/types';
import { STORAGE_ADVICE, asyncStorageNames, storageSinkOf, type StorageSink } from './sinks';
import { serialisedObjectLiteral } from './json-objects';
import { classifySensitiveName, sensitiveReferences, withArticle, type SensitiveReference } from '../_shared/secret-references';
import { corroboratesCredential } from '../_shared/credential-evidence';
import { identifierWords } from '../_shared/identifier-words';
import docs from './docs.md';
import { byLanguageFamily } from '../_shared/language-family';
import { defineRule } from '../_shared/define-rule';
import { throughFirstStop } from '../_shared/first-close';
import { provideCredentialClasses, serialisedCredential } from './serialized-objects';
import { findPasswordPreferences, provideCustomPreferenceStore } from './preference-screens';
import { storedStructCredential } from './stored-structs';

export default defineRule({
  meta: {
    id: 'cleartext-sensitive-storage',
    title: 'Credential or key stored in cleartext',
    severity: 'high',
    confidence: 'medium',
    // `android-xml`: preference screens whose password fields the Preference framework saves in SharedPreferences.
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript', 'android-xml'],
    cwe: [312, 256, 522],
    fda: ['app1.E.1', '524b.b2'],
    sees: 'credentials and keys stored unencrypted',
    iec62443: ['CR 4.1', 'CR 1.5'],
    fix: 'none',
    presets: ['recommended'],
    docs,
    // Every report is on a sink storageSinkOf (sinks.ts) names for the language, or (JS) a `localStorage` /
    // `sessionStorage` binding.
    needs: (_, language) => byLanguageFamily<readonly string[] | undefined>(language, SINK_NAMES, undefined),
  },
  check(ctx) {
    if (ctx.language === 'android-xml') return findPasswordPreferences(ctx);
    if (ctx.language === 'java' || ctx.language === 'kotlin') provideCustomPreferenceStore(ctx);
    findCleartextSensitiveStorage(ctx);
  },
});

/**
 * What storageSinkOf matches, per language family: the pre-filter. None on Java and Kotlin: every class there
 * with a credential field is provided as a `credential-classes` fact, which another file's store reads.
 */
const SINK_NAMES = {
  native: () => ['nvs_set_', 'settings_save_one', 'putstring', 'putbytes', 'eeprom', 'fwrite', 'fputs', 'fprintf'],
  python: () => ['write', 'dump'],
  jvm: () => undefined,
  js: () => ['setitem', 'writefile', 'appendfile', 'storage'],
};

/** A value that has been encrypted, wrapped or hashed before it is stored. */
const PROTECTED_VALUE = /encrypt|cipher|wrap|seal|hash|digest|bcrypt|pbkdf2|argon2|scrypt|kdf|protect/i;

function findCleartextSensitiveStorage(ctx: RuleContext): void {
  // Test code arranges the store the code under test reads (a Robolectric or in-memory SharedPreferences, a mocked
  // localStorage): what a test writes there is test data on no device, whatever its name. Storage helpers of the
  // product live outside test code and are checked there.
  if (ctx.inTestCode) return;
  const { model } = ctx;
  const content = ctx.text.content;

  // Evidence that storage is encrypted somewhere in this file: then do not guess.
  const nvsEncrypted =
    model.calls.some((c) =>
      /^nvs_flash_secure_init|^nvs_flash_read_security_cfg|^nvs_flash_generate_keys|^nvs_open_from_partition$/.test(c.name),
    ) || model.directives.some((d) => /CONFIG_NVS_ENCRYPTION/.test(d.condition));
  const nvsOpenedPlain = model.calls.some((c) => c.name === 'nvs_open');
  const usesEncryptedPrefs = /\bEncryptedSharedPreferences\b/.test(content);
  // Only Python's sinks read them: two scans of every line of a C or Java file for nothing.
  const fileHandles = ctx.language === 'python' ? pythonFileHandles(content) : NO_HANDLES;
  const isScript = ctx.language === 'typescript' || ctx.language === 'javascript';
  const asyncStores = isScript ? asyncStorageNames(model.imports) : NO_HANDLES;

  provideCredentialClasses(ctx);
  for (const call of model.calls) {
    const sink = storageSinkOf(call, ctx.language, fileHandles, asyncStores);
    if (!sink) continue;
    if (sink.kind === 'nvs' && (nvsEncrypted || !nvsOpenedPlain)) continue;
    if (sink.kind === 'shared-preferences' && usesEncryptedPrefs) continue;
    const value = call.args[sink.value];
    if (!value || isLiteral(value) || PROTECTED_VALUE.test(value.text) || isClearing(ctx, value)) continue;
    const key = sink.key !== undefined ? call.args[sink.key] : undefined;
    const keyName = key ? storageKeyName(ctx, key) : undefined;
    const fromKey = keyName !== undefined ? classifyStorageKey(keyName) : undefined;
    // A value named by one ambiguous word (`token`, `pin`) counts when the key or flow backs it.
    const fromValue = sensitiveReferences(value.text, ctx.language).find(
      (r) => r.kind !== 'patient' && (!r.bare || fromKey || corroboratesCredential(ctx, call, r.name)),
    );
    const secret = fromValue ?? fromKey;
    if (!secret) {
      if (sink.kind === 'shared-preferences' || sink.kind === 'file') reportSerialisedCredential(ctx, call, sink, value, keyName);
      if (isScript) reportSerialisedLiteral(ctx, call, sink, value, keyName);
      reportStoredStruct(ctx, call, sink, value, keyName);
      continue;
    }
    if (!fromKey && keyName !== undefined && namesPublicValue(keyName)) continue;
    const confidence: Confidence | undefined = sink.kind === 'nvs' ? 'low' : undefined;
    ctx.report({
      span: value,
      message: messageFor(call, sink, secret, keyName),
      ...(confidence ? { confidence } : {}),
    });
  }

  // `localStorage.token = t` / `localStorage['authToken'] = t`
  if (ctx.language === 'typescript' || ctx.language === 'javascript') {
    for (const binding of model.bindings) {
      // Both patterns need `Storage` in the target (spaces taken out): most bindings are rejected unsplit.
      if (!binding.target.includes('Storage') && !/\s/.test(binding.target)) continue;
      const m =
        /^(?:window\.)?(localStorage|sessionStorage)(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])$/.exec(binding.target.replace(/\s+/g, '')) ??
        /^(?:window\.)?(localStorage|sessionStorage)$/.exec(binding.target.split('.').slice(0, -1).join('.'));
      if (!m || isLiteral(binding.value) || PROTECTED_VALUE.test(binding.value.text)) continue;
      const keyName = m[2] ?? m[3] ?? binding.name;
      const secret = classifyStorageKey(keyName) ?? sensitiveReferences(binding.value.text, ctx.language).find((r) => r.kind !== 'patient');
      if (!secret) continue;
      ctx.report({
        span: binding.value,
        message: `${capitalised(withArticle(secret.label))} is stored in ${m[1]} under '${keyName}': ${STORAGE_ADVICE['web-storage']}`,
      });
    }
  }
}

/** A settings object whose class holds a credential, serialised whole into the store (serialized-objects.ts). */
function reportSerialisedCredential(ctx: RuleContext, call: Call, sink: StorageSink, value: Expr, keyName: string | undefined): void {
  const found = serialisedCredential(ctx, value);
  if (!found) return;
  const holds = found.field
    ? `its '${found.field.name}' field holds ${withArticle(found.field.label)}`
    : 'another file declares the class with a credential field';
  const secret: SensitiveReference = { name: '', kind: 'credential', label: `${found.className} object serialised whole (${holds})` };
  ctx.report({ span: value, message: messageFor(call, sink, secret, keyName), ...(found.when ? { when: found.when } : {}) });
}

/** `JSON.stringify(user)` where `user` is built as `{ sessionToken, userId, … }` in this file (json-objects.ts). */
function reportSerialisedLiteral(ctx: RuleContext, call: Call, sink: StorageSink, value: Expr, keyName: string | undefined): void {
  const found = serialisedObjectLiteral(ctx, value);
  if (!found) return;
  const secret: SensitiveReference = {
    name: '',
    kind: 'credential',
    label: `object serialised whole (it holds ${withArticle(found.label)}, '${found.name}')`,
  };
  ctx.report({ span: value, message: messageFor(call, sink, secret, keyName) });
}

/** A C struct with a credential field, its bytes written whole into the store (stored-structs.ts). */
function reportStoredStruct(ctx: RuleContext, call: Call, sink: StorageSink, value: Expr, keyName: string | undefined): void {
  const found = storedStructCredential(ctx, value);
  if (!found) return;
  const label = `${found.typeName} struct written whole (its '${found.field.name}' field holds ${withArticle(found.field.label)})`;
  const secret: SensitiveReference = { name: '', kind: 'credential', label };
  ctx.report({
    span: value,
    message: messageFor(call, sink, secret, keyName),
    ...(sink.kind === 'nvs' ? { confidence: 'low' as const } : {}),
  });
}

function messageFor(call: Call, sink: StorageSink, secret: SensitiveReference, keyName: string | undefined): string {
  const what = `${capitalised(withArticle(secret.label))}${secret.name && secret.name !== keyName ? ` ('${secret.name}')` : ''}`;
  const where: Record<StorageSink['kind'], string> = {
    nvs: `is written to NVS by ${call.callee}() and this file opens NVS with nvs_open() without NVS encryption: anyone with the board can dump the flash and read it`,
    settings: `is saved with ${call.callee}() into Zephyr settings, which are cleartext in flash: anyone with the board can dump and read it`,
    preferences: `is saved with ${call.callee}() into Preferences (cleartext NVS): anyone with the board can dump the flash and read it`,
    eeprom: `is written to EEPROM by ${call.callee}(): anyone with the board can read it out`,
    file: `is written in cleartext to a file by ${call.callee}(): anyone who gets a copy of the disk, a backup or a service export can read it`,
    'shared-preferences': `is saved with ${call.callee}() into SharedPreferences, a cleartext XML file that backups, rooted devices and debug builds expose`,
    'web-storage': `is stored with ${call.callee}(): any script on the page can read it`,
    'async-storage': `is stored with ${call.callee}() in React Native's AsyncStorage, an unencrypted file in the app's data folder that backups, rooted devices and debug builds expose`,
    properties: `is set with ${call.callee}() in a Properties object that is stored as plain text`,
  };
  return `${what} ${where[sink.kind]}${keyName ? ` (key '${keyName}')` : ''}. ${STORAGE_ADVICE[sink.kind]}`;
}

/**
 * The key says what the slot holds: a value only named like a secret (a parameter `hexDerivedSecret`) stored
 * under `jpakeServerNonce`, `aes_iv` or `cert_fingerprint` is that value, which is sent in the clear or public.
 */
function namesPublicValue(key: string): boolean {
  const last = key.split(/[/:]/).filter(Boolean).pop() ?? key;
  return identifierWords(last).some((word) => PUBLIC_SLOT_WORDS.has(word));
}

const PUBLIC_SLOT_WORDS = new Set([
  'nonce',
  'iv',
  'salt',
  'challenge',
  'fingerprint',
  'public',
  'pubkey',
  'cert',
  'certificate',
  'serial',
  'timestamp',
  'counter',
]);

/** A storage key that names a credential or key: `"wifi_pass"`, `"auth_token"`, `"wifi/psk"`, `"aes_key"`. */
function classifyStorageKey(key: string): SensitiveReference | undefined {
  const last = key.split(/[/:]/).filter(Boolean).pop() ?? key;
  const reference = classifySensitiveName(last);
  return reference && reference.kind !== 'patient' ? { ...reference, name: key } : undefined;
}

/**
 * The name a storage key gives what is stored: the literal (`"wifi_pass"`), the constant it resolves to in this
 * file, or else the constant's own name (`Constants.SHARED_PREF_LIBRE_PASSWORD`), which says what the slot holds.
 */
function storageKeyName(ctx: RuleContext, key: Expr): string | undefined {
  if (key.kind === 'string') return key.value ?? '';
  const constant = ctx.flow.constant(key)?.value;
  if (constant !== undefined) return constant;
  return key.kind === 'name' && /^[A-Za-z_][\w.]*$/.test(key.text) ? key.text.split('.').pop() : undefined;
}

/** `token = ""` then `putString(KEY, token)`: the stored slot is cleared, no secret is written. */
function isClearing(ctx: RuleContext, value: Expr): boolean {
  if (value.kind !== 'name') return false;
  const origins = ctx.flow.origins(value);
  return (
    origins.length > 0 &&
    origins.every(
      (o) =>
        o.kind === 'literal' && isEmptyLiteral(o.expr) && o.steps.length > 0 && ctx.flow.functionAt(o.steps[0].span.start) !== undefined,
    )
  );
}

function isEmptyLiteral(expr: Expr): boolean {
  return expr.kind === 'null' || (expr.kind === 'string' && !expr.value) || (expr.kind === 'number' && /^0+[lL]?$/.test(expr.text));
}

function isLiteral(expr: Expr): boolean {
  return ['string', 'number', 'boolean', 'null'].includes(expr.kind);
}

const NO_HANDLES: ReadonlySet<string> = new Set();

/** Names bound to `open(...)` in Python: `with open(p, "w") as f`, `f = open(p, "w")`. */
function pythonFileHandles(content: string): Set<string> {
  const handles = new Set<string>();
  // `\bopen\([^)\n]*\)\s+as\s+(\w+)`, reading each run to its `)` once.
  for (const m of throughFirstStop(content, /\bopen\(/g, /[)\n]/g, /\)\s+as\s+(\w+)/y)) handles.add(m.tail[1]);
  for (const m of content.matchAll(/^[ \t]*(\w+)[ \t]*=[ \t]*open\(/gm)) handles.add(m[1]);
  return handles;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
