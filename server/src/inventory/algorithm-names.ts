/**
 * Reads an algorithm from the many ways code names one: Java transformations (`AES/GCM/NoPadding`,
 * `SHA256withRSA`), OpenSSL and Node cipher names (`aes-256-gcm`, `EVP_sha256`), constants of mbedTLS,
 * PSA, CryptoAPI and CNG (`MBEDTLS_MD_SHA256`, `PSA_ALG_SHA_256`, `CALG_MD5`, `BCRYPT_AES_ALGORITHM`),
 * Python names (`sha256`, `SECP256R1`) and TLS version spellings (`TLSv1.2`, `TLS1_2_VERSION`).
 */
import type { CipherMode, CryptoPrimitive } from './types';

export interface AlgorithmInfo {
  family: string;
  primitive: CryptoPrimitive;
  mode?: CipherMode;
  keyBits?: number;
  curve?: string;
  /** The digest inside a signature or MAC name (`SHA256withRSA` → `SHA-256`). */
  digest?: string;
}

export interface TlsVersionInfo {
  protocol: 'tls' | 'dtls' | 'ssh';
  version?: string;
}

/** Prefixes and suffixes that libraries put around an algorithm name. */
const NOISE_PREFIXES = [
  'MBEDTLS_MD_',
  'MBEDTLS_CIPHER_ID_',
  'MBEDTLS_CIPHER_',
  'MBEDTLS_PK_',
  'MBEDTLS_ECP_DP_',
  'PSA_ALG_',
  'PSA_KEY_TYPE_',
  'PSA_ECC_FAMILY_',
  'CALG_',
  'BCRYPT_',
  'NID_X9_62_',
  'NID_',
  'EVP_',
  'WC_',
  'HASHES.',
  'ALGORITHMS.',
  'MODES.',
  'EC.',
];
const NOISE_SUFFIXES = ['_ALGORITHM', '_KEY_PAIR', '_PUBLIC_KEY'];

const CURVES: Record<string, { curve: string; bits: number }> = {
  SECP256R1: { curve: 'P-256', bits: 256 },
  PRIME256V1: { curve: 'P-256', bits: 256 },
  P256: { curve: 'P-256', bits: 256 },
  SECP384R1: { curve: 'P-384', bits: 384 },
  P384: { curve: 'P-384', bits: 384 },
  SECP521R1: { curve: 'P-521', bits: 521 },
  P521: { curve: 'P-521', bits: 521 },
  SECP256K1: { curve: 'secp256k1', bits: 256 },
  CURVE25519: { curve: 'Curve25519', bits: 255 },
  BP256R1: { curve: 'brainpoolP256r1', bits: 256 },
  BRAINPOOLP256R1: { curve: 'brainpoolP256r1', bits: 256 },
};

const MODES: ReadonlySet<string> = new Set(['CBC', 'ECB', 'CCM', 'GCM', 'CFB', 'OFB', 'CTR']);

