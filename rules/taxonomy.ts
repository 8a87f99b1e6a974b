/**
 * The closed sets that rule metadata may cite: CWE ids, FDA keys and IEC 62443 clause ids, each with
 * a human title. Keys and mapping follow fda-reference.md; titles are paraphrased (no guidance or
 * standard text is copied). A rule that cites a key missing here fails `validateRuleMeta`, so adding a
 * mapping means adding the key here first, with its title.
 */
import { LANGUAGES, SEVERITIES } from '../server/src/core/types';
import type { RuleMeta } from '../server/src/core/types';
import { seesKeysNotMapped } from '../server/src/core/rule-sees';

/** CWE id → official MITRE short name (every CWE the weakness classes of the FDA reference map to). */
export const CWE: Readonly<Record<number, string>> = {
  20: 'Improper Input Validation',
  120: "Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')",
  134: 'Use of Externally-Controlled Format String',
  208: 'Observable Timing Discrepancy',
  215: 'Insertion of Sensitive Information Into Debugging Code',
  242: 'Use of Inherently Dangerous Function',
  252: 'Unchecked Return Value',
  256: 'Plaintext Storage of a Password',
  258: 'Empty Password in Configuration File',
  259: 'Use of Hard-coded Password',
  260: 'Password in Configuration File',
  276: 'Incorrect Default Permissions',
  287: 'Improper Authentication',
  294: 'Authentication Bypass by Capture-replay',
  295: 'Improper Certificate Validation',
  297: 'Improper Validation of Certificate with Host Mismatch',
  306: 'Missing Authentication for Critical Function',
  307: 'Improper Restriction of Excessive Authentication Attempts',
  311: 'Missing Encryption of Sensitive Data',
  312: 'Cleartext Storage of Sensitive Information',
  319: 'Cleartext Transmission of Sensitive Information',
  321: 'Use of Hard-coded Cryptographic Key',
  323: 'Reusing a Nonce, Key Pair in Encryption',
  326: 'Inadequate Encryption Strength',
  327: 'Use of a Broken or Risky Cryptographic Algorithm',
  328: 'Use of Weak Hash',
  329: 'Generation of Predictable IV with CBC Mode',
  330: 'Use of Insufficiently Random Values',
  337: 'Predictable Seed in Pseudo-Random Number Generator (PRNG)',
  338: 'Use of Cryptographically Weak Pseudo-Random Number Generator (PRNG)',
  340: 'Generation of Predictable Numbers or Identifiers',
  345: 'Insufficient Verification of Data Authenticity',
  347: 'Improper Verification of Cryptographic Signature',
  353: 'Missing Support for Integrity Check',
  489: 'Active Debug Code',
  494: 'Download of Code Without Integrity Check',
  521: 'Weak Password Requirements',
  522: 'Insufficiently Protected Credentials',
  523: 'Unprotected Transport of Credentials',
  530: 'Exposure of Backup File to an Unauthorized Control Sphere',
  532: 'Insertion of Sensitive Information into Log File',
  547: 'Use of Hard-coded, Security-relevant Constants',
  598: 'Use of GET Request Method With Sensitive Query Strings',
  613: 'Insufficient Session Expiration',
  676: 'Use of Potentially Dangerous Function',
  732: 'Incorrect Permission Assignment for Critical Resource',
  757: "Selection of Less-Secure Algorithm During Negotiation ('Algorithm Downgrade')",
  759: 'Use of a One-Way Hash without a Salt',
  760: 'Use of a One-Way Hash with a Predictable Salt',
  780: 'Use of RSA Algorithm without OAEP',
  787: 'Out-of-bounds Write',
  798: 'Use of Hard-coded Credentials',
  912: 'Hidden Functionality',
  916: 'Use of Password Hash With Insufficient Computational Effort',
  926: 'Improper Export of Android Application Components',
  942: 'Permissive Cross-domain Policy with Untrusted Domains',
  1104: 'Use of Unmaintained Third Party Components',
  1191: 'On-Chip Debug and Test Interface With Improper Access Control',
  1204: 'Generation of Weak Initialization Vector (IV)',
  1244: 'Internal Asset Exposed to Unsafe Debug Access Level or State',
  1326: 'Missing Immutable Root of Trust in Hardware',
  1327: 'Binding to an Unrestricted IP Address',
  1328: 'Security Version Number Mutable to Older Versions',
  1392: 'Use of Default Credentials',
  1393: 'Use of Default Password',
  1394: 'Use of Default Cryptographic Key',
  1395: 'Dependency on Vulnerable Third-Party Component',
};

