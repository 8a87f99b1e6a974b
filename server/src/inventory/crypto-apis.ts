/**
 * The table the inventory is driven by: which calls name an algorithm, a key length, a TLS version, or a
 * place a credential or key is loaded, and in which argument. One row per API shape; adding a library
 * means adding rows here, not code. Rows are matched on the call's last name segment (`name`) or on the
 * full dotted callee (`callee`).
 */
import type { LanguageId } from '../core/types';
import type { MaterialSource, MaterialType } from './types';

const C_FAMILY: readonly LanguageId[] = ['c', 'cpp'];
const JVM: readonly LanguageId[] = ['java', 'kotlin'];
const JS: readonly LanguageId[] = ['typescript', 'javascript'];
const PY: readonly LanguageId[] = ['python'];

export interface CryptoApi {
  /** Tested against the call's last segment. */
  name?: RegExp;
  /** Tested against the whole dotted callee (`hashlib.sha256`, `Cipher.getInstance`). */
  callee?: RegExp;
  languages?: readonly LanguageId[];
  /** The algorithm the function itself names. */
  algorithm?: string;
  /** Take the algorithm from capture group 1 of `name` (or of `callee` when `name` is absent). */
  algorithmFromName?: boolean;
  /** Argument (index or keyword) whose string or constant names the algorithm. */
  algorithmArg?: number | string;
  /** Builds the algorithm token from the digest argument: `HMAC` + `sha256` → `HMAC_SHA256`. */
  composeWith?: 'HMAC' | 'PBKDF2';
  /** Argument giving the cipher mode (`AES.MODE_GCM`, `modes.GCM(iv)`). */
  modeArg?: number;
  /** Fixed mode the function implies (`mbedtls_gcm_setkey`). */
  mode?: 'gcm' | 'ccm';
  /** Key length argument in bits / in bytes; a keyword (`key_size`) or an options-object key (`modulusLength`). */
  keyBitsArg?: number | string;
  keyBytesArg?: number | string;
  /** Argument naming the elliptic curve. */
  curveArg?: number | string;
  /**
   * A method on an object a factory made (`kpg.initialize(2048)` after `kpg = KeyPairGenerator.getInstance("RSA")`):
   * the factory's callee; the algorithm comes from its first argument.
   */
  receiverFactory?: RegExp;
  /** A TLS / DTLS protocol use. */
  tls?: {
    /** Argument holding the version; `'all'` reads every argument and array element. */
    versionArg?: number | string | 'all';
    /** The version is in the function's own name (`TLSv1_2_client_method`). */
    versionFromName?: boolean;
    minimum?: boolean;
    /** mbedTLS `mbedtls_ssl_config_defaults`: the transport argument picks TLS or DTLS. */
    transportArg?: number;
    /** mbedTLS 2.x `mbedtls_ssl_conf_min_version(conf, 3, minor)`. */
    minorArg?: number;
  };
  /** A credential or key is loaded here. */
  load?: {
    material: MaterialType;
    source: MaterialSource;
    /** Argument that names it (NVS key, environment variable, key alias, buffer or file). */
    nameArg?: number;
    /** Only when the name looks like a credential or key (NVS and environment reads of anything). */
    onlyCredentialNames?: boolean;
  };
}

