/**
 * secret-in-log: credentials, crypto keys and tokens (and, at lower confidence, patient identifiers)
 * passed to logging, console or serial-print calls. Names are judged word by word; lengths, flags,
 * hashes and masked forms of a secret are not reported.
 */
import type { RuleContext } from '../../server/src/core/types';
import type { Call, Expr } from '../../server/src/core/model/types';
import { classifySensitiveName, sensitiveReferences, withArticle, type SensitiveReference } from '../_shared/secret-references';
import { corroboratesCredential } from '../_shared/credential-evidence';
import { isCredentialPair } from '../_shared/credential-names';
import { isLogCall } from '../_shared/log-calls';
import { storageKeyOf } from '../_shared/value-evidence';
import { credentialInLoggedObject } from './logged-objects';
import { loggedKeyValue, type LoggedKey } from './key-values';
import { findHttpWireLogging } from './http-wire-logging';
import { loggedSessionSecret } from './session-secrets';
import { loggedConnectionUri } from './connection-uris';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'secret-in-log',
    title: 'Secret or patient identifier written to a log',
    severity: 'high',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [532, 215],
    fda: ['app1.E.1', 'app1.F.2', '524b.b2'],
    sees: 'secrets and patient identifiers written to logs',
    iec62443: ['CR 4.1', 'CR 3.9'],
    fix: 'none',
    presets: ['recommended'],
    docs,
    // Every report is on a call isLogCall (_shared/log-calls.ts) accepts, whose names and receivers all hold one
    // of these (`*print*`, `*puts`, `*log*`/`*LOG*`, `shell_*`, Qt's, Timber, console, `System.out`/`err`); Java and
    // Kotlin also report an HTTP client logging at `Level.BODY`/`HEADERS`.
    needs: (_, language) => (language === 'java' || language === 'kotlin' ? [...LOG_WORDS, 'level'] : LOG_WORDS),
  },
  check: findSecretsInLogs,
});

const LOG_WORDS = ['print', 'puts', 'log', 'shell_', 'qdebug', 'qinfo', 'qwarning', 'timber', 'console', 'system.out', 'system.err'];

