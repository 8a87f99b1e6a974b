/**
 * The weak-hash tables: which algorithm names, library functions and constants select MD2, MD4, MD5 or
 * SHA-1, per API family. Data only (plus two name helpers), so adding an API is adding a row.
 */

export type WeakAlgorithm = 'MD2' | 'MD4' | 'MD5' | 'SHA-1';

/**
 * How the digest is used, when the API itself says so. `digest`: a plain hash; `hmac`: keyed (HMAC-SHA1 is
 * still approved, HMAC-MD5 is not); `signature`: a signature scheme over the weak hash; `integrity-check`: an
 * API whose whole purpose is checking an update image.
 */
export type HashUse = 'digest' | 'hmac' | 'signature' | 'integrity-check';

const WEAK_TOKEN: Record<string, WeakAlgorithm> = { md2: 'MD2', md4: 'MD4', md5: 'MD5', sha1: 'SHA-1', sha: 'SHA-1' };

/**
 * The weak algorithm an algorithm-name string selects, with the use its name implies: `md5`, `SHA-1`, `SHA`
 * (JCA's alias for SHA-1), `RSA-SHA1`, `sha1WithRSAEncryption`, `SHA1withECDSA`, `ecdsa-with-SHA1`,
 * `HmacMD5`. `SHA-256`, `sha3-256`, `blake2b512`, `ripemd160` are not weak here.
 */
export function weakAlgorithmOfName(name: string): { algorithm: WeakAlgorithm; use: HashUse } | undefined {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (n === 'md5sha1') return { algorithm: 'MD5', use: 'digest' };
  if (n === 'rsasha12') return { algorithm: 'SHA-1', use: 'signature' };
  const hmac = /^hmac(md2|md4|md5|sha1|sha)$/.exec(n);
  if (hmac) return { algorithm: WEAK_TOKEN[hmac[1]], use: 'hmac' };
  const m = /^(rsa|dsa|ecdsa|ssl3)?(with)?(md2|md4|md5|sha1|sha)(with[a-z0-9]+)?$/.exec(n);
  if (!m) return undefined;
  const signed = Boolean(m[4] || m[2] || (m[1] && m[1] !== 'ssl3'));
  return { algorithm: WEAK_TOKEN[m[3]], use: signed ? 'signature' : 'digest' };
}

/**
 * The SHA-256 spelling of a weak algorithm-name string, keeping its style: `md5` → `sha256`,
 * `SHA-1` → `SHA-256`, `RSA-SHA1` → `RSA-SHA256`, `HmacMD5` → `HmacSHA256`. `hyphen` forces `SHA-256`
 * (JCA and WebCrypto names).
 */
export function sha256Spelling(name: string, style: 'keep' | 'hyphen' = 'keep'): string | undefined {
  const re = /md[245]|sha-?1(?!\d)|sha(?![-\d])/i;
  const m = re.exec(name);
  if (!m) return undefined;
  const upper = m[0] !== m[0].toLowerCase();
  const hyphen = style === 'hyphen' || m[0].includes('-');
  const sha256 = hyphen ? 'sha-256' : 'sha256';
  return name.slice(0, m.index) + (upper ? sha256.toUpperCase() : sha256) + name.slice(m.index + m[0].length);
}

/** A C/C++ function whose name alone selects a weak hash. `fix` renames it to the SHA-256 equivalent. */
export interface WeakFunction {
  pattern: RegExp;
  algorithm: (m: RegExpExecArray) => WeakAlgorithm;
  use: HashUse;
  fix?: string;
}

const byToken =
  (group: number) =>
  (m: RegExpExecArray): WeakAlgorithm =>
    WEAK_TOKEN[m[group].toLowerCase().replace(/[^a-z0-9]/g, '')] ?? 'SHA-1';

