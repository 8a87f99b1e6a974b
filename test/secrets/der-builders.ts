/** Small DER builders for tests: key containers with the structure medsec recognises, no real keys. */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...length, ...content]);
}

export const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const oid = (...bytes: number[]) => tlv(0x06, Uint8Array.from(bytes));
const PKCS7_DATA = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const SHROUDED_KEY_BAG = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02];
const CERT_BAG = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x03];

/** A PFX whose authenticated safe holds one bag of the given kind (its payload is filler). */
export function pkcs12(bag: 'key' | 'certificate'): Uint8Array {
  const safeBag = tlv(
    0x30,
    concat(oid(...(bag === 'key' ? SHROUDED_KEY_BAG : CERT_BAG)), tlv(0xa0, tlv(0x04, new Uint8Array(64).fill(0x5a)))),
  );
  const safeContents = tlv(0x30, safeBag);
  const authSafe = tlv(0x30, tlv(0x30, concat(oid(...PKCS7_DATA), tlv(0xa0, tlv(0x04, safeContents)))));
  const contentInfo = tlv(0x30, concat(oid(...PKCS7_DATA), tlv(0xa0, tlv(0x04, authSafe))));
  return tlv(0x30, concat(tlv(0x02, Uint8Array.from([3])), contentInfo, tlv(0x30, new Uint8Array(40))));
}

/** A JKS with one entry: tag 1 (private key) or 2 (trusted certificate). */
export function javaKeyStore(entry: 'private-key' | 'certificate'): Uint8Array {
  const alias = [0, 5, ...Buffer.from('pump1')];
  const body =
    entry === 'private-key'
      ? [0, 0, 0, 1, ...alias, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4, 0, 0, 0, 0]
      : [0, 0, 0, 2, ...alias, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, ...Buffer.from('X.509'), 0, 0, 0, 4, 1, 2, 3, 4];
  return Uint8Array.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, ...body]);
}
