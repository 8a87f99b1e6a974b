/**
 * Signature and MAC verification calls whose result is the verdict, grouped by how that verdict is returned.
 * Shared by ignored-signature-result (is the verdict used?) and signature-check-bypass (can the call be
 * switched off?). Calls that raise on failure (Python `cryptography`, PyCryptodome, `ecdsa`) are known too,
 * so rules can tell "discarded" from "nothing to discard".
 */
import { functionsNamed } from '../../server/src/core/model/functions-by-name';
import type { Call, CodeModel, FunctionDef } from '../../server/src/core/model/types';
import type { LanguageId } from '../../server/src/core/types';
import type { SourceText } from '../../server/src/core/text';
import { identifierWords } from './identifier-words';

/**
 * How a verify call reports its verdict:
 * - `status`: 0 on success, an error code otherwise (mbedTLS, PSA, wolfSSL, ESP-IDF, libsodium);
 * - `one-zero`: 1 valid, 0 invalid (micro-ecc, OpenSSL `RSA_verify`);
 * - `one-zero-negative`: 1 valid, 0 invalid, negative on error (OpenSSL EVP/ECDSA): truthiness is wrong;
 * - `boolean`: true/false (JCA `Signature.verify`, `hmac.compare_digest`, project functions);
 * - `raises`: returns nothing useful and throws on failure (Python `public_key.verify`).
 */
export type VerdictKind = 'status' | 'one-zero' | 'one-zero-negative' | 'boolean' | 'raises';

const STATUS_APIS =
  /^(mbedtls_pk_verify(_ext|_restartable)?|mbedtls_rsa_(pkcs1_verify|rsassa_pss_verify(_ext)?|rsassa_pkcs1_v15_verify)|mbedtls_ecdsa_(verify|read_signature(_restartable)?)|psa_(verify_hash|verify_message|mac_verify(_finish)?|hash_compare|hash_verify)|wc_SignatureVerify(Hash)?|esp_secure_boot_verify_(sbv2_)?signature|crypto_sign_verify_detached|crypto_auth_verify|bootutil_img_validate)$/;
const ONE_ZERO_APIS = /^(uECC_verify|RSA_verify|ED25519_verify)$/;
const ONE_ZERO_NEGATIVE_APIS =
  /^(EVP_DigestVerifyFinal|EVP_DigestVerify|EVP_VerifyFinal|EVP_PKEY_verify|ECDSA_verify|ECDSA_do_verify|X509_verify|X509_CRL_verify)$/;

const VERIFY_WORDS = new Set(['verify', 'verified', 'vrfy', 'authenticate']);
/**
 * Text a name holds when one of its words is a VERIFY_WORDS word (a word is a lower-cased slice of the name):
 * most callee names have none, and are answered without splitting them (two rules ask of every call).
 */
const VERIFY_TEXT = /verif|vrfy|authenticate/i;
/** Words that name what an update installs (`image`, `fw`, `bundle`); update-apis uses them too. */
export const IMAGE_NOUNS = ['image', 'img', 'firmware', 'fw', 'update', 'package', 'pkg', 'bundle', 'manifest'] as const;

/** A project function is a signature check when its name also says what it checks. */
const SUBJECT_WORDS = new Set<string>(['signature', 'sig', 'signed', ...IMAGE_NOUNS, 'ecdsa', 'rsa', 'ed25519', 'hmac', 'mac']);
const INTEGRITY_ONLY_WORDS = new Set(['crc', 'crc16', 'crc32', 'checksum', 'header', 'size', 'length', 'magic', 'format', 'version']);

/** `verify_image_signature`, `fwVerifySig`, `image_verify`: a project function named for signature verification. */
export function isProjectVerifyName(name: string): boolean {
  if (!VERIFY_TEXT.test(name)) return false;
  const words = identifierWords(name);
  if (!words.some((w) => VERIFY_WORDS.has(w))) return false;
  if (!words.some((w) => SUBJECT_WORDS.has(w))) return false;
  return !words.some((w) => INTEGRITY_ONLY_WORDS.has(w));
}

const NO_NAMES: ReadonlySet<string> = new Set();

/**
 * Names bound to a JCA `Signature` (`Signature.getInstance(...)` or a declared `Signature` type). Only Java and
 * Kotlin calls are judged by them: other languages get none without reading the file's variables (a part of
 * the model built on first read, which most C files then never need).
 */
export function jcaSignatureNames(model: CodeModel, language: LanguageId): ReadonlySet<string> {
  if (language !== 'java' && language !== 'kotlin') return NO_NAMES;
  const names = new Set<string>();
  for (const b of model.bindings) {
    if (b.value.call?.callee === 'Signature.getInstance' || b.declaredType === 'Signature') names.add(b.target);
  }
  for (const v of model.variables) if (v.type === 'Signature') names.add(v.name);
  return names;
}

/** A C/C++ function declared `void` or a Kotlin/Java/Python function that returns nothing has no verdict. */
export function returnsNothing(fn: FunctionDef, text: SourceText): boolean {
  const header = text.content.slice(fn.start, fn.body?.start ?? fn.end);
  if (/(^|\s)void\s/.test(header.slice(0, header.indexOf(fn.name) >= 0 ? header.indexOf(fn.name) : header.length))) return true;
  return fn.returns.length === 0;
}

