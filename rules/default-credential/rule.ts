/**
 * default-credential: well-known default passwords and PINs used as credentials (`admin`, `1234`,
 * `changeme` …), authentication checks that accept an empty password, and service or factory accounts
 * with a fixed password in user tables. hardcoded-credential treats replace-me values as placeholders;
 * when they ship they are default credentials, and this rule reports them.
 */
import type { Binding, Call, Comparison, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { classifyCredentialName, credentialKeyStarts, type CredentialName } from '../_shared/credential-names';
import { isDefaultPassword, isDefaultPin } from '../_shared/default-credentials';
import { isBackdoorAccount, isDisplayNameMap, isUserKey } from './values';
import { inCiServiceContainer } from './ci-services';
import { identifierWords } from '../_shared/identifier-words';
import { NameMemo } from '../_shared/name-memo';
import { isLogCall } from '../_shared/log-calls';
import { findAssignments } from '../_shared/secrets/assignments';
import { isLocalePath, isTemplatePath, textKindOf } from '../_shared/secrets/file-kinds';
import { PASSWORD_NAME_KEYWORDS, secretNameOf } from '../_shared/secrets/generic';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { stringLiteralOf } from '../_shared/values';
import { hasMarkWithin, matchOffsets, namedArgumentMarks } from '../_shared/call-marks';
import { withoutLeadingCasts } from '../_shared/expression-text';
import { isCredentialSink } from '../_shared/value-evidence';

/** Characters after a credential check that `grantsAccess` reads: the first statement of its branch. */
const GRANT_WINDOW = 200;

const isCredentialKey = (name: string) => classifyCredentialName(name) !== undefined;

export default defineRule({
  meta: {
    id: 'default-credential',
    title: 'Default, empty or factory credential',
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
    ],
    cwe: [1392, 1393, 521, 258],
    fda: ['app1.A.5', 'V.C', '524b.b2'],
    sees: 'default, empty and factory credentials',
    iec62443: ['CR 1.5', 'CR 1.7'],
    fix: 'none',
    presets: ['recommended'],
    testCodeEvidence:
      "evidence that the value is live (this rule finds none in test code: a default login a test sets up, or sends to the server it starts, is the test's own)",
    docs,
  },
  check: findDefaultCredentials,
});

const RISK = 'it is the first value an attacker on the hospital network or within radio range tries, and it is the same on every unit';
const ADVICE = 'Require a unique credential per device, set at provisioning or forced at first use, and reject well-known defaults.';

const ENV_TEMPLATE = /(?:^|\/)\.env\.(?:example|sample|template|dist|defaults)$/i;
/** Android string resources are user-interface text: a "Password" there is a label. */
const ANDROID_STRINGS = /(?:^|\/)res\/values[^/]*\/[^/]*\.xml$/;

/** Credential kinds a default value can fill (tokens and API keys have no well-known defaults). */
const PASSWORD_KINDS = new Set(['password', 'pin', 'credentials', 'secret']);
/** Words before the credential term that make the name a key, field name or label, not the value. */
const KEY_NAME_WORDS = new Set([
  'key',
  'nvs',
  'field',
  'param',
  'name',
  'attr',
  'pref',
  'prefs',
  'env',
  'column',
  'col',
  'header',
  'label',
  'form',
  'input',
  'type',
  'id',
  'prompt',
  'json',
  'xml',
  'query',
  'arg',
  'opt',
  'option',
  'setting',
  'path',
]);

