/**
 * Ciphers keyed by a passphrase through OpenSSL's EVP_BytesToKey: crypto-js `AES.encrypt(data, passphrase)`,
 * Node's deprecated `crypto.createCipher(algorithm, password)` and C `EVP_BytesToKey` with a low count. The key
 * and IV come from one MD5 (per count) over the passphrase, so a guess costs an attacker next to nothing: the
 * same weakness as PBKDF2 with too few iterations, hidden inside an encryption call.
 */
import type { Call, CodeModel, Expr, Import } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { ValueIndex } from '../_shared/values';
import { MIN_PBKDF2_ITERATIONS_FIRMWARE, type PasswordHashFinding } from './detect';

/** crypto-js ciphers whose `encrypt`/`decrypt` take a passphrase when the key is a string. */
const CRYPTO_JS_CIPHER = /^(?:(\w+)\.)?(AES|TripleDES|DES|Rabbit|RabbitLegacy|RC4|RC4Drop)\.(encrypt|decrypt)$/;
/** crypto-js calls that make a key WordArray: a parsed key, a PBKDF2 or scrypt result, random bytes, a digest. */
const WORD_ARRAY_MAKERS =
  /^(?:parse|PBKDF2|EvpKDF|create|random|SHA1|SHA224|SHA256|SHA384|SHA512|SHA3|MD5|RIPEMD160|Hmac\w+|scrypt\w*|pbkdf2\w*|deriveKey)$/;

const ADVICE =
  'Derive a 256-bit key with PBKDF2 (600,000 iterations and a random salt), scrypt or Argon2id, and encrypt with it and a random IV (AES-GCM where available).';

export function findPassphraseCiphers(ctx: RuleContext): PasswordHashFinding[] {
  const { language, model } = ctx;
  if (language === 'c' || language === 'cpp') return lowCountBytesToKey(model);
  if (language !== 'typescript' && language !== 'javascript') return [];
  const out: PasswordHashFinding[] = [];
  const cryptoJs = cryptoJsBindings(model.imports);
  const nodeCrypto = model.imports.some((i) => /^(?:node:)?crypto$/.test(i.module));
  for (const call of model.calls) {
    const m = CRYPTO_JS_CIPHER.exec(call.callee);
    if (m && (m[1] ? cryptoJs.namespaces.has(m[1]) : cryptoJs.ciphers.has(m[2])) && isPassphrase(ctx, call)) {
      out.push({
        span: call.args[1],
        message: `${call.callee}() is given a passphrase, not a key: crypto-js then derives the key and IV with OpenSSL's EVP_BytesToKey, one MD5 over the passphrase and a salt, so each guess costs an attacker a single hash and a guessable passphrase falls to a dictionary at once. ${ADVICE}`,
      });
    } else if (nodeCrypto && /^(?:crypto\.)?create(?:Cipher|Decipher)$/.test(call.callee) && call.args.length >= 2) {
      out.push({
        span: call.args[1],
        message: `${call.callee}() derives the key and IV from the password with OpenSSL's EVP_BytesToKey: one MD5 iteration and no salt, so equal passwords give equal keys and each guess costs a single hash (the API is deprecated for this). ${ADVICE} Use createCipheriv() with that key.`,
      });
    }
  }
  return out;
}

/** The local names crypto-js is bound to: namespaces (`CryptoJS`, `CJS`) and ciphers imported by name (`AES`). */
function cryptoJsBindings(imports: readonly Import[]): { namespaces: Set<string>; ciphers: Set<string> } {
  const namespaces = new Set(['CryptoJS']);
  const ciphers = new Set<string>();
  for (const i of imports) {
    if (!/^crypto-js(?:\/|$)/.test(i.module) || !i.local) continue;
    // `import AES from 'crypto-js/aes'` binds the cipher itself; `import { AES } from 'crypto-js'` too.
    if (i.module !== 'crypto-js' || (i.name && i.name !== '*' && i.name !== 'default')) ciphers.add(i.local);
    else namespaces.add(i.local);
  }
  return { namespaces, ciphers };
}

/**
 * Whether the key argument is a passphrase. crypto-js keys with a passphrase whenever the key is a string: a
 * two-argument call is that form (a key WordArray needs an IV in the options, or CBC has none to start from),
 * unless the key is made by a WordArray maker; with options, only a key written as a string literal counts.
 */
function isPassphrase(ctx: RuleContext, call: Call): boolean {
  const key = call.args[1];
  if (!key) return false;
  const origins = ctx.flow.origins(key);
  if (origins.some((o) => o.kind !== 'parameter' && madeAsWordArray(o.expr))) return false;
  if (call.args.length === 2) return true;
  return origins.some((o) => o.kind === 'literal' && o.expr.kind === 'string');
}

function madeAsWordArray(expr: Expr | undefined): boolean {
  const call = expr?.kind === 'call' ? expr.call : undefined;
  return !!call && WORD_ARRAY_MAKERS.test(call.name);
}

/** `EVP_BytesToKey(cipher, md, salt, pass, len, count, key, iv)` with a count below the firmware PBKDF2 floor. */
function lowCountBytesToKey(model: CodeModel): PasswordHashFinding[] {
  const values = new ValueIndex(model);
  const out: PasswordHashFinding[] = [];
  for (const call of model.calls) {
    if (call.name !== 'EVP_BytesToKey') continue;
    const count = values.intOf(call.args[5], call);
    if (!count || count.value >= MIN_PBKDF2_ITERATIONS_FIRMWARE) continue;
    out.push({
      span: call.args[5],
      message: `EVP_BytesToKey() derives the key from the password with only ${count.value} digest iteration${count.value === 1 ? '' : 's'}, so each guess costs an attacker almost nothing. Use PKCS5_PBKDF2_HMAC with SHA-256, a random salt and at least 10,000 iterations (600,000 where the device can afford it).`,
    });
  }
  return out;
}
