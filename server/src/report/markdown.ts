/** The FDA evidence report as Markdown (`medsec scan --format markdown`). Pure: ScanResult + metadata → text. */
import { SEVERITIES, type ScanResult } from '../core/types';
import { inventoryMarkdown } from '../inventory/format';
import { escapeMarkdown as md, markdownCode } from './escape';
import {
  buildEvidenceReport, dispositionLabel, HOW_TO_READ, LANGUAGE_NAMES, type EvidenceReport, type ReportFinding, type ReportMetadata,
} from './evidence';

export function formatMarkdownReport(result: ScanResult, meta: ReportMetadata): string {
  return renderMarkdown(buildEvidenceReport(result, meta));
}

const cwes = (finding: { cwe: { id: number; name: string }[] }) => finding.cwe.map((c) => `CWE-${c.id} ${c.name}`).join('; ');

function dispositionText(finding: ReportFinding): string {
  const d = finding.disposition;
  const parts = [dispositionLabel(d)];
  if (d.status === 'suppressed' || d.status === 'expired-suppression') {
    parts.push(`justification: ${d.justification}`);
    if (d.reviewer) parts.push(`reviewer: ${d.reviewer}`);
    if (d.status === 'suppressed' && d.until) parts.push(`until ${d.until}`);
  }
  return md(parts.join('; '));
}