export const C_WEAK_FUNCTIONS: readonly WeakFunction[] = [
  // OpenSSL low-level digests (deprecated since 3.0) and their EVP selectors.
  { pattern: /^(MD2|MD4|MD5|SHA1)(?:_Init|_Update|_Final|_Transform)?$/, algorithm: byToken(1), use: 'digest' },
  { pattern: /^EVP_(md2|md4|md5|sha1)$/, algorithm: byToken(1), use: 'digest', fix: 'EVP_sha256' },
  { pattern: /^EVP_(md5)_sha1$/, algorithm: byToken(1), use: 'digest' },
  // mbedTLS direct APIs (mbedtls_md5_starts, mbedtls_sha1_ret, ...).
  { pattern: /^mbedtls_(md2|md4|md5|sha1)(?:_[a-z0-9_]+)?$/, algorithm: byToken(1), use: 'digest' },
  // wolfCrypt (wc_InitMd5, wc_Md5Update, wc_ShaHash, wc_InitSha_ex, ...).
  { pattern: /^wc_(?:Init)?(Md2|Md4|Md5|Sha)(?:_ex|Update|Final|Hash|Free|GetHash|Copy)?(?:_ex)?$/, algorithm: byToken(1), use: 'digest' },
  // ESP-IDF / ESP8266 ROM MD5 and the BSD-style MD5Init family.
  { pattern: /^esp_rom_(md5)_(?:init|update|final)$/, algorithm: byToken(1), use: 'digest' },
  { pattern: /^(MD5)(?:Init|Update|Final)$/, algorithm: byToken(1), use: 'digest' },
  // STM32 HAL HASH peripheral.
  { pattern: /^HAL_HASH_(MD5|SHA1)_\w+$/, algorithm: byToken(1), use: 'digest' },
  { pattern: /^HAL_HMAC_(MD5|SHA1)_\w+$/, algorithm: byToken(1), use: 'hmac' },
  // Arduino core MD5/SHA-1 helpers created as objects (declarations are found by text scan).
  { pattern: /^(MD5|SHA1)Builder$/, algorithm: byToken(1), use: 'digest' },
];

/** Identifiers (enum values, macros) that select a weak hash when passed to a crypto API in C/C++. */
export const C_WEAK_CONSTANTS: Readonly<Record<string, { algorithm: WeakAlgorithm; fixIn?: Record<string, string> }>> = {
  MBEDTLS_MD_MD2: { algorithm: 'MD2', fixIn: { mbedtls_md_info_from_type: 'MBEDTLS_MD_SHA256' } },
  MBEDTLS_MD_MD4: { algorithm: 'MD4', fixIn: { mbedtls_md_info_from_type: 'MBEDTLS_MD_SHA256' } },
  MBEDTLS_MD_MD5: { algorithm: 'MD5', fixIn: { mbedtls_md_info_from_type: 'MBEDTLS_MD_SHA256' } },
  MBEDTLS_MD_SHA1: { algorithm: 'SHA-1', fixIn: { mbedtls_md_info_from_type: 'MBEDTLS_MD_SHA256' } },
  PSA_ALG_MD2: { algorithm: 'MD2', fixIn: { psa_hash_setup: 'PSA_ALG_SHA_256' } },
  PSA_ALG_MD4: { algorithm: 'MD4', fixIn: { psa_hash_setup: 'PSA_ALG_SHA_256' } },
  PSA_ALG_MD5: { algorithm: 'MD5', fixIn: { psa_hash_setup: 'PSA_ALG_SHA_256' } },
  PSA_ALG_SHA_1: { algorithm: 'SHA-1', fixIn: { psa_hash_setup: 'PSA_ALG_SHA_256' } },
  CALG_MD2: { algorithm: 'MD2' },
  CALG_MD4: { algorithm: 'MD4' },
  CALG_MD5: { algorithm: 'MD5' },
  CALG_SHA: { algorithm: 'SHA-1' },
  CALG_SHA1: { algorithm: 'SHA-1' },
  CALG_SSL3_SHAMD5: { algorithm: 'MD5' },
  BCRYPT_MD2_ALGORITHM: { algorithm: 'MD2' },
  BCRYPT_MD4_ALGORITHM: { algorithm: 'MD4' },
  BCRYPT_MD5_ALGORITHM: { algorithm: 'MD5' },
  BCRYPT_SHA1_ALGORITHM: { algorithm: 'SHA-1' },
  WC_HASH_TYPE_MD2: { algorithm: 'MD2' },
  WC_HASH_TYPE_MD4: { algorithm: 'MD4' },
  WC_HASH_TYPE_MD5: { algorithm: 'MD5' },
  WC_HASH_TYPE_MD5_SHA: { algorithm: 'MD5' },
  WC_HASH_TYPE_SHA: { algorithm: 'SHA-1' },
  NID_md2: { algorithm: 'MD2' },
  NID_md4: { algorithm: 'MD4' },
  NID_md5: { algorithm: 'MD5' },
  NID_sha1: { algorithm: 'SHA-1' },
  HASH_ALGOSELECTION_MD5: { algorithm: 'MD5' },
  HASH_ALGOSELECTION_SHA1: { algorithm: 'SHA-1' },
  'QCryptographicHash.Md4': { algorithm: 'MD4' },
  'QCryptographicHash.Md5': { algorithm: 'MD5' },
  'QCryptographicHash.Sha1': { algorithm: 'SHA-1' },
};

