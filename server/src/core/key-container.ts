/**
 * Binary key containers, recognised by their structure rather than their name: a PKCS#12 / PFX bundle, a
 * Java key store (JKS, JCEKS), or a DER-encoded private key (PKCS#1, PKCS#8, encrypted PKCS#8, SEC1). Discovery
 * lets such a file through although it is binary, and the scan hands the rules a one-line description of it
 * instead of its bytes, so no output can ever print key material. `classifyDer` is also what the secrets
 * library uses on base64 blobs found in text.
 */

export type DerKind =
  | 'pkcs1-private-key' // RSAPrivateKey, or OpenSSL's DSA private key: SEQUENCE { 0, INTEGER (big), … }
  | 'pkcs8-private-key' // PrivateKeyInfo / OneAsymmetricKey: SEQUENCE { 0|1, AlgorithmIdentifier, OCTET STRING }
  | 'pkcs8-encrypted-private-key' // EncryptedPrivateKeyInfo: SEQUENCE { PBE AlgorithmIdentifier, OCTET STRING }
  | 'sec1-private-key' // ECPrivateKey: SEQUENCE { 1, OCTET STRING (the scalar), [0] curve, [1] public key }
  | 'pkcs12'; // PFX: SEQUENCE { 3, ContentInfo, MacData }

export interface KeyContainer {
  /** What it is, for messages: "PKCS#12 key store", "DER-encoded PKCS#8 private key". */
  description: string;
  /** Whether a private or secret key is visibly inside (a JKS or PFX may hold only certificates). */
  holdsKey: boolean;
  /** The key material is encrypted under a password (still a finding: the password is usually nearby). */
  encrypted: boolean;
}

interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** Reads one DER TLV at `offset`; definite lengths up to 4 bytes, and BER's indefinite form for constructed types. */
function readTlv(bytes: Uint8Array, offset: number): Tlv | undefined {
  if (offset + 2 > bytes.length) return undefined;
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let contentStart = offset + 2;
  if (length === 0x80) return tag & 0x20 ? { tag, start: offset, contentStart, end: bytes.length } : undefined;
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4 || contentStart + count > bytes.length) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i];
    contentStart += count;
  }
  // A prefix of a longer blob (base64 in text is decoded only in part): the end may lie beyond it.
  return { tag, start: offset, contentStart, end: contentStart + length };
}

/** The small INTEGER at `tlv`, or undefined when it is not a one-byte INTEGER. */
function smallInteger(bytes: Uint8Array, tlv: Tlv | undefined): number | undefined {
  if (!tlv || tlv.tag !== 0x02 || tlv.end - tlv.contentStart !== 1) return undefined;
  return bytes[tlv.contentStart];
}

const OID_PREFIX_PKCS5 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05]; // 1.2.840.113549.1.5 (PBES1/PBES2)
const OID_PREFIX_PKCS12_PBE = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01]; // 1.2.840.113549.1.12.1
const OID_PKCS7 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07]; // 1.2.840.113549.1.7.{1 data, 2 signedData}

function startsWithBytes(bytes: Uint8Array, at: number, prefix: readonly number[]): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/**
 * What a DER structure is, from its first few dozen bytes (enough of a base64 blob's prefix to decide).
 * Certificates, public keys and CSRs come back undefined: they are not secrets.
 */
