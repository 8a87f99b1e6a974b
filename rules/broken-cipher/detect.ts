/**
 * broken-cipher detection per language family: each collector turns the code model into hits (where, which
 * weakness, the API as the message names it, and the suggested edit where one is unambiguous).
 */
import type { Call, CodeModel, Expr } from '../../server/src/core/model/types';
import type { LanguageId, Span, TextEdit } from '../../server/src/core/types';
import type { SourceText } from '../../server/src/core/text';
import {
  C_CONSTANT_TOKEN,
  C_WEAK_CIPHER_CONSTANTS,
  C_WEAK_CIPHER_FUNCTIONS,
  CRYPTO_JS_CIPHERS,
  PYTHON_CIPHER_MODULES,
  PYTHON_CRYPTOGRAPHY_ALGORITHMS,
  weaknessOfAlgorithmName,
  weaknessOfCipherName,
  weaknessOfTransformation,
} from './algorithms';
import type { CipherWeakness } from './algorithms';
import { ValueIndex, ownerOf } from '../_shared/values';
import { NonCodeSpans, canonicalPythonCallee, pythonImports } from '../_shared/imports';
import { ecbOverData } from './ecb-blocks';
import { byLanguageFamily } from '../_shared/language-family';
import { NameMemo } from '../_shared/name-memo';

export interface CipherHit {
  span: Span;
  weakness: CipherWeakness;
  /** The API as the message shows it: `Cipher.getInstance("AES")`, `EVP_des_ede3_cbc()`. */
  api: string;
  /** For ECB in JCA and Node: the call that makes the cipher object, whose inputs decide whether it is the weakness. */
  factory?: Call;
  /** JCA: the transformation as resolved (`AES/ECB/NoPadding`). */
  transformation?: string;
  fix?: { title: string; edit: TextEdit };
}

export interface DetectInput {
  language: LanguageId;
  model: CodeModel;
  text: SourceText;
}

const quote = (s: string) => JSON.stringify(s);

// ---------------------------------------------------------------------------------------------- C / C++

/** Whether `offset` sits in the body of a `for`/`while`/`do` loop inside `body` (text scan of one function). */

const RSA_ENCRYPT_CALLS = new Set(['RSA_public_encrypt', 'RSA_private_decrypt']);
const EVP_ENCRYPT_CALLS = new Set(['EVP_PKEY_encrypt_init', 'EVP_PKEY_decrypt_init', 'EVP_PKEY_encrypt', 'EVP_PKEY_decrypt']);
const C_PADDING: Readonly<Record<string, CipherWeakness>> = { RSA_PKCS1_PADDING: 'RSA-PKCS1', RSA_NO_PADDING: 'RSA-raw' };

