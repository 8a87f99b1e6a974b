/**
 * SARIF 2.1.0 as GitHub code scanning ingests it: rules with help, CWE/FDA tags and security-severity;
 * results with stable fingerprints, suppressions (in-source and from .medsec.json) and fixes; rule failures as notifications.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as Sarif from 'sarif';
import { HOMEPAGE_URL, ruleDocsUrl } from '../../../../shared/protocol';
import { lineFingerprints } from '../../core/fingerprint';
import type { EffectiveRule, Finding, ResolvedConfig, Rule, ScanResult, Severity, SuppressionAssessment } from '../../core/types';
import { renderRuleDoc } from '../../docs/render';
import { ruleFailures, sortedFindings } from './results';

const SRCROOT = 'SRCROOT';

/** GitHub ranks alerts by this score (0-10); the bands match its critical/high/medium/low cut-offs. */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

export interface SarifOptions {
  toolVersion: string;
  /** Every rule enabled anywhere in the config (SARIF lists them even without results). */
  enabledRules: EffectiveRule[];
  /** Rule lookup by id, for findings of rules that are not in `enabledRules`. */
  rulesById: ReadonlyMap<string, Rule>;
}

export function formatSarif(result: ScanResult, options: SarifOptions): string {
  return `${JSON.stringify(buildSarif(result, options), null, 2)}\n`;
}

export function buildSarif(result: ScanResult, options: SarifOptions): Sarif.Log {
  const findings = sortedFindings(result);
  const descriptors = new RuleDescriptors(options);
  for (const effective of options.enabledRules) descriptors.indexOf(effective.rule.meta.id);
  const fingerprints = lineFingerprints(findings);
  const results = findings.map((finding, index) => sarifResult(finding, descriptors.indexOf(finding.ruleId), fingerprints[index]));
  if (result.shard) carryProjectConditions(result, findings, results);
  const configuration = effectiveConfiguration(result.config);
  const invocationProperties: Sarif.PropertyBag = {
    configuration: { ...configuration, sha256: sha256(stableStringify(configuration)) },
    ...(result.baseline ? { baseline: { ...result.baseline, file: relativeToRoot(result.root, result.baseline.file) } } : {}),
    // `medsec merge` checks that the shards form one split and adds up the files they scanned.
    ...(result.shard ? { shard: { ...result.shard, filesScanned: result.files.length, facts: shardFacts(result) } } : {}),
  };
  const failures = ruleFailures(result);

  const notifications: Sarif.Notification[] = [
    ...failures.map((failure): Sarif.Notification => ({
      level: 'error',
      message: { text: `Rule ${failure.ruleId} failed on ${failure.path}: ${failure.error}` },
      descriptor: { id: 'rule-failure' },
      associatedRule: { id: failure.ruleId, index: descriptors.indexOf(failure.ruleId) },
      locations: [{ physicalLocation: { artifactLocation: artifact(failure.path) } }],
    })),
    ...result.files
      .filter((file) => file.notAnalysed)
      .map((file): Sarif.Notification => ({
        level: 'warning',
        message: { text: `${file.path}: ${file.notAnalysed}` },
        descriptor: { id: 'file-not-analysed' },
        locations: [{ physicalLocation: { artifactLocation: artifact(file.path) } }],
      })),
    ...result.skipped.map((skipped): Sarif.Notification => ({
      level: 'note',
      message: { text: `Skipped ${skipped.path}: ${skipped.reason}` },
      descriptor: { id: 'file-skipped' },
      locations: [{ physicalLocation: { artifactLocation: artifact(skipped.path) } }],
    })),
  ];

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'medsec',
        version: options.toolVersion,
        semanticVersion: options.toolVersion,
        informationUri: HOMEPAGE_URL,
        rules: descriptors.list,
      },
    },
    invocations: [
      { executionSuccessful: failures.length === 0, toolExecutionNotifications: notifications, properties: invocationProperties },
    ],
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(result.root) } },
    columnKind: 'utf16CodeUnits',
    results,
  };
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
}

/** `tool.driver.rules`, in first-use order, so `ruleIndex` can point into it. */
class RuleDescriptors {
  readonly list: Sarif.ReportingDescriptor[] = [];
  private readonly indexById = new Map<string, number>();
  private readonly severityById: Map<string, Severity>;

  constructor(private readonly options: SarifOptions) {
    this.severityById = new Map(options.enabledRules.map((effective) => [effective.rule.meta.id, effective.severity]));
  }

  indexOf(ruleId: string): number {
    let index = this.indexById.get(ruleId);
    if (index === undefined) {
      index = this.list.length;
      this.list.push(this.describe(ruleId));
      this.indexById.set(ruleId, index);
    }
    return index;
  }

  private describe(ruleId: string): Sarif.ReportingDescriptor {
    const rule = this.options.rulesById.get(ruleId);
    if (!rule) {
      // A finding the engine itself raises (such as a suppression without a justification).
      return { id: ruleId, name: friendlyName(ruleId), shortDescription: { text: ruleId }, properties: { tags: ['security'] } };
    }
    const { meta } = rule;
    const severity = this.severityById.get(ruleId) ?? meta.severity;
    return {
      id: meta.id,
      name: friendlyName(meta.id),
      ...(meta.aliases?.length ? { deprecatedIds: meta.aliases } : {}),
      shortDescription: { text: meta.title },
      fullDescription: { text: meta.docs.summary.trim() },
      help: {
        text: `${meta.docs.summary.trim()}\n\n${meta.docs.fix.trim()}\n\nDocumentation: ${ruleDocsUrl(meta.id)}`,
        markdown: helpMarkdown(rule),
      },
      helpUri: ruleDocsUrl(meta.id),
      defaultConfiguration: { level: LEVEL[severity] },
      properties: {
        tags: ['security', ...meta.cwe.map((cwe) => `external/cwe/cwe-${cwe}`), ...meta.fda.map((key) => `fda/${key}`)],
        'security-severity': SECURITY_SEVERITY[severity],
        precision: meta.confidence === 'high' ? 'high' : meta.confidence === 'medium' ? 'medium' : 'low',
      },
    };
  }
}

