/**
 * Tables for key-derived-from-identifier: where device identifiers come from (MAC, serial number, chip
 * UID), calls that carry a value from one buffer into another, and the secret input of key derivation
 * functions. Key-setting APIs come from hardcoded-crypto-key's table.
 */

/** Identifier sources. `out` is the output-buffer argument; without it the call's result is the identifier. */
export const IDENTIFIER_CALLS: Readonly<Record<string, { label: string; out?: number }>> = {
  esp_read_mac: { label: 'MAC address', out: 0 },
  esp_efuse_mac_get_default: { label: 'factory MAC address', out: 0 },
  esp_efuse_mac_get_custom: { label: 'MAC address', out: 0 },
  esp_base_mac_addr_get: { label: 'MAC address', out: 0 },
  esp_wifi_get_mac: { label: 'MAC address', out: 1 },
  esp_netif_get_mac: { label: 'MAC address', out: 1 },
  hwinfo_get_device_id: { label: 'hardware device id', out: 0 },
  HAL_GetUIDw0: { label: 'chip unique id' },
  HAL_GetUIDw1: { label: 'chip unique id' },
  HAL_GetUIDw2: { label: 'chip unique id' },
  LL_GetUID_Word0: { label: 'chip unique id' },
  LL_GetUID_Word1: { label: 'chip unique id' },
  LL_GetUID_Word2: { label: 'chip unique id' },
  getEfuseMac: { label: 'MAC address' },
  getChipId: { label: 'chip id' },
  macAddress: { label: 'MAC address' },
  getMacAddress: { label: 'MAC address' },
  getHardwareAddress: { label: 'MAC address' },
  getSerial: { label: 'serial number' },
  getnode: { label: 'MAC address (uuid.getnode)' },
  unique_id: { label: 'chip unique id' },
  get_mac_address: { label: 'MAC address' },
  getMac: { label: 'MAC address' },
  getSerialNumber: { label: 'serial number' },
  get_serial_number: { label: 'serial number' },
  read_serial_number: { label: 'serial number' },
};

/** Identifier sources that are fields, not calls. */
export const IDENTIFIER_FIELDS: readonly { pattern: RegExp; label: string }[] = [
  { pattern: /\bBuild\.SERIAL\b/, label: 'serial number (Build.SERIAL)' },
  { pattern: /\.macAddress\b/, label: 'MAC address' },
  { pattern: /\bNRF_FICR\s*->\s*DEVICE(?:ID|ADDR)\b/, label: 'nRF device id' },
  { pattern: /\bUID_BASE\b/, label: 'chip unique id' },
  { pattern: /\bSettings\.Secure\.ANDROID_ID\b/, label: 'Android id' },
];

/** Calls that carry their inputs into an output buffer: `out` is that buffer's argument index. */
export const PROPAGATORS: Readonly<Record<string, number>> = {
  memcpy: 0,
  memmove: 0,
  strcpy: 0,
  strncpy: 0,
  strlcpy: 0,
  strcat: 0,
  strncat: 0,
  sprintf: 0,
  snprintf: 0,
  mbedtls_sha256: 2,
  mbedtls_sha256_ret: 2,
  mbedtls_sha512: 2,
  mbedtls_md: 3,
  SHA256: 2,
  SHA512: 2,
  mbedtls_sha256_update: 0,
  mbedtls_sha256_update_ret: 0,
  mbedtls_md_update: 0,
  SHA256_Update: 0,
  mbedtls_sha256_finish: 1,
  mbedtls_sha256_finish_ret: 1,
  mbedtls_md_finish: 1,
  SHA256_Final: 0,
  tc_sha256_update: 0,
  tc_sha256_final: 0,
};
/** Finish-style propagators read their context (argument 0, or 1 for SHA256_Final) and write the digest. */
export const FINISH_INPUT: Readonly<Record<string, number>> = {
  mbedtls_sha256_finish: 0,
  mbedtls_sha256_finish_ret: 0,
  mbedtls_md_finish: 0,
  SHA256_Final: 1,
  tc_sha256_final: 1,
};

/** Key derivation functions and the index (or Python keyword) of their secret input. */
export const KDF_INPUTS: readonly { names: readonly string[]; index: number; keyword?: string }[] = [
  { names: ['mbedtls_hkdf', 'mbedtls_hkdf_extract'], index: 3 },
  { names: ['mbedtls_pkcs5_pbkdf2_hmac', 'mbedtls_pkcs5_pbkdf2_hmac_ext', 'wc_PBKDF2', 'wc_HKDF'], index: 1 },
  { names: ['PKCS5_PBKDF2_HMAC', 'PKCS5_PBKDF2_HMAC_SHA1'], index: 0 },
  { names: ['psa_key_derivation_input_bytes'], index: 2 },
  { names: ['hashlib.pbkdf2_hmac', 'pbkdf2_hmac'], index: 1, keyword: 'password' },
  {
    names: ['hashlib.scrypt', 'scrypt', 'scryptSync', 'pbkdf2', 'pbkdf2Sync', 'PBKDF2', 'HKDF', 'PBEKeySpec', 'derive'],
    index: 0,
    keyword: 'password',
  },
  { names: ['hkdf', 'hkdfSync'], index: 1 },
];
