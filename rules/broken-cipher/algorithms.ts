/**
 * The broken-cipher tables: which cipher names, functions and constants select DES, 3DES, RC2, RC4,
 * Blowfish, ECB mode or RSA encryption without OAEP, per API family. Data and name classifiers only.
 */

export type CipherWeakness = 'DES' | '3DES' | 'RC2' | 'RC4' | 'Blowfish' | 'ECB' | 'RSA-PKCS1' | 'RSA-default' | 'RSA-raw';

/** Why each weakness matters and what to use, worded for the finding message. */
export const WEAKNESS_TEXT: Readonly<Record<CipherWeakness, { what: string; instead: string }>> = {
  DES: {
    what: 'DES, whose 56-bit key is brute-forced in hours with commodity hardware',
    instead: 'Use AES-256-GCM (or ChaCha20-Poly1305) with a fresh nonce per message.',
  },
  '3DES': {
    what: '3DES/TDEA, whose 64-bit block leaks plaintext after about 2^32 blocks under one key (Sweet32) and which NIST disallows for encryption after 2023',
    instead: 'Use AES-256-GCM (or ChaCha20-Poly1305) with a fresh nonce per message.',
  },
  RC2: {
    what: 'RC2, a 64-bit-block cipher with known related-key attacks and no NIST approval',
    instead: 'Use AES-256-GCM (or ChaCha20-Poly1305) with a fresh nonce per message.',
  },
  RC4: {
    what: 'RC4, whose biased keystream lets repeated plaintext (commands, session cookies) be recovered; RFC 7465 bans it from TLS',
    instead: 'Use AES-256-GCM (or ChaCha20-Poly1305) with a fresh nonce per message.',
  },
  Blowfish: {
    what: 'Blowfish, a 64-bit-block cipher (Sweet32 birthday attacks) that NIST never approved',
    instead: 'Use AES-256-GCM (or ChaCha20-Poly1305) with a fresh nonce per message.',
  },
  ECB: {
    what: 'ECB mode, which encrypts equal blocks to equal ciphertext, so patterns in records and waveforms show through and blocks can be cut, replayed or reordered undetected',
    instead: 'Use an authenticated mode (AES-GCM or AES-CCM) with a fresh nonce per message.',
  },
  'RSA-PKCS1': {
    what: 'RSA encryption with PKCS#1 v1.5 padding, which is open to Bleichenbacher padding-oracle attacks (CWE-780)',
    instead: 'Use OAEP padding (`RSA/ECB/OAEPWithSHA-256AndMGF1Padding`, `padding.OAEP`, `RSA_PKCS1_OAEP_PADDING`).',
  },
  'RSA-default': {
    what: "RSA with the provider's default padding, which is PKCS#1 v1.5 and open to Bleichenbacher padding-oracle attacks (CWE-780)",
    instead: 'Name OAEP explicitly: `RSA/ECB/OAEPWithSHA-256AndMGF1Padding`.',
  },
  'RSA-raw': {
    what: 'RSA without padding ("textbook" RSA), which is deterministic and malleable (CWE-780)',
    instead: 'Use OAEP padding (`RSA/ECB/OAEPWithSHA-256AndMGF1Padding`).',
  },
};

/** OpenSSL / Node / EVP cipher names: `des-ede3-cbc`, `rc4`, `bf-cbc`, `aes-128-ecb`, `DES-EDE3-CBC`. */
export function weaknessOfCipherName(name: string): CipherWeakness | undefined {
  const n = name.trim().toLowerCase();
  if (/^(des-ede3?|des3|desede|tripledes|3des)(?![a-z0-9])/.test(n)) return '3DES';
  if (/^desx?(?![a-z0-9])/.test(n)) return 'DES';
  if (/^(rc4|arc4|arcfour)(?![a-z0-9])/.test(n)) return 'RC4';
  if (/^rc2(?![a-z0-9])/.test(n)) return 'RC2';
  if (/^(bf|blowfish)(?![a-z0-9])/.test(n)) return 'Blowfish';
  if (/^(id-)?[a-z0-9]+(-\d+)?-ecb$/.test(n)) return 'ECB';
  return undefined;
}

