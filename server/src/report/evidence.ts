/**
 * The FDA evidence report's content, computed once from a scan and shared by the Markdown and HTML
 * renderers: tool identity and settings, scope, findings grouped by Appendix 1 category with their
 * CWE / 524B mapping and disposition, the suppression register, the rules that ran, and the summary
 * counts. Pure: everything comes from the ScanResult and the metadata (the date is injected for tests).
 */
import { createHash } from 'crypto';
import { CWE, FDA, appendixCategory, fdaTitle, iec62443Title } from '../../../rules/taxonomy';
import {
  SEVERITIES,
  type EffectiveRule,
  type Finding,
  type LanguageId,
  type Rule,
  type RuleMeta,
  type ScanResult,
  type Severity,
  type SuppressionAssessment,
} from '../core/types';
import { expiryNote } from '../core/suppressions';
import type { Inventory } from '../inventory/types';

export interface ReportMetadata {
  tool: { name: string; version: string };
  /** When the report was made; inject a fixed date for reproducible output. */
  date: Date;
  /** Every rule medsec knows, by id (for titles and mappings of rules that are not enabled). */
  rulesById: ReadonlyMap<string, Rule>;
  /** The cryptography and credentials inventory section; left out when undefined. */
  inventory?: Inventory;
  /** How medsec was run (`medsec scan examples --format html`), for the settings table. */
  command?: string;
}

export type Disposition =
  | { status: 'open' }
  | ({ status: 'suppressed'; expired: boolean } & SuppressionAssessment)
  | { status: 'baselined' }
  /** The suppression's date has passed: the finding counts again. */
  | ({ status: 'expired-suppression'; until: string } & SuppressionAssessment);

export interface ReportFinding {
  ruleId: string;
  ruleTitle: string;
  severity: Severity;
  message: string;
  path: string;
  line: number;
  column: number;
  /** Already redacted by the engine. */
  snippet: string;
  cwe: { id: number; name: string }[];
  /** Appendix 1 items the rule cites, with titles. */
  appendixItems: { key: string; title: string }[];
  /** Section 524B items the rule cites. */
  fdca524b: { key: string; title: string }[];
  disposition: Disposition;
}

export interface CategorySection {
  /** `app1.A` … `app1.H`, or `other` for rules that cite no Appendix 1 item. */
  key: string;
  letter: string;
  title: string;
  /** `A. Authentication`; just the title for `other`. */
  label: string;
  findings: ReportFinding[];
  /** Findings that count (open or with an expired suppression), by severity. */
  open: Record<Severity, number>;
  suppressed: number;
  baselined: number;
  /** Rules that ran and map here: checked even where nothing was found. */
  rules: string[];
}

export interface RuleRow {
  id: string;
  title: string;
  severity: Severity;
  category: string;
  cwe: { id: number; name: string }[];
  fda: { key: string; title: string }[];
  iec62443: { id: string; title: string }[];
  findings: number;
}

export interface LanguageRow { language: LanguageId; files: number; lines: number }

export interface EvidenceReport {
  tool: { name: string; version: string };
  date: Date;
  command?: string;
  root: string;
  configSource: string;
  /** SHA-256 of the canonical JSON of the effective configuration. */
  configHash: string;
  presets: string[];
  scope: {
    files: number;
    lines: number;
    languages: LanguageRow[];
    skipped: { path: string; reason: string }[];
    notes: { path: string; message: string }[];
    ruleFailures: { ruleId: string; path: string; error: string }[];
    baseline?: ScanResult['baseline'];
    shard?: ScanResult['shard'];
  };
  categories: CategorySection[];
  register: ReportFinding[];
  rules: RuleRow[];
  totals: { open: Record<Severity, number>; openTotal: number; suppressed: number; baselined: number; expired: number };
  inventory?: Inventory;
}

/** Appendix 1 categories in order, then `other` for findings of rules that cite none. */
export const CATEGORY_KEYS = ['app1.A', 'app1.B', 'app1.C', 'app1.D', 'app1.E', 'app1.F', 'app1.G', 'app1.H', 'other'] as const;

/** A rule's category: the first Appendix 1 key among its `fda` keys. */
export function ruleCategory(fdaKeys: readonly string[]): string {
  for (const key of fdaKeys) {
    const category = appendixCategory(key);
    if (category) return category.key;
  }
  return 'other';
}

