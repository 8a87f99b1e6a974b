/**
 * The FDA evidence report's content, computed once from a scan and shared by the Markdown and HTML
 * renderers: tool identity and settings, the scope (languages, files not analysed, the rule set with its
 * mapping), the control coverage matrix, findings by Appendix 1 category with their CWE / 524B mapping and
 * disposition, the suppression register, and the counts. Pure: everything comes from the ScanResult and the
 * metadata (the date is injected for tests).
 */
import { createHash } from 'crypto';
import { CWE, fdaTitle, iec62443Title } from '../../../rules/taxonomy';
import { DEFAULT_JUSTIFICATION_POLICY, type JustificationPolicy } from '../../../shared/justification';
import type { EffectiveRule, Finding, Rule, RuleMeta, ScanResult, Severity } from '../core/types';
import type { Inventory } from '../inventory/types';
import { categorySections, count, emptyCounts, ruleCategories, type CategorySection, type Counts } from './categories';
import { coverageMatrix, type CoverageRow } from './coverage';
import { dispositionOf, isSuppressionOf, type Disposition } from './disposition';
import { scopeOf, type Scope } from './scope';

export { CATEGORY_KEYS, ruleCategory } from './categories';
export { dispositionLabel, type Disposition } from './disposition';
export { LANGUAGE_NAMES } from './scope';

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

export interface ReportFinding {
  /** `F1`, `F2`, … in the order the report lists them in full. */
  id: string;
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
  /** The Appendix 1 categories its rule maps to (`other` when none); listed in full under the first. */
  categories: string[];
  disposition: Disposition;
}

export type ReportSection = CategorySection<ReportFinding>;

export interface RuleRow {
  id: string;
  title: string;
  severity: Severity;
  /** The categories the rule maps to, in the order its mapping names them. */
  categories: string[];
  cwe: { id: number; name: string }[];
  fda: { key: string; title: string }[];
  iec62443: { id: string; title: string }[];
  /** Its findings, each counted once, whatever their disposition. */
  findings: number;
}

export interface EvidenceReport {
  tool: { name: string; version: string };
  date: Date;
  command?: string;
  root: string;
  configSource: string;
  /** SHA-256 of the canonical JSON of the effective configuration. */
  configHash: string;
  presets: string[];
  /** How suppression justifications were judged. */
  justificationPolicy: JustificationPolicy;
  scope: Scope;
  coverage: CoverageRow[];
  categories: ReportSection[];
  /** Every finding once, in the order the report lists them in full (by primary category, then location). */
  findings: ReportFinding[];
  register: ReportFinding[];
  rules: RuleRow[];
  /** Each finding counted once, however many categories it appears in. */
  totals: Counts;
  inventory?: Inventory;
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

export function buildEvidenceReport(result: ScanResult, meta: ReportMetadata): EvidenceReport {
  const enabled = result.config.enabledRules();
  const ruleMeta = (id: string) => meta.rulesById.get(id)?.meta ?? enabled.find((effective) => effective.rule.meta.id === id)?.rule.meta;
  const findings = numbered(reportFindings(result, meta.date, ruleMeta));
  const totals = emptyCounts();
  for (const finding of findings) count(totals, finding);
  return {
    tool: meta.tool,
    date: meta.date,
    ...(meta.command ? { command: meta.command } : {}),
    root: result.root,
    configSource: result.config.source ?? 'built-in default (medsec:recommended)',
    configHash: configHash(result.config.raw ?? null),
    presets: presetsOf(result),
    justificationPolicy: result.config.justificationPolicy ?? DEFAULT_JUSTIFICATION_POLICY,
    scope: scopeOf(result),
    coverage: coverageMatrix(enabled, meta.rulesById.values()),
    categories: categorySections(findings, enabled),
    findings,
    register: findings.filter(({ disposition }) => isSuppressionOf(disposition)),
    rules: ruleRows(enabled, findings),
    totals,
    ...(meta.inventory ? { inventory: meta.inventory } : {}),
  };
}

/** Every finding in path, line, column and rule order, with its rule's mapping and its disposition. */
function reportFindings(result: ScanResult, date: Date, ruleMeta: (id: string) => RuleMeta | undefined): Omit<ReportFinding, 'id'>[] {
  const byLocation = (a: Finding, b: Finding) =>
    compare(a.path, b.path) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    compare(a.ruleId, b.ruleId);
  return result.files
    .flatMap((file) => file.findings)
    .sort(byLocation)
    .map((finding) => {
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
        categories: ruleCategories(fda),
        disposition,
      };
    });
}