/**
 * A JCA transformation (`Cipher.getInstance`): `DES/CBC/PKCS5Padding`, `DESede`, `AES` (the provider default
 * is ECB), `AES/ECB/NoPadding`, `RSA` (default PKCS#1 v1.5), `RSA/ECB/PKCS1Padding`, `PBEWithMD5AndDES`.
 * `gcmFix` says whether swapping the transformation for `AES/GCM/NoPadding` is the natural suggestion.
 */
export function weaknessOfTransformation(transformation: string): { weakness: CipherWeakness; gcmFix: boolean } | undefined {
  const [alg = '', mode, padding] = transformation.trim().split('/');
  const a = alg.toLowerCase();
  const pbe = /^pbewith\w*?and(desede|tripledes|des|rc2|rc4)/.exec(a);
  if (pbe)
    return {
      weakness: ({ desede: '3DES', tripledes: '3DES', des: 'DES', rc2: 'RC2', rc4: 'RC4' } as const)[pbe[1] as 'des'],
      gcmFix: false,
    };
  const named = weaknessOfAlgorithmName(alg);
  if (named) return { weakness: named, gcmFix: false };
  if (a === 'rsa') {
    if (!padding) return { weakness: 'RSA-default', gcmFix: false };
    if (/^pkcs1padding$/i.test(padding)) return { weakness: 'RSA-PKCS1', gcmFix: false };
    if (/^nopadding$/i.test(padding)) return { weakness: 'RSA-raw', gcmFix: false };
    return undefined;
  }
  if (/^aes(_\d+)?$/.test(a) && mode === undefined) return { weakness: 'ECB', gcmFix: true };
  if (mode && mode.toLowerCase() === 'ecb') return { weakness: 'ECB', gcmFix: /^aes(_\d+)?$/.test(a) };
  return undefined;
}

/** A bare algorithm name (JCA `KeyGenerator`/`SecretKeySpec`, Windows CNG string ids): `DES`, `DESede`, `RC4`. */
export function weaknessOfAlgorithmName(name: string): CipherWeakness | undefined {
  const a = name.trim().toLowerCase().replace(/_/g, '');
  if (a === 'des' || a === 'desx') return 'DES';
  if (a === 'desede' || a === 'tripledes' || a === '3des' || a === '3des112') return '3DES';
  if (a === 'rc4' || a === 'arcfour' || a === 'arc4') return 'RC4';
  if (a === 'rc2') return 'RC2';
  if (a === 'blowfish') return 'Blowfish';
  return undefined;
}

/** C/C++ functions whose name selects a weak cipher (OpenSSL EVP and legacy DES, mbedTLS). */
export const C_WEAK_CIPHER_FUNCTIONS: readonly { pattern: RegExp; weakness: CipherWeakness }[] = [
  { pattern: /^EVP_des_ede3?(_\w+)?$/, weakness: '3DES' },
  { pattern: /^EVP_desx?_\w+$/, weakness: 'DES' },
  { pattern: /^EVP_rc4(_\w+)?$/, weakness: 'RC4' },
  { pattern: /^EVP_rc2_\w+$/, weakness: 'RC2' },
  { pattern: /^EVP_bf_\w+$/, weakness: 'Blowfish' },
  { pattern: /^EVP_\w+_ecb$/, weakness: 'ECB' },
  // OpenSSL's legacy DES API: key schedules and the encrypt calls (not DES_random_key / DES_set_odd_parity alone).
  {
    pattern:
      /^DES_(set_key\w*|key_sched|ecb3?_encrypt|ncbc_encrypt|ede[23]_cbc_encrypt|ede3_cbc_encrypt|cbc_encrypt|cfb64_encrypt|ofb64_encrypt|ede3_cfb64_encrypt|ede3_ofb64_encrypt)$/,
    weakness: 'DES',
  },
  { pattern: /^RC4(_set_key)?$/, weakness: 'RC4' },
  { pattern: /^BF_(set_key|ecb_encrypt|cbc_encrypt|cfb64_encrypt|ofb64_encrypt)$/, weakness: 'Blowfish' },
  // mbedTLS: the key-setting and crypt calls (init/free alone carry no data).
  { pattern: /^mbedtls_des3_(set[23]key_(enc|dec)|crypt_(ecb|cbc))$/, weakness: '3DES' },
  { pattern: /^mbedtls_des_(setkey_(enc|dec)|crypt_(ecb|cbc))$/, weakness: 'DES' },
  { pattern: /^mbedtls_arc4_(setup|crypt)$/, weakness: 'RC4' },
  { pattern: /^mbedtls_blowfish_(setkey|crypt_\w+)$/, weakness: 'Blowfish' },
  // wolfCrypt.
  { pattern: /^wc_Des3_(SetKey|CbcEncrypt|CbcDecrypt|EcbEncrypt|EcbDecrypt)$/, weakness: '3DES' },
  { pattern: /^wc_Des_(SetKey|CbcEncrypt|CbcDecrypt|EcbEncrypt|EcbDecrypt)$/, weakness: 'DES' },
  { pattern: /^wc_Arc4(SetKey|Process)$/, weakness: 'RC4' },
];