/** Known authentication parameters, by position: the password argument of each. */
const AUTH_PARAMETERS: readonly {
  names: readonly string[];
  receiver?: RegExp;
  /** A name the file must hold for the call to be this library's (its header or type), when the method name is common. */
  library?: string;
  index: number;
  label: string;
}[] = [
  { names: ['softAP'], receiver: /^WiFi$/, index: 1, label: 'Wi-Fi access point passphrase' },
  // WiFiManager (and ESPAsyncWiFiManager): `autoConnect(apName, apPassword)` and `startConfigPortal(apName, apPassword)`
  // start the setup access point with that WPA2 passphrase, the same on every unit built from this source.
  { names: ['autoConnect', 'startConfigPortal'], library: 'WiFiManager', index: 1, label: 'Wi-Fi setup portal passphrase' },
  { names: ['begin'], receiver: /^WiFi$/, index: 1, label: 'Wi-Fi passphrase' },
  { names: ['setPassword', 'setPass', 'setPasswd'], index: 0, label: 'password' },
  { names: ['authenticate'], receiver: /server|http|web/i, index: 1, label: 'web login password' },
  { names: ['username_pw_set'], index: 1, label: 'MQTT password' },
  { names: ['mosquitto_username_pw_set'], index: 2, label: 'MQTT password' },
  { names: ['esp_http_client_set_password'], index: 1, label: 'HTTP password' },
  { names: ['HTTPBasicAuth', 'HTTPDigestAuth', 'PasswordAuthentication', 'UsernamePasswordCredentials'], index: 1, label: 'password' },
  { names: ['DriverManager.getConnection'], index: 2, label: 'database password' },
  { names: ['login'], receiver: /^(?:ftp|ftps|smtp|imap|pop|telnet|tn|client|session|conn)\w*$/i, index: 1, label: 'login password' },
];
/** Every name in AUTH_PARAMETERS: a call named none of them is not looked up in the table. */
const AUTH_PARAMETER_NAMES = new Set(AUTH_PARAMETERS.flatMap((parameter) => parameter.names));
/** Whether `call` authenticates with its arguments: a known authentication parameter or a credential sink. */
function isAuthCall(call: Call): boolean {
  return AUTH_PARAMETER_NAMES.has(call.name) || AUTH_PARAMETER_NAMES.has(call.callee) || isCredentialSink(call);
}

/** Setters that store a value under a key: a default stored under a password key ships as the default. */
const KEYED_SETTERS = new Set(['nvs_set_str', 'putString', 'setString', 'setProperty', 'put', 'set', 'setItem', 'settings_save_one']);

/** Return values and flags that grant access. */
function isSuccessToken(token: string): boolean {
  if (/NOT|FAIL|DEN(?:Y|IED)|ERR|REJECT|INVALID/i.test(token)) return false;
  return (
    /^(?:true|True|TRUE|1)$/.test(token) ||
    /(?:^|[._])(?:OK|SUCCESS|GRANTED|ALLOWED|AUTHENTICATED|AUTHORIZED|ACCEPTED|Ok|Success|Granted|Allowed|Authenticated)$/.test(token)
  );
}

/** A function whose name says it decides access; asked for every comparison of the file, so kept per name. */
function isAuthFunction(fn: FunctionDef | undefined): boolean {
  if (!fn?.name) return false;
  return AUTH_FUNCTION_NAMES.get(fn.name, namesAccessDecision);
}

const AUTH_FUNCTION_NAMES = new NameMemo<boolean>(8_000);

function namesAccessDecision(name: string): boolean {
  const words = identifierWords(name);
  return (
    words.some((w) =>
      /^(?:auth|authenticate|authorize|authorise|login|logon|signin|unlock|verify|check|validate|credentials?|password|passwd|pin|access|grant|permit)$/.test(
        w,
      ),
    ) || /^(?:is|can)(?:Valid|Allowed|Authorized|Authenticated)/.test(name)
  );
}

