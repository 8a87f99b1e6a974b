import type { Rule, RuleContext } from '../../server/src/core/types';
import { detectStaticIvs } from './detect';

function findStaticIvs(ctx: RuleContext): void {
  const reported = new Set<number>();
  for (const hit of detectStaticIvs({ language: ctx.language, model: ctx.model })) {
    if (reported.has(hit.span.start)) continue;
    reported.add(hit.span.start);
    const what = hit.problem === 'zero' ? 'an all-zero IV/nonce' : 'a fixed IV/nonce written in the source';
    const via = hit.via ? ` (\`${hit.via}\`)` : '';
    ctx.report({
      span: { start: hit.span.start, end: hit.span.end },
      message:
        `\`${hit.api}\` gets ${what}${via}, so every message under this key reuses it: CBC leaks which records start alike, and ` +
        'CTR/GCM/ChaCha20 reuse exposes the XOR of plaintexts and lets an attacker forge authenticated commands. ' +
        'Generate a fresh random IV per message (RAND_bytes, esp_fill_random, psa_generate_random, SecureRandom, os.urandom, randomBytes) and send it with the ciphertext.',
    });
  }
}

export default {
  meta: {
    id: 'static-iv',
    title: 'Constant, zero or reused IV or nonce',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [329, 323, 1204],
    fda: ['app1.C.1', '524b.b2'],
    iec62443: ['CR 4.3'],
    fix: 'none',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds encryption calls whose IV or nonce is fixed: a literal, an all-zero buffer, or a same-file constant that nothing in its',
        'scope refills.',
        '- **C/C++**: the IV argument of mbedTLS `mbedtls_aes_crypt_cbc/cfb/ofb/ctr`, `mbedtls_gcm_crypt_and_tag`, `mbedtls_gcm_starts`,',
        '  `mbedtls_ccm_encrypt_and_tag`, `mbedtls_chachapoly_encrypt_and_tag`, `mbedtls_cipher_set_iv`/`crypt`; OpenSSL `EVP_EncryptInit(_ex/_ex2)`,',
        '  `EVP_CipherInit(_ex)`, `AES_cbc_encrypt`; wolfCrypt `wc_AesSetIV`, `wc_AesSetKey`, `wc_AesGcmEncrypt`; PSA `psa_cipher_set_iv`,',
        '  `psa_aead_set_nonce`, `psa_aead_encrypt`; Windows `BCryptEncrypt`. Fixed means `uint8_t iv[16] = {0};`, a byte or string',
        '  initialiser, or a local buffer whose last write before the call is `memset(iv, 0, ...)`.',
        '- **Java/Kotlin**: `IvParameterSpec`, `GCMParameterSpec`, `ChaCha20ParameterSpec` of `new byte[16]`, `ByteArray(16)`, a byte-array',
        '  literal, `"...".getBytes()`, or a field holding one.',
        '- **Python**: PyCryptodome `AES.new(..., iv=...)`/`nonce=`, `cryptography` `modes.CBC/GCM/CTR(...)` and `AESGCM(...).encrypt(nonce, ...)`',
        '  with a bytes literal, `b"\\x00" * 16` or `bytes(16)`.',
        '- **Node**: `createCipheriv(alg, key, iv)` and WebCrypto `subtle.encrypt({ iv })` with `Buffer.alloc(16)`, `Buffer.from("...")`, a string',
        '  literal or `new Uint8Array(12)`.',
        '',
        'Decryption calls are not reported (their IV is the sender\'s). A buffer that anything else in its scope is handed to (`RAND_bytes(iv, 16)`,',
        '`esp_fill_random`, `SecureRandom.nextBytes(iv)`, `randomFillSync(iv)`, `memcpy`) is treated as refilled.',
      ].join('\n'),
      risk:
        'With a fixed IV, the same command or record encrypts to the same ciphertext every time, so an eavesdropper on the pump-to-app or ' +
        'monitor-to-gateway link learns when a bolus, a setting change or a patient record repeats. In CTR, GCM and ChaCha20 a reused nonce ' +
        'is worse: XOR of two ciphertexts gives XOR of the plaintexts, and for GCM the authentication key can be recovered, after which an ' +
        'attacker can forge commands the device accepts as authentic. FDA premarket guidance asks for robust nonces and proper cryptographic ' +
        'implementation (Appendix 1 C.1).',
      fix:
        'Generate a new random IV/nonce for every encryption with the platform CSPRNG (ESP-IDF `esp_fill_random`, mbedTLS ' +
        '`mbedtls_ctr_drbg_random`, PSA `psa_generate_random`, OpenSSL `RAND_bytes`, Windows `BCryptGenRandom`, Java `SecureRandom.nextBytes`, ' +
        'Python `os.urandom`/`secrets.token_bytes`, Node `crypto.randomBytes`), and send or store it alongside the ciphertext. For GCM with ' +
        'very many messages under one key, a counter-based 96-bit nonce that never repeats (persisted across reboots) is also acceptable.',
      examples: [
        {
          language: 'c',
          bad: 'int seal(mbedtls_aes_context *aes, const unsigned char *in, unsigned char *out, size_t len) {\n    unsigned char iv[16] = {0};\n    return mbedtls_aes_crypt_cbc(aes, MBEDTLS_AES_ENCRYPT, len, iv, in, out);\n}\n',
          good: 'int seal(mbedtls_aes_context *aes, const unsigned char *in, unsigned char *out, size_t len, unsigned char iv[16]) {\n    esp_fill_random(iv, 16);\n    return mbedtls_aes_crypt_cbc(aes, MBEDTLS_AES_ENCRYPT, len, iv, in, out);\n}\n',
        },
        {
          language: 'java',
          bad: 'class Seal {\n  Cipher open(SecretKey key) throws Exception {\n    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");\n    c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(new byte[16]));\n    return c;\n  }\n}\n',
          good: 'class Seal {\n  Cipher open(SecretKey key, byte[] iv) throws Exception {\n    new SecureRandom().nextBytes(iv);\n    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");\n    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));\n    return c;\n  }\n}\n',
        },
        {
          language: 'python',
          bad: 'from Crypto.Cipher import AES\n\ndef seal(key, data):\n    return AES.new(key, AES.MODE_CBC, iv=b"\\x00" * 16).encrypt(data)\n',
          good: 'import os\nfrom Crypto.Cipher import AES\n\ndef seal(key, data):\n    iv = os.urandom(16)\n    return iv + AES.new(key, AES.MODE_CBC, iv=iv).encrypt(data)\n',
        },
        {
          language: 'typescript',
          bad: "import { createCipheriv } from 'crypto';\nexport const sealer = (key: Buffer) => createCipheriv('aes-256-gcm', key, Buffer.alloc(12));\n",
          good: "import { createCipheriv, randomBytes } from 'crypto';\nexport const sealer = (key: Buffer) => createCipheriv('aes-256-gcm', key, randomBytes(12));\n",
        },
      ],
      fixSafety:
        'No automatic fix: a fresh IV has to be stored or transmitted with each ciphertext, and the receiver has to read it from there, ' +
        'so the message or file format changes on both ends.',
      references: [
        { title: 'CWE-329: Generation of Predictable IV with CBC Mode', url: 'https://cwe.mitre.org/data/definitions/329.html' },
        { title: 'CWE-323: Reusing a Nonce, Key Pair in Encryption', url: 'https://cwe.mitre.org/data/definitions/323.html' },
        { title: 'CWE-1204: Generation of Weak Initialization Vector (IV)', url: 'https://cwe.mitre.org/data/definitions/1204.html' },
        { title: 'NIST SP 800-38D: GCM, section 8 (uniqueness of IVs)', url: 'https://csrc.nist.gov/pubs/sp/800/38/d/final' },
        { title: 'NIST SP 800-38A: Block cipher modes, Appendix C (generation of IVs)', url: 'https://csrc.nist.gov/pubs/sp/800/38/a/final' },
      ],
    },
  },
  check: findStaticIvs,
} satisfies Rule;
