/**
 * The result cache's appended segments (cache.ts): after the whole cache (the base), each save that changed
 * little appends a segment of what changed instead of rewriting everything. A segment is a header line and a
 * body; the header names the offset it starts at, the base it extends (a random id written in the base's
 * header) and its body's length and hash. A reader applies segments in order and stops at the first that does
 * not check out, so a write cut short by a crash, a segment meant for another base, or bytes another process
 * left behind read as the cache before that write: older, never wrong (every entry is keyed by content).
 */
import { randomBytes } from 'crypto';
import { contentHash } from './content-hash';

interface SegmentHeader {
  segment: number;
  base: string;
  bytes: number;
  hash: string;
}

/** A new base id, which segments name so that they extend only the base they were written against. */
export function newBaseId(): string {
  return randomBytes(12).toString('base64url');
}

/** The bytes of a segment starting at byte `offset` of the file, extending base `baseId`. */
export function encodeSegment(body: string, offset: number, baseId: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  const header: SegmentHeader = { segment: offset, base: baseId, bytes: bytes.length, hash: contentHash(bytes) };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), bytes]);
}

/**
 * The bodies of the segments that check out in `tail`, the file's bytes from byte `offset` on, and where the
 * last of them ends (file offset): the file's length when every byte belongs to a sound segment.
 */
export function decodeSegments(tail: Uint8Array, offset: number, baseId: string): { bodies: string[]; end: number } {
  const bytes = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength);
  const bodies: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    const newline = bytes.indexOf(10, at);
    if (newline < 0) break;
    const header = parseHeader(bytes.toString('utf8', at, newline));
    if (!header || header.segment !== offset + at || header.base !== baseId) break;
    const end = newline + 1 + header.bytes;
    if (end > bytes.length) break;
    const body = bytes.subarray(newline + 1, end);
    if (contentHash(body) !== header.hash) break;
    bodies.push(body.toString('utf8'));
    at = end;
  }
  return { bodies, end: offset + at };
}

function parseHeader(line: string): SegmentHeader | undefined {
  try {
    const value = JSON.parse(line) as Partial<SegmentHeader> | null;
    if (!value || typeof value !== 'object') return undefined;
    const { segment, base, bytes, hash } = value;
    const whole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
    return whole(segment) && whole(bytes) && typeof base === 'string' && typeof hash === 'string'
      ? { segment, base, bytes, hash }
      : undefined;
  } catch {
    return undefined;
  }
}
