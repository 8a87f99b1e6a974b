/**
 * hardcoded-crypto-key: symmetric cipher and MAC keys that are constants in the source: a literal or a
 * same-file constant (byte array, hex or text string, `#define`) passed as the key of a key-setting API,
 * reported where it is written and, when it arrives through a `#define`, a constant, a local, a copy into a
 * buffer or a helper's parameter (`ctx.flow`), at the call that uses it too.
 * PEM private keys in literals are hardcoded-credential's job and are not reported here.
 */
import type { Binding, Call, Expr } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { isPlaceholderSecret } from '../_shared/credential-names';
import { BYTE_BUILDERS, DECODERS, RECEIVER_CONVERSIONS, SELF_TEST, keyParameterOf, type KeyParameter } from '../_shared/crypto-key-apis';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { flowedKey, type PassedToCalls } from './flowed-key';
import { withoutLeadingCasts } from '../_shared/expression-text';
import { hasMarkWithin } from '../_shared/call-marks';

export default defineRule({
  meta: {
    id: 'hardcoded-crypto-key',
    title: 'Hardcoded encryption or MAC key',
    severity: 'critical',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [321, 798],
    fda: ['app1.C.3', 'app1.E.1', '524b.b2'],
    sees: 'encryption and MAC keys written in source',
    iec62443: ['CR 1.5', 'CR 1.14', 'CR 4.3', 'EDR 3.12'],
    fix: 'none',
    presets: ['recommended'],
    docs,
  },
  check: findHardcodedCryptoKeys,
});

/** A constant key found in the source: where to report it and which part to mask. */
interface ConstantKey {
  span: Span;
  secret: Span;
  name?: string;
}

