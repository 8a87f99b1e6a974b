/**
 * static-iv detection: find the IV or nonce argument of encryption calls per API family, then decide whether
 * it is a literal, an all-zero buffer or a same-file constant that nothing in the file ever refills.
 */
import type { Call, CodeModel, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { LanguageId, Span } from '../../server/src/core/types';
import { ValueIndex } from '../_shared/values';
import { C_IV_ARGS } from '../_shared/iv-apis';
import { afterOptionalCast } from '../_shared/expression-text';

export type IvProblem = 'zero' | 'constant';

export interface StaticIvHit {
  span: Span;
  problem: IvProblem;
  api: string;
  via?: string;
}

export interface DetectInput {
  language: LanguageId;
  model: CodeModel;
}

/** Mode arguments that mark a call as decryption: the IV there is whatever the sender chose. */
const DECRYPT_MODES = /^(MBEDTLS_(AES|GCM|CCM)_DECRYPT|MBEDTLS_DECRYPT|AES_DECRYPT|0)$/;
const DECRYPT_MODE_ARG: Readonly<Record<string, number>> = {
  mbedtls_aes_crypt_cbc: 1,
  mbedtls_aes_crypt_cfb8: 1,
  mbedtls_aes_crypt_cfb128: 1,
  mbedtls_gcm_crypt_and_tag: 1,
  mbedtls_gcm_starts: 1,
  AES_cbc_encrypt: 5,
  AES_cfb128_encrypt: 6,
  EVP_CipherInit_ex: 5,
  EVP_CipherInit: 4,
};

/**
 * What the first `{...}` or `[...]` of `text` holds, or '': `/\{([^}]*)\}|\[([^\]]*)\]/.exec`, without
 * rescanning from every opener that nothing closes (only the first of each kind can match first).
 */
export function firstBracketed(text: string): string {
  const spans = ['{}', '[]'].map(([open, close]) => {
    const start = text.indexOf(open);
    const end = start < 0 ? -1 : text.indexOf(close, start + 1);
    return end < 0 ? undefined : { start, inside: text.slice(start + 1, end) };
  });
  const [brace, bracket] = spans;
  const first = brace && (!bracket || brace.start < bracket.start) ? brace : bracket;
  return first?.inside ?? '';
}

/** The variable an IV argument names: `iv`, `&iv[0]`, `(uint8_t *)iv`, `ctx->iv` (kept whole). */
function ivName(arg: Expr): string | undefined {
  if (arg.kind === 'name') return arg.value;
  const m = /^\s*(?:&\s*)?([A-Za-z_][\w.]*(?:->\w+)*)\s*(?:\[\s*0\s*\])?$/.exec(afterOptionalCast(arg.text.trim(), 'at-most-one'));
  return m?.[1];
}

const ZERO = /^(0+|0x0+|'\\0'|0[uUlL]*)$/;

/** Whether a literal expression is a fixed byte string, and whether it is all zero. */
export function classifyLiteral(expr: Expr): IvProblem | undefined {
  const text = expr.text.trim();
  // An empty IV is no IV (what Node takes for ECB): nothing is reused.
  if (expr.kind === 'string') return expr.value === '' ? undefined : /^\0+$/.test(expr.value ?? '') ? 'zero' : 'constant';
  if (expr.kind === 'array' || /^new\s+byte\s*\[\s*\]\s*\{[^}]*\}$/.test(text)) {
    const elements = expr.elements ?? [];
    const items = elements.length
      ? elements.map((e) => e.text.trim())
      : firstBracketed(text)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
    if (!items.every((t) => /^(\(byte\)\s*)?(-?\d+|0x[0-9a-fA-F]+|'.'|'\\.+')[uUlL]*$/.test(t))) return undefined;
    return items.every((t) => ZERO.test(t.replace(/^\(byte\)\s*/, ''))) ? 'zero' : 'constant';
  }
  // Java `new byte[16]`, Python `b"\x00" * 16`.
  if (/^new\s+byte\s*\[\s*\w+\s*\]$/.test(text)) return 'zero';
  const repeated = /^[bB]?(['"])(.*)\1\s*\*\s*\w+$/.exec(text);
  if (repeated) return /^(\\x00|\\0|\\000)+$/.test(repeated[2]) ? 'zero' : 'constant';
  if (expr.kind !== 'call' || !expr.call) return undefined;
  const call = expr.call;
  const args = call.args;
  const literalArgs = args.length > 0 && args.every((a) => a.kind === 'number' || a.kind === 'string');
  switch (call.callee) {
    case 'ByteArray':
    case 'bytes':
    case 'bytearray':
    case 'Uint8Array':
      // (Kotlin number arguments come through as `other`: read the text.)
      return args.length === 1 && /^\d+$/.test(args[0].text.trim())
        ? 'zero'
        : args.length === 1 && args[0].kind === 'string'
          ? 'constant'
          : undefined;
    case 'Buffer.alloc':
      return args.length === 1 || (args.length === 2 && ZERO.test(args[1].text))
        ? 'zero'
        : args.length === 2 && args[1].kind !== 'name'
          ? 'constant'
          : undefined;
    case 'Buffer.from':
    case 'bytes.fromhex':
    case 'byteArrayOf':
    case 'Uint8Array.from':
      if (args[0]?.kind === 'string') return 'constant';
      if (args[0]?.kind === 'array') return classifyLiteral(args[0]);
      return call.callee === 'byteArrayOf' && literalArgs ? (args.every((a) => ZERO.test(a.text)) ? 'zero' : 'constant') : undefined;
    default:
      break;
  }
  // `"0123456789abcdef".getBytes(...)`, `"...".toByteArray()`, `'...'.encode()`, `"...".encodeToByteArray()`.
  if (call.receiver?.kind === 'string' && ['getBytes', 'toByteArray', 'encode', 'encodeToByteArray'].includes(call.name)) return 'constant';
  return undefined;
}

/** Calls that consume an IV without writing it: using the buffer there does not refill it. */
function isIvConsumer(call: Call): boolean {
  return (
    C_IV_ARGS[call.name] !== undefined ||
    [
      'IvParameterSpec',
      'GCMParameterSpec',
      'createCipheriv',
      'createDecipheriv',
      'ChaCha20ParameterSpec',
      'encrypt',
      'decrypt',
      'CBC',
      'GCM',
      'CTR',
      'CFB',
      'OFB',
      'new',
      'len',
      'sizeof',
      'print',
      'hexlify',
    ].includes(call.name)
  );
}

/** Copy calls read every argument but the destination: only that position can refill a buffer. */
const COPY_DESTINATION: Readonly<Record<string, number>> = { memcpy: 0, memmove: 0, arraycopy: 2, memcmp: -1, CRYPTO_memcmp: -1 };

function mentions(call: Call, name: string): boolean {
  const destination = COPY_DESTINATION[call.name];
  if (destination !== undefined) {
    const target = destination >= 0 ? call.args[destination] : undefined;
    return target !== undefined && ivName(target) === name;
  }
  return call.args.some((a) => ivName(a) === name) || call.named.some((p) => ivName(p.value) === name);
}

/** Whether a zeroing `memset(iv, 0, n)` is the last thing to touch a local buffer before `call`. */
function zeroedBefore(name: string, call: Call, fn: FunctionDef): boolean {
  const touches = fn.calls.filter((c) => c.start < call.start && c !== call && mentions(c, name) && !isIvConsumer(c));
  const last = touches[touches.length - 1];
  return Boolean(
    last &&
    (last.name === 'memset' || last.name === 'bzero' || last.name === 'explicit_bzero') &&
    ivName(last.args[0]) === name &&
    (last.name !== 'memset' || ZERO.test(last.args[1]?.text ?? '')),
  );
}

export class IvResolver {
  private readonly values: ValueIndex;

  constructor(private readonly model: CodeModel) {
    this.values = new ValueIndex(model);
  }

  /** Why an IV argument is fixed, or undefined when it may be fresh. */
  classify(arg: Expr | undefined, call: Call): { problem: IvProblem; via?: string } | undefined {
    if (!arg) return undefined;
    const direct = classifyLiteral(arg);
    if (direct) return { problem: direct };
    const name = ivName(arg);
    if (!name) return undefined;
    const bindings = this.values.bindingsOf(name, call);
    if (bindings.length) {
      if (new Set(bindings.map((b) => b.value.text)).size !== 1) return undefined;
      const problem = classifyLiteral(bindings[0].value);
      if (!problem) return undefined;
      // Anything else in scope that is handed the buffer may fill it (RAND_bytes, nextBytes, randomFillSync, memcpy).
      const scope = bindings[0].fn ? bindings[0].fn.calls : this.model.calls;
      if (scope.some((c) => c !== call && mentions(c, name) && !isIvConsumer(c) && !isZeroing(c))) return undefined;
      return { problem, via: name };
    }
    if (call.fn && zeroedBefore(name, call, call.fn)) return { problem: 'zero', via: name };
    return undefined;
  }
}

function isZeroing(call: Call): boolean {
  return (call.name === 'memset' && ZERO.test(call.args[1]?.text ?? '')) || call.name === 'bzero' || call.name === 'explicit_bzero';
}

// ---------------------------------------------------------------------------------------------- per language

function detectC(model: CodeModel, iv: IvResolver, hits: StaticIvHit[]): void {
  for (const call of model.calls) {
    const index = C_IV_ARGS[call.name];
    if (index === undefined || call.callee !== call.name) continue;
    const modeIndex = DECRYPT_MODE_ARG[call.name];
    if (modeIndex !== undefined && DECRYPT_MODES.test(call.args[modeIndex]?.text.trim() ?? '')) continue;
    const found = iv.classify(call.args[index], call);
    if (found) hits.push({ span: call.args[index], ...found, api: call.name });
  }
}

function detectJvm(model: CodeModel, iv: IvResolver, hits: StaticIvHit[]): void {
  for (const call of model.calls) {
    const ctor = call.isNew || call.callee === call.name;
    if (!ctor) continue;
    const index =
      call.name === 'IvParameterSpec' ? 0 : call.name === 'GCMParameterSpec' ? 1 : call.name === 'ChaCha20ParameterSpec' ? 0 : -1;
    if (index < 0) continue;
    const found = iv.classify(call.args[index], call);
    if (found) hits.push({ span: call.args[index], ...found, api: call.name });
  }
}

const PY_MODES = new Set(['CBC', 'GCM', 'CTR', 'CFB', 'CFB8', 'OFB', 'XTS']);
const PY_AEAD = new Set(['AESGCM', 'AESCCM', 'AESOCB3', 'AESGCMSIV', 'ChaCha20Poly1305']);

function detectPython(model: CodeModel, iv: IvResolver, hits: StaticIvHit[]): void {
  const values = new ValueIndex(model);
  const aeadObject = (receiver: Expr | undefined, at: Call): boolean => {
    if (!receiver) return false;
    if (receiver.kind === 'call') return PY_AEAD.has(receiver.call?.name ?? '');
    return receiver.kind === 'name' && values.bindingsOf(receiver.value ?? '', at).some((b) => PY_AEAD.has(b.value.call?.name ?? ''));
  };
  for (const call of model.calls) {
    const parts = call.callee.split('.');
    let arg: Expr | undefined;
    if (call.name === 'new' && parts.length >= 2 && /^(AES|DES3|ChaCha20|ChaCha20_Poly1305|Salsa20)$/.test(parts[parts.length - 2])) {
      arg =
        call.named.find((p) => p.key === 'iv' || p.key === 'nonce')?.value ??
        (parts[parts.length - 2] === 'AES' || parts[parts.length - 2] === 'DES3' ? call.args[2] : undefined);
    } else if (PY_MODES.has(call.name) && (parts[parts.length - 2] === 'modes' || parts.length === 1)) {
      arg = call.args[0] ?? call.named.find((p) => p.key === 'initialization_vector' || p.key === 'nonce')?.value;
    } else if (call.name === 'encrypt' && aeadObject(call.receiver, call)) {
      arg = call.args[0] ?? call.named.find((p) => p.key === 'nonce')?.value;
    }
    const found = arg && iv.classify(arg, call);
    if (arg && found) hits.push({ span: arg, ...found, api: `${call.callee}()` });
  }
}

/** Node cipher names whose mode takes no IV (`aes-128-ecb`, `des-ecb`, `rc4`): Node wants `''` or `null` there. */
const NO_IV_CIPHER = /-ecb$|^(?:rc4|arc4|id-aes\d+-wrap\w*)$/i;

function detectJs(model: CodeModel, iv: IvResolver, hits: StaticIvHit[]): void {
  const values = new ValueIndex(model);
  for (const call of model.calls) {
    let arg: Expr | undefined;
    if (call.name === 'createCipheriv') {
      const algorithm = values.stringOf(call.args[0], call)?.value;
      if (algorithm && NO_IV_CIPHER.test(algorithm.trim())) continue;
      arg = call.args[2];
    } else if (call.name === 'encrypt' && /(^|\.)subtle$/.test(call.receiver?.text ?? '') && call.args[0]?.kind === 'object') {
      arg = call.args[0].entries?.find((e) => e.key === 'iv' || e.key === 'counter')?.value;
    }
    if (!arg || arg.kind === 'null') continue;
    const found = iv.classify(arg, call);
    if (found) hits.push({ span: arg, ...found, api: `${call.callee}()` });
  }
}

export function detectStaticIvs({ language, model }: DetectInput): StaticIvHit[] {
  const hits: StaticIvHit[] = [];
  const iv = new IvResolver(model);
  switch (language) {
    case 'c':
    case 'cpp':
      detectC(model, iv, hits);
      break;
    case 'java':
    case 'kotlin':
      detectJvm(model, iv, hits);
      break;
    case 'python':
      detectPython(model, iv, hits);
      break;
    case 'typescript':
    case 'javascript':
      detectJs(model, iv, hits);
      break;
    default:
      break;
  }
  return hits;
}
