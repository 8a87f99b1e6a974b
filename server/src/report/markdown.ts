/** The FDA evidence report as Markdown (`medsec scan --format markdown`). Pure: ScanResult + metadata → text. */
import { SEVERITIES, type ScanResult } from '../core/types';
import { inventoryMarkdown } from '../inventory/format';
import { escapeMarkdown as md, markdownCode } from './escape';
import {
  buildEvidenceReport,
  dispositionLabel,
  HOW_TO_READ,
  LANGUAGE_NAMES,
  type CategorySection,
  type EvidenceReport,
  type ReportFinding,
  type ReportMetadata,
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
  const date = report.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { totals, scope } = report;
  const out: string[] = [
    '# Static analysis evidence report', '',
    `${md(report.tool.name)} ${md(report.tool.version)} · ${date} · ${scope.files} files, ${scope.lines} lines · `
      + `${totals.openTotal} open findings, ${totals.suppressed} suppressed, ${totals.baselined} baselined`, '',
    '## How to read this report', '',
    ...HOW_TO_READ.flatMap((paragraph) => [paragraph, '']),
    ...settingsSection(report, date),
    ...scopeSection(report),
    ...summarySection(report),
    ...findingsSection(report),
    ...registerSection(report),
    ...(report.inventory ? ['## Cryptography and credentials inventory', '', inventoryMarkdown(report.inventory, 3)] : []),
    ...rulesSection(report),
  ];
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function settingsSection(report: EvidenceReport, date: string): string[] {
  return [
    '## Tool and settings', '', '| Item | Value |', '|---|---|',
    `| Tool | ${md(report.tool.name)} |`, `| Version | ${md(report.tool.version)} |`, `| Date (UTC) | ${date} |`,
    ...(report.command ? [`| Command | ${markdownCode(report.command)} |`] : []),
    `| Configuration | ${md(report.configSource)} |`,
    `| Rule set | ${md(report.presets.join(', ') || 'explicit rules only')}; ${report.rules.length} rules enabled |`,
    `| Configuration SHA-256 | ${markdownCode(report.configHash)} |`, '',
  ];
}

function scopeSection(report: EvidenceReport): string[] {
  const scope = report.scope;
  const out = [
    '## Scope', '',
    `${scope.files} files and ${scope.lines} lines were scanned; ${scope.skipped.length} files were skipped.`, '',
    '| Language | Files | Lines |', '|---|---:|---:|',
    ...scope.languages.map((row) => `| ${md(LANGUAGE_NAMES[row.language])} | ${row.files} | ${row.lines} |`), '',
  ];
  if (scope.skipped.length) {
    out.push(
      'Skipped files:',
      '',
      '| File | Why |',
      '|---|---|',
      ...scope.skipped.map((skipped) => `| ${md(skipped.path)} | ${md(skipped.reason)} |`),
      '',
    );
  }
  if (scope.notes.length) out.push('Analysis notes:', '', ...scope.notes.map((note) => `- ${md(note.path)}: ${md(note.message)}`), '');
  if (scope.ruleFailures.length) {
    out.push('Rule failures (these files were not fully checked by these rules):', '');
    out.push(...scope.ruleFailures.map((failure) => `- ${md(failure.ruleId)} on ${md(failure.path)}: ${md(failure.error)}`), '');
  }
  const baseline = scope.baseline;
  if (baseline) {
    out.push(
      `Baseline: ${md(baseline.file)} (${baseline.entries} entries, ${baseline.unchanged} still present, ${baseline.absent} fixed).`,
      '',
    );
  }
  return out;
}

/** The categories worth a row or a section: every Appendix 1 category, and "other" when it has anything. */
function shownCategories(report: EvidenceReport): CategorySection[] {
  return report.categories.filter((section) => section.key !== 'other' || section.findings.length || section.rules.length);
}

function summarySection(report: EvidenceReport): string[] {
  const t = report.totals;
  const row = (section: CategorySection) => {
    const open = SEVERITIES.reduce((sum, s) => sum + section.open[s], 0);
    const counts = SEVERITIES.map((s) => section.open[s]).join(' | ');
    return `| ${md(section.label)} | ${counts} | ${open} | ${section.suppressed} | ${section.baselined} |`;
  };
  const totals = SEVERITIES.map((s) => `**${t.open[s]}**`).join(' | ');
  const total = `| **Total** | ${totals} | **${t.openTotal}** | **${t.suppressed}** | **${t.baselined}** |`;
  return [
    '## Summary by category and severity', '',
    `| Category | ${SEVERITIES.map((s) => s[0].toUpperCase() + s.slice(1)).join(' | ')} | Open | Suppressed | Baselined |`,
    `|---|${SEVERITIES.map(() => '---:').join('|')}|---:|---:|---:|`,
    ...shownCategories(report).map(row),
    total, '',
  ];
}

function findingsSection(report: EvidenceReport): string[] {
  return ['## Findings by Appendix 1 category', '', ...shownCategories(report).flatMap(categorySection)];
}

function categorySection(section: CategorySection): string[] {
  const checked = section.rules.length
    ? `Checked by: ${section.rules.map((id) => markdownCode(id)).join(', ')}.`
    : 'No enabled rule maps to this category.';
  if (!section.findings.length) return [`### ${md(section.label)}`, '', `No findings. ${checked}`, ''];
  return [
    `### ${md(section.label)}`, '',
    `${section.findings.length} findings. ${checked}`, '',
    '| # | Severity | Rule | Location | CWE | 524B | Snippet (redacted) | Disposition |', '|---:|---|---|---|---|---|---|---|',
    ...section.findings.map(findingRow), '',
  ];
}

function findingRow(finding: ReportFinding, index: number): string {
  const rule = `${markdownCode(finding.ruleId)} ${md(finding.ruleTitle)}<br>${md(finding.message)}`;
  const location = md(`${finding.path}:${finding.line}:${finding.column}`);
  const fdca524b = md(finding.fdca524b.map((k) => k.key).join(', '));
  const snippet = markdownCode(finding.snippet);
  const cells = [index + 1, finding.severity, rule, location, md(cwes(finding)), fdca524b, snippet, dispositionText(finding)];
  return `| ${cells.join(' | ')} |`;
}

function registerSection(report: EvidenceReport): string[] {
  if (!report.register.length) return ['## Suppression register', '', 'No finding is suppressed.', ''];
  const rows = report.register.flatMap((finding, index) => {
    const d = finding.disposition;
    if (d.status !== 'suppressed' && d.status !== 'expired-suppression') return [];
    const expired = d.status === 'expired-suppression' || d.expired;
    const status = expired ? '**EXPIRED**: counts as open' : 'active';
    const location = md(`${finding.path}:${finding.line}`);
    return [
      `| ${index + 1} | ${markdownCode(finding.ruleId)} | ${location} | ${md(d.justification)} | ` +
        `${md(d.reviewer ?? '–')} | ${d.until ?? 'none'} | ${status} |`,
    ];
  });
  return [
    '## Suppression register', '',
    '| # | Rule | Location | Justification | Reviewer | Expiry | Status |', '|---:|---|---|---|---|---|---|',
    ...rows, '',
  ];
}

function rulesSection(report: EvidenceReport): string[] {
  const rows = report.rules.map((rule) => {
    const category = report.categories.find((section) => section.key === rule.category);
    const mapping = `${md(cwes(rule))} | ${md(rule.fda.map((f) => f.key).join(', '))} | ${md(rule.iec62443.map((i) => i.id).join(', '))}`;
    const name = `${markdownCode(rule.id)} ${md(rule.title)}`;
    const cells = [name, rule.severity, category ? md(category.label) : '–', mapping, rule.findings];
    return `| ${cells.join(' | ')} |`;
  });
  return [
    '## Rules that ran', '',
    '| Rule | Severity | Category | CWE | FDA keys | IEC 62443 | Findings |', '|---|---|---|---|---|---|---:|',
    ...rows, '',
  ];
}