export interface VerifyCall {
  call: Call;
  kind: VerdictKind;
  api: string;
}

/** How a library verification API (not a project function) returns its verdict, from the API tables alone. */
export function libraryVerdictKind(call: Call, language: LanguageId, jcaNames: ReadonlySet<string>): VerdictKind | undefined {
  if ((language === 'c' || language === 'cpp') && !call.receiver) {
    if (STATUS_APIS.test(call.name)) return 'status';
    if (ONE_ZERO_APIS.test(call.name)) return 'one-zero';
    if (ONE_ZERO_NEGATIVE_APIS.test(call.name)) return 'one-zero-negative';
  }
  if (language === 'java' || language === 'kotlin') {
    if (call.name === 'verify' && call.receiver && jcaNames.has(call.receiver.text)) return 'boolean';
    if (call.name === 'verifySignature' && call.receiver) return 'boolean';
    if (call.callee === 'MessageDigest.isEqual') return 'boolean';
  }
  if (language === 'python' && call.name === 'compare_digest' && /^(hmac|secrets)?$/.test(call.receiver?.text ?? '')) return 'boolean';
  return undefined;
}

/** An error return beside the verdict: `-1`, `-EBADMSG`, `ESP_FAIL`, `PSA_ERROR_…`, `MBEDTLS_ERR_…`. */
const ERROR_RETURN = /^-\s*(?:\d+|E[A-Z]+)$|^ESP_(?:ERR|FAIL)\w*$|^PSA_ERROR_\w+$|^MBEDTLS_ERR_\w+$/;

/**
 * A C function whose returns pass on a status verification API's verdict (`return mbedtls_pk_verify(...)`, or a
 * local assigned only from such calls) or are error codes, with at least one verdict: `image_signature_ok()`
 * wrapping `mbedtls_pk_verify()` returns 0 for a valid signature, as the API does.
 */
export function wrapsStatusVerify(model: CodeModel, fn: FunctionDef): boolean {
  // Asked for every call of a function of the file, by two rules: a function that returns a local reads every
  // binding of the file once per return, so the answer is kept per function (a model's own object).
  let known = WRAPS_STATUS_VERIFY.get(fn);
  if (known === undefined) WRAPS_STATUS_VERIFY.set(fn, (known = returnsStatusVerdict(model, fn)));
  return known;
}

const WRAPS_STATUS_VERIFY = new WeakMap<FunctionDef, boolean>();

function returnsStatusVerdict(model: CodeModel, fn: FunctionDef): boolean {
  let verdict = false;
  for (const ret of fn.returns) {
    if (ret.call && !ret.call.receiver && STATUS_APIS.test(ret.call.name)) verdict = true;
    else if (ret.kind === 'name' && localOfStatusApi(model, fn, ret.text.trim())) verdict = true;
    else if (!ERROR_RETURN.test(ret.text.trim())) return false;
  }
  return verdict;
}

function localOfStatusApi(model: CodeModel, fn: FunctionDef, name: string): boolean {
  const assigned = model.bindings.filter((b) => b.fn === fn && b.name === name && b.kind !== 'property');
  return assigned.length > 0 && assigned.every((b) => !!b.value.call && !b.value.call.receiver && STATUS_APIS.test(b.value.call.name));
}

/** Classifies a call as a signature/MAC verification and says how it returns its verdict. */
export function classifyVerifyCall(
  call: Call,
  language: LanguageId,
  model: CodeModel,
  text: SourceText,
  jcaNames: ReadonlySet<string> = jcaSignatureNames(model, language),
): VerifyCall | undefined {
  const native = language === 'c' || language === 'cpp';
  const found = (kind: VerdictKind): VerifyCall => ({ call, kind, api: call.callee });
  if (native && !call.receiver) {
    if (STATUS_APIS.test(call.name)) return found('status');
    if (ONE_ZERO_APIS.test(call.name)) return found('one-zero');
    if (ONE_ZERO_NEGATIVE_APIS.test(call.name)) return found('one-zero-negative');
  }
  if (language === 'java' || language === 'kotlin') {
    if (call.name === 'verify' && call.receiver && jcaNames.has(call.receiver.text)) return found('boolean');
    if (call.name === 'verifySignature' && call.receiver) return found('boolean');
    if (call.callee === 'MessageDigest.isEqual') return found('boolean');
  }
  if (language === 'python') {
    if (call.name === 'compare_digest' && /^(hmac|secrets)?$/.test(call.receiver?.text ?? '')) return found('boolean');
    if (call.name === 'verify' && call.receiver) return found('raises');
  }
  if (!isProjectVerifyName(call.name)) {
    // A function of this file that passes on a status API's verdict is a verification whatever its name says.
    const defined = native && !call.receiver ? functionsNamed(model, call.name) : [];
    return defined.length && defined.every((fn) => wrapsStatusVerify(model, fn)) ? found('status') : undefined;
  }
  const definitions = functionsNamed(model, call.name);
  if (definitions.length) {
    if (definitions.every((fn) => returnsNothing(fn, text))) return undefined;
    if (definitions.every((fn) => fn.throws) && language !== 'c' && language !== 'cpp') return found('raises');
    return found(native ? 'status' : 'boolean');
  }
  // Defined elsewhere: a C function's verdict is its return value; a JVM/Python one may throw instead.
  return native && !call.receiver ? found('status') : undefined;
}
