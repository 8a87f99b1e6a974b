/**
 * short-key detection: key-size arguments of key generation and key setting calls, and elliptic curves by name,
 * per API family. Sizes held in same-file constants (`#define RSA_BITS 1024`) are followed.
 */
import type { Call, CodeModel, Expr } from '../../server/src/core/model/types';
import type { LanguageId, Span, TextEdit } from '../../server/src/core/types';
import type { SourceText } from '../../server/src/core/text';
import { ValueIndex, ownerOf } from '../_shared/values';
import { NonCodeSpans } from '../_shared/imports';
import { byLanguageFamily } from '../_shared/language-family';

export type KeyKind = 'RSA' | 'DH' | 'DSA' | 'RSA/DH/DSA' | 'EC' | 'symmetric';

export interface ShortKeyHit {
  span: Span;
  kind: KeyKind;
  /** Bits of the key, or of the curve's field. */
  bits: number;
  api: string;
  fix?: { title: string; edit: TextEdit };
}

export interface DetectInput {
  language: LanguageId;
  model: CodeModel;
  text: SourceText;
}

/** NIST SP 800-131A minimums (security strength 112 bits). */
export const MINIMUM_BITS: Readonly<Record<KeyKind, number>> = {
  RSA: 2048,
  DH: 2048,
  DSA: 2048,
  'RSA/DH/DSA': 2048,
  EC: 224,
  symmetric: 128,
};

/** Curves below 224 bits, by every spelling device code uses (SEC 2, X9.62, NIST, Brainpool), lower-cased. */
const WEAK_CURVES: Readonly<Record<string, number>> = {
  secp112r1: 112,
  secp112r2: 112,
  secp128r1: 128,
  secp128r2: 128,
  secp160k1: 160,
  secp160r1: 160,
  secp160r2: 160,
  secp192k1: 192,
  secp192r1: 192,
  prime192v1: 192,
  prime192v2: 192,
  prime192v3: 192,
  'p-192': 192,
  p192: 192,
  nistp192: 192,
  sect113r1: 113,
  sect113r2: 113,
  sect131r1: 131,
  sect131r2: 131,
  sect163k1: 163,
  sect163r1: 163,
  sect163r2: 163,
  sect193r1: 193,
  sect193r2: 193,
  'b-163': 163,
  'k-163': 163,
  brainpoolp160r1: 160,
  brainpoolp160t1: 160,
  brainpoolp192r1: 192,
  brainpoolp192t1: 192,
};

export function weakCurveBits(name: string): number | undefined {
  return WEAK_CURVES[name.trim().toLowerCase()];
}

/** C identifiers that name a curve below 224 bits: mbedTLS, OpenSSL NIDs, wolfSSL, micro-ecc, PSA. */
const C_CURVE_TOKEN =
  /\b(?:MBEDTLS_ECP_DP_SECP192[RK]1|MBEDTLS_ECP_DP_BP160R1|NID_X9_62_prime192v[123]|NID_secp(?:112|128|160|192)[rk][12]|NID_sect(?:113|131|163|193)[rk][12]|ECC_SECP(?:112|128|160|192)[RK][12]|uECC_secp(?:160|192)r1|PSA_ECC_FAMILY_SECP_R2)\b/g;

function curveBitsOfToken(token: string): number {
  const m = /(112|113|128|131|160|163|192|193)/.exec(token);
  return m ? Number(m[1]) : 160;
}

interface SizeArg {
  kind: KeyKind;
  index: number;
  named?: string;
}

