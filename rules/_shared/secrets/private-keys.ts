/**
 * Private keys in every armour they are committed in: PEM of any private-key type (`RSA`, `EC`, `DSA`,
 * `OPENSSH`, `ENCRYPTED`, PKCS#8, `PGP PRIVATE KEY BLOCK`, `SSH2 ENCRYPTED`, OpenVPN static keys), PuTTY key
 * files, base64 DER without armour (`MIIEvQIBADANBgkqhkiG…`), and base64 of a whole PEM file (Kubernetes
 * secrets, `LS0tLS1CRUdJTi…`). The armour may be split over string literals (`"-----BEGIN …\n" "MIIE…"` in C,
 * `+`-concatenated in Java, escaped `\n` in JSON): the body is read through that glue.
 */
import type { Span } from '../../../server/src/core/types';
import { classifyDer, type DerKind } from '../../../server/src/core/key-container';
import { decodeBase64, decodeBase64Text, withoutPadding } from './checks';
import { shannonEntropy } from './entropy';

export interface PrivateKeyBlock {
  /** From the BEGIN marker to the end of the END marker (or of the body, when the END is missing). */
  span: Span;
  /** The key material: what every output masks. */
  secret: Span;
  /** "RSA private key", "OpenSSH private key", "PGP private key block". */
  kind: string;
  encrypted: boolean;
  /** The body decodes to the structure its label promises (DER key, openssh-key-v1, OpenPGP secret-key packet). */
  proven: boolean;
}