export const CRYPTO_APIS: readonly CryptoApi[] = [
  // ---- mbedTLS ------------------------------------------------------------------------------------
  {
    name: /^mbedtls_(md5|md4|md2|sha1|sha224|sha256|sha384|sha512|sha3|ripemd160)(?:_starts|_init|_ret|_starts_ret)?$/,
    languages: C_FAMILY,
    algorithmFromName: true,
  },
  { name: /^mbedtls_aes_setkey_(?:enc|dec)$/, languages: C_FAMILY, algorithm: 'AES', keyBitsArg: 2 },
  { name: /^mbedtls_aes_crypt_(ecb|cbc|cfb128|cfb8|ofb|ctr|xts)$/, languages: C_FAMILY, algorithmFromName: true },
  { name: /^mbedtls_gcm_setkey$/, languages: C_FAMILY, algorithmArg: 1, keyBitsArg: 3, mode: 'gcm' },
  { name: /^mbedtls_ccm_setkey$/, languages: C_FAMILY, algorithmArg: 1, keyBitsArg: 3, mode: 'ccm' },
  { name: /^mbedtls_(des3?)_set\w*key\w*$/, languages: C_FAMILY, algorithmFromName: true },
  { name: /^mbedtls_(arc4)_setup$/, languages: C_FAMILY, algorithmFromName: true },
  { name: /^mbedtls_(chachapoly|chacha20)_setkey$/, languages: C_FAMILY, algorithmFromName: true },
  { name: /^mbedtls_cipher_info_from_type$/, languages: C_FAMILY, algorithmArg: 0 },
  { name: /^mbedtls_md_info_from_type$/, languages: C_FAMILY, algorithmArg: 0 },
  { name: /^mbedtls_pk_(?:verify|sign)(?:_ext|_restartable)?$/, languages: C_FAMILY, algorithmArg: 1 },
  { name: /^mbedtls_pk_(?:verify|sign)(?:_restartable)?$/, languages: C_FAMILY, algorithm: 'PK_SIGNATURE' },
  { name: /^mbedtls_rsa_gen_key$/, languages: C_FAMILY, algorithm: 'RSA', keyBitsArg: 3 },
  { name: /^mbedtls_ecdsa_genkey$/, languages: C_FAMILY, algorithm: 'ECDSA', curveArg: 1 },
  { name: /^mbedtls_ecp_(?:gen_key|group_load)$/, languages: C_FAMILY, algorithm: 'EC', curveArg: 0 },
  { name: /^mbedtls_(ctr_drbg|hmac_drbg)_seed$/, languages: C_FAMILY, algorithmFromName: true },
  { name: /^mbedtls_pkcs5_pbkdf2_hmac(?:_ext)?$/, languages: C_FAMILY, algorithmArg: 0, composeWith: 'PBKDF2' },
  { name: /^mbedtls_(hkdf)$/, languages: C_FAMILY, algorithmFromName: true },
  { name: /^mbedtls_ssl_config_defaults$/, languages: C_FAMILY, tls: { transportArg: 2 } },
  { name: /^mbedtls_ssl_conf_min_tls_version$/, languages: C_FAMILY, tls: { versionArg: 1, minimum: true } },
  { name: /^mbedtls_ssl_conf_max_tls_version$/, languages: C_FAMILY, tls: { versionArg: 1 } },
  { name: /^mbedtls_ssl_conf_min_version$/, languages: C_FAMILY, tls: { minorArg: 2, minimum: true } },
  { name: /^mbedtls_pk_parse_key$/, languages: C_FAMILY, load: { material: 'private-key', source: 'buffer', nameArg: 1 } },
  { name: /^mbedtls_pk_parse_keyfile$/, languages: C_FAMILY, load: { material: 'private-key', source: 'file', nameArg: 1 } },
  { name: /^mbedtls_pk_parse_public_key$/, languages: C_FAMILY, load: { material: 'public-key', source: 'buffer', nameArg: 1 } },
  { name: /^mbedtls_ssl_conf_psk$/, languages: C_FAMILY, load: { material: 'secret-key', source: 'buffer', nameArg: 1 } },

  // ---- PSA Crypto -----------------------------------------------------------------------------------
  { name: /^psa_hash_compute$/, languages: C_FAMILY, algorithmArg: 0 },
  {
    name: /^psa_(?:hash_setup|mac_compute|mac_sign_setup|mac_verify_setup|cipher_encrypt|cipher_decrypt|cipher_encrypt_setup|aead_encrypt|aead_decrypt|sign_hash|verify_hash|sign_message|verify_message|set_key_algorithm|key_derivation_setup|raw_key_agreement)$/,
    languages: C_FAMILY,
    algorithmArg: 1,
  },
  { name: /^psa_set_key_type$/, languages: C_FAMILY, algorithmArg: 1 },
  { name: /^psa_import_key$/, languages: C_FAMILY, load: { material: 'key', source: 'buffer', nameArg: 1 } },
  { name: /^psa_open_key$/, languages: C_FAMILY, load: { material: 'key', source: 'keystore', nameArg: 0 } },

  // ---- OpenSSL / BoringSSL ----------------------------------------------------------------------------
  {
    name: /^EVP_(md5|md4|sha1|sha224|sha256|sha384|sha512|sha3_256|sha3_384|sha3_512|aes_\d+_[a-z0-9]+|des_ede3?_\w+|des_\w+|rc4|chacha20(?:_poly1305)?)$/,
    languages: C_FAMILY,
    algorithmFromName: true,
  },
  { name: /^EVP_(?:get_digestbyname|get_cipherbyname)$/, languages: C_FAMILY, algorithmArg: 0 },
  { name: /^EVP_(?:MD|CIPHER|MAC|KDF)_fetch$/, languages: C_FAMILY, algorithmArg: 1 },
  { name: /^(MD5|MD4|SHA1|SHA224|SHA256|SHA384|SHA512)(?:_Init)?$/, languages: C_FAMILY, algorithmFromName: true },
  { name: /^(DES)_set_key(?:_checked|_unchecked)?$/, languages: C_FAMILY, algorithmFromName: true },
  { name: /^(RC4)_set_key$/, languages: C_FAMILY, algorithmFromName: true },
  { name: /^AES_set_(?:encrypt|decrypt)_key$/, languages: C_FAMILY, algorithm: 'AES', keyBitsArg: 1 },
  { name: /^RSA_generate_key(?:_ex)?$/, languages: C_FAMILY, algorithm: 'RSA', keyBitsArg: 1 },
  { name: /^EVP_PKEY_CTX_set_rsa_keygen_bits$/, languages: C_FAMILY, algorithm: 'RSA', keyBitsArg: 1 },
  { name: /^EC_KEY_new_by_curve_name$/, languages: C_FAMILY, algorithm: 'EC', curveArg: 0 },
  { name: /^EVP_PKEY_CTX_set_ec_paramgen_curve_nid$/, languages: C_FAMILY, algorithm: 'EC', curveArg: 1 },
  {
    name: /^((?:TLS|TLSv1(?:_[123])?|SSLv23|SSLv3|DTLS|DTLSv1(?:_2)?)_(?:client_|server_)?method)$/,
    languages: C_FAMILY,
    tls: { versionFromName: true },
  },
  { name: /^SSL(?:_CTX)?_set_min_proto_version$/, languages: C_FAMILY, tls: { versionArg: 1, minimum: true } },
  { name: /^SSL(?:_CTX)?_set_max_proto_version$/, languages: C_FAMILY, tls: { versionArg: 1 } },
  { name: /^SSL(?:_CTX)?_use_PrivateKey_file$/, languages: C_FAMILY, load: { material: 'private-key', source: 'file', nameArg: 1 } },
  { name: /^PEM_read_bio_PrivateKey$/, languages: C_FAMILY, load: { material: 'private-key', source: 'buffer', nameArg: 0 } },

  // ---- wolfSSL / wolfCrypt ----------------------------------------------------------------------------
  { name: /^wc_(?:Init|)(Sha256|Sha224|Sha384|Sha512|Sha|Md5|Sha3_256)(?:Hash)?$/, languages: C_FAMILY, algorithmFromName: true },
  { name: /^wc_AesSetKey$/, languages: C_FAMILY, algorithm: 'AES', keyBytesArg: 2 },
  { name: /^wc_AesGcmSetKey$/, languages: C_FAMILY, algorithm: 'AES', keyBytesArg: 2, mode: 'gcm' },
  { name: /^wc_(Des3)_SetKey$/, languages: C_FAMILY, algorithmFromName: true },
  { name: /^wc_(Arc4)SetKey$/, languages: C_FAMILY, algorithmFromName: true },
  { name: /^wc_MakeRsaKey$/, languages: C_FAMILY, algorithm: 'RSA', keyBitsArg: 1 },
  { name: /^wc_ecc_make_key$/, languages: C_FAMILY, algorithm: 'EC', keyBytesArg: 1 },
  {
    name: /^(wolf(?:SSLv23|TLSv1(?:_[123])?|DTLSv1(?:_[23])?|SSLv3)_(?:client_|server_)?method)(?:_ex)?$/,
    languages: C_FAMILY,
    tls: { versionFromName: true },
  },
  { name: /^wolfSSL_CTX_SetMinVersion$/, languages: C_FAMILY, tls: { versionArg: 1, minimum: true } },
  { name: /^wolfSSL_CTX_use_PrivateKey_file$/, languages: C_FAMILY, load: { material: 'private-key', source: 'file', nameArg: 1 } },
  { name: /^wolfSSL_CTX_use_PrivateKey_buffer$/, languages: C_FAMILY, load: { material: 'private-key', source: 'buffer', nameArg: 1 } },

  // ---- Windows CNG and CryptoAPI ------------------------------------------------------------------------
  { name: /^BCryptOpenAlgorithmProvider$/, languages: C_FAMILY, algorithmArg: 1 },
  { name: /^(?:CryptCreateHash|CryptGenKey|CryptDeriveKey)$/, languages: C_FAMILY, algorithmArg: 1 },

  // ---- ESP-IDF key and credential storage -----------------------------------------------------------------
  {
    name: /^nvs_get_(?:str|blob)$/,
    languages: C_FAMILY,
    load: { material: 'credential', source: 'nvs', nameArg: 1, onlyCredentialNames: true },
  },
  {
    name: /^(?:getenv|secure_getenv)$/,
    languages: C_FAMILY,
    load: { material: 'credential', source: 'environment', nameArg: 0, onlyCredentialNames: true },
  },

  // ---- Python ----------------------------------------------------------------------------------------
  {
    callee: /^hashlib\.(md5|sha1|sha224|sha256|sha384|sha512|sha3_256|sha3_384|sha3_512|blake2b|blake2s)$/,
    languages: PY,
    algorithmFromName: true,
  },
  { callee: /^hashlib\.new$/, languages: PY, algorithmArg: 0 },
  { callee: /^hashlib\.pbkdf2_hmac$/, languages: PY, algorithmArg: 0, composeWith: 'PBKDF2' },
  { callee: /^hmac\.(?:new|digest)$/, languages: PY, algorithmArg: 'digestmod', composeWith: 'HMAC' },
  { callee: /^(?:hashes\.)?(SHA1|SHA224|SHA256|SHA384|SHA512|SHA3_256|SHA3_512|MD5)$/, languages: PY, algorithmFromName: true },
  { callee: /^(?:\w+\.)?Cipher$/, languages: PY, algorithmArg: 0, modeArg: 1 },
  { callee: /^(?:\w+\.)?(AESGCM|AESCCM|ChaCha20Poly1305)$/, languages: PY, algorithmFromName: true },
  { callee: /^(AESGCM)\.generate_key$/, languages: PY, algorithmFromName: true, keyBitsArg: 'bit_length' },
  { callee: /^(?:\w+\.)?Fernet$/, languages: PY, algorithm: 'AES_128_CBC' },
  { callee: /^rsa\.generate_private_key$/, languages: PY, algorithm: 'RSA', keyBitsArg: 'key_size' },
  { callee: /^(?:ec|dsa)\.generate_private_key$/, languages: PY, algorithm: 'EC', curveArg: 0 },
  { callee: /^(Ed25519|X25519)PrivateKey\.generate$/, languages: PY, algorithmFromName: true },
  { callee: /^PBKDF2HMAC$/, languages: PY, algorithmArg: 'algorithm', composeWith: 'PBKDF2' },
  { callee: /^(AES|DES3|DES|ARC4|Blowfish|ChaCha20)\.new$/, languages: PY, algorithmFromName: true, modeArg: 1 },
  { callee: /^ssl\.SSLContext$/, languages: PY, tls: { versionArg: 0 } },
  { callee: /^ssl\.create_default_context$/, languages: PY, tls: {} },
  { callee: /^ssl\.wrap_socket$/, languages: PY, tls: { versionArg: 'ssl_version' } },
  { callee: /^(?:serialization\.)?load_pem_private_key$/, languages: PY, load: { material: 'private-key', source: 'buffer', nameArg: 0 } },
  {
    callee: /^(?:os\.environ\.get|os\.getenv|environ\.get)$/,
    languages: PY,
    load: { material: 'credential', source: 'environment', nameArg: 0, onlyCredentialNames: true },
  },
  { callee: /^keyring\.get_password$/, languages: PY, load: { material: 'password', source: 'keyring', nameArg: 0 } },
  { callee: /^getpass\.getpass$/, languages: PY, load: { material: 'password', source: 'prompt' } },

  // ---- Node.js -----------------------------------------------------------------------------------------
  { name: /^createHash$/, languages: JS, algorithmArg: 0 },
  { name: /^createHmac$/, languages: JS, algorithmArg: 0, composeWith: 'HMAC' },
  { name: /^create(?:Cipheriv|Decipheriv)$/, languages: JS, algorithmArg: 0 },
  { name: /^create(?:Sign|Verify)$/, languages: JS, algorithmArg: 0 },
  { name: /^generateKeyPair(?:Sync)?$/, languages: JS, algorithmArg: 0, keyBitsArg: 'modulusLength', curveArg: 'namedCurve' },
  { name: /^generateKey(?:Sync)?$/, languages: JS, algorithmArg: 0, keyBitsArg: 'length' },
  { name: /^pbkdf2(?:Sync)?$/, languages: JS, algorithmArg: 4, composeWith: 'PBKDF2' },
  { name: /^(scrypt)(?:Sync)?$/, languages: JS, algorithmFromName: true },

  // ---- Java / Kotlin (JCA, JSSE, OkHttp) ------------------------------------------------------------------
  {
    callee: /(?:^|\.)(?:Cipher|MessageDigest|Mac|Signature|KeyGenerator|KeyPairGenerator|SecretKeyFactory|KeyAgreement)\.getInstance$/,
    languages: JVM,
    algorithmArg: 0,
  },
  { name: /^SecretKeySpec$/, languages: JVM, algorithmArg: 1 },
  { name: /^initialize$/, languages: JVM, receiverFactory: /(?:^|\.)KeyPairGenerator\.getInstance$/, keyBitsArg: 0 },
  { name: /^init$/, languages: JVM, receiverFactory: /(?:^|\.)KeyGenerator\.getInstance$/, keyBitsArg: 0 },
  { callee: /(?:^|\.)SSLContext\.getInstance$/, languages: JVM, tls: { versionArg: 0 } },
  { name: /^(?:tlsVersions|setEnabledProtocols)$/, languages: JVM, tls: { versionArg: 'all' } },
  { name: /^(?:getKey|getEntry)$/, languages: JVM, load: { material: 'key', source: 'keystore', nameArg: 0 } },
  {
    callee: /(?:^|\.)System\.getenv$/,
    languages: JVM,
    load: { material: 'credential', source: 'environment', nameArg: 0, onlyCredentialNames: true },
  },
];