function findSecretsInLogs(ctx: RuleContext): void {
  if (ctx.language === 'java' || ctx.language === 'kotlin') reportHttpWireLogging(ctx);
  // Gathered on the first logged value that is not a literal: most files log none, and it reads every call.
  let storageKeys: Map<Call['fn'], Set<string>> | undefined;
  for (const call of ctx.model.calls) {
    if (!isLogCall(call, ctx.language)) continue;
    // A value the same function stores or reads a setting under is the setting's name, whatever the format says.
    const isKeyText = (text: string) => (storageKeys ??= storageKeyNames(ctx)).get(call.fn)?.has(text) ?? false;
    const isKeyName = (arg: Expr) => isKeyText(arg.text);
    let best: { reference: SensitiveReference; span: { start: number; end: number }; label?: string; entry?: string } | undefined;
    for (const arg of [...call.args, ...call.named.map((n) => n.value)]) {
      if (arg.kind === 'string' || arg.kind === 'number' || arg.kind === 'boolean' || arg.kind === 'null') continue;
      if (isKeyName(arg)) continue;
      for (const reference of sensitiveReferences(arg.text, ctx.language)) {
        // `"none under $PREF_BIND_KEY"`: the name a setting is stored under, interpolated, is not its value.
        if (isKeyText(reference.name)) continue;
        // `pin`, `pass`, `token`, `secret` alone: a GPIO, a melody note, a cursor, unless flow or API semantics say otherwise.
        if (reference.bare && !corroboratesCredential(ctx, call, reference.name)) continue;
        if (!best || (best.reference.kind === 'patient' && reference.kind !== 'patient')) best = { reference, span: arg };
      }
      const held = best && best.reference.kind !== 'patient' ? undefined : credentialInLoggedObject(ctx, arg);
      if (held) best = { ...held, span: arg };
      if (best && best.reference.kind !== 'patient') break;
    }
    if (!best || best.reference.kind === 'patient') best = formatLabelled(call, ctx.language, isKeyName) ?? best;
    if (!best || best.reference.kind === 'patient') {
      // Named vaguely (`newKeyByteArray`, `k`): a key by what the code does with the value.
      const key = loggedArgs(call).reduce<LoggedKey | undefined>(
        (found, arg) => found ?? (isKeyName(arg) ? undefined : loggedKeyValue(ctx, call, arg)),
        undefined,
      );
      if (key) {
        ctx.report({
          span: key.span,
          message: `'${key.name}' (a cryptographic key: ${key.evidence}) is written to the log by ${call.callee}(): logs are read over the UART console, collected by service tools and uploaded to log servers, so anyone who gets them can decrypt or forge what the key protects. Log that it was set or its length, never the value.`,
        });
        continue;
      }
    }
    if (!best || best.reference.kind === 'patient') {
      // A session ID or an OAuth authorization code, by where the value comes from (a response, a cookie, a redirect).
      const session = loggedSessionSecret(ctx, loggedArgs(call));
      if (session) {
        ctx.report({
          span: session.span,
          message: `'${session.name}' (${session.what}) is written to the log by ${call.callee}(): whoever reads the log can act as the logged-in user until the session ends or the code is exchanged. Log that the step succeeded, never the value.`,
        });
        continue;
      }
    }
    if (!best || best.reference.kind === 'patient') {
      // A database or broker connection string, whose userinfo holds the account's password.
      const uri = loggedConnectionUri(ctx, call, loggedArgs(call));
      if (uri) {
        ctx.report({
          span: uri.span,
          message: `'${uri.name}' (${uri.evidence}) is written to the log by ${call.callee}(): a connection URI carries the account's user name and password in its userinfo, so anyone who reads the log can log in to the database. Log the host only, or the URI with its password masked.`,
        });
        continue;
      }
    }
    if (!best) continue;
    const { reference, span, label, entry } = best;
    const what = entry
      ? `'${reference.name}' (an object whose '${entry}' entry is ${withArticle(reference.label)})`
      : `'${reference.name}' (${withArticle(reference.label)}${label ? `, as the format text '${label}' says` : ''})`;
    if (reference.kind === 'patient') {
      ctx.report({
        span,
        confidence: 'low',
        message: `'${reference.name}' (${withArticle(reference.label)}) is written to the log by ${call.callee}(): device and service logs are copied to service laptops, support tickets and cloud log stores, where patient data is not protected. Log a pseudonymous reference (an internal record id or a keyed hash) instead.`,
      });
    } else {
      ctx.report({
        span,
        message: `${what} is written to the log by ${call.callee}(): logs are read over the UART console, collected by service tools and uploaded to log servers, so anyone who gets them gets the secret. Log that it was set or its length, never the value.`,
      });
    }
  }
}

function reportHttpWireLogging(ctx: RuleContext): void {
  for (const { span, level } of findHttpWireLogging(ctx.model, ctx.text.content)) {
    const what = level === 'BODY' ? 'headers and bodies' : 'headers';
    ctx.report({
      span,
      message: `HttpLoggingInterceptor at Level.${level} writes every request's and response's ${what} to the log: the Authorization header, cookies and API keys the client sends${level === 'BODY' ? ', and login forms, tokens and patient data in the bodies' : ''}, outside a debug-build check. Use Level.BASIC in release builds, or redactHeader() the credential headers and set the level only when BuildConfig.DEBUG.`,
    });
  }
}

/** The values a log call prints: its arguments, positional and named, less literals. */
function loggedArgs(call: Call): Expr[] {
  return [...call.args, ...call.named.map((n) => n.value)].filter(
    (arg) => arg.kind !== 'string' && arg.kind !== 'number' && arg.kind !== 'boolean' && arg.kind !== 'null',
  );
}

/**
 * A value the format text itself labels as a credential: `printf("[wlan%d] pass = %s", i, buffer)`, Java's
 * `Log.d(TAG, String.format("linkKey = '%s'", session.getKey()))`, Kotlin's `"token=%s".format(t)`, Python's
 * `log.debug("api secret %s", s)` and `"key %s" % k`. Only string conversions count (`%s`): `"pin %d"` prints a GPIO
 * number as often as a PIN. Outside C and C++ the label must name the secret unambiguously (`linkKey`, `api secret`;
 * never `token` or `pass` alone, a lexer token or a workflow pass as often as a credential).
 */