export type FdaDocument = 'fda-premarket' | 'fdca-524b' | 'fda-premarket-2014' | 'fda-postmarket-2016';

export interface FdaEntry {
  title: string;
  document: FdaDocument;
  /** For an Appendix 1 item: the key of its category (`app1.A` for `app1.A.5`). */
  category?: string;
}

/** Human names of the documents, for reports and the rule reference. */
export const FDA_DOCUMENTS: Readonly<Record<FdaDocument, string>> = {
  'fda-premarket': 'FDA premarket cybersecurity guidance (2023, revised 2025)',
  'fdca-524b': 'FD&C Act section 524B (cyber devices)',
  'fda-premarket-2014': 'FDA premarket cybersecurity guidance (2014, superseded)',
  'fda-postmarket-2016': 'FDA postmarket cybersecurity guidance (2016)',
};

/** Appendix 1 categories and their items in document order (numbering is ours, not FDA's). */
const APPENDIX_1: Record<string, { title: string; items: string[] }> = {
  A: {
    title: 'Authentication',
    items: [
      'Cryptographically strong authentication on every path (personnel, messages, commands, updates)',
      'Mutual authentication of external connections, per session',
      'Strong user authentication (multi-factor for privileged and service access)',
      'Authenticate before any software or firmware update',
      'No hardcoded, default, easily guessed or easily compromised passwords',
      'Anti-replay protection (nonces) for critical commands',
      'Verifiable authenticity of device-originated data',
      'CRCs and checksums are not a security control',
      'Defined response to authentication failure',
    ],
  },
  B: {
    title: 'Authorization',
    items: [
      'Limit access by authenticating users',
      'Automatic session timeout',
      'Least privilege by role',
      'Deny by default (refuse unauthorised network, USB, Bluetooth and serial connections)',
    ],
  },
  C: {
    title: 'Cryptography',
    items: [
      'Industry-standard algorithms, proper key generation and management, robust nonces',
      'Current NIST-recommended strength for the service life; no deprecated or disallowed algorithms',
      "One device's compromise must not expose others: no master keys, no keys derived from identifiers",
      'Negotiate the most recent secure protocol configuration',
      'No downgrade or rollback (logged where safety requires one)',
    ],
  },
  D: {
    title: 'Code, Data, and Execution Integrity',
    items: [
      'Hardware-based security',
      'Authenticate firmware and software, including signed version numbers',
      'Install only cryptographically authenticated updates; refuse on missing or failed authentication',
      'Validate software, firmware and configuration before execution (secure boot)',
      'Disable or restrict test and debug ports (JTAG, UART) before delivery',
      'Tamper evidence',
      'Verify the integrity of incoming data',
      'External data is well-formed and range-checked',
      'Protect safety-critical data and configuration',
      'Runtime integrity',
      'Careful parsing code, reviewed with static and dynamic analysis',
    ],
  },
  E: {
    title: 'Confidentiality',
    items: [
      'Protect data whose disclosure could harm patients (in transit, at rest, credentials and keys)',
      'Authentication and authorisation give enough confidentiality',
    ],
  },
  F: {
    title: 'Event Detection and Logging',
    items: [
      'Detect and log compromise attempts',
      'Secure, off-device logs for forensics, with no secrets in them',
      // fda-reference.md groups .3–.8 together; they share one title until mapped individually.
      ...Array.from(
        { length: 6 },
        () => 'Secure shipped configuration, anti-malware, machine-readable configuration and SBOM (items .3–.8)',
      ),
    ],
  },
  G: {
    title: 'Resiliency and Recovery',
    items: [
      'Protect critical functions when partly compromised',
      'Recover a trusted configuration',
      'Defined behaviour on loss of communication',
      'Resilient to outages and denial of service',
      'Resilient to network noise',
    ],
  },
  H: {
    title: 'Firmware and Software Updates',
    items: [
      'Headroom for patches',
      'Survive interrupted updates',
      'Out-of-cycle security patches',
      'Fast patch verification and distribution',
      'Keep build and test environments',
      'Modular replacement of third-party components',
      'A secure process and mechanism for delivering validated updates',
    ],
  },
};

