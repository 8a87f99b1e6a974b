/**
 * hardcoded-credential: passwords, PINs, tokens, API keys and private keys written into source or firmware
 * configuration. Detection is slot-based (a literal that initialises, is passed as, or is compared with
 * something credential-named, or fills a known authentication parameter) plus value-based for secrets
 * that are recognisable on their own (PEM private keys, provider token formats, passwords inside URLs).
 */
import type { Binding, Call, Expr } from '../../server/src/core/model/types';
import { perModel } from '../_shared/per-file';
import type { Confidence, ProjectCondition, ProjectConditions, RuleContext, Span } from '../../server/src/core/types';
import {
  classifyCredentialName as classifyBuiltinName,
  credentialKeyStarts,
  isPinValue,
  isPlaceholderSecret,
  type CredentialName,
} from '../_shared/credential-names';
import { isLabelledHash, isSequential, isStandIn, isUuid } from '../_shared/secrets/placeholders';
import { isNonSecretLiteral, isProse } from './patterns';
import { isLookupTableEntry, objectParents } from './lookup-tables';
import { isPublishedRecordId, recordLists } from './published-record-ids';
import { isDebugKeyStorePassword } from './debug-keystore';
import { reportRecognisableSecrets } from './recognisable-secrets';
import { provideTestCertificates } from './test-certificates';
import { provideReleaseDebugSigning } from './release-signing';
import { isRandomSecretValue } from '../_shared/secrets/generic';
import { hardcodedPairingPins } from './pairing-pins';
import { provideLiveLogins, testLoginLiveness } from './live-test-logins';
import { declaredElsewhere, localPasswordParameters, mayTakeDeclaredPassword, providePasswordParameters } from './declared-parameters';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { stringLiteralOf } from '../_shared/values';
import { spanIndex } from '../../server/src/core/model/span-index';
import { functionsNamed } from '../../server/src/core/model/functions-by-name';
import { hasMarkWithin, namedArgumentMarks } from '../_shared/call-marks';
import { withoutLeadingCasts } from '../_shared/expression-text';
import { credentialNeeds, credentialShapes } from './needs';

export default defineRule({
  meta: {
    id: 'hardcoded-credential',
    title: 'Hardcoded password, PIN, token or private key',
    severity: 'critical',
    confidence: 'high',
    languages: [
      'c',
      'cpp',
      'python',
      'java',
      'kotlin',
      'typescript',
      'javascript',
      'kconfig',
      'dotenv',
      'json',
      'yaml',
      'text',
      'android-xml',
      'shell',
      'key-container',
    ],
    cwe: [798, 259, 260, 522],
    // C.3: a secret in the source is the same in every device built from it (a committed signing key signs for all).
    fda: ['app1.A.5', 'app1.C.3', 'app1.E.1', 'V.C', '524b.b2'],
    sees: {
      'app1.A.5': 'passwords, PINs, tokens and private keys written in source and configuration',
      'app1.C.3': 'private keys and secrets committed to the source, shared by every device built from it',
      'app1.E.1': 'credentials written in source and configuration',
    },
    iec62443: ['CR 1.5', 'CR 1.7'],
    fix: 'none',
    presets: ['recommended'],
    testCodeEvidence:
      "evidence that the value is live: a provider's token in its own format, a private key not plainly made for the test (by its name or its certificate), or a password or token the test sends to a real, non-local host (not a mocked or local server)",
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        extraNames: {
          description:
            'More names that hold a credential in this project (variables, fields, keys), matched case-insensitively against the last name segment.',
          type: 'array',
          items: { type: 'string', minLength: 1 },
        },
        ignoreValues: {
          description:
            'Literal values never reported (published test vectors, documented factory defaults that are rotated at commissioning).',
          type: 'array',
          items: { type: 'string' },
        },
      },
    },
    docs,
    // Asked once per rule list and language, after this module has defined the table.
    needs: (options, language) =>
      credentialNeeds(
        options,
        language,
        CREDENTIAL_PARAMETERS.map((parameter) => parameter.fragments),
      ),
    needsAlso: credentialShapes,
  },
  check: findHardcodedCredentials,
});

const RISK = 'anyone with the firmware image, app package or source can read it and use it against every deployed device';
const ADVICE =
  'Provision it per device or per installation and load it at runtime from protected storage (encrypted NVS, secure element, Android Keystore, OS keyring, a secrets manager).';

