/** The FDA evidence report as Markdown (`medsec scan --format markdown`). Pure: ScanResult + metadata → text. */
import { SEVERITIES, type ScanResult } from '../core/types';
import { inventoryMarkdown } from '../inventory/format';
import { categoryLabel, categoryLetter, shownCategories } from './categories';
import {
  COVERAGE_INTRO,
  COVERAGE_STATUS_LABEL,
  coverageSummary,
  describeBeyond,
  describeCoverageRules,
  describeSeen,
  type CoverageRow,
} from './coverage';
import { isSuppressionOf, suppressedBy } from './disposition';
import { escapeMarkdown as md, markdownCode } from './escape';
import {
  buildEvidenceReport,
  describePolicy,
  dispositionLabel,
  HOW_TO_READ,
  LANGUAGE_NAMES,
  type EvidenceReport,
  type ReportFinding,
  type ReportMetadata,
  type ReportSection,
} from './evidence';
import { pushAll } from '../core/arrays';

export function formatMarkdownReport(result: ScanResult, meta: ReportMetadata): string {
  return renderMarkdown(buildEvidenceReport(result, meta));
}

const cwes = (finding: { cwe: { id: number; name: string }[] }) => finding.cwe.map((c) => `CWE-${c.id} ${c.name}`).join('; ');
const table = (head: string[], align: string[], rows: string[][]) => [
  `| ${head.join(' | ')} |`,
  `|${align.join('|')}|`,
  ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  '',
];
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function dispositionText(finding: ReportFinding): string {
  const d = finding.disposition;
  const parts = [dispositionLabel(d)];
  if (isSuppressionOf(d)) {
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
    '# Static analysis evidence report',
    '',
    `${md(report.tool.name)} ${md(report.tool.version)} · ${date} · ${scope.files} files, ${scope.lines} lines · ` +
      `${totals.openTotal} open findings, ${totals.suppressed} suppressed, ${totals.baselined} baselined`,
    '',
    '## How to read this report',
    '',
    ...HOW_TO_READ.flatMap((paragraph) => [paragraph, '']),
    ...settingsSection(report, date),
    ...scopeSection(report),
    ...coverageSection(report.coverage),
    ...summarySection(report),
    ...findingsSection(report),
    ...registerSection(report),
    ...(report.inventory ? ['## Cryptography and credentials inventory', '', inventoryMarkdown(report.inventory, 3)] : []),
  ];
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function settingsSection(report: EvidenceReport, date: string): string[] {
  return [
    '## Tool and settings',
    '',
    '| Item | Value |',
    '|---|---|',
    `| Tool | ${md(report.tool.name)} |`,
    `| Version | ${md(report.tool.version)} |`,
    `| Date (UTC) | ${date} |`,
    ...(report.command ? [`| Command | ${markdownCode(report.command)} |`] : []),
    `| Configuration | ${md(report.configSource)} |`,
    `| Rule set | ${md(report.presets.join(', ') || 'explicit rules only')}; ${report.rules.length} rules enabled |`,
    `| Configuration SHA-256 | ${markdownCode(report.configHash)} |`,
    `| Suppression policy | ${md(describePolicy(report.justificationPolicy))} |`,
    '',
  ];
}

const PARTLY_NOTE =
  'Analysed in part (the parts that parsed were checked; where the file budget ran out, the rules that did not run are named)';

const STOPPED_NOTE =
  'Rules stopped by their time budget (each did not finish the file named and did not run on the files checked after it)';

function scopeSection(report: EvidenceReport): string[] {
  const scope = report.scope;
  const kinds = (row: (typeof scope.languages)[number]) => row.kinds.map((k) => `${k.kind} (${k.files})`).join(', ');
  const out = [
    '## Scope',
    '',
    `${plural(scope.files, 'file')} and ${plural(scope.lines, 'line')} were analysed; ${plural(scope.notAnalysed.length, 'file')} in scope ` +
      `${scope.notAnalysed.length === 1 ? 'was' : 'were'} not analysed.${scope.shard ? ` This run covers shard ${scope.shard.index} of ${scope.shard.count}.` : ''}`,
    '',
    ...table(
      ['Language', 'Files', 'Lines', 'File kinds (files)'],
      ['---', '---:', '---:', '---'],
      scope.languages.map((row) => [md(LANGUAGE_NAMES[row.language]), String(row.files), String(row.lines), md(kinds(row))]),
    ),
  ];
  pushAll(
    out,
    scope.notAnalysed.length
      ? [
          'Files not analysed:',
          '',
          ...table(
            ['File', 'Why'],
            ['---', '---'],
            scope.notAnalysed.map((f) => [md(f.path), md(f.reason)]),
          ),
        ]
      : ['Every file in scope was analysed.', ''],
  );
  if (scope.partly.length) {
    pushAll(
      out,
      [`${PARTLY_NOTE}:`, ''],
      scope.partly.map((n) => `- ${md(n.path)}: ${md(n.message)}`),
      [''],
    );
  }
  if (scope.stoppedRules.length) {
    out.push(`${STOPPED_NOTE}:`, '');
    pushAll(
      out,
      scope.stoppedRules.map((stop) => `- ${markdownCode(stop.ruleId)} on ${md(stop.path)}: ${md(stop.error)}`),
      [''],
    );
  }
  if (scope.ruleFailures.length) {
    out.push('Rule failures (these files were not fully checked by these rules):', '');
    pushAll(
      out,
      scope.ruleFailures.map((failure) => `- ${md(failure.ruleId)} on ${md(failure.path)}: ${md(failure.error)}`),
      [''],
    );
  }
  const baseline = scope.baseline;
  if (baseline) {
    out.push(
      `Baseline: ${md(baseline.file)} (${baseline.entries} entries, ${baseline.unchanged} still present, ${baseline.absent} fixed).`,
      '',
    );
  }
  return [...out, ...ruleSetSection(report)];
}

function ruleSetSection(report: EvidenceReport): string[] {
  const rows = report.rules.map((rule) => {
    const mapping = [md(cwes(rule)), md(rule.fda.map((f) => f.key).join(', ')), md(rule.iec62443.map((i) => i.id).join(', '))];
    const categories = md(rule.categories.map(categoryLetter).join(', '));
    return [`${markdownCode(rule.id)} ${md(rule.title)}`, rule.severity, categories, ...mapping, String(rule.findings)];
  });
  return [
    '### Rule set',
    '',
    `${md(report.presets.join(', ') || 'Explicit rules only')}: ${plural(report.rules.length, 'rule')} enabled, configured by ` +
      `${md(report.configSource)} (SHA-256 ${markdownCode(report.configHash)}). Each rule with its mapping:`,
    '',
    ...table(
      ['Rule', 'Severity', 'Categories', 'CWE', 'FDA keys', 'IEC 62443', 'Findings'],
      ['---', '---', '---', '---', '---', '---', '---:'],
      rows,
    ),
  ];
}

function coverageSection(rows: readonly CoverageRow[]): string[] {
  return [
    '## Control coverage',
    '',
    COVERAGE_INTRO,
    '',
    coverageSummary(rows),
    '',
    ...table(
      ['Item', 'Recommendation', 'Coverage', 'Rules', 'Seen in the source', 'Evidence from elsewhere'],
      ['---', '---', '---', '---', '---', '---'],
      rows.map((row) => [
        markdownCode(row.key),
        md(row.title),
        `**${COVERAGE_STATUS_LABEL[row.status]}**`,
        describeCoverageRules(row)
          .map((part) => (typeof part === 'string' ? md(part) : markdownCode(part.rule)))
          .join(''),
        md(describeSeen(row)),
        md(describeBeyond(row)),
      ]),
    ),
  ];
}

const SUMMARY_NOTE = 'A finding whose rule maps to several categories counts in each of them; the total counts it once.';

function summarySection(report: EvidenceReport): string[] {
  const t = report.totals;
  const row = (section: ReportSection) => {
    const counts = SEVERITIES.map((s) => String(section.open[s]));
    return [md(section.label), ...counts, String(section.openTotal), String(section.suppressed), String(section.baselined)];
  };
  const total = [
    '**Total (each finding once)**',
    ...SEVERITIES.map((s) => `**${t.open[s]}**`),
    `**${t.openTotal}**`,
    `**${t.suppressed}**`,
    `**${t.baselined}**`,
  ];
  return [
    '## Summary by category and severity',
    '',
    SUMMARY_NOTE,
    '',
    ...table(
      ['Category', ...SEVERITIES.map((s) => s[0].toUpperCase() + s.slice(1)), 'Open', 'Suppressed', 'Baselined'],
      ['---', ...SEVERITIES.map(() => '---:'), '---:', '---:', '---:'],
      [...shownCategories(report.categories).map(row), total],
    ),
  ];
}

function findingsSection(report: EvidenceReport): string[] {
  return ['## Findings by Appendix 1 category', '', ...shownCategories(report.categories).flatMap(categorySection)];
}

/** "Checked by 2 rules: `a`, `b`." or "No enabled rule maps to this category." */
export function checkedBy(section: ReportSection): string {
  if (!section.rules.length) return 'No enabled rule maps to this category.';
  return `Checked by ${plural(section.rules.length, 'rule')}: ${section.rules.map((id) => markdownCode(id)).join(', ')}.`;
}

function categorySection(section: ReportSection): string[] {
  const heading = [`### ${md(section.label)}`, ''];
  const total = section.listed.length + section.crossListed.length;
  if (!total) return [...heading, `No findings. ${checkedBy(section)}`, ''];
  const where = section.crossListed.length
    ? ` (${section.listed.length} listed here, ${section.crossListed.length} under another category)`
    : '';
  const out = [...heading, `${plural(total, 'finding')}${where}. ${checkedBy(section)}`, ''];
  if (section.listed.length) {
    pushAll(
      out,
      table(
        ['ID', 'Severity', 'Rule', 'Location', 'CWE', '524B', 'Snippet (redacted)', 'Disposition'],
        ['---', '---', '---', '---', '---', '---', '---', '---'],
        section.listed.map(findingRow),
      ),
    );
  }
  if (section.crossListed.length) {
    pushAll(
      out,
      ['Listed in full under another category:', ''],
      table(
        ['ID', 'Severity', 'Rule', 'Location', 'Disposition', 'Listed under'],
        ['---', '---', '---', '---', '---', '---'],
        section.crossListed.map(crossRow),
      ),
    );
  }
  return out;
}

function findingRow(finding: ReportFinding): string[] {
  const others = finding.categories.slice(1);
  const also = others.length ? `<br>Also under: ${others.map((key) => md(categoryLabel(key))).join('; ')}` : '';
  const rule = `${markdownCode(finding.ruleId)} ${md(finding.ruleTitle)}<br>${md(finding.message)}${also}`;
  const location = md(`${finding.path}:${finding.line}:${finding.column}`);
  const fdca524b = md(finding.fdca524b.map((k) => k.key).join(', '));
  return [
    finding.id,
    finding.severity,
    rule,
    location,
    md(cwes(finding)),
    fdca524b,
    markdownCode(finding.snippet),
    dispositionText(finding),
  ];
}

function crossRow(finding: ReportFinding): string[] {
  const location = md(`${finding.path}:${finding.line}:${finding.column}`);
  return [
    finding.id,
    finding.severity,
    markdownCode(finding.ruleId),
    location,
    md(dispositionLabel(finding.disposition)),
    md(categoryLabel(finding.categories[0])),
  ];
}

function registerSection(report: EvidenceReport): string[] {
  if (!report.register.length) return ['## Suppression register', '', 'No finding is suppressed.', ''];
  const rows = report.register.flatMap((finding, index) => {
    const d = finding.disposition;
    if (!isSuppressionOf(d)) return [];
    const expired = d.status === 'expired-suppression' || d.expired;
    const status = expired ? '**EXPIRED**: counts as open' : 'active';
    return [
      [
        String(index + 1),
        finding.id,
        markdownCode(finding.ruleId),
        md(`${finding.path}:${finding.line}`),
        md(d.justification),
        md(d.reviewer ?? '–'),
        d.until ?? 'none',
        md(suppressedBy(d)),
        status,
      ],
    ];
  });
  return [
    '## Suppression register',
    '',
    ...table(
      ['#', 'ID', 'Rule', 'Location', 'Justification', 'Reviewer', 'Expiry', 'Suppressed by', 'Status'],
      ['---:', '---', '---', '---', '---', '---', '---', '---', '---'],
      rows,
    ),
  ];
}