/** Ids in the order the report lists findings in full: by primary category, then by location. */
function numbered(findings: Omit<ReportFinding, 'id'>[]): ReportFinding[] {
  const order = (category: string) => (category === 'other' ? 'z' : category);
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => compare(order(a.finding.categories[0]), order(b.finding.categories[0])) || a.index - b.index)
    .map(({ finding }, index) => ({ id: `F${index + 1}`, ...finding }));
}

/** A row per enabled rule with its mapping and its number of findings. */
function ruleRows(enabled: EffectiveRule[], findings: readonly ReportFinding[]): RuleRow[] {
  return enabled.map(({ rule, severity }) => ({
    id: rule.meta.id,
    title: rule.meta.title,
    severity,
    categories: ruleCategories(rule.meta.fda),
    cwe: rule.meta.cwe.map((id) => ({ id, name: CWE[id] ?? '' })),
    fda: rule.meta.fda.map((key) => ({ key, title: fdaTitle(key) ?? '' })),
    iec62443: rule.meta.iec62443.map((id) => ({ id, title: iec62443Title(id) ?? '' })),
    findings: findings.filter((finding) => finding.ruleId === rule.meta.id).length,
  }));
}

function presetsOf(result: ScanResult): string[] {
  const raw = result.config.raw as { extends?: unknown } | undefined;
  if (Array.isArray(raw?.extends)) return raw.extends.filter((entry): entry is string => typeof entry === 'string');
  return result.config.source ? [] : ['medsec:recommended'];
}

/** The suppression policy in words, for the settings table. */
export function describePolicy(policy: JustificationPolicy): string {
  const stopWords =
    policy.stopWords === DEFAULT_JUSTIFICATION_POLICY.stopWords ? 'the default stop words' : `${policy.stopWords.length} stop words`;
  return (
    `justification of ${policy.minLength} characters or more, not only ${stopWords}; ` +
    `reviewer ${policy.requireReviewer ? 'required' : 'optional'}`
  );
}

/** The paragraphs that map the report to the guidance (paraphrased; no guidance text is quoted). */
export const HOW_TO_READ = [
  'This report records a static code analysis run as evidence for a premarket cybersecurity submission. The FDA ' +
    'premarket guidance (section V.C, cybersecurity testing) lists static analysis among the tests a manufacturer ' +
    'should report, including checks for credentials that are hardcoded, default, easily guessed or easily ' +
    'compromised; its footnote asks for the name, version and settings of the tool, which the "Tool and settings" ' +
    'table gives (the configuration hash identifies the exact rule settings).',
  'The control coverage table says, for every Appendix 1 recommendation and section 524B item, whether the rules ' +
    'of this run check it, check part of it, or cannot check it from source code, and where the rest of the ' +
    'evidence must come from. Read it first: a category without findings is evidence only as far as it reaches.',
  'Findings are grouped by the security control category of Appendix 1 that the flagged code falls short of. A ' +
    'finding whose rule maps to several categories appears in each (listed in full under the first, referenced ' +
    'by its number in the others) and counts once in the totals. Each carries its CWE weakness classes, as ' +
    'section V.A.5 asks anomalies to be assessed with their CWE categories in mind, and the section 524B item ' +
    'of the FD&C Act it bears on.',
  'The guidance expects every finding to be assessed and, where it is not fixed, a rationale for leaving it. The ' +
    'disposition column gives that assessment: open findings still need one; suppressed findings carry the ' +
    'justification written next to the code or in .medsec.json (with its reviewer and expiry), listed again in ' +
    'the suppression register; baselined findings were accepted in an earlier assessment.',
  'The rule set in the scope lists every weakness class that was checked, with its mapping, so a category with ' +
    'no findings reads as checked and clean rather than untested. The cryptography and credentials inventory ' +
    'supports the per-path description of protocols, crypto methods, key lengths and credential storage that ' +
    'Appendix 2 asks for.',
];

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