function findDefaultCredentials(ctx: RuleContext): void {
  const { model } = ctx;
  const content = ctx.text.content;
  const report = (span: Span, message: string, secret?: Span) => {
    ctx.report({ span, message, ...(secret ? { secret } : {}) });
  };

  const literalOf = (expr: Expr | undefined) => stringLiteralOf(expr, ctx.model);
  const isDefaultFor = (value: string, credential: CredentialName | undefined) =>
    credential?.kind === 'pin' ? isDefaultPin(value) : isDefaultPassword(value);

  /** Reports `value` when it is a default for the credential slot `slot`. */
  const checkSlot = (slot: string, value: Expr | undefined, where: (label: string) => string): boolean => {
    const credential = classifyCredentialName(slot);
    if (!credential || !PASSWORD_KINDS.has(credential.kind) || !value) return false;
    const last = slot.split(/\.|->|::/).pop() ?? slot;
    if (identifierWords(last).some((w) => KEY_NAME_WORDS.has(w))) return false;
    if (credential.kind === 'pin' && value.kind === 'number' && isDefaultPin(value.text)) {
      report(value, `${where(credential.label)} is a well-known default ${credential.label}: ${RISK}. ${ADVICE}`, value);
      return true;
    }
    const literal = literalOf(value);
    if (literal?.value === undefined || !isDefaultFor(literal.value, credential)) return false;
    // `password: "password"`: a field-name mapping, not a value.
    if (literal.value.toLowerCase().replace(/[^a-z0-9]/g, '') === last.toLowerCase().replace(/[^a-z0-9]/g, '')) return false;
    report(
      literal,
      `${where(credential.label)} is a well-known default ${credential.label}: ${RISK}. ${ADVICE}`,
      literal.content ?? literal,
    );
    return true;
  };

  // 1. Declarations, assignments, #defines, record fields and default parameter values.
  // A binding's value is resolved on first use: only credential-named ones have it looked at.
  for (const binding of model.bindings) {
    if (!classifyCredentialName(binding.name)) continue;
    if (ctx.inTestCode && isTestInput(binding)) continue;
    checkSlot(binding.name, binding.value, (label) =>
      binding.kind === 'default' ? `The default value of parameter '${binding.name}'` : `The ${label} in '${binding.target}'`,
    );
  }
  // 2. Calls: keyword arguments, known authentication parameters and keyed setters. Only a call with a
  // credential-named `name =` or a credential-named string in its text can have such an argument: the other
  // calls' arguments are never resolved for it.
  const namedMarks =
    ctx.language === 'python' || ctx.language === 'kotlin' ? namedArgumentMarks(ctx.text.content, isCredentialKey) : undefined;
  let keyMarks: number[] | undefined;
  const credentialKeyMarks = () => credentialKeyStarts(model);
  for (const call of model.calls) checkCall(call);
  // 3. A credential compared with a default: the default is accepted on every unit.
  for (const comparison of model.comparisons) checkComparisonWithDefault(comparison);
  // 4. Account tables with service/factory users or default passwords.
  const visited = new Set<number>();
  // An account needs a string: initialisers without a quote (tables of numbers, images, audio) are not walked.
  let quotes: number[] | undefined;
  for (const binding of model.bindings) {
    // The binding's span holds its value: checked first, so a value without a quote is never resolved.
    if (binding.kind === 'property' || !hasMarkWithin((quotes ??= matchOffsets(content, /["'`]/g)), binding)) continue;
    if (!hasMarkWithin(quotes, binding.value)) continue;
    visitRecords(binding.value, isTableName(binding.target), undefined, visited, quotes);
  }
  // 5. Checks that let an empty password through.
  findEmptyPasswordAccepted();
  // 6. Firmware configuration and .env files.
  if ((ctx.language === 'kconfig' || ctx.language === 'dotenv') && !ENV_TEMPLATE.test(ctx.path)) {
    for (const entry of model.config) {
      const key = entry.key.replace(/^CONFIG_/, '');
      const credential = classifyCredentialName(key);
      if (!credential || !PASSWORD_KINDS.has(credential.kind) || !isDefaultFor(entry.value, credential)) continue;
      if (identifierWords(key).some((w) => KEY_NAME_WORDS.has(w))) continue;
      const where = ctx.language === 'kconfig' ? 'is built into every firmware image' : 'is deployed with the service';
      report(
        entry.valueSpan,
        `${entry.key} is a well-known default ${credential.label} that ${where}: ${RISK}. Leave it empty here and provision a unique value per device.`,
        entry.valueSpan,
      );
    }
  }

  // 7. Other configuration files (properties, YAML, TOML, INI, XML, JSON, Dockerfiles, scripts): defaults that
  // ship in a real configuration. Documentation and templates describe defaults; they do not ship them.
  if (
    (ctx.language === 'text' ||
      ctx.language === 'android-xml' ||
      ctx.language === 'shell' ||
      ctx.language === 'json' ||
      ctx.language === 'yaml') &&
    !isTemplatePath(ctx.path) &&
    !isLocalePath(ctx.path) &&
    !ANDROID_STRINGS.test(ctx.path)
  ) {
    const kind = textKindOf(ctx.path, content);
    if (kind === 'config' || kind === 'source') {
      for (const assignment of findAssignments(content, kind, ctx.path, PASSWORD_NAME_KEYWORDS, ctx.text.lineStarts)) {
        const credential = secretNameOf(assignment.key);
        const value = assignment.value.trim();
        if (!credential || !PASSWORD_KINDS.has(credential.kind) || !isDefaultFor(value, credential)) continue;
        if (isUsageText(lineAt(content, assignment.valueSpan.start))) continue;
        if (inCiServiceContainer(ctx.path, content, assignment.valueSpan.start)) continue;
        const last = assignment.key.split(/[.:/]/).pop() ?? assignment.key;
        const words = identifierWords(last);
        // `title_tidepool_password = Password`: the value names the field, it is not a password.
        const bareValue = value.toLowerCase().replace(/[^a-z0-9]/g, '');
        if (
          words.some((w) => KEY_NAME_WORDS.has(w)) ||
          bareValue === words[words.length - 1] ||
          bareValue === credential.label.replace(/[^a-z]/g, '')
        )
          continue;
        report(
          assignment.valueSpan,
          `'${assignment.key}' is a well-known default ${credential.label} in a configuration file that ships with the product: ${RISK}. ${ADVICE}`,
          assignment.valueSpan,
        );
      }
    }
  }

  /** In test code, a named argument or record field handed to a call that does not authenticate (see checkCall). */
  function isTestInput(binding: Binding): boolean {
    if (binding.kind !== 'property') return false;
    let innermost: Call | undefined;
    for (const call of model.calls) {
      if (call.start <= binding.start && binding.end <= call.end && (!innermost || call.start >= innermost.start)) innermost = call;
    }
    return !!innermost && !isAuthCall(innermost);
  }

  function checkCall(call: Call): void {
    // In test code, a default handed to the code under test (a config object's named argument, a value put into the
    // test's preferences) is the test's own input and ships nowhere; a default the test logs in or authenticates
    // with says what a device or service accepts, and stays reported.
    if (ctx.inTestCode && !isAuthCall(call)) return;
    for (const arg of !namedMarks || hasMarkWithin(namedMarks, call) ? call.named : []) {
      checkSlot(arg.key, arg.value, (label) => `The ${label} passed as ${arg.key}= to ${call.callee}()`);
    }
    // Only a call named in the table is looked up in it.
    if (AUTH_PARAMETER_NAMES.has(call.name) || AUTH_PARAMETER_NAMES.has(call.callee)) {
      for (const parameter of AUTH_PARAMETERS) {
        if (!parameter.names.includes(call.name) && !parameter.names.includes(call.callee)) continue;
        if (parameter.receiver && !(call.receiver && parameter.receiver.test(call.receiver.text))) continue;
        if (parameter.library && !ctx.text.content.includes(parameter.library)) continue;
        const literal = literalOf(call.args[parameter.index]);
        if (literal?.value !== undefined && isDefaultPassword(literal.value)) {
          report(
            literal,
            `The ${parameter.label} passed to ${call.callee}() is a well-known default: ${RISK}. ${ADVICE}`,
            literal.content ?? literal,
          );
        }
      }
    }
    if (KEYED_SETTERS.has(call.name) && hasMarkWithin((keyMarks ??= credentialKeyMarks()), call)) {
      const keyIndex = call.args.findIndex(
        (a) => a.kind === 'string' && a.value !== undefined && classifyCredentialName(a.value) !== undefined,
      );
      if (keyIndex >= 0) {
        const key = call.args[keyIndex].value!;
        checkSlot(key, call.args[keyIndex + 1], (label) => `The ${label} ${call.callee}() stores under '${key}'`);
      }
    }
  }

  function checkComparisonWithDefault(comparison: Comparison): void {
    for (const [subject, other] of [
      [comparison.left, comparison.right],
      [comparison.right, comparison.left],
    ] as const) {
      const slot = referenceName(subject) ?? credentialAccessor(subject);
      if (!slot) continue;
      const credential = classifyCredentialName(CREDENTIAL_ACCESSORS[slot] ?? slot);
      if (!credential || !PASSWORD_KINDS.has(credential.kind)) continue;
      const literal = literalOf(other);
      const value = literal?.value ?? (other.kind === 'number' ? other.text : undefined);
      if (value === undefined || !isDefaultFor(value, credential)) continue;
      if (onlyFlagsDefault(comparison)) return;
      const target = literal ?? other;
      report(
        target,
        `'${slot}' is accepted when it equals a well-known default ${credential.label}: ${RISK}. Verify against a per-device salted hash and refuse default values.`,
        literal?.content ?? other,
      );
      return;
    }
  }

  /**
   * Whether the branch the comparison opens only reports the default: `if password == 'password':
   * log.warn('no password set')`, `if (pw == "admin") throw …`. Code that refuses or flags a default is the
   * advice this rule gives, not the weakness; a branch that logs and then grants access still counts.
   */
  function onlyFlagsDefault(comparison: Comparison): boolean {
    if (!EQUALITY_OPERATORS.has(comparison.operator)) return false;
    const opening = BRANCH_OPENING.exec(content.slice(comparison.end, comparison.end + 40));
    if (!opening || !/[):{]/.test(opening[0])) return false;
    const branch = comparison.end + opening[0].length;
    if (BRANCH_STOPS.test(content.slice(branch, branch + 12))) return true;
    const first = model.calls.find((call) => call.start === branch);
    if (!first || !isDiagnostic(first)) return false;
    const next = first.end + (STATEMENT_END.exec(content.slice(first.end, first.end + 20))?.[0].length ?? 0);
    return !grantsAccess(next);
  }

  /** A call that reports or stops: a logger, a console print, a project's own `log()`/`warn()`, `exit()`. */
  function isDiagnostic(call: Call): boolean {
    if (isLogCall(call, ctx.language)) return true;
    if (/^(?:sys|process|System|os)\.(?:exit|_exit)$/.test(call.callee)) return true;
    return !call.receiver && DIAGNOSTIC_FUNCTIONS.test(call.name);
  }

  /** Walks initialisers for account records: `{"service", "service"}`, `{ .user = "factory", .pass = … }`, `{"admin": "admin"}`. */
  function visitRecords(expr: Expr, tableName: boolean, parent: Expr | undefined, visited: Set<number>, quotes: readonly number[]): void {
    if (visited.has(expr.start)) return;
    visited.add(expr.start);
    if (expr.kind === 'object' && expr.entries?.length) {
      const user = expr.entries.find((e) => isUserKey(e.key) && e.value.kind === 'string');
      const password = expr.entries.find((e) => {
        const c = classifyCredentialName(e.key.replace(/^\./, ''));
        return c !== undefined && PASSWORD_KINDS.has(c.kind) && e.value.kind === 'string';
      });
      if (user && password) checkAccount(user.value, password.value);
      else if (tableName && !isDisplayNameMap(expr.entries)) {
        // `{"admin": "admin", "service": "s3rv1ce"}`: user name → password.
        for (const entry of expr.entries) {
          const sameAsName = entry.value.value === entry.key;
          if (
            entry.value.kind === 'string' &&
            (isBackdoorAccount(entry.key) || sameAsName) &&
            !classifyCredentialName(entry.key) &&
            !isUserKey(entry.key)
          ) {
            checkAccount({ ...entry.value, kind: 'string', value: entry.key, text: entry.key }, entry.value);
          }
        }
      }
    }
    if (expr.kind === 'array' && expr.elements?.length) {
      const [user, password] = expr.elements;
      if (parent?.kind === 'array' && tableName && expr.elements.length <= 4 && user?.kind === 'string' && password?.kind === 'string') {
        checkAccount(user, password);
      }
    }
    for (const child of expr.elements ?? []) {
      if (hasMarkWithin(quotes, child)) visitRecords(child, tableName, expr, visited, quotes);
    }
    for (const entry of expr.entries ?? []) {
      if (hasMarkWithin(quotes, entry.value)) visitRecords(entry.value, tableName, expr, visited, quotes);
    }
  }

  function checkAccount(user: Expr, password: Expr): void {
    const name = user.value ?? '';
    const pass = password.value ?? '';
    if (!pass.trim() || !password.content) return;
    if (isDefaultPassword(pass) || pass === name) {
      report(
        password,
        `The account '${name}' ships with a well-known default password (or one equal to its name): ${RISK}. ${ADVICE}`,
        password.content,
      );
    } else if (isBackdoorAccount(name) && /[A-Za-z0-9]/.test(pass) && !/^[<{$%]/.test(pass)) {
      report(
        password,
        `The '${name}' account has a fixed password built into the code: a service or factory back door that is the same on every unit and cannot be changed by the hospital. Remove it, or require a per-device credential and an authenticated service mode.`,
        password.content,
      );
    }
  }

  function findEmptyPasswordAccepted(): void {
    for (const comparison of model.comparisons) {
      if (!isAuthFunction(comparison.fn)) continue;
      const slot = emptyTestOf(comparison);
      const credential = slot ? classifyCredentialName(slot) : undefined;
      if (slot && credential && PASSWORD_KINDS.has(credential.kind) && grantsAccess(comparison.end)) {
        report(
          comparison,
          `This check lets an empty ${credential.label} ('${slot}') through: anyone can authenticate without knowing a secret. Reject empty credentials and compare a salted hash of what was entered.`,
        );
      }
    }
    // `if not password: return True`, `if (!pin) return true;`, `if (password.isEmpty()) return true`
    const negation =
      /\bif\s*(?:not\s+([A-Za-z_][\w.]*)\s*:|\(\s*!\s*([A-Za-z_][\w.]*(?:->[\w.]+)*)\s*\)|\(\s*([A-Za-z_][\w.]*)\.(?:isEmpty|isBlank|isNullOrEmpty|isNullOrBlank)\(\)\s*\)|\(\s*(?:TextUtils\.isEmpty|String\.IsNullOrEmpty)\(\s*([A-Za-z_][\w.]*)\s*\)\s*\))/g;
    for (const fn of model.functions) {
      if (!fn.body || !isAuthFunction(fn)) continue;
      const body = content.slice(fn.body.start, fn.body.end);
      for (const m of body.matchAll(negation)) {
        const start = fn.body.start + m.index!;
        if (model.comments.some((c) => c.start <= start && start < c.end)) continue;
        if (model.functions.some((inner) => inner !== fn && inner.start > fn.start && inner.start <= start && start < inner.end)) continue;
        const slot = (m[1] ?? m[2] ?? m[3] ?? m[4]).replace(/->/g, '.');
        const credential = classifyCredentialName(slot);
        if (!credential || !PASSWORD_KINDS.has(credential.kind)) continue;
        if (!grantsAccess(start + m[0].length)) continue;
        report(
          { start, end: start + m[0].length },
          `This check lets an empty ${credential.label} ('${slot}') through: anyone can authenticate without knowing a secret. Reject empty credentials and compare a salted hash of what was entered.`,
        );
      }
    }
  }

  /** Whether the branch that starts after offset `from` returns success or sets a granted flag. */
  function grantsAccess(from: number): boolean {
    // A short window: the branch's first statement, and a bound on the lazy regex's backtracking.
    const after = content.slice(from, from + GRANT_WINDOW);
    const m =
      /^[^;{}\n]*?(?:\)\s*)?(?:\{|:)?\s*(?:return\s+([\w.:]+)|[\w.>-]*(?:authenticated|granted|authorized|authorised|ok|valid|allowed|logged_?in|loggedIn)\s*=\s*(true|True|1)\b)/i.exec(
        after,
      );
    if (!m) return false;
    return m[2] !== undefined || isSuccessToken(m[1]);
  }

  /** The credential an empty-value test looks at: `strcmp(pw, "") == 0`, `pw[0] == '\0'`, `strlen(pw) == 0`, `pw == ""`. */
  function emptyTestOf(comparison: Comparison): string | undefined {
    const { operator, left, right } = comparison;
    if (/^str(?:n|case|ncase)?cmp$/.test(operator)) {
      const tail = content.slice(comparison.end, comparison.end + 40);
      const head = content.slice(Math.max(0, comparison.start - 10), comparison.start);
      const equal = /^\s*(?:\)+\s*)?==\s*0\b/.test(tail) || /!\s*$/.test(head);
      if (!equal) return undefined;
      for (const [a, b] of [
        [left, right],
        [right, left],
      ]) {
        if (b.kind === 'string' && b.value === '' && referenceName(a)) return referenceName(a);
      }
      return undefined;
    }
    if (!['==', '===', 'equals', 'is', 'contentEquals'].includes(operator)) return undefined;
    for (const [a, b] of [
      [left, right],
      [right, left],
    ]) {
      if (b.kind === 'string' && b.value === '' && referenceName(a)) return referenceName(a);
      const isZero = (b.kind === 'number' && /^0$/.test(b.text)) || /^'\\0'$|^0$/.test(b.text);
      if (!isZero) continue;
      const indexed = /^\*?\s*([A-Za-z_][\w.]*(?:->[\w.]+)*)(?:\[0\])?$/.exec(a.text);
      if (indexed && (a.text.startsWith('*') || a.text.endsWith('[0]'))) return indexed[1].replace(/->/g, '.');
      if (a.kind === 'call' && a.call && /^(?:strlen|len|strnlen|size|length)$/.test(a.call.name)) {
        return referenceName(a.call.args[0] ?? a.call.receiver);
      }
      const length = /^([A-Za-z_][\w.]*)\.(?:length|size|count)(?:\(\))?$/.exec(a.text);
      if (length) return length[1];
    }
    return undefined;
  }
}

const EQUALITY_OPERATORS = new Set(['==', '===', 'equals', 'is', 'contentEquals']);
/** The end of a condition and the start of its branch: closing parentheses, then `:` (Python) or `{`. */
const BRANCH_OPENING = /^[ \t)]*(?:[:{][ \t]*)?(?:\r?\n[ \t]*)*/;
/** A branch that starts by refusing: `raise …`, `throw …`, `sys.exit(…)`. */
const BRANCH_STOPS = /^(?:raise|throw|abort)\b/;
const STATEMENT_END = /^[ \t]*(?:;[ \t]*)?(?:\r?\n[ \t]*)*/;
const DIAGNOSTIC_FUNCTIONS =
  /^(?:log|warn|warning|error|err|fatal|fail|die|abort|exit|panic|alert|print|println|puts|log_?(?:warn|warning|error|err))$/i;
/** Whether an initialiser's owner names a table of accounts (`users`, `credentials`, `backdoor_logins`). */
/** The line of `content` that holds `offset`. */
function lineAt(content: string, offset: number): string {
  const end = content.indexOf('\n', offset);
  return content.slice(content.lastIndexOf('\n', offset - 1) + 1, end < 0 ? content.length : end);
}

/**
 * A comment or a usage line (`#   deploy.sh --password pass`, `echo "Usage: $0 --password PASS"`): it shows how an
 * option is written, with a stand-in for the value; nothing is configured by it.
 */
function isUsageText(line: string): boolean {
  return /^\s*(?:#|;|\/\/|--\s|REM\b)/i.test(line) || /\busage\s*:/i.test(line);
}

function isTableName(owner: string): boolean {
  return identifierWords(owner.split('.').pop() ?? owner).some((w) =>
    /^(?:users?|accounts?|logins?|credentials?|creds|passwords?|passwds?|auth|backdoors?|operators?|roles?)$/.test(w),
  );
}

/** The credential-bearing name an expression refers to: `password`, `cfg.pin`, `(const char *)cfg->psk`. */
/**
 * Accessors whose result is a credential by their API's definition, whatever their name says: what the value is, for
 * classifyCredentialName. dcmjs-dimse: the secondary field of a DICOM user-identity negotiation (PS3.7 D.3.3.7) is the
 * passcode of a username-and-passcode identity.
 */
const CREDENTIAL_ACCESSORS: Readonly<Record<string, string>> = {
  'getUserIdentitySecondaryField()': 'passcode',
};

/** `association.getUserIdentitySecondaryField()`: the accessor's name with `()`, when CREDENTIAL_ACCESSORS knows it. */
function credentialAccessor(expr: Expr): string | undefined {
  if (expr.kind !== 'call' || !expr.call || expr.call.args.length) return undefined;
  const name = `${expr.call.name}()`;
  return CREDENTIAL_ACCESSORS[name] ? name : undefined;
}

function referenceName(expr: Expr | undefined): string | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'name') return expr.value ?? expr.text;
  if (expr.kind === 'other') {
    const bare = withoutLeadingCasts(expr.text)
      .replace(/^this\.|^self\./, '')
      .replace(/->/g, '.');
    return /^[\w.]+$/.test(bare) ? bare : undefined;
  }
  return undefined;
}