/** Known authentication parameters, by position. */
interface CredentialParameter {
  /** The call's name or whole callee (`begin`, `DriverManager.getConnection`); with `receiver`, its name only. */
  names: readonly string[];
  /** The receiver's text, when the name alone is too common (`WiFi.begin`, `ftp.login`). */
  receiver?: RegExp;
  /** Anything else the call must be (its number of arguments). */
  when?: (call: Call) => boolean;
  index: number;
  label: string;
  confidence?: Confidence;
  /**
   * Fragments (core/fragment-scan.ts), one of which the text of every call this entry matches holds: its name or
   * its receiver's, or the credential word in its name. The rule's pre-filter (needs.ts) is made of them.
   */
  fragments: readonly string[];
}

const CURL_SECRET_OPTIONS: Readonly<Record<string, string>> = {
  CURLOPT_PASSWORD: 'password',
  CURLOPT_USERPWD: 'user:password',
  CURLOPT_PROXYPASSWORD: 'proxy password',
  CURLOPT_PROXYUSERPWD: 'proxy user:password',
  CURLOPT_KEYPASSWD: 'key passphrase',
  CURLOPT_SSLKEYPASSWD: 'key passphrase',
  CURLOPT_TLSAUTH_PASSWORD: 'TLS-SRP password',
  CURLOPT_XOAUTH2_BEARER: 'OAuth 2.0 bearer token',
};

export const CREDENTIAL_PARAMETERS: readonly CredentialParameter[] = [
  { names: ['mysql_real_connect'], index: 3, label: 'password', fragments: ['mysql_real_connect'] },
  // `mqtt_connect(client, user, password)` of the small C MQTT clients (Zephyr's takes the client alone).
  { names: ['mqtt_connect'], when: (call) => call.args.length >= 3, index: 2, label: 'MQTT password', fragments: ['mqtt'] },
  { names: ['mosquitto_username_pw_set'], index: 2, label: 'password', fragments: ['<<pw>>'] },
  { names: ['username_pw_set'], index: 1, label: 'password', fragments: ['<<pw>>'] },
  { names: ['LogonUser', 'LogonUserA', 'LogonUserW', 'CreateProcessWithLogonW'], index: 2, label: 'password', fragments: ['<<logon>>'] },
  { names: ['begin', 'softAP'], receiver: /^WiFi$/, index: 1, label: 'Wi-Fi passphrase', fragments: ['<wifi>'] },
  { names: ['addAP'], index: 1, label: 'Wi-Fi passphrase', fragments: ['addap'] },
  // `ArduinoOTA.setPassword(pw)`; keychains take `setPassword(service, account, password)`.
  {
    names: ['setPassword', 'setPasswd', 'setPass'],
    when: (call) => call.args.length <= 2,
    index: 0,
    label: 'password',
    fragments: ['password>>', 'passwd>>', '<<pass>>'],
  },
  { names: ['setPassword'], when: (call) => call.args.length === 3, index: 2, label: 'password', fragments: ['password>>'] },
  {
    names: ['setWpa2Passphrase', 'setWpa3Passphrase', 'setWpa2EnterprisePassphrase'],
    index: 0,
    label: 'Wi-Fi passphrase',
    fragments: ['passphrase>>'],
  },
  {
    names: ['HTTPBasicAuth', 'HTTPDigestAuth', 'HTTPProxyAuth', 'BasicAuth', 'DigestAuth'],
    index: 1,
    label: 'password',
    fragments: ['<<auth>>'],
  },
  {
    names: ['PasswordAuthentication', 'UsernamePasswordCredentials', 'PasswordCredential'],
    index: 1,
    label: 'password',
    fragments: ['password>>'],
  },
  { names: ['Credentials.basic'], index: 1, label: 'password', fragments: ['<<credentials>>'] },
  { names: ['BasicAWSCredentials', 'AwsBasicCredentials.create'], index: 1, label: 'secret access key', fragments: ['<<credentials>>'] },
  { names: ['DriverManager.getConnection'], index: 2, label: 'password', fragments: ['drivermanager'] },
  // Device web and file servers: `ftpSrv.begin("esp32", "esp32")` (SimpleFTPServer, ESP8266FtpServer),
  // `server.authenticate("admin", "admin")` (WebServer, ESPAsyncWebServer), `ElegantOTA.setAuth(user, pass)`,
  // `httpUpdater.setup(&server, "/update", user, pass)`.
  { names: ['begin'], receiver: /ftp/i, index: 1, label: 'FTP password', fragments: ['ftp'] },
  {
    names: ['authenticate', 'setAuthentication', 'setAuth'],
    when: (call) => call.args.length === 2,
    index: 1,
    label: 'password',
    fragments: ['authenticat', '<<auth>>'],
  },
  { names: ['setup'], receiver: /update/i, index: 3, label: 'update password', fragments: ['<setup>'] },
  { names: ['keyring.set_password'], index: 2, label: 'password', fragments: ['password>>'] },
  {
    names: ['login'],
    receiver: /^(?:ftp|ftps|smtp|server|imap|mail|pop|conn|client|session)\w*$/i,
    index: 1,
    label: 'password',
    fragments: ['<<login>>'],
  },
  { names: ['connect'], receiver: /mqtt|pubsub/i, index: 2, label: 'MQTT password', confidence: 'medium', fragments: ['mqtt', 'pubsub'] },
  {
    names: ['sign', 'verify', 'encode', 'decode'],
    receiver: /^(?:jwt|jsonwebtoken)$/,
    index: 1,
    label: 'JWT signing secret',
    fragments: ['<jwt>', '<jsonwebtoken>'],
  },
  {
    names: ['load', 'getKey', 'store'],
    receiver: /key_?store|trust_?store|^ks$/i,
    index: 1,
    label: 'keystore password',
    fragments: ['keystore', 'key_store', 'truststore', 'trust_store', '<ks>'],
  },
  { names: ['init'], receiver: /kmf|key_?manager/i, index: 1, label: 'key password', fragments: ['kmf', 'keymanager', 'key_manager'] },
];

