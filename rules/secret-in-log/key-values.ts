/**
 * A logged value that is a cryptographic key by what the code does with it, whatever it is called
 * (`newKeyByteArray`, `k`, `result`): the value, or the variable it is read from, is the key argument of a
 * cipher or MAC key API (`SecretKeySpec(k, "AES")`, `mbedtls_aes_setkey_enc`, `AES.new(k, …)`, directly or
 * through a helper of the file), or it comes from a key generation or derivation API (`generateKey()`,
 * `generateSecret(spec).encoded`, `pbkdf2_hmac`, `HKDF(…).derive`). What is printed must be the key's bytes or
 * part of them (hex, base64, `take(8)`, `substring(0, 8)`): its length, an id or alias, or a hash of it for display
 * reveal nothing usable.
 */
import type { Call, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { perFile } from '../_shared/per-file';
import { keyParameterOf } from '../_shared/crypto-key-apis';
import { functionsNamed } from '../../server/src/core/model/functions-by-name';

/** Calls whose result shows their input (or a part of it) in another form. */
const SHOWS_INPUT =
  /^(?:String|str|repr|bytes|toString|valueOf|format|formatted|joinToString|contentToString|encodeToString|encode|decode|hexlify|b2a_hex|toHex|toHexString|hex|bytesToHex|byteArrayToHex|toBase64|b64encode|btoa|take|takeLast|substring|substr|slice|copyOf|copyOfRange|sliceArray|concat|plus|append|join)$/;
/** Members that reduce a key to something harmless: a size, an id or alias, its algorithm or format, a hash or a flag. */
const REDUCING_MEMBER =
  /^(?:size|length|count|id|keyId|alias|algorithm|format|hashCode|isEmpty|isNotEmpty|getAlgorithm|getFormat|getAlias)$/;
/** Calls that reduce a key to something harmless: a size, a hash (a fingerprint for display), a flag. */
const REDUCING_CALL =
  /^(?:size|length|len|count|hashCode|contentHashCode|isEmpty|isNotEmpty|digest|hash|sha1|sha256|sha512|md5|fingerprint|crc32|getAlgorithm|getFormat)$/i;
/** Key generation and derivation: what they return is key material. */
const KEY_PRODUCERS =
  /^(?:generateKey|generateSecret|getEncoded|deriveKey|deriveBits|derive|pbkdf2_hmac|pbkdf2Sync|pbkdf2|scryptSync|scrypt|hkdfSync|hkdf|PBKDF2|HKDF|generateAESKey|randomKey)$/;

/** The encoded bytes of a key a generation or derivation call returned (JCA `Key.getEncoded()` / Kotlin `.encoded`). */
const KEY_BYTES_OF_PRODUCED = /\b(?:generateKey|generateSecret|deriveKey)\([^()]*\)\s*\.\s*(?:encoded|getEncoded\(\))$/;

export interface LoggedKey {
  name: string;
  span: Expr;
  /** What shows it is a key, for the message: "passed as the key of SecretKeySpec()". */
  evidence: string;
}

/** The first key value (by flow) an argument of a log call prints. */
export function loggedKeyValue(ctx: RuleContext, call: Call, arg: Expr): LoggedKey | undefined {
  const mentions = keyFacts(ctx);
  if (!mentions) return undefined;
  for (const shown of shownNames(arg, 0)) {
    const evidence = keyEvidence(ctx, mentions, call.fn, shown);
    if (evidence) return { name: shown.text, span: arg, evidence };
  }
  return undefined;
}

/** The variables whose value (or a part of it) the printed text shows: through conversions, templates and `+`. */
function shownNames(expr: Expr | undefined, depth: number): Expr[] {
  if (!expr || depth > 6) return [];
  switch (expr.kind) {
    case 'name': {
      const last = (expr.value ?? expr.text).split(/\.|\?\.|->/).pop() ?? '';
      // `key.size`, `key.id`: a member that reduces the key; `cfg.key`: the member is the value.
      return REDUCING_MEMBER.test(last) ? [] : [expr];
    }
    case 'call': {
      const inner = expr.call;
      if (!inner || REDUCING_CALL.test(inner.name) || !SHOWS_INPUT.test(inner.name)) return [];
      return [inner.receiver, ...inner.args].flatMap((e) => shownNames(e, depth + 1));
    }
    case 'other':
      // Templates and concatenation show their parts; a comparison or arithmetic shows none.
      if (expr.operator !== undefined && expr.operator !== '+') return [];
      return (expr.parts?.() ?? []).flatMap((e) => shownNames(e, depth + 1));
    default:
      return [];
  }
}

/** Where each variable is passed or copied, per function: built once per file, on the first log call asked about. */
interface Mentions {
  /** Per function, per variable: the calls that take the variable itself as an argument, with its position. */
  passed: Map<FunctionDef | undefined, Map<string, { call: Call; slot: number | string }[]>>;
  /** Per function, per variable: the variables it is copied to (`val y = x`). */
  copied: Map<FunctionDef | undefined, Map<string, string[]>>;
}

/**
 * The file's mentions, or null when no call of the file sets, generates or derives a key: then no logged value
 * can be one by this rule's evidence (most files), and nothing more is read.
 */
const keyFacts = perFile('medsec.loggedKeyFacts', (ctx): Mentions | null =>
  ctx.model.calls.some((c) => keyParameterOf(c) || KEY_PRODUCERS.test(c.name)) ? mentionsByFunction(ctx) : null,
);

function listIn<T>(map: Map<FunctionDef | undefined, Map<string, T[]>>, fn: FunctionDef | undefined, name: string): T[] {
  let names = map.get(fn);
  if (!names) map.set(fn, (names = new Map()));
  let list = names.get(name);
  if (!list) names.set(name, (list = []));
  return list;
}

function mentionsByFunction(ctx: RuleContext): Mentions {
  const out: Mentions = { passed: new Map(), copied: new Map() };
  for (const call of ctx.model.calls) {
    call.args.forEach((arg, slot) => {
      if (arg.kind === 'name') listIn(out.passed, call.fn, arg.value ?? arg.text).push({ call, slot });
    });
    for (const p of call.named)
      if (p.value.kind === 'name') listIn(out.passed, call.fn, p.value.value ?? p.value.text).push({ call, slot: p.key });
  }
  for (const b of ctx.model.bindings) {
    if (b.kind !== 'property' && b.value.kind === 'name') listIn(out.copied, b.fn, b.value.value ?? b.value.text).push(b.name);
  }
  return out;
}

/** Why the value of `shown` is a key, or undefined. */
function keyEvidence(ctx: RuleContext, mentions: Mentions, fn: FunctionDef | undefined, shown: Expr): string | undefined {
  const root = (shown.value ?? shown.text).split(/\.|\?\.|->/)[0];
  if (!root) return undefined;
  for (const origin of ctx.flow.origins(shown)) {
    if (!('expr' in origin)) continue;
    const call = origin.expr.kind === 'call' ? origin.expr.call : undefined;
    if (call && KEY_PRODUCERS.test(call.name)) return `it comes from ${call.callee}()`;
    // `KeyGenerator.getInstance("AES").generateKey().encoded`: the bytes of a key just generated or derived.
    if (origin.expr.kind !== 'call' && KEY_BYTES_OF_PRODUCED.test(origin.expr.text)) return 'it is the encoding of a generated key';
  }
  return keyUse(ctx, mentions, fn, root, 0, new Set());
}

/**
 * Where the variable's value itself goes in its function: the key slot of a key API, a copy, or a parameter of a
 * helper of this file that does the same. Not through a call's result: `getAuthKey(mac)` returns a key looked up
 * by a Bluetooth address, which does not make the address a key.
 */
function keyUse(
  ctx: RuleContext,
  mentions: Mentions,
  fn: FunctionDef | undefined,
  name: string,
  depth: number,
  seen: Set<string>,
): string | undefined {
  const key = `${fn?.start ?? -1}:${name}`;
  if (depth > 3 || seen.has(key)) return undefined;
  seen.add(key);
  for (const { call, slot } of mentions.passed.get(fn)?.get(name) ?? []) {
    const parameter = keyParameterOf(call);
    if (parameter && (slot === parameter.index || (parameter.keyword !== undefined && slot === parameter.keyword))) {
      return `it is the key of ${call.callee}()`;
    }
    if (typeof slot !== 'number') continue;
    for (const helper of functionsNamed(ctx.model, call.name)) {
      const offset = /^(self|cls)$/.test(helper.params[0] ?? '') && call.receiver ? 1 : 0;
      const param = helper.params[slot + offset];
      const found = param && keyUse(ctx, mentions, helper, param, depth + 1, seen);
      if (found) return found;
    }
  }
  for (const copy of mentions.copied.get(fn)?.get(name) ?? []) {
    const found = keyUse(ctx, mentions, fn, copy, depth + 1, seen);
    if (found) return found;
  }
  return undefined;
}
