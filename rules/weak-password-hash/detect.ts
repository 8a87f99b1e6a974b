/**
 * `weak-password-hash` detection: a password or PIN fed to a fast digest (SHA-2, SHA-3, BLAKE2, MD5, SHA-1),
 * and PBKDF2 calls with a low iteration count or a constant salt, across C, Python, Java/Kotlin and Node.
 */
import type { Call, CodeModel, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { Fix, LanguageId, RuleContext, Span } from '../../server/src/core/types';
import { ValueIndex } from '../_shared/values';
import { classifyCredentialName } from '../_shared/credential-names';
import { replaceQuoted } from '../../server/src/core/string-literals';

export interface PasswordHashFinding {
  span: Span;
  message: string;
  fix?: Fix;
}

/**
 * Iteration floors. Servers, apps and tools (Python, Java/Kotlin, Node): OWASP's Password Storage Cheat Sheet
 * (2023) asks for 600,000 iterations of PBKDF2-HMAC-SHA256; we report below 100,000, where no digest choice
 * makes the count adequate. Firmware (C/C++), where a microcontroller verifies a keypad PIN and cannot spend
 * seconds per attempt: NIST SP 800-63B's "typically at least 10,000 iterations" is the floor.
 */
export const MIN_PBKDF2_ITERATIONS = 100_000;
export const MIN_PBKDF2_ITERATIONS_FIRMWARE = 10_000;
const RECOMMENDED_ITERATIONS = '600000';

// ---------------------------------------------------------------- what is a password

/** Identifiers in an expression's text, string literals removed: `(const unsigned char *)cfg->admin_pin` → cfg, admin_pin. */
function identifiers(text: string): string[] {
  // The linear literal scanner: a quote regex restarts at every quote, quadratic on `"\"\"\"…` with no close.
  return replaceQuoted(text, `"'`, ' ', 'any-terminator').match(/[A-Za-z_$][\w$]*/g) ?? [];
}

/** A password or PIN name (tokens and API keys are random and long: a fast hash of them is fine). */
function passwordName(names: readonly string[]): string | undefined {
  return names.find((name) => {
    const kind = classifyCredentialName(name)?.kind;
    return kind === 'password' || kind === 'pin';
  });
}

/**
 * The password a hashed value is, judged at the value's roots (data-flow origins), not at the names it passes
 * through: a parameter or a field named for a password or PIN (`hash(String clinicianPassword)`, `cfg->admin_pin`),
 * a literal bound to such a name, a read from a password field. A local merely *named* `password` that is built
 * from other values (`IDhash + CONSTANT + mac`) is what those values are.
 */
export function passwordIn(ctx: RuleContext, data: Expr | undefined): string | undefined {
  if (!data) return undefined;
  for (const origin of ctx.flow.origins(data)) {
    let names: string[];
    if (origin.kind === 'parameter') names = [origin.name];
    else if (origin.kind === 'literal')
      names = ctx.model.bindings.filter((b) => b.value.start === origin.expr.start && b.value.end === origin.expr.end).map((b) => b.name);
    else names = identifiers(origin.expr.text);
    const found = passwordName(names);
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------- fast digests

/** One-shot digest functions and the index of the data argument. */
const C_ONE_SHOT: Record<string, number> = {
  SHA1: 0,
  SHA224: 0,
  SHA256: 0,
  SHA384: 0,
  SHA512: 0,
  MD5: 0,
  mbedtls_sha1: 0,
  mbedtls_sha256: 0,
  mbedtls_sha512: 0,
  mbedtls_md5: 0,
  mbedtls_sha3: 1,
  mbedtls_md: 1,
  mbedtls_sha256_ret: 0,
  mbedtls_sha1_ret: 0,
  mbedtls_md5_ret: 0,
  mbedtls_sha512_ret: 0,
  wc_Sha256Hash: 0,
  wc_ShaHash: 0,
  wc_Md5Hash: 0,
  wc_Sha512Hash: 0,
  psa_hash_compute: 1,
  EVP_Digest: 0,
};
const C_UPDATE: Record<string, number> = {
  SHA1_Update: 1,
  SHA256_Update: 1,
  SHA512_Update: 1,
  MD5_Update: 1,
  EVP_DigestUpdate: 1,
  mbedtls_sha1_update: 1,
  mbedtls_sha256_update: 1,
  mbedtls_sha512_update: 1,
  mbedtls_md5_update: 1,
  mbedtls_md_update: 1,
  mbedtls_sha256_update_ret: 1,
  mbedtls_sha1_update_ret: 1,
  wc_Sha256Update: 1,
  wc_ShaUpdate: 1,
  wc_Md5Update: 1,
  psa_hash_update: 1,
};
const PY_DIGEST = /^hashlib\.(?:md5|sha1|sha224|sha256|sha384|sha512|sha3_\d+|blake2[bs]|new)$/;
const JVM_DIGEST_HELPERS =
  /^(?:DigestUtils\.(?:md5|sha1|sha256|sha384|sha512|sha|md2)(?:Hex)?|Hashing\.\w+\(\)\.hash(?:String|Bytes|Unencoded(?:Chars)?))$/;

function algorithmOf(call: Call): string {
  const arg = call.args[0];
  if (/createHash|getInstance|new$/.test(call.name) && arg?.kind === 'string') return arg.value ?? 'a fast hash';
  const m = /(md5|sha3?_?\d*|blake2[bs]|SHA\d*|MD5)/i.exec(call.callee);
  return m ? m[1].toUpperCase().replace('_', '-') : 'a fast hash';
}

/** The digest constructor a receiver variable (or a chained receiver) comes from. */
function digestSource(values: ValueIndex, call: Call, language: LanguageId): Call | undefined {
  const receiver = call.receiver;
  if (!receiver) return undefined;
  const source = receiver.kind === 'call' ? receiver.call : receiver.kind === 'name' ? values.resolve(receiver, call)?.call : undefined;
  if (!source) return undefined;
  if (language === 'python') return PY_DIGEST.test(source.callee) ? source : undefined;
  if (language === 'java' || language === 'kotlin') return /(?:^|\.)MessageDigest\.getInstance$/.test(source.callee) ? source : undefined;
  return source.name === 'createHash' ? source : undefined;
}

function fastHashMessage(api: string, algorithm: string, name: string): string {
  return `${api} hashes the password \`${name}\` with ${algorithm}, a fast hash that a GPU tries billions of times a second, so a leaked device or server store gives up every password. Use Argon2id, scrypt, bcrypt or PBKDF2-HMAC-SHA256 with a random per-password salt and at least ${RECOMMENDED_ITERATIONS.replace(/(\d{3})$/, ',$1')} iterations.`;
}

export function findFastPasswordHashes(ctx: RuleContext): PasswordHashFinding[] {
  const { model, language } = ctx;
  const out: PasswordHashFinding[] = [];
  const values = new ValueIndex(model);
  const report = (call: Call, data: Expr | undefined, api: string, algorithm: string) => {
    const name = passwordIn(ctx, data);
    if (name) out.push({ span: call, message: fastHashMessage(api, algorithm, name) });
  };
  for (const call of model.calls) {
    if (language === 'c' || language === 'cpp') {
      if (Object.hasOwn(C_ONE_SHOT, call.name)) report(call, call.args[C_ONE_SHOT[call.name]], `${call.name}()`, algorithmOf(call));
      else if (Object.hasOwn(C_UPDATE, call.name)) report(call, call.args[C_UPDATE[call.name]], `${call.name}()`, algorithmOf(call));
    } else if (language === 'python') {
      if (PY_DIGEST.test(call.callee)) {
        const data = call.name === 'new' ? call.args[1] : call.args[0];
        report(call, data, `${call.callee}()`, algorithmOf(call));
      } else if (call.name === 'update') {
        const source = digestSource(values, call, language);
        if (source) report(call, call.args[0], `${source.callee}().update()`, algorithmOf(source));
      }
    } else if (language === 'java' || language === 'kotlin') {
      if (call.name === 'update' || call.name === 'digest') {
        const source = digestSource(values, call, language);
        if (source) report(call, call.args[0], `MessageDigest.${call.name}()`, algorithmOf(source));
      } else if (JVM_DIGEST_HELPERS.test(call.callee.replace(/^.*?(DigestUtils|Hashing)/, '$1'))) {
        report(call, call.args[0], `${call.callee}()`, algorithmOf(call));
      }
    } else if (call.name === 'update') {
      const source = digestSource(values, call, language);
      if (source) report(call, call.args[0], 'crypto.createHash().update()', algorithmOf(source));
    }
  }
  return out;
}

// ---------------------------------------------------------------- PBKDF2 parameters

interface Pbkdf2Api {
  password: number;
  salt: number;
  iterations: number;
  named?: { salt: string; iterations: string };
}

const C_PBKDF2: Record<string, Pbkdf2Api> = {
  mbedtls_pkcs5_pbkdf2_hmac_ext: { password: 1, salt: 3, iterations: 5 },
  mbedtls_pkcs5_pbkdf2_hmac: { password: 1, salt: 3, iterations: 5 },
  PKCS5_PBKDF2_HMAC: { password: 0, salt: 2, iterations: 4 },
  PKCS5_PBKDF2_HMAC_SHA1: { password: 0, salt: 2, iterations: 4 },
  wc_PBKDF2: { password: 1, salt: 3, iterations: 5 },
};

/**
 * The pre-filters (meta.needs): every finding is on a call of an API the tables above and passphrase-ciphers.ts
 * name, or on `update`/`digest` through a digest made by one (`MessageDigest.getInstance`, `hashlib.*`,
 * `createHash`), which the file then names too. crypto-js's global `CryptoJS` needs no import.
 */
export function passwordHashNeeds(language: LanguageId): readonly string[] | undefined {
  switch (language) {
    case 'c':
    case 'cpp':
      return [...Object.keys(C_ONE_SHOT), ...Object.keys(C_UPDATE), ...Object.keys(C_PBKDF2), 'EVP_BytesToKey'];
    case 'python':
      return ['hashlib', 'pbkdf2_hmac'];
    case 'java':
    case 'kotlin':
      return ['MessageDigest', 'DigestUtils', 'Hashing', 'PBEKeySpec'];
    case 'typescript':
    case 'javascript':
      return ['createHash', 'pbkdf2', 'CryptoJS', 'crypto-js', 'createCipher', 'createDecipher'];
    default:
      return undefined;
  }
}

function pbkdf2ApiOf(call: Call, language: LanguageId): Pbkdf2Api | undefined {
  if (language === 'c' || language === 'cpp') return C_PBKDF2[call.name];
  if (language === 'python') {
    if (call.callee === 'hashlib.pbkdf2_hmac' || call.callee === 'pbkdf2_hmac') {
      return { password: 1, salt: 2, iterations: 3, named: { salt: 'salt', iterations: 'iterations' } };
    }
    return undefined;
  }
  if (language === 'java' || language === 'kotlin') {
    return call.name === 'PBEKeySpec' ? { password: 0, salt: 1, iterations: 2 } : undefined;
  }
  if (call.name === 'pbkdf2Sync' || call.name === 'pbkdf2') return { password: 0, salt: 1, iterations: 2 };
  return undefined;
}

function argument(call: Call, index: number, named?: string): Expr | undefined {
  return call.args[index] ?? call.named.find((p) => p.key === named)?.value;
}

/** A salt that is the same on every device and for every password: a literal, or a same-file constant literal. */
function constantSalt(values: ValueIndex, at: { fn?: FunctionDef }, salt: Expr | undefined): boolean {
  const r = values.resolve(salt, at);
  if (!r) return false;
  if (r.kind === 'string') return true;
  if (r.kind === 'array')
    return (r.elements ?? []).length > 0 && (r.elements ?? []).every((e) => e.kind === 'number' || e.kind === 'string');
  const call = r.call;
  if (!call) return false;
  // "salt".getBytes(...), "salt".toByteArray(), b"..".encode(), Buffer.from('salt'), "salt".encode()
  if (call.receiver?.kind === 'string' && /^(?:getBytes|toByteArray|encode|encodeToByteArray)$/.test(call.name)) return true;
  if (call.callee === 'Buffer.from' && call.args[0]?.kind === 'string') return true;
  return false;
}

export function findWeakPbkdf2(model: CodeModel, language: LanguageId): PasswordHashFinding[] {
  const out: PasswordHashFinding[] = [];
  const values = new ValueIndex(model);
  for (const call of model.calls) {
    const api = pbkdf2ApiOf(call, language);
    if (!api) continue;
    const iterationsArg = argument(call, api.iterations, api.named?.iterations);
    const iterations = values.intOf(iterationsArg, call);
    const firmware = language === 'c' || language === 'cpp';
    const floor = firmware ? MIN_PBKDF2_ITERATIONS_FIRMWARE : MIN_PBKDF2_ITERATIONS;
    if (iterationsArg && iterations && iterations.value < floor) {
      const direct = iterationsArg.kind === 'number';
      const advice = firmware
        ? `NIST SP 800-63B asks for at least 10,000, and more where the device can afford the unlock time`
        : `OWASP (2023) recommends ${RECOMMENDED_ITERATIONS.replace(/(\d{3})$/, ',$1')} for HMAC-SHA256`;
      const target = firmware ? String(MIN_PBKDF2_ITERATIONS_FIRMWARE) : RECOMMENDED_ITERATIONS;
      out.push({
        span: iterationsArg,
        message: `${call.callee}() runs only ${iterations.value} PBKDF2 iterations, so each password guess costs an attacker almost nothing; ${advice}. Raise the count (and re-derive stored hashes), or use Argon2id or scrypt.`,
        fix: direct
          ? {
              title: `Use ${target} iterations (${firmware ? 'NIST SP 800-63B' : 'OWASP 2023'})`,
              safety: 'suggestion',
              edits: [{ span: iterationsArg, newText: target }],
            }
          : undefined,
      });
    }
    const saltArg = argument(call, api.salt, api.named?.salt);
    if (saltArg && constantSalt(values, call, saltArg)) {
      out.push({
        span: saltArg,
        message: `${call.callee}() uses a constant salt, so equal passwords give equal hashes on every device and one precomputed table cracks them all. Generate a random salt of at least 16 bytes per password (os.urandom, SecureRandom, crypto.randomBytes, mbedtls_ctr_drbg_random) and store it beside the hash.`,
      });
    }
  }
  return out;
}
