/**
 * The key parameters of symmetric-cipher and MAC key-setting APIs across the libraries device code uses:
 * mbedTLS/PSA, OpenSSL, wolfSSL, tinycrypt, ESP-IDF, Windows CNG, JCA, PyCryptodome/cryptography/hmac,
 * and Node's crypto. `index` is the positional key argument; `keyword` the Python keyword form.
 */
import type { Call } from '../../server/src/core/model/types';

export interface KeyParameter {
  /** Callee names (last segment) or full dotted callees. */
  names: readonly string[];
  index: number;
  keyword?: string;
  /** The receiver (module or class) must match, for generic names such as `new`. */
  receiver?: RegExp;
  /** What the key is for, in messages. */
  purpose: 'cipher' | 'MAC' | 'key';
}

export const KEY_PARAMETERS: readonly KeyParameter[] = [
  // Python's hmac module first: its `hmac.HMAC` would otherwise match OpenSSL's C `HMAC` below.
  { names: ['hmac.new', 'hmac.digest', 'hmac.HMAC'], index: 0, keyword: 'key', purpose: 'MAC' },
  // mbedTLS, ESP-IDF hardware AES, PSA Crypto
  {
    names: [
      'mbedtls_aes_setkey_enc',
      'mbedtls_aes_setkey_dec',
      'mbedtls_aes_xts_setkey_enc',
      'mbedtls_aes_xts_setkey_dec',
      'esp_aes_setkey',
    ],
    index: 1,
    purpose: 'cipher',
  },
  { names: ['mbedtls_gcm_setkey', 'mbedtls_ccm_setkey'], index: 2, purpose: 'cipher' },
  {
    names: [
      'mbedtls_chachapoly_setkey',
      'mbedtls_chacha20_setkey',
      'mbedtls_cipher_setkey',
      'mbedtls_camellia_setkey_enc',
      'mbedtls_aria_setkey_enc',
    ],
    index: 1,
    purpose: 'cipher',
  },
  { names: ['mbedtls_md_hmac_starts', 'mbedtls_md_hmac', 'mbedtls_cipher_cmac_starts', 'mbedtls_cipher_cmac'], index: 1, purpose: 'MAC' },
  { names: ['psa_import_key'], index: 1, purpose: 'key' },
  // OpenSSL / BoringSSL
  { names: ['AES_set_encrypt_key', 'AES_set_decrypt_key'], index: 0, purpose: 'cipher' },
  { names: ['EVP_EncryptInit_ex', 'EVP_DecryptInit_ex', 'EVP_CipherInit_ex'], index: 3, purpose: 'cipher' },
  {
    names: ['EVP_EncryptInit', 'EVP_DecryptInit', 'EVP_CipherInit', 'EVP_EncryptInit_ex2', 'EVP_DecryptInit_ex2', 'EVP_CipherInit_ex2'],
    index: 2,
    purpose: 'cipher',
  },
  { names: ['HMAC', 'HMAC_Init_ex', 'HMAC_Init'], index: 1, purpose: 'MAC' },
  { names: ['EVP_PKEY_new_raw_private_key', 'EVP_PKEY_new_mac_key'], index: 2, purpose: 'MAC' },
  // wolfSSL / wolfCrypt
  { names: ['wc_AesSetKey', 'wc_AesGcmSetKey', 'wc_AesCcmSetKey', 'wc_Chacha_SetKey', 'wc_AesSetKeyDirect'], index: 1, purpose: 'cipher' },
  { names: ['wc_HmacSetKey'], index: 2, purpose: 'MAC' },
  // tinycrypt (Zephyr)
  { names: ['tc_aes128_set_encrypt_key', 'tc_aes128_set_decrypt_key'], index: 1, purpose: 'cipher' },
  { names: ['tc_hmac_set_key', 'tc_cmac_setup'], index: 1, purpose: 'MAC' },
  // Windows CNG
  { names: ['BCryptGenerateSymmetricKey'], index: 4, purpose: 'cipher' },
  // JCA (Java / Kotlin)
  { names: ['SecretKeySpec', 'DESKeySpec', 'DESedeKeySpec'], index: 0, purpose: 'key' },
  // Python: PyCryptodome, cryptography, hmac
  {
    names: ['new'],
    receiver: /^(?:AES|DES3|ChaCha20|ChaCha20_Poly1305|Salsa20|Blowfish|ARC4|CAST|HMAC|CMAC)$/,
    index: 0,
    keyword: 'key',
    purpose: 'cipher',
  },
  { names: ['Fernet', 'AESGCM', 'AESCCM', 'AESSIV', 'AESOCB3', 'ChaCha20Poly1305'], index: 0, keyword: 'key', purpose: 'cipher' },
  {
    names: ['algorithms.AES', 'algorithms.ChaCha20', 'algorithms.Camellia', 'algorithms.TripleDES'],
    index: 0,
    keyword: 'key',
    purpose: 'cipher',
  },
  // Node crypto
  { names: ['createCipheriv', 'createDecipheriv'], index: 1, purpose: 'cipher' },
  { names: ['createHmac'], index: 1, purpose: 'MAC' },
  { names: ['createSecretKey'], index: 0, purpose: 'key' },
  { names: ['importKey'], receiver: /subtle$/, index: 1, purpose: 'key' },
];