function appendixEntries(): Record<string, FdaEntry> {
  const entries: Record<string, FdaEntry> = {};
  for (const [letter, { title, items }] of Object.entries(APPENDIX_1)) {
    const category = `app1.${letter}`;
    entries[category] = { title, document: 'fda-premarket' };
    items.forEach((itemTitle, index) => {
      entries[`${category}.${index + 1}`] = { title: itemTitle, document: 'fda-premarket', category };
    });
  }
  return entries;
}

/** Every FDA key a rule may cite in `meta.fda`. */
export const FDA: Readonly<Record<string, FdaEntry>> = {
  ...appendixEntries(),
  'V.A.4': { title: 'Software bill of materials (SBOM)', document: 'fda-premarket' },
  'V.A.5': { title: 'Assess anomalies with their CWE categories', document: 'fda-premarket' },
  'V.C': { title: 'Cybersecurity testing, including static code analysis', document: 'fda-premarket' },
  '524b.b1': { title: 'Plan to monitor and address postmarket vulnerabilities', document: 'fdca-524b' },
  '524b.b2': { title: 'Processes giving reasonable assurance of cybersecurity', document: 'fdca-524b' },
  '524b.b2a': { title: 'Updates and patches on a justified regular cycle', document: 'fdca-524b' },
  '524b.b2b': { title: 'Out-of-cycle patches for critical vulnerabilities', document: 'fdca-524b' },
  '524b.b3': { title: 'Software bill of materials', document: 'fdca-524b' },
  'fda-premarket-2014': {
    title: 'Legacy premarket guidance: limit access to trusted users, ensure trusted content',
    document: 'fda-premarket-2014',
  },
  'fda-postmarket-2016': {
    title: 'Postmarket guidance: controlled and uncontrolled risk',
    document: 'fda-postmarket-2016',
  },
};

/** Keys that exist in the taxonomy but that no code-level rule should cite: process requirements. */
const PROCESS_ONLY_FDA_KEYS: ReadonlySet<string> = new Set(['524b.b1']);

export type Iec62443Part = '62443-4-2' | '62443-4-1';

export interface Iec62443Entry {
  title: string;
  part: Iec62443Part;
}

/** IEC 62443 clause ids a rule may cite in `meta.iec62443`: ids only, titles paraphrased. */
export const IEC62443: Readonly<Record<string, Iec62443Entry>> = {
  'CR 1.1': { title: 'Human user identification and authentication', part: '62443-4-2' },
  'CR 1.2': { title: 'Software process and device identification and authentication', part: '62443-4-2' },
  'CR 1.5': { title: 'Authenticator management', part: '62443-4-2' },
  'CR 1.7': { title: 'Strength of password-based authentication', part: '62443-4-2' },
  'CR 1.8': { title: 'Public key infrastructure certificates', part: '62443-4-2' },
  'CR 1.9': { title: 'Strength of public key-based authentication', part: '62443-4-2' },
  'CR 1.11': { title: 'Unsuccessful login attempts', part: '62443-4-2' },
  'CR 1.14': { title: 'Strength of symmetric key-based authentication', part: '62443-4-2' },
  'CR 2.1': { title: 'Authorization enforcement', part: '62443-4-2' },
  'CR 2.5': { title: 'Session lock', part: '62443-4-2' },
  'CR 2.8': { title: 'Auditable events', part: '62443-4-2' },
  'EDR 2.13': { title: 'Use of physical diagnostic and test interfaces', part: '62443-4-2' },
  'CR 3.1': { title: 'Communication integrity', part: '62443-4-2' },
  'CR 3.4': { title: 'Software and information integrity', part: '62443-4-2' },
  'CR 3.5': { title: 'Input validation', part: '62443-4-2' },
  'CR 3.8': { title: 'Session integrity', part: '62443-4-2' },
  'CR 3.9': { title: 'Protection of audit information', part: '62443-4-2' },
  'EDR 3.10': { title: 'Support for updates', part: '62443-4-2' },
  'EDR 3.10 RE(1)': { title: 'Update authenticity and integrity', part: '62443-4-2' },
  'EDR 3.12': { title: 'Provisioning product supplier roots of trust', part: '62443-4-2' },
  'EDR 3.14': { title: 'Integrity of the boot process', part: '62443-4-2' },
  'EDR 3.14 RE(1)': { title: 'Authenticity of the boot process', part: '62443-4-2' },
  'CR 4.1': { title: 'Information confidentiality', part: '62443-4-2' },
  'CR 4.3': { title: 'Use of cryptography', part: '62443-4-2' },
  'CR 7.7': { title: 'Least functionality', part: '62443-4-2' },
  'SI-1': { title: 'Security implementation review (static analysis of source changes)', part: '62443-4-1' },
  'SI-2': { title: 'Secure coding standards (banned functions, input validation)', part: '62443-4-1' },
  'SM-9': { title: 'Security requirements for externally provided components', part: '62443-4-1' },
};