function normalise(token: string): string {
  // `hashes.SHA256`, `AES.MODE_GCM`, `algorithms.AES`: the last segment names it.
  let t = token
    .trim()
    .replace(/^["'`]|["'`]$/g, '')
    .replace(/^.*\./, '')
    .toUpperCase();
  if (t.startsWith('MODE_')) t = t.slice('MODE_'.length);
  for (const prefix of NOISE_PREFIXES) if (t.startsWith(prefix)) t = t.slice(prefix.length);
  for (const suffix of NOISE_SUFFIXES) if (t.endsWith(suffix)) t = t.slice(0, -suffix.length);
  return t;
}

function digestName(bits: string, sha3 = false): string {
  return bits === '1' ? 'SHA-1' : `${sha3 ? 'SHA3' : 'SHA'}-${bits}`;
}

/** A digest on its own: `SHA256`, `sha-256`, `SHA_256`, `SHA3_256`, `MD5`. */
function parseDigest(t: string): string | undefined {
  let m = /^SHA3[-_]?(224|256|384|512)$/.exec(t);
  if (m) return digestName(m[1], true);
  m = /^SHA[-_]?(1|224|256|384|512)$/.exec(t);
  if (m) return digestName(m[1]);
  if (t === 'SHA') return 'SHA-1';
  m = /^(MD[245])$/.exec(t);
  if (m) return m[1];
  if (t === 'RIPEMD160') return 'RIPEMD-160';
  return undefined;
}

/** Parses one algorithm name; undefined when the token is not one. */
export function parseAlgorithm(token: string): AlgorithmInfo | undefined {
  const raw = token.trim().replace(/^["'`]|["'`]$/g, '');
  // Java transformation: ALG/MODE/PADDING.
  if (raw.includes('/')) {
    const [alg, mode] = raw.split('/');
    const base = parseAlgorithm(alg);
    if (!base) return undefined;
    const m = mode?.toUpperCase();
    if (m && MODES.has(m)) {
      return {
        ...base,
        mode: m.toLowerCase() as CipherMode,
        primitive: m === 'GCM' || m === 'CCM' ? 'ae' : base.primitive,
      };
    }
    return base;
  }
  const t = normalise(raw).replace(/-/g, '_');
  const digest = parseDigest(t.replace(/_/g, '')) ?? parseDigest(t);
  if (digest) return { family: digest, primitive: 'hash' };

  let m = /^(?:HMAC|HMACWITH)[_]?(SHA3?)_?(1|224|256|384|512)$/.exec(t) ?? /^HMAC\((SHA3?)_?(1|224|256|384|512)\)$/.exec(t);
  if (m) return { family: 'HMAC', primitive: 'mac', digest: digestName(m[2], m[1] === 'SHA3') };
  if (/^HMAC_?MD5$/.test(t)) return { family: 'HMAC', primitive: 'mac', digest: 'MD5' };
  if (t === 'HMAC') return { family: 'HMAC', primitive: 'mac' };
  m = /^PBKDF2(?:WITHHMAC)?_?(SHA3?)?_?(1|224|256|384|512)?$/.exec(t);
  if (m) return { family: 'PBKDF2', primitive: 'kdf', digest: m[2] ? digestName(m[2], m[1] === 'SHA3') : undefined };
  if (t === 'HKDF') return { family: 'HKDF', primitive: 'kdf' };
  if (t === 'SCRYPT') return { family: 'scrypt', primitive: 'kdf' };
  if (t === 'CTR_DRBG' || t === 'HMAC_DRBG' || t === 'HASH_DRBG') return { family: t, primitive: 'drbg' };
  if (/^BLAKE2[BS]$/.test(t)) return { family: t === 'BLAKE2B' ? 'BLAKE2b' : 'BLAKE2s', primitive: 'hash' };
  if (t === 'PK_SIGNATURE') return { family: 'Public-key signature', primitive: 'signature' };
  if (t === 'CHACHAPOLY') return { family: 'ChaCha20-Poly1305', primitive: 'ae', keyBits: 256 };
  m = /^(RSA|ECDSA)_(SHA3?)_?(1|224|256|384|512)$/.exec(t);
  if (m) return { family: m[1], primitive: 'signature', digest: digestName(m[3], m[2] === 'SHA3') };
  if (MODES.has(t)) {
    return {
      family: 'unknown cipher',
      primitive: t === 'GCM' || t === 'CCM' ? 'ae' : 'block-cipher',
      mode: t.toLowerCase() as CipherMode,
    };
  }
  m = /^(SHA3?)_?(1|224|256|384|512)WITH(RSA|ECDSA|DSA)(?:\/PSS|ANDMGF1)?$/.exec(t);
  if (m) return { family: m[3], primitive: 'signature', digest: digestName(m[2], m[1] === 'SHA3') };

  m = /^AES(?:_?(128|192|256))?(?:_?(CBC|ECB|CCM|GCM|CFB|CFB8|CFB128|OFB|CTR|XTS))?$/.exec(t);
  if (m) {
    const mode = m[2]?.replace(/\d+$/, '').toLowerCase();
    return {
      family: 'AES',
      primitive: mode === 'gcm' || mode === 'ccm' ? 'ae' : 'block-cipher',
      keyBits: m[1] ? Number(m[1]) : undefined,
      mode: mode && MODES.has(mode.toUpperCase()) ? (mode as CipherMode) : mode ? 'other' : undefined,
    };
  }
  m = /^(?:3DES|DES3|TRIPLE_?DES|DESEDE|DES_EDE3?)(?:_?(CBC|ECB))?(?:_\d+)?$/.exec(t);
  if (m) return { family: '3DES', primitive: 'block-cipher', mode: m[1]?.toLowerCase() as CipherMode | undefined };
  m = /^DES(?:_?(CBC|ECB|CFB|OFB))?$/.exec(t);
  if (m) return { family: 'DES', primitive: 'block-cipher', keyBits: 56, mode: m[1]?.toLowerCase() as CipherMode | undefined };
  if (/^A?RC4(_\d+)?$/.test(t)) return { family: 'RC4', primitive: 'stream-cipher' };
  if (/^RC2(_\w+)?$/.test(t)) return { family: 'RC2', primitive: 'block-cipher' };
  if (/^BLOWFISH|^BF_/.test(t)) return { family: 'Blowfish', primitive: 'block-cipher' };
  if (/^CHACHA20_?POLY1305$/.test(t)) return { family: 'ChaCha20-Poly1305', primitive: 'ae', keyBits: 256 };
  if (t === 'CHACHA20') return { family: 'ChaCha20', primitive: 'stream-cipher', keyBits: 256 };
  if (/^RSA(_KEYX|_SIGN|_OAEP|_PKCS1V15_SIGN|_PSS)?$/.test(t)) {
    return { family: 'RSA', primitive: /SIGN|PSS/.test(t) ? 'signature' : 'pke' };
  }
  if (/^(ECDSA|ECDSA_P\d+)$/.test(t)) return { family: 'ECDSA', primitive: 'signature', ...curveOf(t.replace('ECDSA_', '')) };
  if (/^(ECDH|ECDH_P\d+|ECDHE)$/.test(t)) return { family: 'ECDH', primitive: 'key-agree', ...curveOf(t.replace('ECDH_', '')) };
  if (t === 'EC' || t === 'ECC' || t === 'ECKEY' || t === 'ECC_SECP_R1') return { family: 'EC', primitive: 'signature' };
  if (t === 'ED25519' || t === 'EDDSA') return { family: 'Ed25519', primitive: 'signature', curve: 'Curve25519', keyBits: 255 };
  if (t === 'X25519') return { family: 'X25519', primitive: 'key-agree', curve: 'Curve25519', keyBits: 255 };
  if (t === 'DSA') return { family: 'DSA', primitive: 'signature' };
  if (t === 'DH' || t === 'DIFFIEHELLMAN') return { family: 'DH', primitive: 'key-agree' };
  const curve = CURVES[t.replace(/_/g, '')];
  if (curve) return { family: 'EC', primitive: 'signature', curve: curve.curve, keyBits: curve.bits };
  return undefined;
}

function curveOf(token: string): { curve?: string; keyBits?: number } {
  const curve = CURVES[token.replace(/_/g, '')];
  return curve ? { curve: curve.curve, keyBits: curve.bits } : {};
}

/** A named elliptic curve (`MBEDTLS_ECP_DP_SECP256R1`, `ec.SECP256R1()`, `prime256v1`, `P-256`). */
export function parseCurve(token: string): { curve: string; keyBits: number } | undefined {
  const t = normalise(token).replace(/[-_()]/g, '');
  const curve = CURVES[t];
  return curve ? { curve: curve.curve, keyBits: curve.bits } : undefined;
}

/**
 * A TLS / DTLS / SSL version: `TLSv1.2`, `TLSv1_2`, `TLS1_2_VERSION`, `MBEDTLS_SSL_VERSION_TLS1_2`,
 * `ssl.PROTOCOL_TLSv1_2`, `TLSVersion.TLSv1_3`, `TLSv1_2_method`, `wolfTLSv1_3_client_method`, `SSLv3`, or
 * the version-less `TLS` / `SSLv23` / `TLS_client_method` (negotiated).
 */
export function parseTlsVersion(token: string): TlsVersionInfo | undefined {
  // Drop a dotted owner (`ssl.TLSVersion.`) but not the dot inside `TLSv1.2`.
  const t = token
    .trim()
    .replace(/^["'`]|["'`]$/g, '')
    .replace(/^(?:[A-Za-z_]\w*\.)+(?=[A-Za-z])/, '');
  let m = /(D?TLS)_?V?(1)[._]?([0-3])(?![0-9])/i.exec(t);
  if (m) return { protocol: m[1].toUpperCase() === 'DTLS' ? 'dtls' : 'tls', version: `1.${m[3]}` };
  if (/(D?TLS)_?V?1(?![._]?[0-9])/i.test(t)) return { protocol: /DTLS/i.test(t) ? 'dtls' : 'tls', version: '1.0' };
  m = /SSL_?V?([23])(?![0-9])/i.exec(t);
  if (m && !/SSLv23/i.test(t)) return { protocol: 'tls', version: `SSL ${m[1]}.0` };
  if (
    /^(TLS|SSL|SSLV23|SSLV23_(CLIENT_|SERVER_)?METHOD|TLS_(CLIENT_|SERVER_)?METHOD|PROTOCOL_TLS(_CLIENT|_SERVER)?|PROTOCOL_SSLV23|WOLFSSLV23_(CLIENT|SERVER)_METHOD|DEFAULT)$/i.test(
      t,
    )
  ) {
    return { protocol: 'tls' };
  }
  if (/^(DTLS|DTLS_(CLIENT_|SERVER_)?METHOD)$/i.test(t)) return { protocol: 'dtls' };
  return undefined;
}

/** Deprecated or disallowed per NIST SP 800-131A (and TLS per RFC 8996); undefined when acceptable. */
export function weaknessOf(family: string, keyBits?: number, mode?: CipherMode): string | undefined {
  switch (family) {
    case 'MD2':
    case 'MD4':
    case 'MD5':
      return 'broken hash (collisions are practical)';
    case 'SHA-1':
      return 'deprecated hash (collisions shown; disallowed for signatures)';
    case 'DES':
      return 'disallowed cipher (56-bit key)';
    case '3DES':
      return 'disallowed for encryption after 2023 (NIST SP 800-131A)';
    case 'RC4':
      return 'broken stream cipher';
    case 'RC2':
    case 'Blowfish':
      return 'legacy cipher with a 64-bit block';
    default:
      break;
  }
  if (mode === 'ecb') return 'ECB mode leaks plaintext patterns';
  if ((family === 'RSA' || family === 'DSA' || family === 'DH') && keyBits !== undefined && keyBits < 2048) {
    return `${keyBits}-bit key is below the 2048-bit minimum`;
  }
  if ((family === 'EC' || family === 'ECDSA' || family === 'ECDH') && keyBits !== undefined && keyBits < 224) {
    return `${keyBits}-bit curve is below the 224-bit minimum`;
  }
  if (family === 'AES' && keyBits !== undefined && keyBits < 128) return `${keyBits}-bit key is too short`;
  return undefined;
}

export function tlsWeakness(version: string | undefined): string | undefined {
  if (!version) return undefined;
  if (version.startsWith('SSL')) return 'SSL is broken and prohibited (RFC 7568)';
  if (version === '1.0' || version === '1.1') return 'TLS 1.0/1.1 are deprecated (RFC 8996)';
  return undefined;
}

/** Display name: `AES-256-GCM`, `RSA-2048`, `ECDSA P-256`, `HMAC-SHA-256`, `SHA-256`. */
export function algorithmDisplayName(info: AlgorithmInfo): string {
  if (info.family === 'HMAC' || info.family === 'PBKDF2') return info.digest ? `${info.family}-${info.digest}` : info.family;
  if (info.primitive === 'signature' && info.digest && (info.family === 'RSA' || info.family === 'ECDSA' || info.family === 'DSA')) {
    return `${info.digest} with ${info.family}${info.keyBits ? `-${info.keyBits}` : ''}`;
  }
  if (info.curve) return `${info.family === 'EC' ? 'EC' : info.family} ${info.curve}`;
  let name = info.family;
  if (info.keyBits && ['AES', 'RSA', 'DSA', 'DH', 'EC', 'ECDSA', 'ECDH'].includes(info.family)) name += `-${info.keyBits}`;
  if (info.mode) name += `-${info.mode.toUpperCase()}`;
  return name;
}
