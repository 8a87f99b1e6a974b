import type { Rule, RuleContext } from '../../server/src/core/types';
import { WEAKNESS_TEXT } from './algorithms';
import { detectBrokenCiphers } from './detect';

function findBrokenCiphers(ctx: RuleContext): void {
  const reported = new Set<number>();
  for (const hit of detectBrokenCiphers({ language: ctx.language, model: ctx.model, text: ctx.text })) {
    if (reported.has(hit.span.start)) continue;
    reported.add(hit.span.start);
    const { what, instead } = WEAKNESS_TEXT[hit.weakness];
    ctx.report({
      span: { start: hit.span.start, end: hit.span.end },
      message: `\`${hit.api}\` selects ${what}. ${instead}`,
      fixes: hit.fix ? [{ title: hit.fix.title, safety: 'suggestion', edits: [hit.fix.edit] }] : undefined,
    });
  }
}

export default {
  meta: {
    id: 'broken-cipher',
    title: 'Broken cipher or mode: DES, 3DES, RC2, RC4, Blowfish, ECB, or RSA encryption without OAEP',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [327, 780],
    fda: ['app1.C.1', 'app1.C.2', '524b.b2'],
    iec62443: ['CR 4.3', 'CR 1.14'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds encryption with ciphers and modes that NIST SP 800-131A disallows or that are broken in practice:',
        '- **C/C++**: OpenSSL `EVP_des_*`, `EVP_des_ede3_*`, `EVP_rc4`, `EVP_rc2_*`, `EVP_bf_*`, any `EVP_*_ecb()`, the legacy `DES_*`,',
        '  `RC4()` and `BF_*` calls, `EVP_get_cipherbyname`/`EVP_CIPHER_fetch` with such a name; mbedTLS `mbedtls_des_*`/`mbedtls_des3_*`',
        '  key and crypt calls, `mbedtls_arc4_*`, `mbedtls_blowfish_*`, `MBEDTLS_CIPHER_DES*`/`*_ECB`/`ARC4`/`BLOWFISH` ids and',
        '  `mbedtls_aes_crypt_ecb` called in a loop (ECB over a buffer); PSA `PSA_ALG_ECB_NO_PADDING`; wolfCrypt `wc_Des*`, `wc_Arc4*`;',
        '  Windows CNG `BCRYPT_DES_ALGORITHM`, `BCRYPT_3DES_ALGORITHM`, `BCRYPT_RC4_ALGORITHM`, `BCRYPT_RC2_ALGORITHM`, `BCRYPT_CHAIN_MODE_ECB`',
        '  and CryptoAPI `CALG_DES`, `CALG_3DES`, `CALG_RC4`, `CALG_RC2`, `CRYPT_MODE_ECB`; RSA encryption with `RSA_PKCS1_PADDING`.',
        '- **Java/Kotlin**: `Cipher.getInstance` with `DES`, `DESede`, `RC4`/`ARCFOUR`, `RC2`, `Blowfish`, `PBEWith…AndDES`, `AES` alone',
        '  (the provider default is ECB), any `…/ECB/…` symmetric transformation, and `RSA` alone, `RSA/ECB/PKCS1Padding` or `RSA/…/NoPadding`',
        '  (RSA encryption without OAEP); `KeyGenerator`, `SecretKeyFactory` and `SecretKeySpec` for DES, 3DES, RC4, RC2 and Blowfish.',
        '- **Python**: PyCryptodome `DES.new`, `DES3.new`, `ARC4.new`, `ARC2.new`, `Blowfish.new`, any `MODE_ECB`, `PKCS1_v1_5` encryption;',
        '  `cryptography` `algorithms.TripleDES`, `ARC4`, `Blowfish`, `modes.ECB()` and `padding.PKCS1v15()` passed to `encrypt`/`decrypt`.',
        '- **Node**: `createCipheriv`/`createDecipheriv` with `des-*`, `des-ede3-*`, `rc4`, `rc2-*`, `bf-*` or `*-ecb`, `publicEncrypt` with',
        '  `RSA_PKCS1_PADDING`, crypto-js `DES`, `TripleDES`, `RC4` and `CryptoJS.mode.ECB`.',
        '',
        'Names held in a same-file constant are followed. A single `mbedtls_aes_crypt_ecb` block outside a loop is not reported: it is the',
        'primitive that CTR, CMAC and key-wrap code is built from. RSA/ECB with OAEP padding is not reported (JCA\'s "ECB" means nothing for RSA).',
      ].join('\n'),
      risk:
        'A device that encrypts therapy commands, patient records or key material with DES (56-bit key), RC4 (biased keystream) or a ' +
        '64-bit-block cipher such as 3DES or Blowfish (Sweet32) gives an attacker who records the traffic or reads the flash a practical ' +
        'way to the plaintext, and sometimes to forge it. ECB mode shows the structure of the data (repeated readings, record layouts) and ' +
        'lets blocks be cut, replayed and reordered without detection. RSA encryption with PKCS#1 v1.5 padding lets any party that can ' +
        'watch decryption failures decrypt a captured session key (Bleichenbacher). FDA premarket guidance expects industry-standard, ' +
        'current NIST-recommended cryptography for the device\'s whole service life (Appendix 1 C.1, C.2).',
      fix:
        'Use AES (128 or 256-bit keys) in an authenticated mode: AES-GCM or AES-CCM (mbedTLS `mbedtls_gcm_*`/`mbedtls_ccm_*`, PSA ' +
        '`PSA_ALG_GCM`, OpenSSL `EVP_aes_256_gcm()`, JCA `AES/GCM/NoPadding` with `GCMParameterSpec`, cryptography `AESGCM`, Node ' +
        '`aes-256-gcm`), or ChaCha20-Poly1305, with a fresh random nonce for every message and the tag checked before the plaintext is ' +
        'used. For RSA encryption use OAEP (`RSA/ECB/OAEPWithSHA-256AndMGF1Padding`, `padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), ...)`, ' +
        '`RSA_PKCS1_OAEP_PADDING`). Where an old peer forces 3DES, isolate and document it, and plan its removal.',
      examples: [
        {
          language: 'java',
          bad: 'class Vault {\n  byte[] seal(SecretKey key, byte[] record) throws Exception {\n    Cipher c = Cipher.getInstance("AES");\n    c.init(Cipher.ENCRYPT_MODE, key);\n    return c.doFinal(record);\n  }\n}\n',
          good: 'class Vault {\n  byte[] seal(SecretKey key, byte[] iv, byte[] record) throws Exception {\n    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");\n    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));\n    return c.doFinal(record);\n  }\n}\n',
        },
        {
          language: 'c',
          bad: 'int seal(EVP_CIPHER_CTX *ctx, const unsigned char *key, const unsigned char *iv) {\n    return EVP_EncryptInit_ex(ctx, EVP_des_ede3_cbc(), NULL, key, iv);\n}\n',
          good: 'int seal(EVP_CIPHER_CTX *ctx, const unsigned char *key, const unsigned char *iv) {\n    return EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv);\n}\n',
        },
        {
          language: 'python',
          bad: 'from Crypto.Cipher import AES\n\ndef seal(key, record):\n    return AES.new(key, AES.MODE_ECB).encrypt(record)\n',
          good: 'from Crypto.Cipher import AES\n\ndef seal(key, record):\n    cipher = AES.new(key, AES.MODE_GCM)\n    sealed, tag = cipher.encrypt_and_digest(record)\n    return cipher.nonce, sealed, tag\n',
        },
        {
          language: 'typescript',
          bad: "import { createCipheriv } from 'crypto';\nexport const sealer = (key: Buffer, iv: Buffer) => createCipheriv('des-ede3-cbc', key, iv);\n",
          good: "import { createCipheriv } from 'crypto';\nexport const sealer = (key: Buffer, iv: Buffer) => createCipheriv('aes-256-gcm', key, iv);\n",
        },
      ],
      fixSafety:
        'The only quick fix is a suggestion on Java/Kotlin `Cipher.getInstance("AES")` and `"AES/ECB/…"`: it changes the transformation to ' +
        '`AES/GCM/NoPadding`. It is never applied in bulk and is not complete on its own: GCM needs a fresh 12-byte IV for every message ' +
        '(passed as `GCMParameterSpec(128, iv)` and stored or sent with the ciphertext), adds a 16-byte tag, and cannot decrypt data ' +
        'written in ECB, so stored data needs a migration. Other ciphers have no mechanical replacement: key sizes, IVs and the peer change with them.',
      references: [
        { title: 'CWE-327: Use of a Broken or Risky Cryptographic Algorithm', url: 'https://cwe.mitre.org/data/definitions/327.html' },
        { title: 'CWE-780: Use of RSA Algorithm without OAEP', url: 'https://cwe.mitre.org/data/definitions/780.html' },
        { title: 'NIST SP 800-131A Rev. 2: Transitioning the Use of Cryptographic Algorithms and Key Lengths', url: 'https://csrc.nist.gov/pubs/sp/800/131/a/r2/final' },
        { title: 'NIST SP 800-67 Rev. 2 withdrawal: Triple DES disallowed after 2023', url: 'https://csrc.nist.gov/news/2023/nist-to-withdraw-sp-800-67-rev-2' },
        { title: 'Sweet32: birthday attacks on 64-bit block ciphers', url: 'https://sweet32.info/' },
        { title: 'RFC 7465: Prohibiting RC4 Cipher Suites', url: 'https://www.rfc-editor.org/rfc/rfc7465' },
      ],
    },
  },
  check: findBrokenCiphers,
} satisfies Rule;