export function renderMarkdown(report: EvidenceReport): string {
  const out: string[] = [];
  const date = report.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  out.push('# Static analysis evidence report', '');
  out.push(`${md(report.tool.name)} ${md(report.tool.version)} · ${date} · ${report.scope.files} files, ${report.scope.lines} lines · ` +
    `${report.totals.openTotal} open findings, ${report.totals.suppressed} suppressed, ${report.totals.baselined} baselined`, '');

  out.push('## How to read this report', '');
  for (const paragraph of HOW_TO_READ) out.push(paragraph, '');

  out.push('## Tool and settings', '', '| Item | Value |', '|---|---|');
  out.push(`| Tool | ${md(report.tool.name)} |`, `| Version | ${md(report.tool.version)} |`, `| Date (UTC) | ${date} |`);
  if (report.command) out.push(`| Command | ${markdownCode(report.command)} |`);
  out.push(`| Configuration | ${md(report.configSource)} |`);
  out.push(`| Rule set | ${md(report.presets.join(', ') || 'explicit rules only')}; ${report.rules.length} rules enabled |`);
  out.push(`| Configuration SHA-256 | ${markdownCode(report.configHash)} |`, '');

  out.push('## Scope', '');
  out.push(`${report.scope.files} files and ${report.scope.lines} lines were scanned; ${report.scope.skipped.length} files were skipped.`, '');
  out.push('| Language | Files | Lines |', '|---|---:|---:|');
  for (const row of report.scope.languages) out.push(`| ${md(LANGUAGE_NAMES[row.language])} | ${row.files} | ${row.lines} |`);
  out.push('');
  if (report.scope.skipped.length) {
    out.push('Skipped files:', '', '| File | Why |', '|---|---|');
    for (const skipped of report.scope.skipped) out.push(`| ${md(skipped.path)} | ${md(skipped.reason)} |`);
    out.push('');
  }
  if (report.scope.notes.length) {
    out.push('Analysis notes:', '');
    for (const note of report.scope.notes) out.push(`- ${md(note.path)}: ${md(note.message)}`);
    out.push('');
  }
  if (report.scope.ruleFailures.length) {
    out.push('Rule failures (these files were not fully checked by these rules):', '');
    for (const failure of report.scope.ruleFailures) out.push(`- ${md(failure.ruleId)} on ${md(failure.path)}: ${md(failure.error)}`);
    out.push('');
  }
  if (report.scope.baseline) out.push(`Baseline: ${md(report.scope.baseline.file)} (${report.scope.baseline.entries} entries, ${report.scope.baseline.unchanged} still present, ${report.scope.baseline.absent} fixed).`, '');

  out.push('## Summary by category and severity', '');
  out.push(`| Category | ${SEVERITIES.map((s) => s[0].toUpperCase() + s.slice(1)).join(' | ')} | Open | Suppressed | Baselined |`);
  out.push(`|---|${SEVERITIES.map(() => '---:').join('|')}|---:|---:|---:|`);
  for (const section of report.categories) {
    if (section.key === 'other' && !section.findings.length && !section.rules.length) continue;
    const open = SEVERITIES.reduce((sum, s) => sum + section.open[s], 0);
    out.push(`| ${md(section.label)} | ${SEVERITIES.map((s) => section.open[s]).join(' | ')} | ${open} | ${section.suppressed} | ${section.baselined} |`);
  }
  out.push(`| **Total** | ${SEVERITIES.map((s) => `**${report.totals.open[s]}**`).join(' | ')} | **${report.totals.openTotal}** | **${report.totals.suppressed}** | **${report.totals.baselined}** |`, '');

  out.push('## Findings by Appendix 1 category', '');
  for (const section of report.categories) {
    if (section.key === 'other' && !section.findings.length && !section.rules.length) continue;
    out.push(`### ${md(section.label)}`, '');
    const checked = section.rules.length ? `Checked by: ${section.rules.map((id) => markdownCode(id)).join(', ')}.` : 'No enabled rule maps to this category.';
    if (!section.findings.length) {
      out.push(`No findings. ${checked}`, '');
      continue;
    }
    out.push(`${section.findings.length} findings. ${checked}`, '');
    out.push('| # | Severity | Rule | Location | CWE | 524B | Snippet (redacted) | Disposition |', '|---:|---|---|---|---|---|---|---|');
    section.findings.forEach((finding, index) => {
      out.push(`| ${index + 1} | ${finding.severity} | ${markdownCode(finding.ruleId)} ${md(finding.ruleTitle)}<br>${md(finding.message)} | ${md(`${finding.path}:${finding.line}:${finding.column}`)} | ${md(cwes(finding))} | ${md(finding.fdca524b.map((k) => k.key).join(', '))} | ${markdownCode(finding.snippet)} | ${dispositionText(finding)} |`);
    });
    out.push('');
  }

  out.push('## Suppression register', '');
  if (!report.register.length) out.push('No finding is suppressed.', '');
  else {
    out.push('| # | Rule | Location | Justification | Reviewer | Expiry | Status |', '|---:|---|---|---|---|---|---|');
    report.register.forEach((finding, index) => {
      const d = finding.disposition;
      if (d.status !== 'suppressed' && d.status !== 'expired-suppression') return;
      const expired = d.status === 'expired-suppression' || d.expired;
      out.push(`| ${index + 1} | ${markdownCode(finding.ruleId)} | ${md(`${finding.path}:${finding.line}`)} | ${md(d.justification)} | ${md(d.reviewer ?? '–')} | ${d.until ?? 'none'} | ${expired ? '**EXPIRED**: counts as open' : 'active'} |`);
    });
    out.push('');
  }

  if (report.inventory) {
    out.push('## Cryptography and credentials inventory', '');
    out.push(inventoryMarkdown(report.inventory, 3));
  }

  out.push('## Rules that ran', '');
  out.push('| Rule | Severity | Category | CWE | FDA keys | IEC 62443 | Findings |', '|---|---|---|---|---|---|---:|');
  for (const rule of report.rules) {
    const category = report.categories.find((section) => section.key === rule.category);
    out.push(`| ${markdownCode(rule.id)} ${md(rule.title)} | ${rule.severity} | ${category ? `${md(category.label)}` : '–'} | ${md(cwes(rule))} | ${md(rule.fda.map((f) => f.key).join(', '))} | ${md(rule.iec62443.map((i) => i.id).join(', '))} | ${rule.findings} |`);
  }
  out.push('');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