const BEGIN = '-----BEGIN ';
/** Labels whose armour holds secret material. */
const PRIVATE_LABEL = /^(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?$|^OpenVPN Static key V1$|^SSH2 ENCRYPTED PRIVATE KEY$/;
/** How far the body of one armoured key may reach (a 16384-bit RSA key in PEM is about 12,700 characters). */
const MAX_BODY = 20_000;
/** Key material shorter than this many base64 characters is an example or a truncation (an Ed25519 PKCS#8 key is 64). */
const MIN_BODY = 40;

const isBase64Char = (code: number) =>
  (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47 || code === 61;

/**
 * Reads a body from `from`: base64 characters, with the glue of string literals and escapes between them
 * (quotes, `+`, commas, whitespace, `\n`, `\r`, `&#10;`, line continuations), and armour headers
 * (`Proc-Type:`, `DEK-Info:`, `Comment:`, `Version:`). Stops at `-----END` or at anything else.
 */
function readBody(content: string, from: number): { base64: string; first: number; end: number; endMarker?: number; headers: string } {
  let base64 = '';
  let first = -1;
  let headers = '';
  let i = from;
  const limit = Math.min(content.length, from + MAX_BODY);
  while (i < limit) {
    const code = content.charCodeAt(i);
    if (code === 45 && content.startsWith('-----END', i)) return { base64, first, end: i, endMarker: i, headers };
    if (isBase64Char(code)) {
      // An armour header line (`Proc-Type: 4,ENCRYPTED`): a word followed by a colon.
      const header = /^[A-Za-z][A-Za-z-]{1,20}: [^\n"\\]{0,200}/.exec(content.slice(i, i + 240));
      if (header && base64.length === 0) {
        headers += header[0] + '\n';
        i += header[0].length;
        continue;
      }
      if (first < 0) first = i;
      base64 += content[i];
      i++;
      continue;
    }
    if (code === 92) {
      // backslash: \n, \r, \t, \\ or a line continuation
      const next = content[i + 1];
      if (next === 'n' || next === 'r' || next === 't' || next === '\\' || next === '\n' || next === '\r') {
        i += 2;
        continue;
      }
      break;
    }
    if (code === 38 && /^&#(?:10|13|x[aAdD]);/.test(content.slice(i, i + 6))) {
      i = content.indexOf(';', i) + 1;
      continue;
    }
    if (
      code === 32 ||
      code === 9 ||
      code === 10 ||
      code === 13 ||
      code === 34 ||
      code === 39 ||
      code === 96 ||
      code === 43 ||
      code === 44
    ) {
      i++;
      continue;
    }
    break;
  }
  return { base64, first, end: i, headers };
}

/** What an elided or illustrative key body contains. */
const ELISIONS = ['...', '…', 'xxxxxx', 'XXXXXX', 'REDACTED', 'redacted', 'your ', 'your_', 'your-', 'here\\n', 'here\n', 'here"'];

/** Whether a body is real key material rather than an elided example (`MIIE...`, `<key>`, `xxxx`, `AAAA…`). */
function isKeyMaterial(base64: string, content: string, from: number, to: number): boolean {
  if (base64.length < MIN_BODY) return false;
  const raw = content.slice(from, to);
  if (ELISIONS.some((marker) => raw.includes(marker)) || /<[^<>\n]{0,60}>/.test(raw)) return false;
  const sample = withoutPadding(base64).slice(0, 400);
  return shannonEntropy(sample) >= (sample.length >= 200 ? 5.2 : 4.2) && new Set(sample).size >= 20;
}

const KIND_BY_LABEL: Readonly<Record<string, string>> = {
  'RSA PRIVATE KEY': 'RSA private key',
  'EC PRIVATE KEY': 'elliptic-curve private key',
  'DSA PRIVATE KEY': 'DSA private key',
  'OPENSSH PRIVATE KEY': 'OpenSSH private key',
  'ENCRYPTED PRIVATE KEY': 'password-encrypted PKCS#8 private key',
  'PRIVATE KEY': 'PKCS#8 private key',
  'PGP PRIVATE KEY BLOCK': 'PGP private key block',
  'SSH2 ENCRYPTED PRIVATE KEY': 'SSH2 private key',
  'OpenVPN Static key V1': 'OpenVPN static key',
  'DH PRIVATE KEY': 'Diffie-Hellman private key',
};

/** Whether the decoded body is the structure the label promises, and whether it is encrypted. */
function inspectBody(label: string, base64: string, headers: string): { proven: boolean; encrypted: boolean } {
  const legacyEncrypted = /Proc-Type:\s*4,ENCRYPTED/.test(headers);
  if (label === 'OPENSSH PRIVATE KEY') {
    const text = decodeBase64Text(base64.slice(0, 80), 60) ?? '';
    if (!text.startsWith('openssh-key-v1\0')) return { proven: false, encrypted: false };
    const cipherLength = text.charCodeAt(18);
    return { proven: true, encrypted: text.slice(19, 19 + cipherLength) !== 'none' };
  }
  if (label === 'PGP PRIVATE KEY BLOCK') {
    const bytes = decodeBase64(base64.slice(0, 8), 4);
    // OpenPGP packet tag 5 (secret key) or 7 (secret subkey), old or new format.
    const tag = bytes && bytes[0] & 0x40 ? bytes[0] & 0x3f : bytes ? (bytes[0] >> 2) & 0x0f : -1;
    return { proven: tag === 5 || tag === 7, encrypted: false };
  }
  if (legacyEncrypted) return { proven: true, encrypted: true };
  const der = derKindOf(base64);
  if (label === 'ENCRYPTED PRIVATE KEY') return { proven: der === 'pkcs8-encrypted-private-key', encrypted: true };
  return { proven: der !== undefined && der !== 'pkcs12' && der !== 'pkcs8-encrypted-private-key', encrypted: false };
}

function derKindOf(base64: string): DerKind | undefined {
  const bytes = decodeBase64(withoutPadding(base64.slice(0, 64)), 48);
  return bytes ? classifyDer(bytes) : undefined;
}

/** Every armoured private key in `content`, in order. */
export function findArmouredKeys(content: string): PrivateKeyBlock[] {
  const out: PrivateKeyBlock[] = [];
  let at = content.indexOf(BEGIN);
  while (at >= 0) {
    const labelEnd = content.indexOf('-----', at + BEGIN.length);
    const label = labelEnd > 0 && labelEnd - at < 80 ? content.slice(at + BEGIN.length, labelEnd) : '';
    let next = at + BEGIN.length;
    if (PRIVATE_LABEL.test(label)) {
      const bodyStart = labelEnd + 5;
      const body = readBody(content, bodyStart);
      const hasEnd = body.endMarker !== undefined;
      if ((hasEnd || body.base64.length >= 200) && isKeyMaterial(body.base64, content, bodyStart, body.end)) {
        const endLineEnd = hasEnd ? content.indexOf('-----', body.endMarker! + 8) : -1;
        const end = endLineEnd > 0 && endLineEnd - body.endMarker! < 80 ? endLineEnd + 5 : body.end;
        const { proven, encrypted } = inspectBody(label, body.base64, body.headers);
        out.push({
          // The whole block is the secret, header included: every line it spans shows masked.
          span: { start: at, end },
          secret: { start: at, end },
          kind: KIND_BY_LABEL[label] ?? `${label.toLowerCase().replace(/ block$/, '')}`,
          encrypted,
          proven,
        });
        next = end;
      }
    }
    at = content.indexOf(BEGIN, next);
  }
  return out;
}

/** PuTTY key files: `PuTTY-User-Key-File-2: ssh-rsa` … `Private-Lines: N` then base64. */
export function findPuttyKeys(content: string): PrivateKeyBlock[] {
  const out: PrivateKeyBlock[] = [];
  let at = content.indexOf('PuTTY-User-Key-File-');
  while (at >= 0) {
    const privateAt = content.indexOf('Private-Lines:', at);
    if (privateAt > 0 && privateAt - at < 4000) {
      const lineEnd = content.indexOf('\n', privateAt);
      const body = lineEnd > 0 ? readBody(content, lineEnd + 1) : undefined;
      if (body && body.base64.length >= MIN_BODY) {
        const encryption = /^Encryption: ?(\S{1,40})/m.exec(content.slice(at, privateAt));
        const encrypted = !!encryption && encryption[1] !== 'none';
        out.push({
          span: { start: at, end: body.end },
          secret: { start: body.first, end: body.end },
          kind: 'PuTTY private key',
          encrypted,
          proven: true,
        });
      }
    }
    at = content.indexOf('PuTTY-User-Key-File-', at + 20);
  }
  return out;
}

const DER_DESCRIPTION: Readonly<Record<Exclude<DerKind, 'pkcs12'>, string>> = {
  'pkcs1-private-key': 'RSA private key (base64 DER)',
  'pkcs8-private-key': 'PKCS#8 private key (base64 DER)',
  'pkcs8-encrypted-private-key': 'password-encrypted PKCS#8 private key (base64 DER)',
  'sec1-private-key': 'elliptic-curve private key (base64 DER)',
};

/**
 * A base64 run that decodes to a DER private key, written without armour (Android and Java code keep keys
 * so), or a base64-encoded PEM private key (Kubernetes secrets, CI variables).
 */
export function describeBase64Key(run: string): { kind: string; encrypted: boolean } | undefined {
  if (run.startsWith('LS0tLS1CRUdJTi')) {
    const pem = decodeBase64Text(run.slice(0, 120), 90) ?? '';
    const m = /^-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/.exec(pem);
    return m
      ? { kind: `${KIND_BY_LABEL[m[1]] ?? 'private key'} (base64 of the PEM file)`, encrypted: m[1] === 'ENCRYPTED PRIVATE KEY' }
      : undefined;
  }
  if (run.length < 60 || shannonEntropy(run.slice(0, 200)) < 4.5) return undefined;
  const kind = derKindOf(run);
  if (!kind || kind === 'pkcs12') return undefined;
  return { kind: DER_DESCRIPTION[kind], encrypted: kind === 'pkcs8-encrypted-private-key' };
}

/** Prefixes of base64 private keys: DER SEQUENCE headers of the usual key sizes, and base64 of `-----BEGIN`. */
export const BASE64_KEY_PREFIXES: readonly string[] = ['MII', 'MIG', 'MIH', 'MHc', 'MHQ', 'MC4C', 'MFEC', 'MFMC', 'LS0tLS1CRUdJTi'];