function findHardcodedCryptoKeys(ctx: RuleContext): void {
  const { model } = ctx;
  const content = ctx.text.content;
  /**
   * Whether a name is passed to a call other than a key API, e.g. `esp_fill_random(key, 32)`: the buffer is filled
   * at runtime (`filled`); and the functions where that happens (the start of the function the call is in, -1 at
   * file level), less the destinations of C copies (`memcpy(buf, KEY, 16)`), which the data-flow layer follows
   * (`writtenIn`). Worked out per name asked, from the calls whose text holds the name: resolving the arguments
   * of every call of the file for it cost more than the rest of the rule.
   */
  const runtimeWrites = new Map<string, { filled: boolean; writtenIn?: Set<number> }>();
  const runtimeWritesOf = (name: string) => {
    let writes = runtimeWrites.get(name);
    if (writes) return writes;
    writes = { filled: false };
    const mentions: number[] = [];
    for (let at = content.indexOf(name); at >= 0; at = content.indexOf(name, at + 1)) mentions.push(at);
    for (const call of mentions.length ? model.calls : []) {
      if (!hasMarkWithin(mentions, call) || keyParameterOf(call)) continue;
      call.args.forEach((arg, index) => {
        if (bareName(arg) !== name) return;
        writes!.filled = true;
        if ((index === 0 && C_COPIES.has(call.callee.replace(/^std\./, ''))) || READS_ONLY.has(call.name)) return;
        (writes!.writtenIn ??= new Set<number>()).add(call.fn?.start ?? -1);
      });
    }
    runtimeWrites.set(name, writes);
    return writes;
  };
  const filledAtRuntime = (name: string): boolean => runtimeWritesOf(name).filled;
  const writtenUnseen: PassedToCalls = { get: (name) => runtimeWritesOf(name).writtenIn };

  const bindingsOf = (name: string, call: Call): Binding[] => {
    const own = model.bindings.filter((b) => (b.target === name || b.name === name) && b.kind !== 'default' && (!b.fn || b.fn === call.fn));
    if (own.length || !name.includes('.')) return own;
    // `TrendKeys.TREND_KEY`: a constant of an object or class of this file.
    const last = name.slice(name.lastIndexOf('.') + 1);
    return model.bindings.filter((b) => b.target === last && b.constant && !b.fn);
  };

  /** Resolves `expr` to a constant key, following one level of same-file names. */
  const constantKey = (expr: Expr | undefined, call: Call, depth = 0): ConstantKey | undefined => {
    if (!expr) return undefined;
    if (expr.kind === 'string') {
      const value = expr.value ?? '';
      if (!value.trim() || isPlaceholderSecret(value) || value.includes('-----BEGIN')) return undefined;
      return { span: expr, secret: expr.content ?? expr };
    }
    if (expr.kind === 'array') return byteArray(expr.elements, expr);
    if (expr.kind === 'call' && expr.call) {
      const inner = expr.call;
      // `reinterpret_cast<const unsigned char *>(KEY)` is KEY.
      if (CPP_CASTS.has(inner.name)) return constantKey(inner.args[0], call, depth);
      // `"key".getBytes()`, `bytes.fromhex("…")`, `Buffer.from("…", "hex")`, `base64.b64decode("…")`
      if (DECODERS.has(inner.name)) {
        if (inner.receiver && (inner.receiver.kind === 'string' || inner.receiver.kind === 'name')) {
          const fromReceiver = constantKey(inner.receiver, call, depth);
          if (fromReceiver) return fromReceiver;
        }
        // `k.getBytes("UTF-8")`: the receiver is the key; the argument is its charset, whatever `k` holds.
        if (inner.receiver && RECEIVER_CONVERSIONS.has(inner.name)) return undefined;
        // `Buffer.from(EXPORT_KEY)`, `bytes.fromhex(KEY_HEX)`: the argument, written here or one name away.
        if (inner.args[0]?.kind === 'string' || inner.args[0]?.kind === 'name') return constantKey(inner.args[0], call, depth);
      }
      if (BYTE_BUILDERS.has(inner.callee) || BYTE_BUILDERS.has(inner.name)) {
        if (inner.args.length === 1 && inner.args[0].kind === 'array') return byteArray(inner.args[0].elements, inner.args[0]);
        if (inner.args.length >= 4) return byteArray(inner.args, expr);
      }
      return undefined;
    }
    const name = bareName(expr);
    if (!name || depth > 0) return undefined;
    if (SELF_TEST.test(name)) return undefined;
    const bindings = bindingsOf(name, call);
    if (!bindings.length) return undefined;
    const keys = bindings.map((b) => {
      // A mutable buffer that other code fills (`esp_fill_random(key, …)`, `nvs_get_blob(h, "k", key, …)`) is not a constant.
      if (!b.constant && !(ctx.language === 'python' && !b.fn && bindings.length === 1) && filledAtRuntime(name)) return undefined;
      if (!b.constant && b.value.kind === 'array' && (b.value.elements?.length ?? 0) < 4) return undefined;
      const key = constantKey(b.value, call, depth + 1);
      return key && { ...key, name: b.target };
    });
    return keys.every((k) => k !== undefined) ? keys[0] : undefined;
  };

  for (const call of model.calls) {
    const parameter = keyParameterOf(call);
    if (!parameter) continue;
    if (call.fn && SELF_TEST.test(call.fn.name)) continue;
    const keyArg =
      (parameter.keyword ? call.named.find((n) => n.key === parameter.keyword)?.value : undefined) ?? call.args[parameter.index];
    const key = constantKey(keyArg, call);
    if (key) ctx.report({ span: key.span, secret: key.secret, message: messageFor(call, parameter, key) });
    // The key written elsewhere is reported at this call too, inside the function that uses it.
    const flowed = keyArg && !(key && within(key.span, keyArg)) ? flowedKey(ctx, keyArg, writtenUnseen) : undefined;
    if (flowed && keyArg) {
      const what = parameter.purpose === 'MAC' ? 'MAC key' : parameter.purpose === 'cipher' ? 'encryption key' : 'secret key';
      const line = ctx.text.positionAt(flowed.literal.start).line + 1;
      ctx.report({
        span: keyArg,
        secret: flowed.secret,
        message: `The ${what} passed to ${call.callee}() is the hardcoded constant of line ${line}, through ${flowed.through}: ${RISK}`,
      });
    }
  }

  // STM32 HAL CRYP: `hcryp.Init.pKey = (uint32_t *)aes_key;`
  for (const binding of model.bindings) {
    if (binding.name !== 'pKey' || !/\.Init\.pKey$/.test(binding.target)) continue;
    const pseudoCall = { fn: binding.fn } as Call;
    const key = constantKey(binding.value, pseudoCall);
    if (!key) continue;
    ctx.report({
      span: key.span,
      secret: key.secret,
      message: `${key.name ? `'${key.name}'` : 'This literal'} is a hardcoded AES key loaded into the STM32 CRYP peripheral (${binding.target}): whoever dumps one unit's flash can decrypt or forge the data of every unit. Load a per-device key from OTP, a secure element or protected storage instead.`,
    });
  }

  // NXP BLE host (Kinetis KW, MCX W, QN9080): the keys the device hands out when it bonds,
  // `gapSmpKeys_t smpKeys = { .aLtk = (void *)smpLtk, … }`, sent by Gap_SendSmpKeys() and Gap_ProvideLongTermKey().
  if (content.includes('gapSmpKeys_t')) {
    for (const binding of model.bindings) {
      const smp = SMP_KEYS.get(binding.name);
      if (!smp) continue;
      const array = bareName(binding.value);
      // Only a const array holds the key for good: the SDK's newer app_config.c declares writable placeholders
      // that the connection manager overwrites from the MCU UID or the protected key store at start-up.
      if (!array || !arrayIsConst(array)) continue;
      const found = constantKey(binding.value, { fn: binding.fn } as Call);
      if (!found) continue;
      ctx.report({
        span: found.span,
        secret: found.secret,
        message: `'${found.name ?? array}' is a hardcoded Bluetooth ${smp.key} (${binding.target} of the gapSmpKeys_t the NXP BLE host distributes when the device bonds): every unit hands out the same key, so ${smp.risk} Generate the keys per device (the RNG or a KDF from a device-unique secret) and keep them in protected storage.`,
      });
    }
  }

  function arrayIsConst(name: string): boolean {
    const declarations = model.bindings.filter((b) => b.target === name && !b.fn && b.kind !== 'default');
    return declarations.length > 0 && declarations.every((b) => b.constant);
  }

  function byteArray(elements: Expr[] | undefined, whole: Expr): ConstantKey | undefined {
    if (!elements?.length) return undefined;
    const literal = elements.every(
      (e) =>
        e.kind === 'number' ||
        (e.kind === 'other' && /^(?:\(\w+\)\s*)?-?(?:0x[0-9a-f]+|\d+)(?:\.toByte\(\))?$|^'.'$/i.test(e.text)) ||
        e.kind === 'string',
    );
    if (!literal) return undefined;
    return { span: whole, secret: whole };
  }

  function messageFor(call: Call, parameter: KeyParameter, key: ConstantKey): string {
    const what = parameter.purpose === 'MAC' ? 'MAC key' : parameter.purpose === 'cipher' ? 'encryption key' : 'secret key';
    const line = content.slice(0, call.start).split('\n').length;
    const subject = key.name
      ? `'${key.name}' is a hardcoded ${what}, passed to ${call.callee}() on line ${line}`
      : `The ${what} passed to ${call.callee}() is a hardcoded constant`;
    return `${subject}: ${RISK}`;
  }
}

