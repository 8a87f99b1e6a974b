/**
 * key-derived-from-identifier: a device identifier (MAC address, serial number, chip UID) that flows, within
 * one function and by variable name, into a key derivation function or a key-setting API. Identifiers are
 * printed on labels, broadcast over BLE and Wi-Fi, and guessable in sequence, so a key derived from one is
 * no secret. An advisory heuristic: it follows names, not data flow through memory or other functions.
 */
import type { Call, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { keyParameterOf } from '../_shared/crypto-key-apis';
import { FINISH_INPUT, IDENTIFIER_CALLS, IDENTIFIER_FIELDS, KDF_INPUTS, PROPAGATORS } from './sources';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { replaceQuoted } from '../../server/src/core/string-literals';
import { withoutLeadingCasts, withoutTrailingSubscript } from '../_shared/expression-text';

export default defineRule({
  meta: {
    id: 'key-derived-from-identifier',
    title: 'Key derived from a device identifier',
    severity: 'low',
    confidence: 'low',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [1394, 340],
    fda: ['app1.C.3', '524b.b2'],
    sees: 'keys derived from MAC addresses, serial numbers or chip ids',
    iec62443: ['CR 4.3', 'CR 1.14'],
    fix: 'none',
    presets: ['strict'],
    docs,
  },
  check: findKeysFromIdentifiers,
});

/** Dotted names an expression mentions, outside string literals: `(uint8_t *)mac` → [uint8_t, mac]. */
function namesIn(text: string): string[] {
  const code = replaceQuoted(text, '"\'', '""');
  return code.match(/[A-Za-z_]\w*(?:(?:\.|->)[A-Za-z_]\w*)*/g) ?? [];
}

function rootOf(name: string): string {
  return name.split(/\.|->/)[0];
}

/** The name an output argument writes: `mac`, `&uid[0]` → `uid`, `(char *)serial` → `serial`. */
function writtenName(expr: Expr | undefined): string | undefined {
  if (!expr) return undefined;
  const bare = withoutTrailingSubscript(withoutLeadingCasts(expr.text)).replace(/^this\.|^self\./, '');
  return /^[A-Za-z_]\w*(?:(?:\.|->)[A-Za-z_]\w*)*$/.test(bare) ? rootOf(bare) : undefined;
}

/** The secret input of a KDF or key API call, if `call` is one. */
function keyInputOf(call: Call): { arg: Expr; what: string } | undefined {
  const keyApi = keyParameterOf(call);
  if (keyApi) {
    const arg = (keyApi.keyword ? call.named.find((n) => n.key === keyApi.keyword)?.value : undefined) ?? call.args[keyApi.index];
    return arg && { arg, what: `the key of ${call.callee}()` };
  }
  const kdf = KDF_INPUTS.find((k) => k.names.includes(call.name) || k.names.includes(call.callee));
  if (!kdf) return undefined;
  const arg = (kdf.keyword ? call.named.find((n) => n.key === kdf.keyword)?.value : undefined) ?? call.args[kdf.index];
  return arg && { arg, what: `the secret input of ${call.callee}()` };
}

function findKeysFromIdentifiers(ctx: RuleContext): void {
  const { model } = ctx;
  const content = ctx.text.content;
  const lineOf = (offset: number) => content.slice(0, offset).split('\n').length;

  for (const fn of model.functions) {
    checkFunction(fn);
  }

  function checkFunction(fn: FunctionDef): void {
    /** Variable → where its identifier came from. */
    const tainted = new Map<string, string>();
    const identifierCalls = model.calls.filter((call) => call.start >= fn.start && call.end <= fn.end && identifierCall(call));
    const sourceIn = (expr: Expr): string | undefined => {
      for (const name of namesIn(expr.text)) {
        const origin = tainted.get(rootOf(name));
        if (origin) return origin;
      }
      for (const field of IDENTIFIER_FIELDS) {
        if (field.pattern.test(expr.text)) return `${field.label}`;
      }
      // Only this function's identifier calls can sit inside one of its expressions (scanning every call of
      // the file here made the rule quadratic in file size).
      for (const call of identifierCalls) {
        if (call.start >= expr.start && call.end <= expr.end && IDENTIFIER_CALLS[call.name].out === undefined) {
          return `${IDENTIFIER_CALLS[call.name].label} from ${call.callee}() on line ${lineOf(call.start)}`;
        }
      }
      return undefined;
    };

    type Event = { start: number; call?: Call; target?: string; value?: Expr };
    const events: Event[] = [
      ...fn.calls.map((call): Event => ({ start: call.start, call })),
      ...model.bindings
        .filter((b) => b.fn === fn && b.kind !== 'property')
        .map((b): Event => ({ start: b.start, target: rootOf(b.target), value: b.value })),
    ];
    events.sort((a, b) => a.start - b.start || (a.call ? 1 : -1));

    for (const event of events) {
      // A binding event: a C declaration can bind no plain name (`int (*fp)(void) = …`, a destructuring), so
      // its target may be empty; it is still not a call.
      if (!event.call) {
        if (!event.target || !event.value) continue;
        const origin = sourceIn(event.value);
        if (origin) tainted.set(event.target, origin);
        else tainted.delete(event.target);
        continue;
      }
      const call = event.call;
      const source = identifierCall(call) ? IDENTIFIER_CALLS[call.name] : undefined;
      if (source?.out !== undefined) {
        const written = writtenName(call.args[source.out]);
        if (written) tainted.set(written, `${source.label} from ${call.callee}() on line ${lineOf(call.start)}`);
        continue;
      }
      const out = PROPAGATORS[call.name];
      if (out !== undefined) {
        const inputIndex = FINISH_INPUT[call.name];
        const inputs = inputIndex !== undefined ? [call.args[inputIndex]] : call.args.filter((_, i) => i !== out);
        const origin = inputs.map((a) => a && sourceIn(a)).find(Boolean);
        const written = writtenName(call.args[out]);
        if (origin && written) tainted.set(written, origin);
        continue;
      }
      const input = keyInputOf(call);
      if (!input) continue;
      const origin = sourceIn(input.arg);
      if (!origin) continue;
      ctx.report({
        span: input.arg,
        message: `${capitalize(input.what)} comes from the device's ${origin}: identifiers are printed on labels, broadcast over Wi-Fi and BLE and guessable in sequence, so anyone can recompute this key for any unit. Derive per-device keys from a random secret provisioned at manufacturing (or stored in a secure element), using the identifier only as salt or context.`,
      });
    }
  }

  function identifierCall(call: Call): boolean {
    if (!Object.prototype.hasOwnProperty.call(IDENTIFIER_CALLS, call.name)) return false;
    // `WiFi.macAddress()` / `wifiInfo.getMacAddress()`: any receiver; `uuid.getnode()` needs uuid.
    if (call.name === 'getnode') return /^uuid$/.test(call.receiver?.text ?? 'uuid');
    if (call.name === 'unique_id') return /^machine$/.test(call.receiver?.text ?? '');
    return true;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