/** Whether `call` is the authentication call `parameter` describes. */
function isParameterCall(parameter: CredentialParameter, call: Call): boolean {
  if (parameter.receiver) return parameter.names.includes(call.name) && !!call.receiver && parameter.receiver.test(call.receiver.text);
  return (parameter.names.includes(call.name) || parameter.names.includes(call.callee)) && (!parameter.when || parameter.when(call));
}

/** The parameters by each of their names: a call looks up its name and callee instead of trying every entry. */
const PARAMETERS_BY_NAME = (() => {
  const byName = new Map<string, CredentialParameter[]>();
  for (const parameter of CREDENTIAL_PARAMETERS) {
    for (const name of parameter.names) byName.set(name, [...(byName.get(name) ?? []), parameter]);
  }
  return byName;
})();

/** The parameters `call` may be, in table order (the order their findings are reported in). */
function parametersOf(call: Call): CredentialParameter[] {
  const byName = PARAMETERS_BY_NAME.get(call.name);
  const byCallee = call.callee === call.name ? undefined : PARAMETERS_BY_NAME.get(call.callee);
  if (!byCallee) return byName ?? [];
  if (!byName) return byCallee;
  return CREDENTIAL_PARAMETERS.filter((parameter) => byName.includes(parameter) || byCallee.includes(parameter));
}

/** Setters that store a value under a key: a literal stored under a credential key is hardcoded. */
const KEYED_SETTERS = new Set([
  'nvs_set_str',
  'putString',
  'setString',
  'setProperty',
  'put',
  'set',
  'setenv',
  'setItem',
  'putenv',
  'addHeader',
  'setHeader',
  'add_header',
  'header',
  'setRequestProperty',
  'append',
]);
/** Getters with a default: a literal fallback for a credential key ships in the binary. */
const DEFAULTED_GETTERS = new Set(['getenv', 'get', 'getProperty', 'getString', 'getOrDefault', 'optString']);
/** C copies into a buffer: `strlcpy((char *)cfg.sta.password, "…", n)` sets the destination. */
const STRING_COPIES = new Set([
  'strcpy',
  'strncpy',
  'strlcpy',
  'memcpy',
  'wcscpy',
  'wcsncpy',
  'lstrcpy',
  'lstrcpyA',
  'lstrcpyW',
  'strcpy_s',
  'strncpy_s',
]);

/** Authorization header schemes whose parameter is the credential. */
const AUTH_HEADER = /^(authorization|proxy-authorization)$/i;
/** AUTH_HEADER's test, with the length the two names have checked first: asked for every binding of a file. */
const isAuthHeaderName = (name: string) => (name.length === 13 || name.length === 19) && AUTH_HEADER.test(name);
const AUTH_SCHEME = /^(Basic|Bearer|Token|Digest|ApiKey|Key)\s+(\S{8,})$/;

/** Documentation env files list keys with sample values. */
const ENV_TEMPLATE = /(?:^|\/)\.env\.(?:example|sample|template|dist|defaults)$/i;