/** Canonical JSON: keys sorted at every level, no whitespace; what the configuration hash is taken over. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function configHash(raw: unknown): string {
  return createHash('sha256').update(canonicalJson(raw)).digest('hex');
}

function isPast(until: string | undefined, date: Date): boolean {
  if (!until) return false;
  const end = Date.parse(`${until}T23:59:59.999Z`);
  return !Number.isNaN(end) && date.getTime() > end;
}

/** The finding's disposition, and its message without the engine's note on an expired suppression. */
function dispositionOf(finding: Finding, date: Date): { disposition: Disposition; message: string } {
  const suppression = finding.suppression;
  if (suppression) {
    const { justification, reviewer, until, source, origin } = suppression;
    return {
      message: finding.message,
      disposition: {
        status: 'suppressed', justification, ...(reviewer ? { reviewer } : {}), ...(until ? { until } : {}),
        expired: isPast(until, date), source, ...(origin ? { origin } : {}),
      },
    };
  }
  const expired = finding.expiredSuppression;
  if (expired) {
    const { justification, reviewer, until, source, origin } = expired;
    const note = expiryNote(until, justification, origin);
    return {
      message: finding.message.includes(note) ? finding.message.replace(note, '') : finding.message,
      disposition: {
        status: 'expired-suppression', justification, ...(reviewer ? { reviewer } : {}), until, source, ...(origin ? { origin } : {}),
      },
    };
  }
  if (finding.baselineState === 'unchanged') return { message: finding.message, disposition: { status: 'baselined' } };
  return { message: finding.message, disposition: { status: 'open' } };
}

const zero = (): Record<Severity, number> => Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;

export function buildEvidenceReport(result: ScanResult, meta: ReportMetadata): EvidenceReport {
  const enabled = result.config.enabledRules();
  const ruleMeta = (id: string) => meta.rulesById.get(id)?.meta ?? enabled.find((effective) => effective.rule.meta.id === id)?.rule.meta;
  const findings = reportFindings(result, meta.date, ruleMeta);
  const categories = emptyCategories();
  const sectionFor = (key: string) => categories.find((section) => section.key === key) ?? categories[categories.length - 1];
  const rules = ruleRows(enabled, sectionFor);
  const totals = tally(findings, rules, (ruleId) => {
    const category = rules.find((row) => row.id === ruleId)?.category ?? ruleCategory(ruleMeta(ruleId)?.fda ?? []);
    return sectionFor(category);
  });
  return {
    tool: meta.tool,
    date: meta.date,
    ...(meta.command ? { command: meta.command } : {}),
    root: result.root,
    configSource: result.config.source ?? 'built-in default (medsec:recommended)',
    configHash: configHash(result.config.raw ?? null),
    presets: presetsOf(result),
    scope: scopeOf(result),
    categories,
    register: findings.filter(({ disposition }) => disposition.status === 'suppressed' || disposition.status === 'expired-suppression'),
    rules,
    totals,
    ...(meta.inventory ? { inventory: meta.inventory } : {}),
  };
}

/** Every finding in path, line, column and rule order, with its rule's mapping and its disposition. */
function reportFindings(result: ScanResult, date: Date, ruleMeta: (id: string) => RuleMeta | undefined): ReportFinding[] {
  const byLocation = (a: Finding, b: Finding) => compare(a.path, b.path) || a.range.start.line - b.range.start.line
    || a.range.start.column - b.range.start.column || compare(a.ruleId, b.ruleId);
  return result.files.flatMap((file) => file.findings).sort(byLocation).map((finding) => {
    const rule = ruleMeta(finding.ruleId);
    const { disposition, message } = dispositionOf(finding, date);
    const fda = rule?.fda ?? [];
    return {
      ruleId: finding.ruleId,
      ruleTitle: rule?.title ?? finding.ruleId,
      severity: finding.severity,
      message,
      path: finding.path,
      line: finding.range.start.line + 1,
      column: finding.range.start.column + 1,
      snippet: finding.snippet,
      cwe: (rule?.cwe ?? []).map((id) => ({ id, name: CWE[id] ?? '' })),
      appendixItems: fda.filter((key) => key.startsWith('app1.')).map((key) => ({ key, title: fdaTitle(key) ?? '' })),
      fdca524b: fda.filter((key) => key.startsWith('524b.')).map((key) => ({ key, title: fdaTitle(key) ?? '' })),
      disposition,
    };
  });
}

/** One empty section per Appendix 1 category, then "other". */
function emptyCategories(): CategorySection[] {
  return CATEGORY_KEYS.map((key) => ({
    key,
    letter: key === 'other' ? '–' : key.slice(-1),
    title: key === 'other' ? 'Other (process and tooling)' : FDA[key].title,
    label: key === 'other' ? 'Other (process and tooling)' : `${key.slice(-1)}. ${FDA[key].title}`,
    findings: [], open: zero(), suppressed: 0, baselined: 0, rules: [],
  }));
}

/** A row per enabled rule with its mapping; each rule is also listed in its category's section. */
function ruleRows(enabled: EffectiveRule[], sectionFor: (category: string) => CategorySection): RuleRow[] {
  return enabled.map(({ rule, severity }) => {
    const category = ruleCategory(rule.meta.fda);
    sectionFor(category).rules.push(rule.meta.id);
    return {
      id: rule.meta.id, title: rule.meta.title, severity, category,
      cwe: rule.meta.cwe.map((id) => ({ id, name: CWE[id] ?? '' })),
      fda: rule.meta.fda.map((key) => ({ key, title: fdaTitle(key) ?? '' })),
      iec62443: rule.meta.iec62443.map((id) => ({ id, title: iec62443Title(id) ?? '' })),
      findings: 0,
    };
  });
}