/** Object-literal / keyword / assignment names that set a TLS version wherever they appear. */
export const TLS_VERSION_SETTINGS: Readonly<Record<string, { minimum: boolean }>> = {
  minVersion: { minimum: true }, // Node tls / https options
  maxVersion: { minimum: false },
  secureProtocol: { minimum: false }, // Node: 'TLSv1_2_method'
  minimum_version: { minimum: true }, // Python ssl.SSLContext attribute
  maximum_version: { minimum: false },
  ssl_version: { minimum: false },
};

/** Firmware configuration switches that enable a TLS version (ESP-IDF / Zephyr mbedTLS options). */
export const CONFIG_TLS_VERSIONS: readonly { key: RegExp; version?: string; protocol: 'tls' | 'dtls' }[] = [
  { key: /^CONFIG_MBEDTLS_SSL_PROTO_TLS1_([0-3])$/, protocol: 'tls' },
  { key: /^CONFIG_MBEDTLS_SSL_PROTO_DTLS$/, protocol: 'dtls' },
  { key: /^CONFIG_MBEDTLS_SSL_PROTO_SSL3$/, version: 'SSL 3.0', protocol: 'tls' },
];

/** Environment reads written as expressions rather than calls (`process.env.X`, `os.environ["X"]`). */
export const ENVIRONMENT_READS: readonly RegExp[] = [
  /process\.env\.([A-Za-z_]\w*)/g,
  /process\.env\[\s*['"`]([^'"`]+)['"`]\s*\]/g,
  /os\.environ\[\s*['"]([^'"]+)['"]\s*\]/g,
];