/** C/C++ functions that select a digest by name: callee → index of the name argument. */
export const C_DIGEST_BY_NAME: Readonly<Record<string, number>> = {
  EVP_get_digestbyname: 0,
  EVP_MD_fetch: 1,
  EVP_Q_digest: 1,
  mbedtls_md_info_from_string: 0,
  BCryptOpenAlgorithmProvider: 1,
};

/** C/C++ callees whose name string can be replaced by its SHA-256 spelling. */
export const C_DIGEST_BY_NAME_FIXABLE: ReadonlySet<string> = new Set(['EVP_get_digestbyname', 'EVP_MD_fetch']);

/** Apache Commons Codec DigestUtils methods → their SHA-256 counterpart. */
export const DIGEST_UTILS_METHODS: Readonly<Record<string, { algorithm: WeakAlgorithm; fix: string }>> = {
  md2: { algorithm: 'MD2', fix: 'sha256' },
  md2Hex: { algorithm: 'MD2', fix: 'sha256Hex' },
  md5: { algorithm: 'MD5', fix: 'sha256' },
  md5Hex: { algorithm: 'MD5', fix: 'sha256Hex' },
  sha: { algorithm: 'SHA-1', fix: 'sha256' },
  shaHex: { algorithm: 'SHA-1', fix: 'sha256Hex' },
  sha1: { algorithm: 'SHA-1', fix: 'sha256' },
  sha1Hex: { algorithm: 'SHA-1', fix: 'sha256Hex' },
  getMd2Digest: { algorithm: 'MD2', fix: 'getSha256Digest' },
  getMd5Digest: { algorithm: 'MD5', fix: 'getSha256Digest' },
  getShaDigest: { algorithm: 'SHA-1', fix: 'getSha256Digest' },
  getSha1Digest: { algorithm: 'SHA-1', fix: 'getSha256Digest' },
};

/** Commons Codec `MessageDigestAlgorithms` constants that name a weak hash. */
export const DIGEST_ALGORITHM_CONSTANTS: Readonly<Record<string, WeakAlgorithm>> = {
  MD2: 'MD2',
  MD5: 'MD5',
  SHA_1: 'SHA-1',
};

/** Guava `Hashing` factories → their SHA-256 counterpart. */
export const GUAVA_HASHING: Readonly<Record<string, { algorithm: WeakAlgorithm; use: HashUse; fix: string }>> = {
  md5: { algorithm: 'MD5', use: 'digest', fix: 'sha256' },
  sha1: { algorithm: 'SHA-1', use: 'digest', fix: 'sha256' },
  hmacMd5: { algorithm: 'MD5', use: 'hmac', fix: 'hmacSha256' },
  hmacSha1: { algorithm: 'SHA-1', use: 'hmac', fix: 'hmacSha256' },
};