function formatLabelled(
  call: Call,
  language: string,
  isKeyName: (arg: Expr) => boolean,
): { reference: SensitiveReference; span: Expr; label: string } | undefined {
  const native = language === 'c' || language === 'cpp';
  for (const [format, values] of formatsOf(call, language)) {
    const found = labelledValue(format, values, native, isKeyName);
    if (found) return found;
  }
  return native ? undefined : templateLabelled(call, isKeyName);
}

/** Members and calls that print a size, a flag or a hash of a value, not the value. */
const REDUCED = /^(?:length|size|count|isEmpty|isNotEmpty|isBlank|isNullOrEmpty|isNullOrBlank|hashCode|len|bool)$/;

/**
 * A value a string template or concatenation labels as a secret, as a format's `%s` label does: Kotlin's
 * `"Using bind key: $value"`, a JS template literal, a Python f-string, `"token=" + t`. The label is the literal
 * text right before the value, read as `unambiguousLabel` reads a format label; a value that prints a length or
 * flag (`${key.size}`) or the name of a setting is not the secret.
 */
function templateLabelled(
  call: Call,
  isKeyName: (arg: Expr) => boolean,
): { reference: SensitiveReference; span: Expr; label: string } | undefined {
  for (const arg of call.args) {
    if (arg.kind !== 'other' || (arg.operator !== undefined && arg.operator !== '+')) continue;
    let before = '';
    for (const part of arg.parts?.() ?? []) {
      if (part.kind === 'string') {
        before = part.value ?? '';
        continue;
      }
      const label = before;
      before = '';
      if (!label.trim() || part.kind === 'number' || part.kind === 'boolean' || isKeyName(part) || reduced(part)) continue;
      if (choosesLiteral(part)) continue;
      // `"Error saving Credential: " + e.getMessage()`: the label heads an error report; the value is the error.
      if (ERROR_TEXT.test(label) || isErrorText(part)) continue;
      const words = label
        .replace(/[^A-Za-z0-9_ ]+/g, ' ')
        .trim()
        .split(/\s+/)
        .slice(-2);
      const reference = unambiguousLabel(words);
      if (reference && reference.kind !== 'patient')
        return { reference: { ...reference, name: part.text }, span: arg, label: label.trim() };
    }
  }
  return undefined;
}