export function classifyDer(bytes: Uint8Array): DerKind | undefined {
  const outer = readTlv(bytes, 0);
  if (!outer || outer.tag !== 0x30) return undefined;
  const first = readTlv(bytes, outer.contentStart);
  if (!first) return undefined;
  const version = smallInteger(bytes, first);
  if (version !== undefined) {
    const second = readTlv(bytes, first.end);
    if (!second) return undefined;
    // PFX: version 3, then a ContentInfo whose type is PKCS#7 data or signedData.
    if (version === 3 && second.tag === 0x30) {
      const contentType = readTlv(bytes, second.contentStart);
      if (contentType?.tag === 0x06 && startsWithBytes(bytes, contentType.contentStart, OID_PKCS7)) return 'pkcs12';
      return undefined;
    }
    // RSAPrivateKey / DSA: version 0 then the modulus (or p), a large INTEGER.
    if (version === 0 && second.tag === 0x02 && second.end - second.contentStart >= 64) return 'pkcs1-private-key';
    // PrivateKeyInfo (v0) / OneAsymmetricKey (v1): an AlgorithmIdentifier starting with an OID.
    if ((version === 0 || version === 1) && second.tag === 0x30) {
      const algorithm = readTlv(bytes, second.contentStart);
      if (algorithm?.tag === 0x06) return 'pkcs8-private-key';
    }
    // ECPrivateKey: version 1 then the private scalar as an OCTET STRING of a curve's size.
    if (version === 1 && second.tag === 0x04 && [20, 24, 28, 32, 48, 66].includes(second.end - second.contentStart))
      return 'sec1-private-key';
    return undefined;
  }
  // EncryptedPrivateKeyInfo: an AlgorithmIdentifier whose OID is a PKCS#5 or PKCS#12 password-based scheme.
  if (first.tag === 0x30) {
    const algorithm = readTlv(bytes, first.contentStart);
    if (
      algorithm?.tag === 0x06 &&
      (startsWithBytes(bytes, algorithm.contentStart, OID_PREFIX_PKCS5) ||
        startsWithBytes(bytes, algorithm.contentStart, OID_PREFIX_PKCS12_PBE))
    ) {
      const data = readTlv(bytes, first.end);
      if (!data || data.tag === 0x04) return 'pkcs8-encrypted-private-key';
    }
  }
  return undefined;
}

const OID_KEY_BAG = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x01]; // 1.2.840.113549.1.12.10.1.1
const OID_SHROUDED_KEY_BAG = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02];
const OID_ENVELOPED_DATA = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03];