/** C/C++ calls whose argument is a key size. */
const C_SIZE_CALLS: Readonly<Record<string, SizeArg>> = {
  mbedtls_rsa_gen_key: { kind: 'RSA', index: 3 },
  RSA_generate_key_ex: { kind: 'RSA', index: 1 },
  RSA_generate_key: { kind: 'RSA', index: 0 },
  EVP_RSA_gen: { kind: 'RSA', index: 0 },
  EVP_PKEY_CTX_set_rsa_keygen_bits: { kind: 'RSA', index: 1 },
  EVP_PKEY_CTX_set_dh_paramgen_prime_len: { kind: 'DH', index: 1 },
  EVP_PKEY_CTX_set_dsa_paramgen_bits: { kind: 'DSA', index: 1 },
  DH_generate_parameters_ex: { kind: 'DH', index: 1 },
  DSA_generate_parameters_ex: { kind: 'DSA', index: 1 },
  mbedtls_dhm_make_params: { kind: 'DH', index: 1 },
  wc_MakeRsaKey: { kind: 'RSA', index: 1 },
  wc_MakeDsaParameters: { kind: 'DSA', index: 1 },
  mbedtls_aes_setkey_enc: { kind: 'symmetric', index: 2 },
  mbedtls_aes_setkey_dec: { kind: 'symmetric', index: 2 },
  mbedtls_gcm_setkey: { kind: 'symmetric', index: 3 },
  mbedtls_ccm_setkey: { kind: 'symmetric', index: 3 },
  mbedtls_cipher_setkey: { kind: 'symmetric', index: 2 },
  AES_set_encrypt_key: { kind: 'symmetric', index: 1 },
  AES_set_decrypt_key: { kind: 'symmetric', index: 1 },
};

/** ECC key sizes CNG accepts in BCryptGenerateKeyPair: not RSA moduli. */
const CNG_ECC_BITS = new Set([255, 256, 384, 521]);