/** Text that reports a failure: what follows it is the error, not the thing the failure was about. */
const ERROR_TEXT = /\b(?:error|errors|fail|failed|failure|exception|unable|cannot|could not|couldn't)\b/i;
/** An exception's message or text: `e.getMessage()`, `e.message`, `err.localizedMessage`. */
const ERROR_MEMBER = /^(?:getMessage|getLocalizedMessage|message|localizedMessage|stackTraceToString|getCause|cause)$/;

function isErrorText(value: Expr): boolean {
  if (value.kind === 'name') return ERROR_MEMBER.test((value.value ?? value.text).split('.').pop() ?? '');
  return value.kind === 'call' && !!value.call && ERROR_MEMBER.test(value.call.name);
}

/** `'***' if password else 'None'`, `password ? "set" : "unset"`: a choice between two literals prints one of them. */
const PYTHON_LITERAL_CHOICE = /^(?:"[^"\n]{0,80}"|'[^'\n]{0,80}')\s+if\s[^\n]{1,200}?\selse\s+(?:"[^"\n]{0,80}"|'[^'\n]{0,80}')$/;
const TERNARY_LITERAL_CHOICE =
  /^[^?\n]{1,200}\?\s*(?:"[^"\n]{0,80}"|'[^'\n]{0,80}'|`[^`$\n]{0,80}`)\s*:\s*(?:"[^"\n]{0,80}"|'[^'\n]{0,80}'|`[^`$\n]{0,80}`)$/;

function choosesLiteral(value: Expr): boolean {
  const text = value.text.trim();
  return PYTHON_LITERAL_CHOICE.test(text) || TERNARY_LITERAL_CHOICE.test(text);
}

function reduced(value: Expr): boolean {
  if (value.kind === 'name') return REDUCED.test((value.value ?? value.text).split('.').pop() ?? '');
  return value.kind === 'call' && !!value.call && REDUCED.test(value.call.name);
}

/** The format strings of a log call with the values after each: its own arguments, or a format call or `%` it holds. */
function formatsOf(call: Call, language: string): [string, Expr[]][] {
  const out: [string, Expr[]][] = [];
  const own = (args: Expr[]) => {
    const at = args.findIndex((a) => a.kind === 'string' && (a.value ?? '').includes('%'));
    if (at >= 0) out.push([args[at].value ?? '', args.slice(at + 1)]);
  };
  if (language === 'c' || language === 'cpp' || language === 'python') own(call.args);
  if (language !== 'java' && language !== 'kotlin' && language !== 'python') return out;
  for (const arg of call.args) {
    const inner = arg.kind === 'call' ? arg.call : undefined;
    if (inner && /^(?:String\.format|format|formatted)$/.test(inner.callee.replace(/^java\.lang\./, ''))) own(inner.args);
    else if (inner && /^(?:format|formatted)$/.test(inner.name) && inner.receiver?.kind === 'string')
      out.push([inner.receiver.value ?? '', inner.args]);
    else if (language === 'python' && arg.kind === 'other' && arg.operator === '%') {
      const [format, ...rest] = arg.parts?.() ?? [];
      const tuple = rest.length === 1 ? rest[0] : undefined;
      const values =
        tuple?.kind === 'array' ? (tuple.elements ?? []) : tuple?.kind === 'other' && !tuple.operator ? (tuple.parts?.() ?? rest) : rest;
      if (format?.kind === 'string') out.push([format.value ?? '', values]);
    }
  }
  return out;
}

function labelledValue(
  format: string,
  values: Expr[],
  native: boolean,
  isKeyName: (arg: Expr) => boolean,
): { reference: SensitiveReference; span: Expr; label: string } | undefined {
  let argIndex = 0;
  let labelStart = 0;
  // A width starts at 1-9 (a leading 0 is a flag), so a run of zeros is read one way.
  for (const m of format.matchAll(/%%|%[-+ #0]*(\*|[1-9]\d*)?(?:\.(\*|\d+))?(?:hh|h|ll|l|L|q|j|z|t)?([diouxXeEfgGcspn])/g)) {
    if (m[0] === '%%') continue;
    const label = format.slice(labelStart, m.index);
    labelStart = m.index! + m[0].length;
    argIndex += (m[1] === '*' ? 1 : 0) + (m[2] === '*' ? 1 : 0);
    const arg = values[argIndex++];
    if (m[3] !== 's' || !arg || arg.kind === 'string' || arg.kind === 'number' || isKeyName(arg) || choosesLiteral(arg)) continue;
    const words = label
      .replace(/[^A-Za-z0-9_ ]+/g, ' ')
      .trim()
      .split(/\s+/)
      .slice(-2);
    const reference = native ? nativeLabel(words) : unambiguousLabel(words);
    if (reference && reference.kind !== 'patient')
      return { reference: { ...reference, name: arg.text }, span: arg, label: `${label.replace(/^[^A-Za-z0-9]+/, '')}${m[0]}` };
  }
  return undefined;
}

/**
 * Per function, the expressions used as the key of a settings store read or write (`prefs.putString(key, v)`,
 * `nvs_get_str(h, passKey, ...)`): a credential's name, which a log line may print (the issue's "a constant
 * used as the key of a storage API is a name, not a secret").
 */
function storageKeyNames(ctx: RuleContext): Map<Call['fn'], Set<string>> {
  const names = new Map<Call['fn'], Set<string>>();
  for (const call of ctx.model.calls) {
    const key = storageKeyOf(call);
    if (!key || key.kind === 'string') continue;
    const set = names.get(call.fn) ?? new Set<string>();
    set.add(key.text);
    names.set(call.fn, set);
  }
  return names;
}

function nativeLabel(words: string[]): SensitiveReference | undefined {
  return classifySensitiveName(words.join('_')) ?? classifySensitiveName(words[words.length - 1] ?? '');
}

/**
 * A label that names a secret by itself: its last word as written (`linkKey`, `api_secret`, `password`), or its last
 * two words as one term (`pairing code`, `link key`). Two words of prose are not an identifier: `failed to pass %s`
 * and `unexpected token %s` say nothing of a credential.
 */
function unambiguousLabel(words: string[]): SensitiveReference | undefined {
  const last = classifySensitiveName(words[words.length - 1] ?? '');
  if (last && !last.bare) return last;
  if (words.length < 2) return undefined;
  const pair = classifySensitiveName(words.join('_'));
  return pair && (pair.kind === 'key' || isCredentialPair(words[0], words[1])) ? pair : undefined;
}
