/**
 * SARIF 2.1.0 as GitHub code scanning ingests it: rules with help, CWE/FDA tags and security-severity;
 * results with stable fingerprints, in-source suppressions and fixes; rule failures as notifications.
 */
import { createHash } from 'crypto';
import { pathToFileURL } from 'url';
import type * as Sarif from 'sarif';
import { HOMEPAGE_URL, ruleDocsUrl } from '../../core/docs-url';
import type { EffectiveRule, Finding, Rule, ScanResult, Severity } from '../../core/types';
import { renderRuleDoc } from '../../docs/render';
import { ruleFailures, sortedFindings } from './results';

const SRCROOT = 'SRCROOT';

/** GitHub ranks alerts by this score (0-10); the bands match its critical/high/medium/low cut-offs. */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

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
  const failures = ruleFailures(result);

  const notifications: Sarif.Notification[] = [
    ...failures.map((failure): Sarif.Notification => ({
      level: 'error',
      message: { text: `Rule ${failure.ruleId} failed on ${failure.path}: ${failure.error}` },
      descriptor: { id: 'rule-failure' },
      associatedRule: { id: failure.ruleId, index: descriptors.indexOf(failure.ruleId) },
      locations: [{ physicalLocation: { artifactLocation: artifact(failure.path) } }],
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
    invocations: [{ executionSuccessful: failures.length === 0, toolExecutionNotifications: notifications }],
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
      return { id: ruleId, shortDescription: { text: ruleId }, properties: { tags: ['security'] } };
    }
    const { meta } = rule;
    const severity = this.severityById.get(ruleId) ?? meta.severity;
    return {
      id: meta.id,
      ...(meta.aliases?.length ? { deprecatedIds: meta.aliases } : {}),
      shortDescription: { text: meta.title },
      fullDescription: { text: meta.docs.summary.trim() },
      help: { text: `${meta.docs.summary.trim()}\n\n${meta.docs.fix.trim()}\n\nDocumentation: ${ruleDocsUrl(meta.id)}`, markdown: helpMarkdown(rule) },
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
  const result: Sarif.Result = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [{
      physicalLocation: {
        artifactLocation: location,
        region: {
          startLine: finding.range.start.line + 1,
          startColumn: finding.range.start.column + 1,
          endLine: finding.range.end.line + 1,
          endColumn: finding.range.end.column + 1,
          snippet: { text: finding.snippet },
        },
      },
    }],
    partialFingerprints: { primaryLocationLineHash: fingerprint },
    properties: { severity: finding.severity, confidence: finding.confidence },
  };
  if (finding.suppression) {
    result.suppressions = [{
      kind: finding.suppression.source === 'in-source' ? 'inSource' : 'external',
      status: 'accepted',
      justification: finding.suppression.justification,
      ...(finding.suppression.until ? { properties: { until: finding.suppression.until } } : {}),
    }];
  }
  if (finding.fixes.length > 0) {
    result.fixes = finding.fixes.map((fix) => ({
      description: { text: fix.title },
      artifactChanges: [{
        artifactLocation: location,
        replacements: fix.edits.map((edit) => ({
          deletedRegion: { charOffset: edit.span.start, charLength: edit.span.end - edit.span.start },
          insertedContent: { text: edit.newText },
        })),
      }],
      properties: { safety: fix.safety },
    }));
  }
  return result;
}

/**
 * `hash:occurrence` per finding, from the rule, the file and the finding's redacted line with its
 * whitespace normalised: moving unrelated lines does not change it, and identical lines are told apart
 * by their order. The redacted text is hashed so no secret can be recovered from the fingerprint.
 */
export function lineFingerprints(findings: readonly Finding[]): string[] {
  const occurrences = new Map<string, number>();
  return findings.map((finding) => {
    const key = [finding.ruleId, finding.path, finding.snippet.replace(/\s+/g, ' ').trim()].join('\0');
    const occurrence = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, occurrence);
    return `${createHash('sha256').update(key).digest('hex').slice(0, 16)}:${occurrence}`;
  });
}

function artifact(relativePath: string): Sarif.ArtifactLocation {
  return { uri: relativePath.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(directory: string): string {
  const uri = pathToFileURL(directory).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}