export function cweTitle(id: number): string | undefined {
  return Object.prototype.hasOwnProperty.call(CWE, id) ? CWE[id] : undefined;
}

export function cweUrl(id: number): string {
  return `https://cwe.mitre.org/data/definitions/${id}.html`;
}

export function fdaTitle(key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(FDA, key) ? FDA[key].title : undefined;
}

export function iec62443Title(id: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(IEC62443, id) ? IEC62443[id].title : undefined;
}

/** The Appendix 1 category of a category or item key: `app1.A.5` → `{ key: 'app1.A', title: 'Authentication' }`. */
export function appendixCategory(key: string): { key: string; title: string } | undefined {
  const match = /^app1\.([A-H])(?:\.\d+)?$/.exec(key);
  if (!match || !Object.prototype.hasOwnProperty.call(FDA, key)) return undefined;
  const categoryKey = `app1.${match[1]}`;
  return { key: categoryKey, title: FDA[categoryKey].title };
}

const KEBAB_CASE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const LEGACY_FDA_DOCUMENTS: ReadonlySet<FdaDocument> = new Set(['fda-premarket-2014', 'fda-postmarket-2016']);

function duplicates<T>(values: readonly T[]): T[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

/**
 * `sees`, when given: no blank phrase, and a per-key phrase only for a key the rule maps to. Whether every
 * item the coverage matrix shows has its phrase is the report's to say (`seesProblems` in report/coverage.ts).
 */
function seesShapeProblems(meta: RuleMeta): string[] {
  const { sees } = meta;
  if (sees === undefined) return [];
  if (typeof sees === 'string') return isBlank(sees) ? ['sees is empty'] : [];
  const entries = Object.entries(sees);
  return [
    ...(entries.length ? [] : ['sees names no FDA key: give one phrase, or a phrase per key']),
    ...entries.filter(([, phrase]) => isBlank(phrase)).map(([key]) => `sees["${key}"] is empty`),
    ...seesKeysNotMapped(sees, meta.fda ?? []).map((key) => `sees has a phrase for "${key}", which fda does not list`),
  ];
}

/** Problems with a rule's metadata, each a sentence naming the field; empty when the metadata is sound. */
export function validateRuleMeta(meta: RuleMeta): string[] {
  const problems: string[] = [];
  const problem = (text: string) => problems.push(`${meta.id || '(no id)'}: ${text}`);

  if (!KEBAB_CASE.test(meta.id ?? '')) problem(`id "${meta.id}" is not kebab-case (e.g. "hardcoded-credential")`);
  for (const alias of meta.aliases ?? []) {
    if (!KEBAB_CASE.test(alias)) problem(`alias "${alias}" is not kebab-case`);
    if (alias === meta.id) problem(`alias "${alias}" repeats the id`);
  }
  if (isBlank(meta.title)) problem('title is empty');
  if (!SEVERITIES.includes(meta.severity)) problem(`severity "${meta.severity}" is not one of ${SEVERITIES.join(', ')}`);
  if (!['high', 'medium', 'low'].includes(meta.confidence)) problem(`confidence "${meta.confidence}" is not high, medium or low`);

  if (!meta.languages?.length) problem('languages is empty');
  for (const language of meta.languages ?? []) {
    if (!LANGUAGES.includes(language)) problem(`unknown language "${language}"`);
  }
  for (const language of duplicates(meta.languages ?? [])) problem(`language "${language}" is listed twice`);

  if (!meta.cwe?.length) problem('cwe is empty: every finding must carry a CWE id (FDA guidance V.A.5)');
  for (const id of meta.cwe ?? []) {
    if (cweTitle(id) === undefined) problem(`unknown CWE ${id} (add it to CWE in rules/taxonomy.ts first)`);
  }
  for (const id of duplicates(meta.cwe ?? [])) problem(`CWE ${id} is listed twice`);

  if (!meta.fda?.length) problem('fda is empty');
  for (const key of meta.fda ?? []) {
    if (fdaTitle(key) === undefined) problem(`unknown FDA key "${key}" (see FDA in rules/taxonomy.ts)`);
    else if (PROCESS_ONLY_FDA_KEYS.has(key)) problem(`FDA key "${key}" is a process requirement; no rule maps there`);
  }
  for (const key of duplicates(meta.fda ?? [])) problem(`FDA key "${key}" is listed twice`);
  seesShapeProblems(meta).forEach(problem);
  const citesCurrentGuidance = (meta.fda ?? []).some((key) => fdaTitle(key) !== undefined && !LEGACY_FDA_DOCUMENTS.has(FDA[key].document));
  if (meta.fda?.length && !citesCurrentGuidance) problem('fda cites only legacy guidance; add a current key (app1.*, 524b.*, V.*)');

  for (const id of meta.iec62443 ?? []) {
    if (iec62443Title(id) === undefined) problem(`unknown IEC 62443 id "${id}" (see IEC62443 in rules/taxonomy.ts)`);
  }
  for (const id of duplicates(meta.iec62443 ?? [])) problem(`IEC 62443 id "${id}" is listed twice`);

  if (!['safe', 'suggestion', 'none'].includes(meta.fix)) problem(`fix "${meta.fix}" is not safe, suggestion or none`);
  if (meta.fix === 'safe' && meta.confidence === 'low') {
    problem('fix is "safe" but confidence is "low": a fix applied in bulk needs a confident finding (use "suggestion")');
  }

  for (const preset of meta.presets ?? []) {
    if (preset !== 'recommended' && preset !== 'strict') problem(`unknown preset "${preset}"`);
  }
  for (const preset of duplicates(meta.presets ?? [])) problem(`preset "${preset}" is listed twice`);

  const docs = meta.docs;
  if (!docs) {
    problem('docs is missing');
    return problems;
  }
  for (const field of ['summary', 'risk', 'fix', 'fixSafety'] as const) {
    if (isBlank(docs[field])) problem(`docs.${field} is empty`);
  }
  if (!docs.examples?.length) problem('docs.examples is empty: give at least one bad and good example');
  (docs.examples ?? []).forEach((example, index) => {
    const where = `docs.examples[${index}]`;
    if (!meta.languages?.includes(example.language)) {
      problem(`${where} is in "${example.language}", which is not in languages`);
    }
    if (isBlank(example.bad)) problem(`${where}.bad is empty`);
    if (isBlank(example.good)) problem(`${where}.good is empty`);
    if (!isBlank(example.bad) && example.bad.trim() === example.good?.trim()) problem(`${where}: bad and good are the same`);
  });
  if (!docs.references?.length) problem('docs.references is empty');
  (docs.references ?? []).forEach((reference, index) => {
    if (isBlank(reference.title)) problem(`docs.references[${index}].title is empty`);
    if (!/^https:\/\/\S+$/.test(reference.url ?? '')) problem(`docs.references[${index}].url "${reference.url}" is not an https URL`);
  });
  return problems;
}