/** The rule's reference page without the "generated file" comment that opens it. */
function helpMarkdown(rule: Rule): string {
  return renderRuleDoc(rule).replace(/^<!--.*?-->\n/, '');
}

function sarifResult(finding: Finding, ruleIndex: number, fingerprint: string): Sarif.Result {
  const location = artifact(finding.path);
  const startLine = finding.range.start.line + 1;
  const endLine = finding.range.end.line + 1;
  const physicalLocation: Sarif.PhysicalLocation = {
    artifactLocation: location,
    region: { startLine, startColumn: finding.range.start.column + 1, endLine, endColumn: finding.range.end.column + 1 },
  };
  // The snippet is the finding's (redacted) line, not the region's text: SARIF calls that a context region.
  // It holds only the first line, so a finding spanning lines gets none rather than a wrong one.
  if (finding.snippet && startLine === endLine) physicalLocation.contextRegion = { startLine, endLine, snippet: { text: finding.snippet } };
  const result: Sarif.Result = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [{ physicalLocation }],
    partialFingerprints: { primaryLocationLineHash: fingerprint },
    properties: {
      severity: finding.severity,
      confidence: finding.confidence,
      ...(finding.fingerprint ? { fingerprint: finding.fingerprint } : {}),
      ...(finding.testCode ? { testCode: true } : {}),
    },
  };
  if (finding.baselineState) result.baselineState = finding.baselineState;
  if (finding.suppression) result.suppressions = [sarifSuppression(finding.suppression)];
  if (finding.fixes.length > 0) {
    result.fixes = finding.fixes.map((fix) => ({
      description: { text: fix.title },
      artifactChanges: [
        {
          artifactLocation: location,
          replacements: fix.edits.map((edit) => ({
            deletedRegion: { charOffset: edit.span.start, charLength: edit.span.end - edit.span.start },
            insertedContent: { text: edit.newText },
          })),
        },
      ],
      properties: { safety: fix.safety },
    }));
  }
  return result;
}

/**
 * A comment is an `inSource` suppression, a `.medsec.json` entry an `external` one; the reviewer, the expiry
 * (`expires`, and `until` as medsec spells it) and where it is written go in its properties.
 */
function sarifSuppression(suppression: SuppressionAssessment): Sarif.Suppression {
  const { justification, reviewer, until, source, origin } = suppression;
  const properties = { ...(reviewer ? { reviewer } : {}), ...(until ? { until, expires: until } : {}), ...(origin ? { origin } : {}) };
  return {
    kind: source === 'in-source' ? 'inSource' : 'external',
    status: 'accepted',
    justification,
    ...(Object.keys(properties).length ? { properties } : {}),
  };
}

/** `hardcoded-credential` → `HardcodedCredential`: SARIF's rule `name` is a Pascal-case friendly name. */
function friendlyName(ruleId: string): string {
  return ruleId
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/**
 * The settings the scan ran with, as the FDA guidance asks tools to record: the configuration file (relative
 * to the root), its content, and the rule set it resolved to (each rule's severity and options).
 */
export function effectiveConfiguration(config: ResolvedConfig): Record<string, unknown> {
  return {
    source: config.source ? relativeToRoot(config.root, config.source) : null,
    raw: config.raw ?? null,
    rules: config
      .enabledRules()
      .map((effective) => ({ id: effective.rule.meta.id, severity: effective.severity, options: effective.options }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    ignore: config.ignore,
    maxFileSize: config.maxFileSize,
  };
}

/** JSON with object keys sorted, so the hash depends on the content only. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function relativeToRoot(root: string, file: string): string {
  const relative = path.relative(root, path.resolve(file));
  return relative.startsWith('..') || path.isAbsolute(relative) ? path.basename(file) : relative.split(path.sep).join('/');
}

function artifact(relativePath: string): Sarif.ArtifactLocation {
  return { uri: relativePath.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(directory: string): string {
  const uri = pathToFileURL(directory).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/**
 * A shard sees part of each project, so it leaves project facts unresolved: each conditional result carries
 * its condition and project, and the invocation carries the facts the shard's files provide. `medsec merge`
 * resolves them across all shards and removes these properties, giving the unsharded log.
 */
function carryProjectConditions(result: ScanResult, findings: readonly Finding[], results: Sarif.Result[]): void {
  const projectOf = new Map(result.files.map((file) => [file.path, file.project ?? '']));
  findings.forEach((finding, index) => {
    if (!finding.unless && !finding.when) return;
    results[index].properties = {
      ...results[index].properties,
      ...(finding.unless ? { unless: finding.unless } : {}),
      ...(finding.when ? { when: finding.when } : {}),
      project: projectOf.get(finding.path) ?? '',
    };
  });
}

/** The facts of a shard's files, by project folder, rule and fact. */
function shardFacts(result: ScanResult): Record<string, Record<string, Record<string, string[]>>> {
  const out: Record<string, Record<string, Record<string, string[]>>> = {};
  for (const file of result.files) {
    for (const [ruleId, facts] of Object.entries(file.facts ?? {})) {
      const byRule = ((out[file.project ?? ''] ??= {})[ruleId] ??= {});
      for (const [fact, values] of Object.entries(facts)) byRule[fact] = [...new Set([...(byRule[fact] ?? []), ...values])].sort();
    }
  }
  return out;
}
