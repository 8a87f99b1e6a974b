/** What every output format needs from a scan: findings in a stable order and the counts. */
import { SEVERITIES, type Finding, type ResolvedConfig, type RuleFailure, type ScanResult, type Severity } from '../../core/types';

export type FailOn = Severity | 'none';

/**
 * What the text and JSON formats read of a scan: a live one, or one replayed from the scan index
 * (cli/warm.ts), which has the configuration's file but not the configuration.
 */
export type ScanReport = Pick<ScanResult, 'root' | 'files' | 'skipped' | 'durationMs' | 'baseline' | 'shard'> & {
  config: Pick<ResolvedConfig, 'source'>;
};

export interface ScanSummary {
  filesScanned: number;
  filesSkipped: number;
  /** Findings that count (not suppressed), by severity. */
  findings: Record<Severity, number>;
  suppressed: number;
  /** Findings in the --baseline (not counted); 0 without one. */
  baselined: number;
  ruleFailures: number;
  durationMs: number;
}

/** Every finding (suppressed ones too) ordered by path, line, column and rule id. */
export function sortedFindings(result: Pick<ScanResult, 'files'>): Finding[] {
  return result.files
    .flatMap((file) => file.findings)
    .sort(
      (a, b) =>
        compare(a.path, b.path) ||
        a.range.start.line - b.range.start.line ||
        a.range.start.column - b.range.start.column ||
        compare(a.ruleId, b.ruleId),
    );
}

export function ruleFailures(result: Pick<ScanResult, 'files'>): RuleFailure[] {
  return result.files.flatMap((file) => file.ruleFailures);
}

export function notes(result: Pick<ScanResult, 'files'>): { path: string; message: string }[] {
  return result.files.flatMap((file) => file.notes.map((message) => ({ path: file.path, message })));
}

export function summarize(result: Pick<ScanResult, 'files' | 'skipped' | 'durationMs'>): ScanSummary {
  const findings = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  let suppressed = 0;
  let baselined = 0;
  for (const file of result.files) {
    for (const finding of file.findings) {
      if (finding.suppression) suppressed++;
      else if (finding.baselineState === 'unchanged') baselined++;
      else findings[finding.severity]++;
    }
  }
  return {
    filesScanned: result.files.length,
    filesSkipped: result.skipped.length,
    findings,
    suppressed,
    baselined,
    ruleFailures: ruleFailures(result).length,
    durationMs: result.durationMs,
  };
}

/** How many counted findings are at or above `failOn` (never any for `none`). */
export function countAtOrAbove(summary: ScanSummary, failOn: FailOn): number {
  if (failOn === 'none') return 0;
  const limit = SEVERITIES.indexOf(failOn);
  return SEVERITIES.filter((_severity, rank) => rank <= limit).reduce((sum, severity) => sum + summary.findings[severity], 0);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
