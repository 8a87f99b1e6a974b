/**
 * Corroboration for a logged or stored name that is one ambiguous word (`pin`, `pass`, `token`, `secret`): where the value
 * comes from (a key store, preferences, NVS, the environment, user input, a request credential), where else it
 * goes in the same function (a BLE pairing call, an auth header, a log-in, Wi-Fi credentials), and whether a
 * `pin` is handled as text (a PIN code) rather than as a number (a GPIO).
 */
import type { Call, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { isCredentialField, isCredentialSink, isStorageRead, requestInputOf } from './value-evidence';

const CREDENTIAL_SOURCES = new Set(['keystore', 'preferences', 'nvs', 'environment', 'input']);

/** Whether flow or API semantics back a name that alone says too little, at `call` (a log or storage call). */
export function corroboratesCredential(ctx: RuleContext, call: Call, name: string): boolean {
  const fn = call.fn ?? ctx.flow.functionAt(call.start);
  return fromCredentialSource(ctx, call, name) || reachesCredentialSink(ctx, fn, name) || handledAsText(ctx, fn, name);
}

/** The value (a local, parameter or constant of this file) is read from a store of secrets or a request credential. */
function fromCredentialSource(ctx: RuleContext, call: Call, name: string): boolean {
  const probe: Expr = { kind: 'name', value: name, text: name, start: call.start, end: call.start + name.length };
  return ctx.flow.origins(probe).some((origin) => {
    if (origin.kind === 'source') return CREDENTIAL_SOURCES.has(origin.source);
    const call = origin.kind === 'unknown' && origin.expr.kind === 'call' ? origin.expr.call : undefined;
    if (!call) return false;
    return isStorageRead(call) || isCredentialField(requestInputOf(call)?.field);
  });
}

/** The same name is passed, in the same function, to a call that takes a credential. */
function reachesCredentialSink(ctx: RuleContext, fn: FunctionDef | undefined, name: string): boolean {
  if (!fn) return false;
  const mention = new RegExp(`(?:^|[^\\w.])${name.replace(/[.$]/g, '\\$&')}(?![\\w$])`);
  return ctx.model.calls.some(
    (c) =>
      c.start >= fn.start &&
      c.end <= fn.end &&
      isCredentialSink(c) &&
      [...c.args, ...c.named.map((p) => p.value)].some((a) => mention.test(a.text)),
  );
}

/**
 * A `pin` handled or declared as text (`pin.length()`, `pin.getBytes()`, `strlen(pin)`, `String pin = …`) is a PIN
 * code; a GPIO is a number.
 */
function handledAsText(ctx: RuleContext, fn: FunctionDef | undefined, name: string): boolean {
  if (!fn || !/pin$/i.test(name)) return false;
  const body = ctx.text.content.slice(fn.start, fn.end);
  const escaped = name.replace(/[.$]/g, '\\$&');
  return (
    new RegExp(
      `\\b${escaped}\\s*\\.\\s*(?:length|getBytes|toString|isEmpty|isNotEmpty|toCharArray|charAt|substring|c_str|trim|toByteArray|encode)\\b`,
    ).test(body) ||
    passedToStringCall(body, new RegExp(`\\b${escaped}\\b`)) ||
    declaredAsText(body, escaped)
  );
}

/** `String blukon_pin = …`, `std::string pin`, `char *pin`, Kotlin `pin: String`: a value declared as text. */
function declaredAsText(body: string, escaped: string): boolean {
  return (
    new RegExp(`(?:\\bString|\\bCharSequence|\\bstd::string|\\bchar\\s*\\*)\\s*${escaped}\\b`).test(body) ||
    new RegExp(`\\b${escaped}\\s*:\\s*String\\b`).test(body)
  );
}

/**
 * Whether `name` appears in a string call's arguments before the first `)`: the regex
 * `\b(?:strlen|…)\s*\([^)]*\bname\b`, reading the text once (calls that share a `)` share the answer).
 */
function passedToStringCall(body: string, name: RegExp): boolean {
  const call = /\b(?:strlen|strnlen|strcpy|strncpy|strlcpy)\s*\(/g;
  let checkedUpTo = -1;
  for (let m = call.exec(body); m; m = call.exec(body)) {
    const from = m.index + m[0].length;
    if (from <= checkedUpTo) continue; // a suffix of a run already read
    const close = body.indexOf(')', from);
    checkedUpTo = close < 0 ? body.length : close;
    if (name.test(body.slice(from, checkedUpTo))) return true;
  }
  return false;
}