/** The key parameter `call` has, if it is a key-setting API. */
export function keyParameterOf(call: Call): KeyParameter | undefined {
  const byName = PARAMETERS_BY_NAME.get(call.name);
  const byCallee = call.callee === call.name ? undefined : PARAMETERS_BY_NAME.get(call.callee);
  if (!byName && !byCallee) return undefined;
  // The table's order decides between candidates (`hmac.HMAC` before C's `HMAC`): the first that fits wins.
  const candidates = byName && byCallee ? [...byName, ...byCallee].sort((a, b) => a - b) : (byName ?? byCallee)!;
  for (const index of candidates) {
    const p = KEY_PARAMETERS[index];
    if (!p.receiver || (call.receiver !== undefined && p.receiver.test(call.receiver.text))) return p;
  }
  return undefined;
}

/** Each name of `KEY_PARAMETERS` → the indexes of its entries, in table order: one lookup per call. */
const PARAMETERS_BY_NAME: ReadonlyMap<string, readonly number[]> = (() => {
  const index = new Map<string, number[]>();
  KEY_PARAMETERS.forEach((p, i) => {
    for (const name of new Set(p.names)) index.set(name, [...(index.get(name) ?? []), i]);
  });
  return index;
})();

/** Calls that turn a hex, base64 or text literal into key bytes: the literal is the key. */
export const DECODERS = new Set([
  'fromhex',
  'unhexlify',
  'a2b_hex',
  'b64decode',
  'urlsafe_b64decode',
  'decode',
  'decodeHex',
  'hexToBytes',
  'parseHex',
  'fromHex',
  'hexStringToByteArray',
  'hexToByteArray',
  'from',
  'getBytes',
  'toByteArray',
  'encode',
  'encodeToByteArray',
  'toCharArray',
  'c_str',
  'data',
  'hexToByteArray',
  'decodeBase64',
]);

/**
 * Decoders whose value is their receiver in another form: `k.getBytes("UTF-8")`, `s.encode('ascii')`. Their
 * argument is a charset or an encoding name, never the key.
 */
export const RECEIVER_CONVERSIONS = new Set(['getBytes', 'toByteArray', 'encode', 'encodeToByteArray', 'toCharArray', 'c_str', 'data']);

/** Calls that build key bytes from numeric literals: `byteArrayOf(...)`, `bytes([...])`, `new Uint8Array([...])`. */
export const BYTE_BUILDERS = new Set([
  'byteArrayOf',
  'ubyteArrayOf',
  'bytes',
  'bytearray',
  'Uint8Array',
  'Uint8Array.from',
  'Buffer.from',
  'Buffer.of',
  'arrayOf',
]);

/** Names and functions of known-answer self-tests: published test vectors, not secrets. */
export const SELF_TEST = /self_?test|selftest|known_?answer|\bkat\b|_kat\b|\bkat_|test_?vector|nist_?vector|fips_?test|power_?on_?test/i;
