/**
 * Reading cipher configuration for `weak-cipher-suite`: an OpenSSL cipher string evaluated the way OpenSSL
 * applies it (left to right; `!` removes for good, `-` removes until re-added, `+` only reorders, `A+B` is an
 * intersection), and IANA/JSSE/mbedTLS suite names classified by their parts.
 */

export type WeakClass = 'NULL' | 'anonymous' | 'EXPORT' | 'RC4' | 'DES' | '3DES' | 'MD5';

export const WEAK_CLASS_LABEL: Record<WeakClass, string> = {
  NULL: 'NULL (no encryption)',
  anonymous: 'anonymous (no server authentication)',
  EXPORT: 'EXPORT-grade (40/56-bit)',
  RC4: 'RC4',
  DES: 'single DES',
  '3DES': '3DES (Sweet32)',
  MD5: 'MD5-MAC',
};

/** The exclusion that removes each class for good, for the suggested fix. */
export const WEAK_CLASS_EXCLUSION: Record<WeakClass, string> = {
  NULL: '!eNULL',
  anonymous: '!aNULL',
  EXPORT: '!EXPORT',
  RC4: '!RC4',
  DES: '!DES',
  '3DES': '!3DES',
  MD5: '!MD5',
};

/** OpenSSL cipher-string keywords (aliases) and the weak classes each one selects. */
const KEYWORDS: Record<string, readonly WeakClass[]> = {
  // ALL leaves out only eNULL; what else it holds depends on how the library was built, so assume the worst.
  ALL: ['anonymous', 'EXPORT', 'RC4', 'DES', '3DES', 'MD5'],
  COMPLEMENTOFALL: ['NULL'],
  eNULL: ['NULL'],
  NULL: ['NULL'],
  aNULL: ['anonymous'],
  ADH: ['anonymous'],
  AECDH: ['anonymous'],
  kEDH: [],
  EXPORT: ['EXPORT'],
  EXP: ['EXPORT'],
  EXPORT40: ['EXPORT'],
  EXPORT56: ['EXPORT'],
  RC4: ['RC4'],
  DES: ['DES'],
  '3DES': ['3DES'],
  MD5: ['MD5'],
  LOW: ['DES'],
  // Before OpenSSL 1.1.0, MEDIUM held RC4 and (from 1.0.2g) 3DES.
  MEDIUM: ['RC4', '3DES'],
};

/** The weak classes a single OpenSSL cipher name selects (`EXP-RC4-MD5`, `ADH-AES128-SHA`, `DES-CBC3-SHA`). */
function classesOfOpensslCipher(name: string): WeakClass[] {
  const parts = name.split('-');
  const out = new Set<WeakClass>();
  if (parts.includes('NULL')) out.add('NULL');
  if (parts[0] === 'ADH' || parts[0] === 'AECDH' || parts.includes('anon')) out.add('anonymous');
  if (parts[0] === 'EXP' || parts.some((p) => /^EXP(?:ORT)?\d*$/.test(p))) out.add('EXPORT');
  if (parts.includes('RC4')) out.add('RC4');
  if (parts.includes('CBC3') || parts.includes('3DES') || parts.includes('DES3')) out.add('3DES');
  else if (parts.includes('DES')) out.add('DES');
  if (parts.length > 1 && parts[parts.length - 1] === 'MD5') out.add('MD5');
  return [...out];
}

function classesOfItem(item: string): WeakClass[] | undefined {
  if (Object.prototype.hasOwnProperty.call(KEYWORDS, item)) return [...KEYWORDS[item]];
  if (/^[A-Z0-9]+(?:-[A-Za-z0-9]+)+$/.test(item)) return classesOfOpensslCipher(item);
  return undefined;
}

export interface CipherStringVerdict {
  weak: WeakClass[];
  /** `@SECLEVEL=0`: OpenSSL then allows every weak suite and key size the build has. */
  securityLevelZero: boolean;
}

/** Evaluates an OpenSSL cipher string; undefined when it does not look like one. */
export function evaluateOpensslCipherString(text: string): CipherStringVerdict | undefined {
  const items = text
    .split(/[:, ]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) return undefined;
  const enabled = new Set<WeakClass>();
  const banned = new Set<WeakClass>();
  let securityLevelZero = false;
  let recognised = 0;
  for (const raw of items) {
    const level = /^@SECLEVEL=(\d)$/.exec(raw);
    if (level) {
      securityLevelZero = level[1] === '0';
      recognised++;
      continue;
    }
    if (raw.startsWith('@')) {
      recognised++;
      continue;
    }
    const prefix = /^[!+-]/.test(raw) ? raw[0] : '';
    const body = prefix ? raw.slice(1) : raw;
    const parts = body.split('+');
    const classes = parts.map(classesOfItem);
    if (classes.some((c) => c !== undefined)) recognised++;
    else if (/^[A-Za-z0-9][\w-]*$/.test(body)) recognised++; // HIGH, DEFAULT, kECDHE, AESGCM, SHA256...
    if (prefix === '+') continue;
    // `A+B` selects the suites in every part; a weak class survives when any part is that class.
    const selected = new Set<WeakClass>();
    if (parts.length === 1) for (const c of classes[0] ?? []) selected.add(c);
    else for (const list of classes) for (const c of list ?? []) selected.add(c);
    if (prefix === '!' || prefix === '-') {
      if (parts.length > 1) continue; // removing an intersection removes only part of the class
      for (const c of selected) {
        enabled.delete(c);
        if (prefix === '!') banned.add(c);
      }
    } else {
      for (const c of selected) if (!banned.has(c)) enabled.add(c);
    }
  }
  if (!recognised) return undefined;
  return { weak: [...enabled], securityLevelZero };
}

/**
 * The weak classes of an IANA/JSSE/mbedTLS suite name: `TLS_RSA_WITH_3DES_EDE_CBC_SHA`,
 * `SSL_RSA_EXPORT_WITH_RC4_40_MD5`, `MBEDTLS_TLS_RSA_WITH_NULL_SHA256`, `TLS_DH_anon_WITH_AES_128_CBC_SHA`.
 */
export function classesOfSuiteName(name: string): WeakClass[] {
  const bare = name.replace(/^MBEDTLS_/, '');
  if (!/^(?:TLS|SSL)_\w+$/.test(bare) || bare === 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV' || bare === 'TLS_FALLBACK_SCSV') return [];
  const parts = bare.split('_');
  const out = new Set<WeakClass>();
  if (parts.includes('NULL')) out.add('NULL');
  if (parts.includes('anon')) out.add('anonymous');
  if (parts.some((p) => /^EXPORT\d*$/.test(p) || p === 'DES40' || p === 'RC4_40')) out.add('EXPORT');
  if (parts.includes('RC4')) out.add('RC4');
  if (parts.includes('3DES') || (parts.includes('DES') && parts.includes('EDE'))) out.add('3DES');
  else if (parts.includes('DES') || parts.includes('DES40')) out.add('DES');
  if (parts[parts.length - 1] === 'MD5') out.add('MD5');
  return [...out];
}

export function describeClasses(classes: readonly WeakClass[]): string {
  return classes.map((c) => WEAK_CLASS_LABEL[c]).join(', ');
}