function findHardcodedCredentials(ctx: RuleContext): void {
  const { model, text } = ctx;
  const content = text.content;
  // Options: `extraNames` are project credential names; `ignoreValues` are known non-secrets (test vectors).
  const extraNames = new Set(((ctx.options.extraNames as string[] | undefined) ?? []).map((name) => name.toLowerCase()));
  const ignoreValues = new Set((ctx.options.ignoreValues as string[] | undefined) ?? []);
  // Asked for every binding and call of a file: without project names, the name is not split for them.
  const classifyCredentialName = (name: string): CredentialName | undefined =>
    classifyBuiltinName(name) ??
    (extraNames.size && extraNames.has((name.split(/\.|->|::/).pop() ?? name).toLowerCase())
      ? { kind: 'password', label: 'credential' }
      : undefined);
  if (model.functions.length) {
    providePasswordParameters(ctx, classifyCredentialName);
    provideLiveLogins(ctx, classifyCredentialName);
  }
  const report = (
    span: Span,
    message: string,
    secret: Span | undefined,
    confidence?: Confidence,
    liveSecret?: boolean | ProjectCondition,
    when?: ProjectConditions,
  ) => {
    if (secret && ignoreValues.has(content.slice(secret.start, secret.end))) return;
    // A test's credential that logs into a real host is live (live-test-logins.ts).
    const login = !liveSecret && ctx.inTestCode && secret ? testLoginLiveness(ctx, secret) : undefined;
    const live = liveSecret || login === true;
    ctx.report({
      span,
      message,
      ...(when ? { when } : {}),
      ...(secret ? { secret } : {}),
      ...(confidence ? { confidence } : {}),
      ...(live ? { liveSecret: true } : {}),
      ...(liveSecret && liveSecret !== true ? { liveUnless: liveSecret } : {}),
      ...(login && login !== true ? { liveWhen: login } : {}),
    });
  };
  // Test code is reported like any other: the engine's test-code policy decides how (issue 10 item 5).

  const literalOf = (expr: Expr | undefined) => stringLiteralOf(expr, model);
  const isCredentialKey = (key: string) => classifyCredentialName(key.replace(/^\./, '')) !== undefined;
  let parents: Map<number, Expr> | undefined;
  let lists: Map<number, Expr> | undefined;

  /** Whether a literal in a slot named `slot` is a real-looking secret of that kind. */
  const isSecretValue = (value: string, slot: string, credential: CredentialName): boolean => {
    if (credential.kind === 'pin') return isPinValue(value.trim());
    const v = value.trim();
    if (v.length < 3 || !/[A-Za-z0-9]/.test(v)) return false;
    if (isPlaceholderSecret(v) || isNonSecretLiteral(v, slot) || isStandIn(v)) return false;
    // A sentence in a credential-named slot is a message or a label shown for it (`"PASS": "NOT FLAGGED — …"`).
    if (isProse(v)) return false;
    // Lexer and session "tokens" are short or spaced; credential tokens are long opaque strings.
    if (credential.kind === 'token' && (v.length < 8 || /\s/.test(v))) return false;
    // A token, key or secret slot holding an id, a hash or a sequence holds no secret.
    if (credential.kind !== 'password' && credential.kind !== 'credentials' && (isUuid(v) || isSequential(v) || isLabelledHash(v)))
      return false;
    return true;
  };

  /**
   * Whether the parameter of an authorization scheme is a real-looking secret: a bearer token is judged as a
   * token; a Basic credential as the password it encodes (`user:password`), or whole when it is not base64.
   */
  const isHeaderSecret = (scheme: string, parameter: string, header: string): boolean => {
    if (!/^Basic$/i.test(scheme)) return isSecretValue(parameter, header, { kind: 'token', label: `${scheme} token` });
    const password = basicPassword(parameter);
    if (password === undefined) return isSecretValue(parameter, header, { kind: 'credentials', label: 'credentials' });
    return isSecretValue(password, 'password', { kind: 'password', label: 'password' });
  };

  /** Reports `value` if it is a hardcoded secret for the slot `slot`; returns whether it did. */
  const checkSlot = (slot: string, value: Expr | undefined, message: (c: CredentialName) => string, confidence?: Confidence): boolean => {
    const credential = classifyCredentialName(slot);
    if (!credential || !value) return false;
    if (credential.kind === 'pin' && value.kind === 'number' && isPinValue(value.text)) {
      report(value, message(credential), value, confidence);
      return true;
    }
    const literal = literalOf(value);
    if (!literal || literal.value === undefined || !isSecretValue(literal.value, slot, credential)) return false;
    report(literal, message(credential), literal.content ?? literal, confidence);
    return true;
  };

  /** Whether the text given to an authentication parameter labelled `label` is a real-looking secret. */
  const isParameterSecret = (value: string, label: string): boolean => {
    const v = (/user:password/.test(label) ? value.slice(value.indexOf(':') + 1) : value).trim();
    return v.length >= 3 && !isPlaceholderSecret(v) && !isNonSecretLiteral(v, label) && !/PUBLIC KEY|CERTIFICATE/.test(v);
  };

  /**
   * A literal in a known authentication parameter: written there, or reaching it through a `#define`, a
   * constant, a local, a copy into a buffer or a helper's parameter (`ctx.flow`), reported at the call.
   */
  const checkParameter = (value: Expr | undefined, label: string, callee: string, confidence?: Confidence) => {
    const literal = literalOf(value);
    if (literal && literal.value !== undefined) {
      if (isParameterSecret(literal.value, label))
        report(
          literal,
          `The ${label} passed to ${callee}() is a hardcoded literal: ${RISK}. ${ADVICE}`,
          literal.content ?? literal,
          confidence,
        );
      return;
    }
    if (!value || literal) return;
    const flowed = ctx.flow.constant(value);
    // One literal that arrives whole: a value assembled from several parts is not known to be the secret.
    const source = flowed?.literals.length === 1 ? flowed.literals[0] : undefined;
    if (!flowed || !source || source.value !== flowed.value || !flowed.steps.length || !isParameterSecret(flowed.value, label)) return;
    const through = [...new Set(flowed.steps.map((step) => `'${step.label}'`))].join(' and ');
    const line = ctx.text.positionAt(source.start).line + 1;
    report(
      value,
      `The ${label} passed to ${callee}() is the hardcoded literal of line ${line}, through ${through}: ${RISK}. ${ADVICE}`,
      source.content ?? source,
      confidence,
    );
  };

  /**
   * `Authorization: Bearer <token>` with a literal credential. The credential is judged like a slot's value
   * (`Bearer invalid_token`, `Bearer 1234567890` are what a test sends to be refused, not a secret).
   */
  const checkAuthorizationHeader = (header: string, value: Expr | undefined): boolean => {
    if (!AUTH_HEADER.test(header) || value?.kind !== 'string' || value.value === undefined || !value.content) return false;
    const m = AUTH_SCHEME.exec(value.value.trim());
    if (!m || !isHeaderSecret(m[1], m[2], header)) return false;
    report(value, `The ${header} header carries a hardcoded ${m[1]} credential: ${RISK}. ${ADVICE}`, value.content);
    return true;
  };

  // 1. Declarations, assignments, #defines, struct/dict/object entries, default parameter values.
  // A binding's value is resolved on first use: only bindings whose name can matter have it looked at.
  const mentionsEnv = content.includes('process.env');
  for (const binding of model.bindings) {
    const slot = bindingName(ctx, binding);
    const credentialSlot = classifyCredentialName(slot) !== undefined;
    if (credentialSlot) {
      // `PREF_AUTH_KEY = "…"` used as the key of a storage API is the name a secret is kept under, not one.
      if (binding.value.kind === 'string' && isStorageKey(ctx, binding.value)) continue;
      // `PW: 'Palau'` among fifty state codes: a code in a lookup table, not a password slot.
      if (isLookupTableEntry(binding, (parents ??= objectParents(model)), isCredentialKey)) continue;
      // `{ name: 'US0006', key: 'Sb6u…', url: 'https://…/history/Sb6u…' }` among many such records: a published id.
      if (isPublishedRecordId(binding, parents, (lists ??= recordLists(model)))) continue;
      // `storePassword = "android"` beside `keyAlias = "androiddebugkey"`: the SDK's documented debug key store.
      if (isDebugKeyStorePassword(ctx.path, content, binding)) continue;
    }
    if (isAuthHeaderName(slot) && checkAuthorizationHeader(slot, binding.value)) continue;
    if (credentialSlot)
      checkSlot(slot, binding.value, (c) =>
        binding.kind === 'default'
          ? `The default value of parameter '${slot}' is a hardcoded ${c.label}: ${RISK}. ${ADVICE}`
          : `'${slot}' is set to a hardcoded ${c.label}: ${RISK}. ${ADVICE}`,
      );
    // `process.env.API_TOKEN ?? "fallback"`: the fallback ships in the bundle.
    if (mentionsEnv && binding.value.kind === 'other') checkEnvFallback(binding.value, slot);
  }

  /**
   * A literal given to a password parameter of the project's own function (`setFtpAuth("ftp", "ftp")` where
   * `setFtpAuth(String username, String password)` is defined): in this file at once, in another file as a
   * project fact.
   */
  const checkDeclaredParameters = (call: Call) => {
    const local = localPasswordParameters(model, call, classifyCredentialName);
    for (const { fn, index, name } of local) {
      // A helper that hands the parameter on to a known authentication API, always with this literal, is reported
      // there, through the flow; with other callers passing other values, it is reported here.
      const forwarded = (inner: Call) =>
        parametersOf(inner).some(
          (p) => isParameterCall(p, inner) && inner.args[p.index]?.text === name && !!ctx.flow.constant(inner.args[p.index]),
        );
      if (fn.calls.some(forwarded)) continue;
      checkSlot(
        name,
        call.args[index],
        (c) => `The ${c.label} passed to ${call.callee}() (its parameter '${name}') is a hardcoded literal: ${RISK}. ${ADVICE}`,
      );
    }
    if (local.length || functionsNamed(model, call.name).length) return;
    call.args.forEach((arg, index) => {
      const when = arg.kind === 'string' && arg.value !== undefined ? declaredElsewhere(call, index) : undefined;
      if (!when || !isSecretValue(arg.value!, 'password', { kind: 'password', label: 'password' })) return;
      report(
        arg,
        `The password passed to ${call.callee}() (a parameter another file of the project names for a password) is a hardcoded literal: ${RISK}. ${ADVICE}`,
        arg.content ?? arg,
        undefined,
        undefined,
        when,
      );
    });
  };

  // 2. Calls: keyword/named arguments, known authentication parameters, keyed setters and getters. A setter or
  // getter passes a credential key only if a credential-named string literal lies inside it; other calls'
  // arguments are never resolved for that.
  let keyMarks: number[] | undefined;
  // Without project names the marks are the built-in ones, which default-credential asks for too.
  const credentialKeyMarks = () =>
    extraNames.size
      ? model.strings
          .filter((literal) => literal.value !== undefined && classifyCredentialName(literal.value) !== undefined)
          .map((literal) => literal.start)
          .sort((a, b) => a - b)
      : credentialKeyStarts(model);
  const namedMarks =
    ctx.language === 'python' || ctx.language === 'kotlin'
      ? namedArgumentMarks(content, (name) => name === 'auth' || classifyCredentialName(name) !== undefined)
      : undefined;
  for (const call of model.calls) {
    for (const arg of !namedMarks || hasMarkWithin(namedMarks, call) ? call.named : []) {
      if (arg.key === 'auth' && arg.value.kind === 'array' && arg.value.elements?.length === 2) {
        checkParameter(arg.value.elements[1], 'password', call.callee);
        continue;
      }
      checkSlot(arg.key, arg.value, (c) => `The ${arg.key} argument of ${call.callee}() is a hardcoded ${c.label}: ${RISK}. ${ADVICE}`);
    }
    if (STRING_COPIES.has(call.name) && call.args.length >= 2) {
      const destination = referenceName(call.args[0]);
      const source = call.name.endsWith('_s') && call.args.length >= 3 ? call.args[2] : call.args[1];
      if (destination)
        checkSlot(destination, source, (c) => `${call.callee}() copies a hardcoded ${c.label} into '${destination}': ${RISK}. ${ADVICE}`);
    }
    if (call.name === 'curl_easy_setopt' && call.args[1]?.kind === 'name') {
      const label = CURL_SECRET_OPTIONS[call.args[1].value ?? call.args[1].text];
      if (label) checkParameter(call.args[2], label, call.callee);
    }
    const known = parametersOf(call).filter((parameter) => isParameterCall(parameter, call));
    for (const parameter of known) {
      if (call.args.length > parameter.index)
        checkParameter(call.args[parameter.index], parameter.label, call.callee, parameter.confidence);
    }
    if (!known.length && mayTakeDeclaredPassword(model, call) && call.args.some((a) => a.kind === 'string')) checkDeclaredParameters(call);
    const keyIndex =
      (KEYED_SETTERS.has(call.name) || DEFAULTED_GETTERS.has(call.name)) && hasMarkWithin((keyMarks ??= credentialKeyMarks()), call)
        ? call.args.findIndex((a) => a.kind === 'string' && a.value !== undefined && classifyCredentialName(a.value) !== undefined)
        : -1;
    if (keyIndex >= 0) {
      const key = call.args[keyIndex].value!;
      const value = call.args[keyIndex + 1];
      if (KEYED_SETTERS.has(call.name)) {
        if (!checkAuthorizationHeader(key, value)) {
          checkSlot(key, value, (c) => `${call.callee}() stores a hardcoded ${c.label} under '${key}': ${RISK}. ${ADVICE}`);
        }
      } else if (DEFAULTED_GETTERS.has(call.name) && keyIndex === call.args.length - 2) {
        checkSlot(key, value, (c) => `${call.callee}() falls back to a hardcoded ${c.label} when '${key}' is not set: ${RISK}. ${ADVICE}`);
      }
    } else if (KEYED_SETTERS.has(call.name) && call.args[0]?.kind === 'string') {
      checkAuthorizationHeader(call.args[0].value ?? '', call.args[1]);
    }
  }

  // A pairing PIN or passkey fixed in the code: every unit pairs with the same number.
  for (const pin of hardcodedPairingPins(ctx)) {
    const where = pin.fromLine ? ` (the literal of line ${pin.fromLine})` : '';
    report(
      pin.span,
      `The ${pin.api} ${pin.returned ? 'returned by' : 'passed to'} ${pin.callee}() is hardcoded${where}: anyone who reads the app or firmware, or tries the usual PINs, pairs with the device, and every unit has the same one. Generate a random passkey per pairing with a cryptographic RNG and show it on the device, or use numeric comparison or out-of-band pairing.`,
      pin.secret,
    );
  }

  // 3. Comparisons of a credential with a literal: a shared backdoor secret in every unit. A value
  // compared against three or more different literals in one function is being dispatched on (a lexer's
  // `token` against keywords), not authenticated: a login check compares against one secret.
  const dispatched = dispatchedSubjects(model.comparisons);
  for (const comparison of model.comparisons) {
    if (dispatched.has(comparisonKey(comparison))) continue;
    for (const [subject, other] of [
      [comparison.left, comparison.right],
      [comparison.right, comparison.left],
    ] as const) {
      const slot = referenceName(subject);
      if (!slot) continue;
      if (
        checkSlot(
          slot,
          other,
          (c) =>
            `'${slot}' is checked against a hardcoded ${c.label}: the literal is a shared secret in every unit and ${RISK}. Verify against a per-device salted hash held in protected storage instead.`,
        )
      )
        break;
    }
  }

  // 4. Secrets recognisable on their own anywhere in the file (literals, comments, configuration and text
  // files, key containers): provider tokens, private keys, passwords in URLs, generic secrets in text files.
  const recognised = reportRecognisableSecrets(ctx, report);
  provideTestCertificates(ctx);
  provideReleaseDebugSigning(ctx);

  // 5. Firmware configuration (sdkconfig, prj.conf) and .env files: CWE-260, a password in a config file.
  if ((ctx.language === 'kconfig' || ctx.language === 'dotenv') && !ENV_TEMPLATE.test(ctx.path)) {
    for (const entry of model.config) {
      if (recognised.some((span) => span.start < entry.valueSpan.end && entry.valueSpan.start < span.end)) continue;
      const key = entry.key.replace(/^CONFIG_/, '');
      const value = entry.value;
      if (ctx.language === 'kconfig' && /^[ymn]$/.test(value)) continue;
      const credential = classifyCredentialName(key);
      const where = ctx.language === 'kconfig' ? 'is built into the firmware image' : 'is deployed with the service';
      if (credential && isSecretValue(value, key, credential)) {
        // A machine-generated token or key was issued by a service: leaked wherever it sits, test env files included.
        const issued = credential.kind !== 'password' && credential.kind !== 'pin' && isRandomSecretValue(value);
        report(
          entry.valueSpan,
          `${entry.key} sets a hardcoded ${credential.label} in a configuration file that ${where}: ${RISK}. Leave it empty here and provision it per device (e.g. over a provisioning protocol into encrypted NVS).`,
          entry.valueSpan,
          undefined,
          issued,
        );
      }
    }
  }

  function checkEnvFallback(value: Expr, slot: string): void {
    const inner = spanIndex(model.strings).firstWithin({ start: value.start + 1, end: value.end });
    if (!inner) return;
    const head = content.slice(value.start, inner.start);
    const m = /^process\.env(?:\.(\w+)|\[\s*["'`](\w+)["'`]\s*\])\s*(?:\?\?|\|\|)\s*$/.exec(head);
    if (!m) return;
    const envName = m[1] ?? m[2];
    const key = classifyCredentialName(envName) ? envName : slot;
    checkSlot(
      key,
      inner,
      (c) =>
        `'${slot}' falls back to a hardcoded ${c.label} when ${envName} is not set: ${RISK}. Fail at startup when the variable is missing instead.`,
    );
  }
}

/** The password of a Basic credential (`base64(user:password)`), when the parameter decodes to printable text with a colon. */
function basicPassword(parameter: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(parameter) || parameter.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(parameter, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  return colon > 0 && /^[\x20-\x7e]+$/.test(decoded) ? decoded.slice(colon + 1) : undefined;
}

/** Storage APIs and the argument that is the *name* a value is kept under (preferences, NVS, extras, settings). */
const STORAGE_KEY_ARGUMENT: Readonly<Record<string, number>> = {
  getString: 0,
  putString: 0,
  setString: 0,
  getStringSet: 0,
  putStringSet: 0,
  getInt: 0,
  putInt: 0,
  getLong: 0,
  putLong: 0,
  getBoolean: 0,
  putBoolean: 0,
  contains: 0,
  remove: 0,
  removeItem: 0,
  getItem: 0,
  setItem: 0,
  getStringExtra: 0,
  putExtra: 0,
  findPreference: 0,
  getSharedPreferences: 0,
  getStringDefaultBlank: 0,
  nvs_get_str: 1,
  nvs_set_str: 1,
  nvs_get_blob: 1,
  nvs_set_blob: 1,
  nvs_erase_key: 1,
  settings_load_subtree: 0,
};

/**
 * Whether a literal flows into the key argument of a storage API in this file (`getString(PREF_AUTH_KEY, "")`).
 * A file that calls no storage API answers no without following the value (the flow's first use query
 * indexes every name the file mentions).
 */
function isStorageKey(ctx: RuleContext, literal: Expr): boolean {
  if (!callsStorageApi(ctx.model)) return false;
  return ctx.flow.uses(literal).some((use) => STORAGE_KEY_ARGUMENT[use.call.name] === use.slot);
}

const callsStorageApi = perModel('medsec.callsStorageApi', (model) =>
  model.calls.some((call) => Object.hasOwn(STORAGE_KEY_ARGUMENT, call.name)),
);

/**
 * The name a binding assigns. For C designated initializers with a chain (`.credentials.authentication.password
 * = "…"`) the model names the first designator; the last one is the field that is set.
 */
function bindingName(ctx: RuleContext, binding: Binding): string {
  const { kind, name, start } = binding;
  if (kind !== 'property' || (ctx.language !== 'c' && ctx.language !== 'cpp')) return name;
  const designators = /^\s*((?:\.\s*[A-Za-z_]\w*\s*|\[[^\]]*\]\s*)+)=/.exec(ctx.text.content.slice(start, binding.value.start));
  if (!designators) return name;
  const fields = designators[1].match(/[A-Za-z_]\w*/g);
  return fields?.[fields.length - 1] ?? name;
}

/** The credential-bearing name an expression refers to: `password`, `cfg.pin`, `form["password"]`, `request.form.get("password")`. */
function referenceName(expr: Expr | undefined): string | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'name') return expr.value ?? expr.text;
  if (expr.kind === 'other') {
    const subscript = /\[\s*["'](\w+)["']\s*\]$/.exec(expr.text);
    if (subscript) return subscript[1];
    // Strip C casts and address-of: `(char *)wifi_config.sta.password`, `&cfg->psk`.
    const bare = withoutLeadingCasts(expr.text)
      .replace(/^this\.|^self\./, '')
      .replace(/->/g, '.');
    const member = /^[\w.]+$/.exec(bare);
    return member ? member[0] : undefined;
  }
  if (
    expr.kind === 'call' &&
    expr.call &&
    ['get', 'getString', 'getParameter', 'getenv', 'getProperty'].includes(expr.call.name) &&
    expr.call.args[0]?.kind === 'string'
  ) {
    return expr.call.args[0].value;
  }
  return undefined;
}

type ComparisonLike = { left: Expr; right: Expr; fn?: { start: number } };

/** `fn@subject` for the non-literal side of a comparison with a string literal. */
function comparisonKey(c: ComparisonLike): string | undefined {
  const subject = c.left.kind === 'string' ? c.right : c.right.kind === 'string' ? c.left : undefined;
  return subject && subject.kind !== 'string' ? `${c.fn?.start ?? -1}@${subject.text}` : undefined;
}

/** Subjects compared with three or more distinct string literals in the same function. */
function dispatchedSubjects(comparisons: readonly ComparisonLike[]): Set<string | undefined> {
  const literals = new Map<string, Set<string>>();
  for (const c of comparisons) {
    const key = comparisonKey(c);
    if (!key) continue;
    const literal = c.left.kind === 'string' ? c.left.value : c.right.value;
    const set = literals.get(key) ?? new Set<string>();
    set.add(literal ?? '');
    literals.set(key, set);
  }
  return new Set([...literals].filter(([, set]) => set.size >= 3).map(([key]) => key));
}