/** Python modules whose `new()` / constructor is a weak hash: canonical dotted callee → algorithm. */
export const PYTHON_WEAK_CALLEES: Readonly<Record<string, { algorithm: WeakAlgorithm; fix?: string }>> = {
  'hashlib.md5': { algorithm: 'MD5', fix: 'sha256' },
  'hashlib.sha1': { algorithm: 'SHA-1', fix: 'sha256' },
  'cryptography.hazmat.primitives.hashes.MD5': { algorithm: 'MD5', fix: 'SHA256' },
  'cryptography.hazmat.primitives.hashes.SHA1': { algorithm: 'SHA-1', fix: 'SHA256' },
  'Crypto.Hash.MD2.new': { algorithm: 'MD2' },
  'Crypto.Hash.MD4.new': { algorithm: 'MD4' },
  'Crypto.Hash.MD5.new': { algorithm: 'MD5' },
  'Crypto.Hash.SHA.new': { algorithm: 'SHA-1' },
  'Crypto.Hash.SHA1.new': { algorithm: 'SHA-1' },
  'Cryptodome.Hash.MD2.new': { algorithm: 'MD2' },
  'Cryptodome.Hash.MD4.new': { algorithm: 'MD4' },
  'Cryptodome.Hash.MD5.new': { algorithm: 'MD5' },
  'Cryptodome.Hash.SHA1.new': { algorithm: 'SHA-1' },
  // Python 2 modules, still found in old device tooling.
  'md5.new': { algorithm: 'MD5' },
  'md5.md5': { algorithm: 'MD5' },
  'sha.new': { algorithm: 'SHA-1' },
  'sha.sha': { algorithm: 'SHA-1' },
};

/** npm packages whose default export hashes with a weak algorithm. */
export const JS_WEAK_PACKAGES: Readonly<Record<string, WeakAlgorithm>> = {
  md5: 'MD5',
  'js-md5': 'MD5',
  'blueimp-md5': 'MD5',
  'crypto-js/md5': 'MD5',
  sha1: 'SHA-1',
  'js-sha1': 'SHA-1',
  'crypto-js/sha1': 'SHA-1',
};

/** crypto-js methods → algorithm, use and SHA-256 counterpart. */
export const CRYPTO_JS_METHODS: Readonly<Record<string, { algorithm: WeakAlgorithm; use: HashUse; fix: string }>> = {
  MD5: { algorithm: 'MD5', use: 'digest', fix: 'SHA256' },
  SHA1: { algorithm: 'SHA-1', use: 'digest', fix: 'SHA256' },
  HmacMD5: { algorithm: 'MD5', use: 'hmac', fix: 'HmacSHA256' },
  HmacSHA1: { algorithm: 'SHA-1', use: 'hmac', fix: 'HmacSHA256' },
};

/** Words that say a digest protects a password (CWE-916: a fast hash is wrong even when it is SHA-256). */
export const PASSWORD_WORDS: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'pin',
  'passcode',
  'credential',
  'credentials',
]);

/** Words that say a digest guards firmware, updates or signed data. */
export const INTEGRITY_WORDS: ReadonlySet<string> = new Set([
  'firmware',
  'fw',
  'ota',
  'dfu',
  'image',
  'img',
  'bootloader',
  'boot',
  'signature',
  'sig',
  'signed',
  'sign',
  'verify',
  'integrity',
  'manifest',
]);

/** Words that say a digest is only an identifier (cache key, ETag, shard): still flagged, at low confidence. */
export const NON_SECURITY_WORDS: ReadonlySet<string> = new Set(['cache', 'etag', 'dedup', 'dedupe', 'shard', 'bucket']);