function detectC({ model, text }: DetectInput): CipherHit[] {
  const hits: CipherHit[] = [];
  const values = new ValueIndex(model);
  const nonCode = new NonCodeSpans(model);
  for (const call of model.calls) {
    if (call.callee !== call.name) continue;
    const fn = weakCipherFunction(call.name);
    if (fn) {
      hits.push({ span: call.calleeSpan, weakness: fn.weakness, api: `${call.name}()` });
    } else if (call.name === 'mbedtls_aes_crypt_ecb') {
      // One ECB block is the primitive other modes are built from; ECB over a buffer is a loop of them.
      const api = ecbOverData({ model, text: text.content, nonCode, values }, call);
      if (api) hits.push({ span: call.calleeSpan, weakness: 'ECB', api });
    } else if (['EVP_get_cipherbyname', 'EVP_CIPHER_fetch', 'mbedtls_cipher_info_from_string'].includes(call.name)) {
      const arg = call.name === 'EVP_CIPHER_fetch' ? call.args[1] : call.args[0];
      const s = values.stringOf(arg, call);
      const weakness = s && weaknessOfCipherName(s.value);
      if (s && weakness && arg) hits.push({ span: arg, weakness, api: `${call.name}(${quote(s.value)})` });
    } else if (call.name === 'BCryptOpenAlgorithmProvider') {
      const s = values.stringOf(call.args[1], call);
      const weakness = s && weaknessOfAlgorithmName(s.value);
      if (s && weakness) hits.push({ span: call.args[1], weakness, api: `BCryptOpenAlgorithmProvider(${s.value})` });
    } else if (RSA_ENCRYPT_CALLS.has(call.name) || call.name === 'EVP_PKEY_CTX_set_rsa_padding') {
      const arg = call.args[call.args.length - 1];
      const weakness = arg?.kind === 'name' ? C_PADDING[arg.value ?? ''] : undefined;
      if (!weakness) continue;
      // EVP padding is shared by signing and encryption: only an encryption context is a CWE-780 finding.
      if (call.name === 'EVP_PKEY_CTX_set_rsa_padding' && !call.fn?.calls.some((c) => EVP_ENCRYPT_CALLS.has(c.name))) continue;
      hits.push({ span: arg, weakness, api: `${call.name}(..., ${arg.value})` });
    }
  }
  // Constants can sit anywhere an expression can (casts, initialisers, macros): scan the code text for them.
  const seen = new Set<string>();
  const content = text.content;
  const directiveLines = new Set(model.directives.map((d) => text.positionAt(d.start).line));
  for (const m of content.matchAll(C_CONSTANT_TOKEN)) {
    const start = m.index!;
    if (nonCode.contains(start)) continue;
    const line = text.positionAt(start).line;
    if (directiveLines.has(line) || /^\s*#\s*(if|ifdef|ifndef|elif|undef|define\s+\w+\s*$)/.test(lineText(content, start))) continue;
    if (new RegExp(`^\\s*#\\s*define\\s+${m[0]}\\b`).test(lineText(content, start))) continue;
    const constant = C_WEAK_CIPHER_CONSTANTS.find((c) => c.pattern.test(m[0]));
    if (!constant || seen.has(`${line}:${m[0]}`)) continue;
    seen.add(`${line}:${m[0]}`);
    hits.push({ span: { start, end: start + m[0].length }, weakness: constant.weakness(m[0]), api: m[0] });
  }
  return hits;
}

const WEAK_CIPHER_FUNCTIONS = new NameMemo<(typeof C_WEAK_CIPHER_FUNCTIONS)[number] | undefined>(8_000);

/**
 * The weak-cipher function entry a C function name matches. Memoised by name: a firmware file calls the same few
 * hundred functions again and again, and trying every pattern on every call was most of this rule's time there.
 */
function weakCipherFunction(name: string): (typeof C_WEAK_CIPHER_FUNCTIONS)[number] | undefined {
  return WEAK_CIPHER_FUNCTIONS.get(name, (own) => C_WEAK_CIPHER_FUNCTIONS.find((f) => f.pattern.test(own)));
}

function lineText(content: string, offset: number): string {
  const start = content.lastIndexOf('\n', offset - 1) + 1;
  const end = content.indexOf('\n', offset);
  return content.slice(start, end < 0 ? content.length : end);
}

// ---------------------------------------------------------------------------------------------- Python

function detectPython({ model, text }: DetectInput): CipherHit[] {
  const hits: CipherHit[] = [];
  const imports = pythonImports(text.content, new NonCodeSpans(model));
  const fromPyCryptodome = (callee: string) => {
    const head = callee.split('.')[0];
    const canonical = canonicalPythonCallee(callee, imports);
    return !imports.has(head) || /^(Crypto|Cryptodome)\.Cipher\./.test(canonical);
  };
  const fromCryptography = (callee: string) => {
    const head = callee.split('.')[0];
    const canonical = canonicalPythonCallee(callee, imports);
    return !imports.has(head) || /^cryptography\.hazmat\.(primitives|decrepit)\.ciphers\./.test(canonical);
  };
  for (const call of model.calls) {
    const parts = call.callee.split('.');
    const owner = parts[parts.length - 2];
    if (call.name === 'new' && owner && PYTHON_CIPHER_MODULES[owner] && fromPyCryptodome(call.callee)) {
      hits.push({ span: call.calleeSpan, weakness: PYTHON_CIPHER_MODULES[owner], api: `${call.callee}()` });
      continue;
    }
    if (call.name === 'new' && /^(Crypto|Cryptodome)\.Cipher\.PKCS1_v1_5\.new$/.test(canonicalPythonCallee(call.callee, imports))) {
      hits.push({ span: call.calleeSpan, weakness: 'RSA-PKCS1', api: `${call.callee}()` });
      continue;
    }
    if (call.name === 'new') {
      const mode = [...call.args, ...call.named.filter((p) => p.key === 'mode').map((p) => p.value)].find(
        (a) => a.kind === 'name' && /(^|\.)MODE_ECB$/.test(a.value ?? ''),
      );
      if (mode) hits.push({ span: mode, weakness: 'ECB', api: `${call.callee}(..., ${mode.text})` });
      continue;
    }
    const algorithm = PYTHON_CRYPTOGRAPHY_ALGORITHMS[call.name];
    if (algorithm && (owner === 'algorithms' || parts.length === 1) && fromCryptography(call.callee)) {
      if (parts.length === 1 && !imports.has(call.name)) continue;
      hits.push({ span: call.calleeSpan, weakness: algorithm, api: `${call.callee}()` });
      continue;
    }
    if (call.name === 'ECB' && (owner === 'modes' || (parts.length === 1 && imports.has('ECB'))) && fromCryptography(call.callee)) {
      hits.push({ span: call.calleeSpan, weakness: 'ECB', api: `${call.callee}()` });
      continue;
    }
    if ((call.name === 'encrypt' || call.name === 'decrypt') && call.receiver) {
      const pkcs1 = [...call.args, ...call.named.map((p) => p.value)].find(
        (a) => a.kind === 'call' && a.call && /(^|\.)PKCS1v15$/.test(a.call.callee),
      );
      if (pkcs1) hits.push({ span: pkcs1, weakness: 'RSA-PKCS1', api: `${call.callee}(..., ${pkcs1.text})` });
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------- JavaScript / TypeScript

const NODE_CIPHER_FACTORIES = new Set(['createCipheriv', 'createDecipheriv', 'createCipher', 'createDecipher']);
const NODE_RSA_ENCRYPT = new Set(['publicEncrypt', 'privateDecrypt']);

function detectJs({ model, text }: DetectInput): CipherHit[] {
  const hits: CipherHit[] = [];
  const values = new ValueIndex(model);
  for (const call of model.calls) {
    if (NODE_CIPHER_FACTORIES.has(call.name)) {
      const s = values.stringOf(call.args[0], call);
      const weakness = s && weaknessOfCipherName(s.value);
      if (s && weakness) hits.push({ span: call.args[0], weakness, api: `${call.name}(${quote(s.value)})`, factory: call });
      continue;
    }
    const cryptoJs = /(?:^|\.)CryptoJS\.(\w+)\.(encrypt|decrypt)$/.exec(call.callee);
    if (cryptoJs && CRYPTO_JS_CIPHERS[cryptoJs[1]]) {
      hits.push({ span: call.calleeSpan, weakness: CRYPTO_JS_CIPHERS[cryptoJs[1]], api: `${call.callee}()` });
      continue;
    }
    if (NODE_RSA_ENCRYPT.has(call.name) && call.args[0]?.kind === 'object') {
      const padding = call.args[0].entries?.find((e) => e.key === 'padding')?.value;
      const name = padding?.kind === 'name' ? padding.value?.split('.').pop() : undefined;
      const weakness = name === 'RSA_PKCS1_PADDING' ? 'RSA-PKCS1' : name === 'RSA_NO_PADDING' ? 'RSA-raw' : undefined;
      if (padding && weakness) hits.push({ span: padding, weakness, api: `${call.name}({ padding: ${padding.text} })` });
    }
  }
  // crypto-js modes are plain property reads (`mode: CryptoJS.mode.ECB`).
  const nonCode = new NonCodeSpans(model);
  for (const m of text.content.matchAll(/\bCryptoJS\.mode\.ECB\b/g)) {
    if (!nonCode.contains(m.index!))
      hits.push({ span: { start: m.index!, end: m.index! + m[0].length }, weakness: 'ECB', api: 'CryptoJS.mode.ECB' });
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------- Java / Kotlin

/** Key and key-spec factories: they name an algorithm, never a mode, so only the cipher itself counts. */
const JCA_KEY_FACTORIES = new Set(['KeyGenerator', 'SecretKeyFactory']);

function detectJvm({ model }: DetectInput): CipherHit[] {
  const hits: CipherHit[] = [];
  const values = new ValueIndex(model);
  const byName = (call: Call, arg: Expr | undefined, transformation: boolean) => {
    const s = values.stringOf(arg, call);
    if (!s || !arg) return;
    const found = transformation
      ? weaknessOfTransformation(s.value)
      : ((w) => (w ? { weakness: w, gcmFix: false } : undefined))(keyAlgorithmWeakness(s.value));
    if (!found) return;
    const literalInPlace = s.expr === arg && arg.content;
    const fix =
      found.gcmFix && literalInPlace
        ? {
            title: 'Use AES/GCM/NoPadding (needs a fresh 12-byte IV per message and GCMParameterSpec)',
            edit: { span: arg.content!, newText: 'AES/GCM/NoPadding' },
          }
        : undefined;
    hits.push({
      span: arg,
      weakness: found.weakness,
      api: `${call.callee}(${quote(s.value)})`,
      fix,
      ...(transformation ? { factory: call, transformation: s.value } : {}),
    });
  };
  for (const call of model.calls) {
    const owner = ownerOf(call);
    if (!call.isNew && call.name === 'getInstance' && owner === 'Cipher') byName(call, call.args[0], true);
    else if (!call.isNew && call.name === 'getInstance' && JCA_KEY_FACTORIES.has(owner)) byName(call, call.args[0], false);
    else if (call.name === 'SecretKeySpec' && (call.isNew || call.callee === 'SecretKeySpec'))
      byName(call, call.args[call.args.length - 1], false);
    else if ((call.name === 'DESKeySpec' || call.name === 'DESedeKeySpec') && (call.isNew || call.callee === call.name)) {
      hits.push({ span: call.calleeSpan, weakness: call.name === 'DESKeySpec' ? 'DES' : '3DES', api: call.name });
    }
  }
  return hits;
}

function keyAlgorithmWeakness(name: string): CipherWeakness | undefined {
  const found = /^pbewith/i.test(name) ? weaknessOfTransformation(name) : undefined;
  return found?.weakness ?? weaknessOfAlgorithmName(name);
}

export function detectBrokenCiphers(input: DetectInput): CipherHit[] {
  return byLanguageFamily<CipherHit[]>(
    input.language,
    { native: () => detectC(input), python: () => detectPython(input), js: () => detectJs(input), jvm: () => detectJvm(input) },
    [],
  );
}