/** C/C++ identifiers (macros, enum values) that select a weak cipher or mode wherever they appear in code. */
export const C_WEAK_CIPHER_CONSTANTS: readonly { pattern: RegExp; weakness: (name: string) => CipherWeakness }[] = [
  { pattern: /^MBEDTLS_CIPHER_DES_EDE3?_\w+$/, weakness: () => '3DES' },
  { pattern: /^MBEDTLS_CIPHER_DES_\w+$/, weakness: () => 'DES' },
  { pattern: /^MBEDTLS_CIPHER_ARC4_128$/, weakness: () => 'RC4' },
  { pattern: /^MBEDTLS_CIPHER_BLOWFISH_\w+$/, weakness: () => 'Blowfish' },
  { pattern: /^MBEDTLS_CIPHER_\w+_ECB$/, weakness: () => 'ECB' },
  { pattern: /^MBEDTLS_MODE_ECB$/, weakness: () => 'ECB' },
  { pattern: /^PSA_ALG_ECB_NO_PADDING$/, weakness: () => 'ECB' },
  { pattern: /^PSA_KEY_TYPE_(DES|ARC4)$/, weakness: (n) => (n.endsWith('DES') ? '3DES' : 'RC4') },
  // Windows CNG and CryptoAPI.
  { pattern: /^BCRYPT_(3DES|3DES_112)_ALGORITHM$/, weakness: () => '3DES' },
  { pattern: /^BCRYPT_DESX?_ALGORITHM$/, weakness: () => 'DES' },
  { pattern: /^BCRYPT_RC4_ALGORITHM$/, weakness: () => 'RC4' },
  { pattern: /^BCRYPT_RC2_ALGORITHM$/, weakness: () => 'RC2' },
  { pattern: /^BCRYPT_CHAIN_MODE_ECB$/, weakness: () => 'ECB' },
  { pattern: /^CALG_(3DES|3DES_112)$/, weakness: () => '3DES' },
  { pattern: /^CALG_(DES|DESX|CYLINK_MEK)$/, weakness: () => 'DES' },
  { pattern: /^CALG_RC4$/, weakness: () => 'RC4' },
  { pattern: /^CALG_RC2$/, weakness: () => 'RC2' },
  { pattern: /^CRYPT_MODE_ECB$/, weakness: () => 'ECB' },
];

/** A C/C++ identifier token that may be one of the constants above (cheap pre-filter for the text scan). */
export const C_CONSTANT_TOKEN =
  /\b(?:MBEDTLS_CIPHER_\w+|MBEDTLS_MODE_ECB|PSA_ALG_ECB_NO_PADDING|PSA_KEY_TYPE_(?:DES|ARC4)|BCRYPT_\w+_ALGORITHM|BCRYPT_CHAIN_MODE_ECB|CALG_\w+|CRYPT_MODE_ECB)\b/g;

/** PyCryptodome / PyCrypto cipher modules (`Crypto.Cipher.DES.new`). */
export const PYTHON_CIPHER_MODULES: Readonly<Record<string, CipherWeakness>> = {
  DES: 'DES',
  DES3: '3DES',
  ARC4: 'RC4',
  ARC2: 'RC2',
  Blowfish: 'Blowfish',
};

/** `cryptography` algorithm classes. */
export const PYTHON_CRYPTOGRAPHY_ALGORITHMS: Readonly<Record<string, CipherWeakness>> = {
  TripleDES: '3DES',
  ARC4: 'RC4',
  Blowfish: 'Blowfish',
};

/** crypto-js cipher objects (`CryptoJS.TripleDES.encrypt`). */
export const CRYPTO_JS_CIPHERS: Readonly<Record<string, CipherWeakness>> = {
  DES: 'DES',
  TripleDES: '3DES',
  RC4: 'RC4',
  RC4Drop: 'RC4',
};
