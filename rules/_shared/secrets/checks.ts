/**
 * Structure checks that some providers build into their tokens, so a scanner can tell a real token from a
 * string of the same shape without asking the provider: the CRC32 checksum in GitHub's and npm's tokens,
 * the JSON header of a JWT, the fixed prefix inside PyPI's macaroons, the base64 of `user:password` in a
 * Basic credential, the CRC-16 at the end of a NATS NKey seed.
 */

const BASE64_VALUES = (() => {
  const table = new Int16Array(128).fill(-1);
  const std = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) table[std.charCodeAt(i)] = i;
  table['-'.charCodeAt(0)] = 62; // base64url
  table['_'.charCodeAt(0)] = 63;
  return table;
})();

/** `text` without its trailing `=` padding. */
export function withoutPadding(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  return text.slice(0, end);
}

/** Decodes standard or URL-safe base64 (padding optional); undefined on any other character. `maxBytes` stops early. */
export function decodeBase64(text: string, maxBytes = Infinity): Uint8Array | undefined {
  const clean = withoutPadding(text);
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < clean.length && out.length < maxBytes; i++) {
    const code = clean.charCodeAt(i);
    const value = code < 128 ? BASE64_VALUES[code] : -1;
    if (value < 0) return undefined;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** Decoded base64 as Latin-1 text (enough to look for JSON or `user:password`). */
export function decodeBase64Text(text: string, maxBytes = Infinity): string | undefined {
  const bytes = decodeBase64(text, maxBytes);
  return bytes && latin1(bytes);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `value` in base62, left-padded with zeros to `width`. */
export function base62(value: number, width: number): string {
  let out = '';
  let n = value;
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm (`npm_`) tokens end in six base62 characters that are
 * the CRC32 of the 30 random characters before them.
 */
export function hasValidCrc32Suffix(token: string, prefixLength: number): boolean {
  const body = token.slice(prefixLength);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

/** Decodes RFC 4648 base32 without padding (upper case); undefined on any other character. */
function decodeBase32(text: string): Uint8Array | undefined {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code >= 65 && code <= 90 ? code - 65 : code >= 50 && code <= 55 ? code - 24 : -1;
    if (value < 0) return undefined;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** CRC-16/XMODEM (polynomial 0x1021, initial value 0), the checksum NATS puts in its keys. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/**
 * A NATS NKey seed (`SU…`, 58 characters): base32 of a two-byte prefix, the 32-byte Ed25519 seed and, last, the
 * CRC-16 of the rest, little-endian.
 */
export function hasValidNkeyChecksum(seed: string): boolean {
  const bytes = decodeBase32(seed);
  if (!bytes || bytes.length !== 36) return false;
  return crc16(bytes.subarray(0, 34)) === (bytes[34] | (bytes[35] << 8));
}

/** A JSON object, parsed; undefined when the text is not one. */
function jsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text || !text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface JwtShape {
  header: Record<string, unknown>;
  payload?: Record<string, unknown>;
  /** Encrypted (JWE, five parts) or signed (JWS, three parts). */
  encrypted: boolean;
}

/**
 * A JWT: base64url parts separated by dots whose first part decodes to a JSON header naming an algorithm
 * (`alg`); a JWS payload must decode to a JSON object too.
 */
export function parseJwt(token: string): JwtShape | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 && parts.length !== 5) return undefined;
  const header = jsonObject(decodeBase64Text(parts[0]));
  if (!header || typeof header.alg !== 'string') return undefined;
  if (parts.length === 5) return { header, encrypted: true };
  const payload = jsonObject(decodeBase64Text(parts[1]));
  if (!payload) return undefined;
  return { header, payload, encrypted: false };
}

/** `user:password` inside a Basic credential, when the base64 decodes to one. */
export function basicCredential(base64: string): { user: string; password: string } | undefined {
  const text = decodeBase64Text(base64, 512);
  if (!text) return undefined;
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1 || !/^[\x20-\x7e]+$/.test(text)) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Bytes as Latin-1 text, a chunk at a time: spreading a large array into one call overflows the stack. */
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 8192)));
  return text;
}