function detectC({ model, text }: DetectInput, values: ValueIndex, hits: ShortKeyHit[]): void {
  for (const call of model.calls) {
    if (call.callee !== call.name) continue;
    const spec = C_SIZE_CALLS[call.name];
    if (spec) {
      // mbedtls_dhm_make_params takes the prime size in bytes.
      sizeHit(call, call.args[spec.index], spec.kind, values, hits, call.name === 'mbedtls_dhm_make_params' ? 8 : 1);
    } else if (call.name === 'psa_set_key_bits') {
      const kind = psaKeyKind(model, call, values);
      if (kind) sizeHit(call, call.args[1], kind, values, hits);
    } else if (call.name === 'BCryptGenerateKeyPair') {
      const size = values.intOf(call.args[2], call);
      if (size && size.value < 2048 && !CNG_ECC_BITS.has(size.value)) {
        hits.push({
          span: call.args[2],
          kind: 'RSA/DH/DSA',
          bits: size.value,
          api: `BCryptGenerateKeyPair(..., ${call.args[2].text}, ...)`,
          fix: literalFix(call.args[2], size.expr),
        });
      }
    }
  }
  const nonCode = new NonCodeSpans(model);
  for (const m of text.content.matchAll(C_CURVE_TOKEN)) {
    if (nonCode.contains(m.index!)) continue;
    const lineStart = text.content.lastIndexOf('\n', m.index! - 1) + 1;
    if (/^\s*#\s*(if|ifdef|ifndef|elif|undef|define\s+\w+\s*$)/.test(text.content.slice(lineStart, m.index!))) continue;
    if (new RegExp(`^\\s*#\\s*define\\s+${m[0]}\\b`).test(text.content.slice(lineStart))) continue;
    hits.push({ span: { start: m.index!, end: m.index! + m[0].length }, kind: 'EC', bits: curveBitsOfToken(m[0]), api: m[0] });
  }
}

/** PSA key types by family: the size `psa_set_key_bits` gives is judged by the type set on the same attributes. */
const PSA_KEY_TYPES: readonly [RegExp, KeyKind][] = [
  [/^PSA_KEY_TYPE_RSA_(?:KEY_PAIR|PUBLIC_KEY)$/, 'RSA'],
  [/^PSA_KEY_TYPE_DH_(?:KEY_PAIR|PUBLIC_KEY)\b/, 'DH'],
  [/^PSA_KEY_TYPE_ECC_(?:KEY_PAIR|PUBLIC_KEY)\b/, 'EC'],
  [/^PSA_KEY_TYPE_(?:AES|ARIA|CAMELLIA|CHACHA20|HMAC)$/, 'symmetric'],
];

/**
 * The kind of key whose attributes `psa_set_key_bits(&attr, bits)` sizes: the `psa_set_key_type` on the same
 * attributes variable in the same function. Without one the size is not judged (it may be an AES-256 key).
 */
function psaKeyKind(model: CodeModel, bits: Call, values: ValueIndex): KeyKind | undefined {
  const attributes = (bits.args[0]?.text ?? '').replace(/^&\s*/, '').trim();
  if (!attributes) return undefined;
  const calls = bits.fn ? bits.fn.calls : model.calls;
  const typeCall = calls.find((c) => c.name === 'psa_set_key_type' && (c.args[0]?.text ?? '').replace(/^&\s*/, '').trim() === attributes);
  const typeArg = typeCall?.args[1];
  if (!typeArg) return undefined;
  const type = (values.resolve(typeArg, typeCall) ?? typeArg).text.trim();
  return PSA_KEY_TYPES.find(([pattern]) => pattern.test(type))?.[1];
}

function sizeHit(call: Call, arg: Expr | undefined, kind: KeyKind, values: ValueIndex, hits: ShortKeyHit[], scale = 1): void {
  const size = values.intOf(arg, call);
  if (!arg || !size) return;
  const bits = size.value * scale;
  if (bits >= MINIMUM_BITS[kind] || bits <= 0) return;
  const fix = kind !== 'symmetric' && kind !== 'EC' && scale === 1 ? literalFix(arg, size.expr) : undefined;
  hits.push({ span: arg, kind, bits, api: `${call.callee}(${arg.text})`, fix });
}

/** Offer 3072 only where the size is a number written at the call (a shared constant may size other things). */
function literalFix(arg: Expr, resolved: Expr): ShortKeyHit['fix'] {
  if (arg !== resolved || arg.kind !== 'number') return undefined;
  return { title: 'Use a 3072-bit key (NIST security strength 128)', edit: { span: { start: arg.start, end: arg.end }, newText: '3072' } };
}

// ---------------------------------------------------------------------------------------------- Java / Kotlin

const JCA_ASYMMETRIC: Readonly<Record<string, KeyKind>> = {
  rsa: 'RSA',
  rsassa: 'RSA',
  'rsassa-pss': 'RSA',
  dh: 'DH',
  diffiehellman: 'DH',
  dsa: 'DSA',
  ec: 'EC',
  ecdsa: 'EC',
  ecdh: 'EC',
};

/** The JCA factory a receiver comes from: `kpg` → `KeyPairGenerator` for `"RSA"`, or the declared type of a field. */
function factoryOf(
  receiver: Expr | undefined,
  at: Call,
  model: CodeModel,
  values: ValueIndex,
): { owner: string; algorithm?: string } | undefined {
  if (!receiver) return undefined;
  const fromCall = (c: Call | undefined) =>
    c && c.name === 'getInstance' ? { owner: ownerOf(c), algorithm: values.stringOf(c.args[0], c)?.value.toLowerCase() } : undefined;
  if (receiver.kind === 'call') return fromCall(receiver.call);
  if (receiver.kind !== 'name' || !receiver.value) return undefined;
  for (const b of values.bindingsOf(receiver.value, at)) {
    const found = fromCall(b.value.call);
    if (found) return found;
  }
  // A field initialised elsewhere (a constructor, a DI container): its declared type still says what it is.
  const declared = model.variables.find((v) => v.name === receiver.value!.split('.').pop());
  return declared?.type ? { owner: declared.type } : undefined;
}

function detectJvm({ model }: DetectInput, values: ValueIndex, hits: ShortKeyHit[]): void {
  for (const call of model.calls) {
    if ((call.name === 'initialize' || call.name === 'init') && call.args.length >= 1 && call.receiver) {
      const factory = factoryOf(call.receiver, call, model, values);
      if (call.name === 'initialize' && factory?.owner === 'KeyPairGenerator') {
        const kind = factory.algorithm ? JCA_ASYMMETRIC[factory.algorithm] : 'RSA/DH/DSA';
        if (kind) sizeHit(call, call.args[0], kind, values, hits);
      } else if (call.name === 'init' && factory?.owner === 'KeyGenerator') {
        sizeHit(call, call.args[0], 'symmetric', values, hits);
      }
    } else if (call.name === 'RSAKeyGenParameterSpec' && (call.isNew || call.callee === call.name)) {
      sizeHit(call, call.args[0], 'RSA', values, hits);
    } else if (call.name === 'ECGenParameterSpec' && (call.isNew || call.callee === call.name)) {
      curveHit(call, call.args[0], values, hits);
    }
  }
}

function curveHit(call: Call, arg: Expr | undefined, values: ValueIndex, hits: ShortKeyHit[]): void {
  const s = values.stringOf(arg, call);
  const bits = s && weakCurveBits(s.value);
  if (arg && s && bits) hits.push({ span: arg, kind: 'EC', bits, api: `${call.callee}(${JSON.stringify(s.value)})` });
}

// ---------------------------------------------------------------------------------------------- Python

const PYTHON_SIZE_CALLS: Readonly<Record<string, SizeArg>> = {
  'rsa.generate_private_key': { kind: 'RSA', index: 1, named: 'key_size' },
  'dsa.generate_private_key': { kind: 'DSA', index: 0, named: 'key_size' },
  'dsa.generate_parameters': { kind: 'DSA', index: 0, named: 'key_size' },
  'dh.generate_parameters': { kind: 'DH', index: 1, named: 'key_size' },
  'RSA.generate': { kind: 'RSA', index: 0, named: 'bits' },
  'DSA.generate': { kind: 'DSA', index: 0, named: 'bits' },
};

function detectPython({ model }: DetectInput, values: ValueIndex, hits: ShortKeyHit[]): void {
  for (const call of model.calls) {
    const last2 = call.callee.split('.').slice(-2).join('.');
    const spec = PYTHON_SIZE_CALLS[last2];
    if (spec) {
      const arg = call.named.find((p) => p.key === spec.named)?.value ?? call.args[spec.index];
      sizeHit(call, arg, spec.kind, values, hits);
    } else if (last2 === 'ECC.generate') {
      curveHit(call, call.named.find((p) => p.key === 'curve')?.value, values, hits);
    } else if (/^ec\.(SECP192R1|SECT163K1|SECT163R2)$/.test(last2)) {
      hits.push({ span: call.calleeSpan, kind: 'EC', bits: curveBitsOfToken(call.name), api: `${call.callee}()` });
    }
  }
}

// ---------------------------------------------------------------------------------------------- JavaScript / TypeScript

const NODE_KEYGEN = new Set(['generateKeyPairSync', 'generateKeyPair', 'generateKey', 'generateKeySync']);
const NODE_TYPES: Readonly<Record<string, KeyKind>> = { rsa: 'RSA', 'rsa-pss': 'RSA', dsa: 'DSA', dh: 'DH', ec: 'EC' };

function detectJs({ model }: DetectInput, values: ValueIndex, hits: ShortKeyHit[]): void {
  for (const call of model.calls) {
    if (NODE_KEYGEN.has(call.name)) {
      const type = values.stringOf(call.args[0], call)?.value.toLowerCase();
      for (const arg of call.args) {
        if (arg.kind !== 'object') continue;
        const entry = (key: string) => arg.entries?.find((e) => e.key === key)?.value;
        const modulus = entry('modulusLength') ?? entry('primeLength') ?? entry('divisorLength');
        const webName = values.stringOf(entry('name'), call)?.value.toUpperCase() ?? '';
        const kind = (type && NODE_TYPES[type]) ?? (webName.startsWith('RSA') ? 'RSA' : undefined);
        if (modulus && kind && kind !== 'EC') sizeHit(call, modulus, kind, values, hits);
        const aesLength = webName.startsWith('AES') ? entry('length') : undefined;
        if (aesLength) sizeHit(call, aesLength, 'symmetric', values, hits);
        curveHit(call, entry('namedCurve'), values, hits);
      }
    } else if (call.name === 'createDiffieHellman') {
      sizeHit(call, call.args[0], 'DH', values, hits);
    } else if (call.name === 'createECDH') {
      curveHit(call, call.args[0], values, hits);
    }
  }
}

export function detectShortKeys(input: DetectInput): ShortKeyHit[] {
  const hits: ShortKeyHit[] = [];
  const values = new ValueIndex(input.model);
  byLanguageFamily(
    input.language,
    {
      native: () => detectC(input, values, hits),
      python: () => detectPython(input, values, hits),
      js: () => detectJs(input, values, hits),
      jvm: () => detectJvm(input, values, hits),
    },
    undefined,
  );
  return hits;
}
