/**
 * The human format: findings grouped by file as `path:line:col  severity  rule-id  message` with the
 * redacted snippet under each, then a summary. Suppressed findings are only counted.
 */
import { SEVERITIES } from '../../core/types';
import { escapeForTerminal, type Style } from '../terminal';
import { notes, ruleFailures, sortedFindings, summarize, type ScanReport } from './results';
import { maxOf, pushAll } from '../../core/arrays';

/** Lists longer than this (skipped files, notes) are cut with "... and N more". */
const LIST_LIMIT = 20;
const SEVERITY_WIDTH = maxOf(SEVERITIES.map((severity) => severity.length));

export function formatText(result: ScanReport, style: Style): string {
  const out: string[] = [];
  let currentPath: string | undefined;
  for (const finding of sortedFindings(result)) {
    if (finding.suppression || finding.baselineState === 'unchanged') continue;
    if (currentPath !== undefined && finding.path !== currentPath) out.push('');
    currentPath = finding.path;
    const location = `${finding.path}:${finding.range.start.line + 1}:${finding.range.start.column + 1}`;
    const severity = style.severity(finding.severity, finding.severity.padEnd(SEVERITY_WIDTH));
    const where = finding.testCode ? ' (test code)' : '';
    out.push(`${style.bold(escapeForTerminal(location))}  ${severity}  ${finding.ruleId}  ${escapeForTerminal(finding.message)}${where}`);
    if (finding.snippet) out.push(style.dim(`    ${escapeForTerminal(finding.snippet)}`));
  }
  if (out.length > 0) out.push('');
  pushAll(out, summaryLines(result, style));
  return `${out.join('\n')}\n`;
}

function summaryLines(result: ScanReport, style: Style): string[] {
  const summary = summarize(result);
  const lines = [`Scanned ${plural(summary.filesScanned, 'file')} in ${(summary.durationMs / 1000).toFixed(1)} s.`];
  if (result.skipped.length > 0) {
    lines.push(`Skipped ${plural(result.skipped.length, 'file')}:`);
    pushAll(lines, capped(result.skipped.map((skipped) => `  ${escapeForTerminal(skipped.path)}: ${skipped.reason}`)));
  }
  const counts = SEVERITIES.map((severity) => {
    const text = `${summary.findings[severity]} ${severity}`;
    return summary.findings[severity] > 0 ? style.severity(severity, text) : text;
  });
  lines.push(`Findings: ${counts.join(', ')}; ${summary.suppressed} suppressed.`);
  if (result.baseline) {
    lines.push(
      `Baseline: ${summary.baselined} known ${summary.baselined === 1 ? 'finding' : 'findings'} not reported; ` +
        `${result.baseline.absent} of ${result.baseline.entries} baseline ` +
        `${result.baseline.entries === 1 ? 'entry' : 'entries'} no longer occur${result.baseline.absent === 1 ? 's' : ''}.`,
    );
  }
  const all = ruleFailures(result);
  const slow = all.filter((failure) => failure.overBudget);
  if (slow.length > 0) {
    lines.push(`Custom rules disabled for exceeding their time budget (customRuleBudgetMs): ${slow.length}`);
    pushAll(
      lines,
      capped(slow.map((failure) => `  ${failure.ruleId} on ${escapeForTerminal(failure.path)}: ${escapeForTerminal(failure.error)}`)),
    );
  }
  const failures = all.filter((failure) => !failure.overBudget);
  if (failures.length > 0) {
    lines.push(`Rule failures (please report them): ${failures.length}`);
    pushAll(
      lines,
      capped(failures.map((failure) => `  ${failure.ruleId} on ${escapeForTerminal(failure.path)}: ${escapeForTerminal(failure.error)}`)),
    );
  }
  const fileNotes = notes(result);
  if (fileNotes.length > 0) {
    lines.push(`Notes:`);
    pushAll(lines, capped(fileNotes.map((note) => `  ${escapeForTerminal(note.path)}: ${escapeForTerminal(note.message)}`)));
  }
  return lines;
}

function capped(lines: string[]): string[] {
  return lines.length <= LIST_LIMIT ? lines : [...lines.slice(0, LIST_LIMIT), `  ... and ${lines.length - LIST_LIMIT} more`];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
