/**
 * The cryptography and credential inventory: what algorithms, protocols and endpoints the code uses, and
 * where credentials and keys are defined or loaded. FDA premarket guidance Appendix 2 asks, per
 * communication path, for protocols, authentication and crypto methods, key lengths and how credentials
 * are stored; this is the code's answer. Secrets never appear here: credential values are only shown as
 * the engine's redacted snippets.
 */
import type { LanguageId } from '../core/types';

/** CycloneDX 1.6 `algorithmProperties.primitive`. */
export type CryptoPrimitive =
  | 'drbg'
  | 'mac'
  | 'block-cipher'
  | 'stream-cipher'
  | 'signature'
  | 'hash'
  | 'pke'
  | 'xof'
  | 'kdf'
  | 'key-agree'
  | 'kem'
  | 'ae'
  | 'combiner'
  | 'other'
  | 'unknown';

/** CycloneDX 1.6 `algorithmProperties.mode`. */
export type CipherMode = 'cbc' | 'ecb' | 'ccm' | 'gcm' | 'cfb' | 'ofb' | 'ctr' | 'other' | 'unknown';

/** CycloneDX 1.6 `relatedCryptoMaterialProperties.type` (the subset the code shows). */
export type MaterialType = 'private-key' | 'public-key' | 'secret-key' | 'key' | 'password' | 'credential' | 'token' | 'other';

/** Where a credential or key comes from. */
export type MaterialSource =
  | 'hardcoded' // a literal in source or committed configuration (a hardcoded-credential finding)
  | 'nvs' // ESP-IDF non-volatile storage
  | 'environment' // an environment variable
  | 'keystore' // a platform key store (Java/Android KeyStore, PSA key slot)
  | 'keyring' // an OS keyring / secret service
  | 'prompt' // typed in by an operator at run time
  | 'file' // read from a file path
  | 'buffer'; // parsed from a buffer whose origin the call does not show

export interface Occurrence {
  /** Relative to the scan root, forward slashes. */
  path: string;
  /** One-based. */
  line: number;
  language: LanguageId;
  /** The call, constant or key that shows the use (`mbedtls_aes_setkey_enc`, `CONFIG_MQTT_PASSWORD`). */
  symbol: string;
  /** Enclosing function, when there is one. */
  function?: string;
}

export interface AlgorithmAsset {
  kind: 'algorithm';
  /** Display name: `AES-256-GCM`, `SHA-256`, `RSA-2048`, `ECDSA P-256`, `CTR_DRBG`. */
  name: string;
  /** Family without size or mode: `AES`, `SHA-256`, `RSA`. */
  family: string;
  primitive: CryptoPrimitive;
  mode?: CipherMode;
  /** Key length in bits (symmetric key, modulus or curve size). */
  keyBits?: number;
  curve?: string;
  /** Why the algorithm (or its parameters) is deprecated or disallowed, when it is. */
  weakness?: string;
  occurrences: Occurrence[];
}

export interface ProtocolAsset {
  kind: 'protocol';
  /** `TLS`, `DTLS`, `SSH`. */
  protocol: 'tls' | 'dtls' | 'ssh';
  /** `1.2`, `1.3`; undefined when the code leaves it to negotiation. */
  version?: string;
  /** Whether the version is a floor (`minVersion`) rather than the only one. */
  minimum?: boolean;
  name: string;
  weakness?: string;
  occurrences: Occurrence[];
}

export interface EndpointAsset {
  kind: 'endpoint';
  /** `mqtts`, `http`, … lower case. */
  scheme: string;
  /** Host as written; a run-time part shows as `{name}`. */
  host: string;
  port?: string;
  /** The URL as shown in reports: user-info password masked, query string dropped. */
  url: string;
  /** Transport security the scheme implies. */
  transport: 'tls' | 'dtls' | 'ssh' | 'none';
  /** Never leaves the machine (loopback). */
  local: boolean;
  occurrences: Occurrence[];
}

export interface CredentialAsset {
  kind: 'credential';
  /** The name it is known by: constant, config key, NVS key or environment variable. */
  name: string;
  material: MaterialType;
  source: MaterialSource;
  /** For hardcoded ones: the engine's redacted snippet of the finding (never the raw text). */
  redactedSnippet?: string;
  /** The hardcoded-credential finding is suppressed (with this justification). */
  suppressed?: string;
  occurrences: Occurrence[];
}

export type InventoryAsset = AlgorithmAsset | ProtocolAsset | EndpointAsset | CredentialAsset;

export interface Inventory {
  algorithms: AlgorithmAsset[];
  protocols: ProtocolAsset[];
  endpoints: EndpointAsset[];
  credentials: CredentialAsset[];
  /** Files read for the inventory. */
  files: number;
  /** Files that could not be re-read or parsed, with why. */
  notes: { path: string; message: string }[];
}
