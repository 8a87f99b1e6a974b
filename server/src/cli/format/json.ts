/** The JSON format, documented in docs/json-format.md. Bump JSON_FORMAT_VERSION on any breaking change. */
import { ruleDocsUrl } from '../../../../shared/protocol';
import type { Finding, RuleMeta } from '../../core/types';
import { notes, ruleFailures, sortedFindings, summarize, type ScanReport } from './results';

/** What the JSON format prints of a rule (a registry's rules, or the scan index's record of them). */
export type JsonRuleRefs = ReadonlyMap<string, { meta: Pick<RuleMeta, 'id' | 'cwe' | 'fda'> }>;

export const JSON_FORMAT_VERSION = 1;

export function formatJson(result: ScanReport, tool: { name: string; version: string }, rules: JsonRuleRefs): string {
  const report = {
    version: JSON_FORMAT_VERSION,
    tool,
    root: result.root,
    config: result.config.source ?? null,
    ...(result.shard ? { shard: result.shard } : {}),
    summary: summarize(result),
    ...(result.baseline ? { baseline: result.baseline } : {}),
    findings: sortedFindings(result).map((finding) => jsonFinding(finding, rules.get(finding.ruleId))),
    skipped: result.skipped.map((skipped) => ({ path: skipped.path, reason: skipped.reason })),
    ruleFailures: ruleFailures(result),
    notes: notes(result),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

function jsonFinding(finding: Finding, rule: { meta: Pick<RuleMeta, 'id' | 'cwe' | 'fda'> } | undefined) {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    confidence: finding.confidence,
    message: finding.message,
    path: finding.path,
    language: finding.language,
    line: finding.range.start.line + 1,
    column: finding.range.start.column + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.column + 1,
    offset: finding.span.start,
    length: finding.span.end - finding.span.start,
    snippet: finding.snippet,
    cwe: rule?.meta.cwe ?? [],
    fda: rule?.meta.fda ?? [],
    docsUrl: rule ? ruleDocsUrl(rule.meta.id) : null,
    fixes: finding.fixes.map((fix) => ({
      title: fix.title,
      safety: fix.safety,
      edits: fix.edits.map((edit) => ({ offset: edit.span.start, length: edit.span.end - edit.span.start, newText: edit.newText })),
    })),
    suppression: finding.suppression ?? null,
    ...(finding.fingerprint ? { fingerprint: finding.fingerprint } : {}),
    ...(finding.baselineState ? { baselineState: finding.baselineState } : {}),
    // A finding in test code says so, as in text and SARIF.
    ...(finding.testCode ? { testCode: true } : {}),
  };
}