const RISK =
  'anyone with the firmware image or app package can extract it and decrypt or forge the data and commands of every unit. Provision a per-device key into a secure element, eFuse/OTP, the Android Keystore or encrypted storage, or derive it with a KDF from a per-device secret.';

/**
 * The field of NXP's gapSmpKeys_t that holds the long-term key: the peripheral sends it in legacy pairing's key
 * distribution and answers every later long-term-key request with it. The IRK and CSRK beside it go out only when
 * the pairing parameters ask for them, which this file alone does not settle: not reported.
 */
const SMP_KEYS: ReadonlyMap<string, { key: string; risk: string }> = new Map([
  [
    'aLtk',
    { key: 'LE long-term key (LTK)', risk: 'anyone with the firmware image can decrypt a recorded bonded link or pose as a bonded phone.' },
  ],
]);

function within(inner: Span, outer: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

const CPP_CASTS = new Set(['reinterpret_cast', 'static_cast', 'const_cast']);
/** Calls that read their argument and never write into it. */
const READS_ONLY = new Set([...CPP_CASTS, 'strlen', 'sizeof', 'strnlen']);

/** C copies into their first argument. */
const C_COPIES = new Set(['strcpy', 'strncpy', 'strlcpy', 'memcpy', 'memmove', 'strcat', 'strncat', 'strlcat', 'sprintf', 'snprintf']);

/** The name an argument refers to, without casts, address-of or `[0]`: `(const uint8_t *)&key[0]` → `key`. */
function bareName(expr: Expr): string | undefined {
  if (expr.kind === 'name') return expr.value ?? expr.text;
  if (expr.kind !== 'other') return undefined;
  const bare = withoutLeadingCasts(expr.text)
    .replace(/\[\s*0\s*\]$/, '')
    .replace(/^this\.|^self\./, '');
  return /^[A-Za-z_][\w.]*$/.test(bare) ? bare : undefined;
}