/** Files each finding under its rule's category and counts it there, on its rule's row and in the totals. */
function tally(findings: ReportFinding[], rules: RuleRow[], sectionOf: (ruleId: string) => CategorySection): EvidenceReport['totals'] {
  const totals = { open: zero(), openTotal: 0, suppressed: 0, baselined: 0, expired: 0 };
  for (const finding of findings) {
    const section = sectionOf(finding.ruleId);
    section.findings.push(finding);
    const row = rules.find((r) => r.id === finding.ruleId);
    if (row) row.findings++;
    const status = finding.disposition.status;
    if (status === 'suppressed') {
      section.suppressed++;
      totals.suppressed++;
    } else if (status === 'baselined') {
      section.baselined++;
      totals.baselined++;
    } else {
      // Open, or a suppression that expired and so counts as open.
      if (status === 'expired-suppression') totals.expired++;
      section.open[finding.severity]++;
      totals.open[finding.severity]++;
      totals.openTotal++;
    }
  }
  return totals;
}

function presetsOf(result: ScanResult): string[] {
  const raw = result.config.raw as { extends?: unknown } | undefined;
  if (Array.isArray(raw?.extends)) return raw.extends.filter((entry): entry is string => typeof entry === 'string');
  return result.config.source ? [] : ['medsec:recommended'];
}

function scopeOf(result: ScanResult): EvidenceReport['scope'] {
  const languages = new Map<LanguageId, LanguageRow>();
  for (const file of result.files) {
    const row = languages.get(file.language) ?? { language: file.language, files: 0, lines: 0 };
    row.files++;
    row.lines += file.lines;
    languages.set(file.language, row);
  }
  return {
    files: result.files.length,
    lines: result.files.reduce((sum, file) => sum + file.lines, 0),
    languages: [...languages.values()].sort((a, b) => b.lines - a.lines || compare(a.language, b.language)),
    skipped: result.skipped.map(({ path, reason }) => ({ path, reason })),
    notes: result.files.flatMap((file) => file.notes.map((message) => ({ path: file.path, message }))),
    ruleFailures: result.files.flatMap((file) => file.ruleFailures),
    ...(result.baseline ? { baseline: result.baseline } : {}),
    ...(result.shard ? { shard: result.shard } : {}),
  };
}

export const LANGUAGE_NAMES: Readonly<Record<LanguageId, string>> = {
  c: 'C', cpp: 'C++', python: 'Python', java: 'Java', kotlin: 'Kotlin', typescript: 'TypeScript', javascript: 'JavaScript',
  kconfig: 'Kconfig / sdkconfig', dotenv: '.env', 'android-manifest': 'Android manifest', json: 'JSON', yaml: 'YAML',
};

export function dispositionLabel(disposition: Disposition): string {
  switch (disposition.status) {
    case 'open': return 'Open';
    case 'baselined': return 'Baselined (accepted earlier)';
    case 'suppressed': return disposition.expired ? 'Suppressed (expired)' : 'Suppressed';
    case 'expired-suppression': return `Open: suppression expired ${disposition.until}`;
  }
}

/** The paragraph that maps the report to the guidance (paraphrased; no guidance text is quoted). */
export const HOW_TO_READ = [
  'This report records a static code analysis run as evidence for a premarket cybersecurity submission. The FDA ' +
    'premarket guidance (section V.C, cybersecurity testing) lists static analysis among the tests a manufacturer ' +
      'should report, including checks for credentials that are hardcoded, default, easily guessed or easily ' +
        'compromised; its footnote asks for the name, version and settings of the tool, which the "Tool and settings" ' +
          'table gives (the configuration hash identifies the exact rule settings).',
  'Findings are grouped by the security control category of Appendix 1 that the flagged code falls short of. Each ' +
    'carries its CWE weakness classes, as section V.A.5 asks anomalies to be assessed with their CWE categories in ' +
      'mind, and the section 524B item of the FD&C Act it bears on.',
  'The guidance expects every finding to be assessed and, where it is not fixed, a rationale for leaving it. The ' +
    'disposition column gives that assessment: open findings still need one; suppressed findings carry the ' +
      'justification written next to the code (with its reviewer and expiry), listed again in the suppression ' +
        'register; baselined findings were accepted in an earlier assessment.',
  'The rule list shows every weakness class that was checked, so a category with no findings reads as checked and ' +
    'clean rather than untested. The cryptography and credentials inventory supports the per-path description of ' +
      'protocols, crypto methods, key lengths and credential storage that Appendix 2 asks for.',
];

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
