/**
 * Where encryption APIs take their IV or nonce: C/C++ (mbedTLS, OpenSSL, wolfCrypt, PSA, CNG) by argument index,
 * and the JCA parameter specs and Node `createCipheriv`. static-iv asks whether that argument is fixed;
 * weak-random-for-security whether a non-cryptographic PRNG fills it.
 */
import type { Call } from '../../server/src/core/model/types';

/** C/C++ encryption calls and the index of their IV/nonce argument (decrypt-only calls take the peer's IV). */
export const C_IV_ARGS: Readonly<Record<string, number>> = {
  mbedtls_aes_crypt_cbc: 3,
  mbedtls_aes_crypt_cfb8: 3,
  mbedtls_aes_crypt_cfb128: 4,
  mbedtls_aes_crypt_ofb: 3,
  mbedtls_aes_crypt_ctr: 3,
  mbedtls_gcm_crypt_and_tag: 3,
  mbedtls_gcm_starts: 2,
  mbedtls_ccm_encrypt_and_tag: 2,
  mbedtls_ccm_star_encrypt_and_tag: 2,
  mbedtls_chachapoly_encrypt_and_tag: 2,
  mbedtls_chacha20_crypt: 1,
  mbedtls_cipher_set_iv: 1,
  mbedtls_cipher_crypt: 1,
  mbedtls_cipher_auth_encrypt_ext: 1,
  EVP_EncryptInit_ex: 4,
  EVP_EncryptInit: 3,
  EVP_EncryptInit_ex2: 3,
  EVP_CipherInit_ex: 4,
  EVP_CipherInit: 3,
  AES_cbc_encrypt: 4,
  AES_cfb128_encrypt: 4,
  AES_ofb128_encrypt: 4,
  wc_AesSetIV: 1,
  wc_AesSetKey: 3,
  wc_AesGcmEncrypt: 4,
  wc_AesCcmEncrypt: 4,
  psa_cipher_set_iv: 1,
  psa_aead_set_nonce: 1,
  psa_aead_encrypt: 2,
  BCryptEncrypt: 4,
};

/** JCA parameter specs and Node factories: the index of the IV/nonce argument. */
const OBJECT_IV_ARGS: Readonly<Record<string, number>> = {
  IvParameterSpec: 0,
  GCMParameterSpec: 1,
  ChaCha20ParameterSpec: 0,
  createCipheriv: 2,
};

/** The index of the IV or nonce argument of an encryption call, if it is one. */
export function ivArgumentOf(call: Call): number | undefined {
  const own = (table: Readonly<Record<string, number>>) =>
    Object.prototype.hasOwnProperty.call(table, call.name) ? table[call.name] : undefined;
  if (call.callee === call.name && own(C_IV_ARGS) !== undefined) return own(C_IV_ARGS);
  return own(OBJECT_IV_ARGS);
}