function containsBytes(bytes: Uint8Array, needle: readonly number[]): boolean {
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    if (bytes[i] !== needle[0]) continue;
    for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** A PFX holds a key when a key bag is visible; bags inside encryptedData cannot be seen (OpenSSL puts certificates there). */
function describePkcs12(bytes: Uint8Array): KeyContainer | undefined {
  if (containsBytes(bytes, OID_SHROUDED_KEY_BAG))
    return { description: 'PKCS#12 (PFX) key store holding a password-encrypted private key', holdsKey: true, encrypted: true };
  if (containsBytes(bytes, OID_KEY_BAG))
    return { description: 'PKCS#12 (PFX) key store holding a private key', holdsKey: true, encrypted: false };
  if (containsBytes(bytes, OID_ENVELOPED_DATA))
    return { description: 'PKCS#12 (PFX) key store with enveloped contents', holdsKey: true, encrypted: true };
  return { description: 'PKCS#12 (PFX) trust store (certificates only)', holdsKey: false, encrypted: false };
}

const JKS_MAGIC = 0xfeedfeed;
const JCEKS_MAGIC = 0xcececece;

/**
 * JKS / JCEKS: magic, version, entry count, then entries tagged 1 (private key), 2 (trusted certificate) or,
 * in JCEKS, 3 (secret key). Walks the entries until it finds a key or cannot follow the layout.
 */
/**
 * The alias the Android SDK gives the key of every debug key store it creates (`~/.android/debug.keystore`, and the
 * copy React Native's app template commits). A store holding that one key is a debug signing key: whether a release
 * build signs with it too is the build script's to say (the secrets rule reads both).
 */
const ANDROID_DEBUG_ALIAS = 'androiddebugkey';
export const ANDROID_DEBUG_KEY = `the Android debug key (alias ${ANDROID_DEBUG_ALIAS})`;

/** The modified-UTF-8 string at `offset` (a JKS alias), or undefined past the end; read as Latin-1, enough to compare with ASCII. */
function readUtf(bytes: Uint8Array, view: DataView, offset: number): string | undefined {
  if (offset + 2 > bytes.length) return undefined;
  const end = offset + 2 + view.getUint16(offset);
  return end > bytes.length ? undefined : new TextDecoder('latin1').decode(bytes.subarray(offset + 2, end));
}

function describeJavaKeyStore(bytes: Uint8Array): KeyContainer | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) return undefined;
  const magic = view.getUint32(0);
  if (magic !== JKS_MAGIC && magic !== JCEKS_MAGIC) return undefined;
  const version = view.getUint32(4);
  if (version !== 1 && version !== 2) return undefined;
  const name = magic === JKS_MAGIC ? 'Java key store (JKS)' : 'Java key store (JCEKS)';
  const count = view.getUint32(8);
  let offset = 12;
  const skipUtf = (): boolean => {
    if (offset + 2 > bytes.length) return false;
    offset += 2 + view.getUint16(offset);
    return offset <= bytes.length;
  };
  const skipBlock = (): boolean => {
    if (offset + 4 > bytes.length) return false;
    offset += 4 + view.getUint32(offset);
    return offset <= bytes.length;
  };
  const skipCertificate = (): boolean => (version === 2 ? skipUtf() : true) && skipBlock();
  for (let entry = 0; entry < count && offset + 4 <= bytes.length; entry++) {
    const tag = view.getUint32(offset);
    offset += 4;
    if (tag === 1) {
      const debugKey = count === 1 && readUtf(bytes, view, offset) === ANDROID_DEBUG_ALIAS;
      return { description: `${name} holding ${debugKey ? ANDROID_DEBUG_KEY : 'a private key'}`, holdsKey: true, encrypted: true };
    }
    if (tag === 3) return { description: `${name} holding a secret key`, holdsKey: true, encrypted: true };
    if (tag !== 2 || !skipUtf()) break;
    offset += 8; // timestamp
    if (!skipCertificate()) break;
  }
  return offset >= bytes.length || count === 0
    ? { description: `${name} trust store (certificates only)`, holdsKey: false, encrypted: false }
    : { description: name, holdsKey: true, encrypted: true };
}

const DER_DESCRIPTIONS: Readonly<Record<Exclude<DerKind, 'pkcs12'>, KeyContainer>> = {
  'pkcs1-private-key': { description: 'DER-encoded RSA (PKCS#1) or DSA private key', holdsKey: true, encrypted: false },
  'pkcs8-private-key': { description: 'DER-encoded PKCS#8 private key', holdsKey: true, encrypted: false },
  'pkcs8-encrypted-private-key': { description: 'DER-encoded password-encrypted PKCS#8 private key', holdsKey: true, encrypted: true },
  'sec1-private-key': { description: 'DER-encoded elliptic-curve (SEC1) private key', holdsKey: true, encrypted: false },
};

/** The key container these bytes are, or undefined (any other binary file). `bytes` may be just the head of the file. */
export function recognizeKeyContainer(bytes: Uint8Array): KeyContainer | undefined {
  const jks = describeJavaKeyStore(bytes);
  if (jks) return jks;
  const kind = classifyDer(bytes);
  if (!kind) return undefined;
  return kind === 'pkcs12' ? describePkcs12(bytes) : DER_DESCRIPTIONS[kind];
}

/**
 * The text the rules see for a key container: one line that says what it is, never its bytes. The secrets
 * rule reports the file on this line; every output shows this line as the snippet.
 */
export function keyContainerText(container: KeyContainer, size: number): string {
  return `[binary ${container.description}, ${size} bytes]`;
}

/** The text a scan checks for a file's bytes: the decoded source, the description of a key container, or undefined for other binary files. */
export function keyContainerSource(bytes: Uint8Array): string | undefined {
  const container = recognizeKeyContainer(bytes);
  return container?.holdsKey ? keyContainerText(container, bytes.length) : undefined;
}
