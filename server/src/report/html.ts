/**
 * The FDA evidence report as one self-contained HTML file (`medsec scan --format html`): inline CSS and
 * SVG, no scripts, no fonts, no network. It prints (A4, page breaks between sections, severity told apart
 * by pattern as well as colour so it reads in black and white) and it is accessible (semantic tables with
 * captions and header scopes, headings in order, the chart has a text alternative). It is built with the
 * `html` tagged template, which escapes every value it is given: a finding message, path, snippet or
 * justification cannot inject markup. Elements that tests read carry `data-testid`.
 */
import * as path from 'path';
import { SEVERITIES, type ScanResult, type Severity } from '../core/types';
import { algorithmLabel, communicationPaths, credentialLabel, endpointLabel, protocolLabel, sourceLabel } from '../inventory/paths';
import type { Inventory, Occurrence } from '../inventory/types';
import { html, joinHtml, trustedMarkup, type Html } from './html-template';
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

export function formatHtmlReport(result: ScanResult, meta: ReportMetadata): string {
  return renderHtml(buildEvidenceReport(result, meta)).markup;
}

const SEVERITY_STYLE: Record<Severity, { fill: string; pattern: string; label: string }> = {
  critical: { fill: '#7f1d1d', pattern: 'sev-critical', label: 'Critical' },
  high: { fill: '#b45309', pattern: 'sev-high', label: 'High' },
  medium: { fill: '#a16207', pattern: 'sev-medium', label: 'Medium' },
  low: { fill: '#1e40af', pattern: 'sev-low', label: 'Low' },
  info: { fill: '#4b5563', pattern: 'sev-info', label: 'Info' },
};

const CSS = `
:root { --ink: #1a1a1a; --muted: #555; --rule: #c8c8c8; --band: #f3f4f6; --accent: #1f3a5f; }
* { box-sizing: border-box; }
html { font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; color: var(--ink); font-size: 10.5pt; line-height: 1.45; }
body { margin: 0 auto; max-width: 1120px; padding: 28px 40px 48px; background: #fff; }
header.doc { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 20px; }
.doc-kind { text-transform: uppercase; letter-spacing: .12em; font-size: 8.5pt; color: var(--muted); margin: 0 0 4px; }
h1 { font-size: 20pt; margin: 0 0 2px; color: var(--accent); font-weight: 600; }
.subject { font-size: 12pt; margin: 0; color: var(--muted); }
h2 { font-size: 13.5pt; color: var(--accent); border-bottom: 1px solid var(--rule); padding-bottom: 3px; margin: 30px 0 10px; font-weight: 600; }
h3 { font-size: 11.5pt; margin: 20px 0 6px; font-weight: 600; }
p { margin: 6px 0 10px; }
.meta { display: grid; grid-template-columns: repeat(4, 1fr); gap: 0; margin: 14px 0 0; border: 1px solid var(--rule); }
.meta div { padding: 6px 10px; border-right: 1px solid var(--rule); }
.meta div:last-child { border-right: 0; }
.meta dt { font-size: 8pt; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.meta dd { margin: 2px 0 0; font-weight: 600; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(8, 1fr); gap: 8px; margin: 12px 0 4px; }
.card { border: 1px solid var(--rule); border-top: 4px solid var(--accent); padding: 6px 8px; }
.card .n { font-size: 17pt; font-weight: 700; display: block; line-height: 1.1; }
.card .l { font-size: 8pt; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.card.critical { border-top-color: ${SEVERITY_STYLE.critical.fill}; } .card.high { border-top-color: ${SEVERITY_STYLE.high.fill}; }
.card.medium { border-top-color: ${SEVERITY_STYLE.medium.fill}; } .card.low { border-top-color: ${SEVERITY_STYLE.low.fill}; }
.card.info { border-top-color: ${SEVERITY_STYLE.info.fill}; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-size: 9pt; }
caption { text-align: left; font-weight: 600; padding: 4px 0; color: var(--muted); font-size: 8.5pt; text-transform: uppercase; letter-spacing: .05em; }
th, td { border: 1px solid var(--rule); padding: 4px 6px; vertical-align: top; text-align: left; }
thead th { background: var(--band); font-weight: 600; }
tbody th { font-weight: 600; background: #fafafa; }
table.compact { width: auto; min-width: 45%; }
table.fixed { table-layout: fixed; }
td code, th code { overflow-wrap: anywhere; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td, tr.total th { font-weight: 700; border-top: 2px solid var(--ink); }
code, .snippet { font-family: "DejaVu Sans Mono", Consolas, "Liberation Mono", monospace; font-size: 8.5pt; }
.snippet { background: var(--band); border: 1px solid #e1e1e1; padding: 2px 4px; display: block; white-space: pre-wrap; overflow-wrap: anywhere; }
.loc { overflow-wrap: anywhere; }
.msg { color: var(--muted); display: block; margin-top: 2px; }
.sev { display: inline-block; min-width: 58px; text-align: center; font-weight: 700; font-size: 8pt; text-transform: uppercase; padding: 1px 4px; border: 1.5px solid; border-radius: 2px; }
.sev.critical { color: ${SEVERITY_STYLE.critical.fill}; } .sev.high { color: ${SEVERITY_STYLE.high.fill}; }
.sev.medium { color: ${SEVERITY_STYLE.medium.fill}; } .sev.low { color: ${SEVERITY_STYLE.low.fill}; } .sev.info { color: ${SEVERITY_STYLE.info.fill}; }
.disp { font-weight: 600; }
.disp.open { color: #7f1d1d; }
.flag { font-weight: 700; text-decoration: underline; }
.weak { font-weight: 700; }
.clean { color: var(--muted); font-style: italic; }
.chart { border: 1px solid var(--rule); padding: 10px 12px 4px; margin: 8px 0 14px; }
.chart svg { display: block; width: 100%; height: auto; }
.legend { font-size: 8.5pt; color: var(--muted); }
ul.notes { margin: 4px 0 12px; padding-left: 20px; }
footer.doc { margin-top: 32px; border-top: 1px solid var(--rule); padding-top: 6px; font-size: 8pt; color: var(--muted); }
@page { size: A4 landscape; margin: 14mm 12mm; }
@media print {
  html { font-size: 9pt; }
  body { max-width: none; padding: 0; }
  section.major { break-before: page; page-break-before: always; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, .card, .chart { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
`;

function svgPatterns(): Html {
  // Patterns make the severities distinguishable without colour (black-and-white print).
  const s = SEVERITY_STYLE;
  const pattern = (id: string, extra: Html) => html`<pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse"${extra}>`;
  return html`<defs>
${pattern(s.critical.pattern, html``)}<rect width="6" height="6" fill="${s.critical.fill}"/></pattern>
${pattern(s.high.pattern, html` patternTransform="rotate(45)"`)}<rect width="6" height="6" fill="${s.high.fill}"/>${
  html`<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern>`}
${pattern(s.medium.pattern, html``)}<rect width="6" height="6" fill="${s.medium.fill}"/>${
  html`<circle cx="3" cy="3" r="1.3" fill="#fff"/></pattern>`}
${pattern(s.low.pattern, html``)}<rect width="6" height="6" fill="#fff"/>${
  html`<path d="M0 3h6M3 0v6" stroke="${s.low.fill}" stroke-width="1.4"/></pattern>`}
${pattern(s.info.pattern, html``)}<rect width="6" height="6" fill="#fff"/></pattern>
</defs>`;
}

const openCount = (section: CategorySection) => SEVERITIES.reduce((sum, s) => sum + section.open[s], 0);

/** Geometry of the summary chart, in SVG user units. */
const CHART = { labelWidth: 290, barWidth: 500, rowHeight: 26, top: 8 };

/** Horizontal stacked bars: one per Appendix 1 category, segments by severity, counts written on them. */
function chart(report: EvidenceReport): Html {
  const rows = report.categories.filter((section) => section.key !== 'other' || section.findings.length);
  const max = Math.max(1, ...rows.map((section) => openCount(section) + section.suppressed + section.baselined));
  const { labelWidth, barWidth, rowHeight, top } = CHART;
  const width = labelWidth + barWidth + 230;
  const height = top + rows.length * rowHeight + 36;
  const bars = rows.map((section, index) => chartRow(section, top + index * rowHeight, barWidth / max));
  const summary = rows.map((section) => `${section.letter}: ${openCount(section)} open`).join('; ');
  const svgOpen = html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" ${
    html`role="img" aria-labelledby="chart-title chart-desc">`}`;
  return html`<figure class="chart" data-testid="summary-chart">${svgOpen}
<title id="chart-title">Open findings by Appendix 1 category and severity</title><desc id="chart-desc">${summary}</desc>${
  svgPatterns()}${bars}${chartLegend(top + rows.length * rowHeight + 18)}</svg></figure>`;
}

/** One category's bar: its label, a segment per severity, the suppressed or baselined rest, and the counts. */
function chartRow(section: CategorySection, y: number, scale: number): Html {
  const { labelWidth, rowHeight } = CHART;
  const parts: Html[] = [
    html`<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end" font-size="11" fill="#1a1a1a">${section.label}</text>`,
    html`<line x1="${labelWidth}" y1="${y + 2}" x2="${labelWidth}" y2="${y + rowHeight - 2}" stroke="#999"/>`,
  ];
  const segment = (x: number, w: number, fill: string, rest: Html) => html`<rect x="${x.toFixed(1)}" y="${y + 4}" ${
    html`width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${fill}" stroke="#1a1a1a" stroke-width="0.8"${rest}`}`;
  let x = labelWidth;
  for (const severity of SEVERITIES) {
    const count = section.open[severity];
    if (!count) continue;
    const w = count * scale;
    const title = `${section.title}: ${count} ${severity}`;
    parts.push(segment(x, w, `url(#${SEVERITY_STYLE[severity].pattern})`, html`><title>${title}</title></rect>`));
    if (w >= 16) {
      const style = html`text-anchor="middle" font-size="10" font-weight="700" ${
        html`fill="#fff" stroke="#1a1a1a" stroke-width="2.2" paint-order="stroke"`}`;
      parts.push(html`<text x="${(x + w / 2).toFixed(1)}" y="${y + 17}" ${style}>${count}</text>`);
    }
    x += w;
  }
  const quiet = section.suppressed + section.baselined;
  if (quiet) {
    const w = quiet * scale;
    parts.push(segment(x, w, '#fff', html` stroke-dasharray="3 2"/>`));
    x += w;
  }
  const open = openCount(section);
  const label = open || quiet ? `${open} open${quiet ? `, ${quiet} suppressed/baselined` : ''}` : 'none found';
  parts.push(html`<text x="${(x + 6).toFixed(1)}" y="${y + 17}" font-size="10" fill="#555">${label}</text>`);
  return html`${parts}`;
}

function chartLegend(y: number): Html {
  const entry = (x: number, fill: string, dashed: boolean, label: string) => html`${[
    html`<rect x="${x}" y="${y - 9}" width="14" height="11" fill="${fill}" stroke="#1a1a1a" stroke-width="0.8"`,
    html`${dashed && html` stroke-dasharray="3 2"`}/><text x="${x + 18}" y="${y}" font-size="10" fill="#1a1a1a">${label}</text>`,
  ]}`;
  const { labelWidth } = CHART;
  const severities = SEVERITIES.map((severity, index) => {
    const { pattern, label } = SEVERITY_STYLE[severity];
    return entry(labelWidth + index * 86, `url(#${pattern})`, false, label);
  });
  return html`${severities}${entry(labelWidth + SEVERITIES.length * 86, '#fff', true, 'Suppressed or baselined')}`;
}

function severityBadge(severity: Severity): Html {
  return html`<span class="sev ${severity}">${severity}</span>`;
}

function cweList(items: { id: number; name: string }[]): Html {
  return joinHtml(items.map((c) => html`<span>CWE-${c.id} ${c.name}</span>`), html`<br>`);
}

/** `<span title="Authentication, item 5">app1.A.5</span>, …` */
function keyList(items: { key: string; title: string }[]): Html {
  return joinHtml(items.map((item) => html`<span title="${item.title}">${item.key}</span>`), ', ');
}

function dispositionCell(finding: ReportFinding): Html {
  const d = finding.disposition;
  const label = dispositionLabel(d);
  const lines = [html`<span class="disp ${d.status === 'open' || d.status === 'expired-suppression' ? 'open' : ''}">${label}</span>`];
  if (d.status === 'suppressed' || d.status === 'expired-suppression') {
    lines.push(html`Justification: ${d.justification}`);
    if (d.reviewer) lines.push(html`Reviewer: ${d.reviewer}`);
    if (d.status === 'suppressed' && d.until) lines.push(html`Until ${d.until}${d.expired && html` <span class="flag">(expired)</span>`}`);
  }
  return joinHtml(lines, html`<br>`);
}

/** A header row of `<th scope="col">` cells; a cell given as [label, attributes] gets those attributes. */
function headRow(columns: (string | [label: string, attributes: Html])[]): Html {
  const cells = columns.map((column) => {
    const [label, attributes] = typeof column === 'string' ? [column, undefined] : column;
    return html`<th scope="col"${attributes}>${label}</th>`;
  });
  return html`<thead><tr>${cells}</tr></thead>`;
}

const FINDING_COLUMNS = headRow([
  '#', 'Severity', ['Rule and finding', html` style="width:22%"`], 'Location', 'CWE', 'App. 1 / 524B',
  ['Snippet (redacted)', html` style="width:20%"`], ['Disposition', html` style="width:15%"`],
]);

function findingRow(finding: ReportFinding, index: number): Html {
  return html`<tr>
<td class="num">${index + 1}</td><td>${severityBadge(finding.severity)}</td>
<td><code>${finding.ruleId}</code><span class="msg">${finding.message}</span></td>
<td class="loc"><code>${`${finding.path}:${finding.line}:${finding.column}`}</code></td>
<td>${cweList(finding.cwe)}</td>
<td>${keyList(finding.appendixItems)}<br>${keyList(finding.fdca524b)}</td>
<td><span class="snippet">${finding.snippet}</span></td>
<td>${dispositionCell(finding)}</td></tr>`;
}

function categorySection(section: CategorySection): Html {
  const id = `cat-${section.letter === '–' ? 'other' : section.letter}`;
  const checked = section.rules.length
    ? html`Checked by ${joinHtml(section.rules.map((rule) => html`<code>${rule}</code>`), ', ')}.`
    : html`No enabled rule maps to this category.`;
  if (!section.findings.length) {
    const none = html`<p class="clean" data-testid="${id}-none">No findings. ${checked}</p>`;
    return html`<section aria-labelledby="${id}"><h3 id="${id}">${section.label}</h3>${none}</section>`;
  }
  const count = html`<small data-testid="${id}-count">(${section.findings.length})</small>`;
  return html`<section aria-labelledby="${id}"><h3 id="${id}">${section.label} ${count}</h3>
<p>${checked}</p>
<table><caption>${`Findings: ${section.label}`}</caption>
${FINDING_COLUMNS}
<tbody>${joinHtml(section.findings.map(findingRow), '\n')}</tbody></table></section>`;
}

function where(occurrences: Occurrence[], limit = 4): Html {
  const shown = occurrences.slice(0, limit).map((o) => html`<code>${`${o.path}:${o.line}`}</code>`);
  return html`${joinHtml(shown, ', ')}${occurrences.length > limit && ` and ${occurrences.length - limit} more`}`;
}

function cellList(items: string[]): Html {
  return items.length ? joinHtml(items, html`<br>`) : html`–`;
}

/** A weakness in bold, or 'Acceptable'. */
function assessment(weakness: string | undefined): Html {
  return weakness ? html`<span class="weak">Weak:</span> ${weakness}` : html`Acceptable`;
}

interface InventoryTable {
  caption: string;
  columns: string[];
  rows: Html[];
  empty: string;
  testid: string;
  /** Column widths in percent (a fixed-layout table). */
  widths?: number[];
}

function inventoryTable({ caption, columns, rows, empty, testid, widths }: InventoryTable): Html {
  if (!rows.length) return html`<p class="clean">${empty}</p>`;
  const colgroup = widths && html`<colgroup>${widths.map((w) => html`<col style="width:${w}%">`)}</colgroup>`;
  return html`<table data-testid="${testid}"${widths && html` class="fixed"`}><caption>${caption}</caption>${colgroup}${
    headRow(columns)}<tbody>${joinHtml(rows, '\n')}</tbody></table>`;
}

function inventoryTables(inventory: Inventory): Record<'paths' | 'algorithms' | 'protocols' | 'endpoints' | 'credentials', InventoryTable> {
  const cleartext = html`<span class="weak">None (cleartext)</span>`;
  const transport = (x: Inventory['endpoints'][number]) =>
    html`${x.transport === 'none' ? cleartext : x.transport.toUpperCase()}${x.local && ' (loopback)'}`;
  const storage = (c: Inventory['credentials'][number]) => (c.source === 'hardcoded'
    ? html`<span class="weak">${sourceLabel(c.source)}</span>${c.suppressed && ' (suppressed)'}`
    : html`${sourceLabel(c.source)}`);
  return {
    paths: {
      caption: 'Protocols, crypto methods, key lengths and credentials per path',
      columns: ['Source file', 'Endpoints (transport security)', 'Protocol versions', 'Algorithms and key lengths', 'Credentials and keys'],
      rows: communicationPaths(inventory).map((group) => html`<tr><th scope="row"><code>${group.path}</code></th>${[
        html`<td>${cellList(group.endpoints.map(endpointLabel))}</td><td>${cellList(group.protocols.map(protocolLabel))}</td>`,
        html`<td>${cellList(group.algorithms.map(algorithmLabel))}</td><td>${cellList(group.credentials.map(credentialLabel))}</td></tr>`,
      ]}`),
      empty: 'Nothing found.', testid: 'inventory-paths', widths: [20, 27, 14, 17, 22],
    },
    algorithms: {
      caption: 'Cryptographic algorithms',
      columns: ['Algorithm', 'Primitive', 'Key length (bits)', 'Assessment', 'Where'],
      rows: inventory.algorithms.map((a) => html`<tr><td>${a.name}</td><td>${a.primitive}</td><td class="num">${a.keyBits ?? '–'}</td>${
        html`<td>${assessment(a.weakness)}</td><td>${where(a.occurrences)}</td></tr>`}`),
      empty: 'No cryptographic algorithm found.', testid: 'inventory-algorithms',
    },
    protocols: {
      caption: 'TLS, DTLS and SSH configuration',
      columns: ['Protocol', 'Assessment', 'Where'],
      rows: inventory.protocols.map((p) => html`<tr><td>${p.name}</td><td>${assessment(p.weakness)}</td>${
        html`<td>${where(p.occurrences)}</td></tr>`}`),
      empty: 'No TLS, DTLS or SSH configuration found.', testid: 'inventory-protocols',
    },
    endpoints: {
      caption: 'Protocol endpoints',
      columns: ['Endpoint', 'Scheme', 'Transport security', 'Where'],
      rows: inventory.endpoints.map((x) => html`<tr><td><code>${x.url}</code></td><td>${x.scheme}</td>${
        html`<td>${transport(x)}</td><td>${where(x.occurrences)}</td></tr>`}`),
      empty: 'No protocol endpoint found.', testid: 'inventory-endpoint-table',
    },
    credentials: {
      caption: 'Where credentials and keys are defined or loaded',
      columns: ['Name', 'Kind', 'Storage', 'Redacted snippet', 'Where'],
      rows: inventory.credentials.map((c) => html`<tr><td><code>${c.name}</code></td><td>${c.material.replace(/-/g, ' ')}</td>${[
        html`<td>${storage(c)}</td><td>${c.redactedSnippet ? html`<span class="snippet">${c.redactedSnippet}</span>` : '–'}</td>`,
        html`<td>${where(c.occurrences)}</td></tr>`,
      ]}`),
      empty: 'No credential or key definition or load found.', testid: 'inventory-credential-table',
    },
  };
}

const INVENTORY_PATHS_NOTE = 'A source file stands for a communication path; its endpoints name the path.';

function inventorySection(inventory: Inventory): Html {
  const tables = inventoryTables(inventory);
  const counts = html`${inventory.algorithms.length} algorithms, ${inventory.protocols.length} protocol settings, ${
    html`<span data-testid="inventory-endpoints">${inventory.endpoints.length}</span> endpoints and `}${
    html`<span data-testid="inventory-credentials">${inventory.credentials.length}</span> credential or key definitions and loads`}`;
  return html`<section class="major" aria-labelledby="inventory"><h2 id="inventory">Cryptography and credentials inventory</h2>
<p>Taken from the code model of ${inventory.files} files: ${counts}. Secret values are masked. ${INVENTORY_PATHS_NOTE}</p>
<h3>Per communication path</h3>
${inventoryTable(tables.paths)}
<h3>Algorithms</h3>
${inventoryTable(tables.algorithms)}
<h3>Protocols</h3>
${inventoryTable(tables.protocols)}
<h3>Endpoints</h3>
${inventoryTable(tables.endpoints)}
<h3>Credentials and keys</h3>
${inventoryTable(tables.credentials)}
</section>`;
}

const CITATION_NOTE = 'FDA guidance and standard clauses are cited by identifier only; titles are paraphrased.';

export function renderHtml(report: EvidenceReport): Html {
  const date = report.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const subject = path.basename(report.root) || report.root;
  const tool = `${report.tool.name} ${report.tool.version}`;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${tool}">
<title>${`Static analysis evidence report: ${subject}`}</title>
<style>${trustedMarkup(CSS)}</style>
</head>
<body>
${documentHeader(report, date, subject)}
<main>
${summarySection(report)}

<section aria-labelledby="how"><h2 id="how">How to read this report</h2>
${joinHtml(HOW_TO_READ.map((paragraph) => html`<p>${paragraph}</p>`), '\n')}
</section>

${settingsSection(report, date)}

${findingsSection(report)}

${registerSection(report)}
${report.inventory && inventorySection(report.inventory)}
${rulesSection(report)}
</main>
<footer class="doc">Generated by ${tool} on ${date}. ${CITATION_NOTE}</footer>
</body>
</html>
`;
}

function documentHeader(report: EvidenceReport, date: string, subject: string): Html {
  return html`<header class="doc">
<p class="doc-kind">Cybersecurity evidence · static code analysis</p>
<h1>Static Analysis Evidence Report</h1>
<p class="subject">${subject}</p>
<dl class="meta">
<div><dt>Tool</dt><dd data-testid="tool">${`${report.tool.name} ${report.tool.version}`}</dd></div>
<div><dt>Date (UTC)</dt><dd data-testid="date">${date}</dd></div>
<div><dt>Scope</dt><dd>${report.scope.files} files · ${report.scope.lines} lines</dd></div>
<div><dt>Configuration SHA-256</dt><dd><code>${report.configHash.slice(0, 16)}…</code></dd></div>
</dl>
</header>`;
}

/** The categories worth a row or a section: every Appendix 1 category, and "other" when it has anything. */
function shownCategories(report: EvidenceReport): CategorySection[] {
  return report.categories.filter((section) => section.key !== 'other' || section.findings.length || section.rules.length);
}

const SUMMARY_COLUMNS = html`<thead><tr><th scope="col">Category</th>${
  SEVERITIES.map((s) => html`<th scope="col" class="num">${SEVERITY_STYLE[s].label}</th>`)}${
  ['Open', 'Suppressed', 'Baselined'].map((label) => html`<th scope="col" class="num">${label}</th>`)}</tr></thead>`;

function summaryRow(section: CategorySection): Html {
  const testid = `category-${section.letter === '–' ? 'other' : section.letter}`;
  return html`<tr><th scope="row">${section.label}</th>${SEVERITIES.map((s) => html`<td class="num">${section.open[s]}</td>`)}${[
    html`<td class="num" data-testid="${testid}-open">${openCount(section)}</td>`,
    html`<td class="num" data-testid="${testid}-suppressed">${section.suppressed}</td><td class="num">${section.baselined}</td></tr>`,
  ]}`;
}

function summarySection(report: EvidenceReport): Html {
  const t = report.totals;
  const card = (testid: string, n: number, label: string, cls = '') =>
    html`<div class="card ${cls}"><span class="n" data-testid="${testid}">${n}</span><span class="l">${label}</span></div>`;
  const totalRow = html`<tr class="total"><th scope="row">Total</th>${SEVERITIES.map((s) => html`<td class="num">${t.open[s]}</td>`)}${
    html`<td class="num">${t.openTotal}</td><td class="num">${t.suppressed}</td><td class="num">${t.baselined}</td></tr>`}`;
  return html`<section aria-labelledby="summary"><h2 id="summary">Summary</h2>
<div class="cards">
${card('count-open', t.openTotal, 'Open findings')}
${joinHtml(SEVERITIES.map((s) => card(`count-${s}`, t.open[s], SEVERITY_STYLE[s].label, s)), '\n')}
${card('count-suppressed', t.suppressed, 'Suppressed')}
${card('count-baselined', t.baselined, 'Baselined')}
</div>
${chart(report)}
<table data-testid="summary-table"><caption>Open findings by Appendix 1 category and severity</caption>
${SUMMARY_COLUMNS}
<tbody>${joinHtml(shownCategories(report).map(summaryRow), '\n')}
${totalRow}</tbody></table>
</section>`;
}

/** Tool and settings, then the scope: what was scanned, what was skipped and why. */
function settingsSection(report: EvidenceReport, date: string): Html {
  const hash = html`<code data-testid="config-hash">${report.configHash}</code>`;
  const hashNote = 'SHA-256 of the effective configuration as canonical JSON (keys sorted). The same hash means the same settings.';
  const presets = report.presets.join(', ') || 'explicit rules only';
  const ruleSet = html`${presets}; ${report.rules.length} rules enabled (listed under "Rules that ran")`;
  return html`<section class="major" aria-labelledby="settings"><h2 id="settings">Tool and settings</h2>
<table><caption>Identification of the analysis</caption><tbody>
<tr><th scope="row">Tool</th><td>${report.tool.name}</td></tr>
<tr><th scope="row">Version</th><td>${report.tool.version}</td></tr>
<tr><th scope="row">Date (UTC)</th><td>${date}</td></tr>
${report.command && html`<tr><th scope="row">Command</th><td><code>${report.command}</code></td></tr>`}
<tr><th scope="row">Configuration</th><td>${report.configSource}</td></tr>
<tr><th scope="row">Rule set</th><td>${ruleSet}</td></tr>
<tr><th scope="row">Configuration SHA-256</th><td>${hash}<br><span class="msg">${hashNote}</span></td></tr>
</tbody></table>
${scopeDetails(report)}
</section>`;
}

const RULE_FAILURES_NOTE = html`<p>These files were not fully checked by these rules.</p>`;

function scopeDetails(report: EvidenceReport): Html {
  const scope = report.scope;
  const languageRows = scope.languages.map((row) =>
    html`<tr><th scope="row">${LANGUAGE_NAMES[row.language]}</th><td class="num">${row.files}</td><td class="num">${row.lines}</td></tr>`);
  const skipped = scope.skipped.length
    ? html`<table><caption>Files skipped</caption>${headRow(['File', 'Why'])}<tbody>${
      scope.skipped.map((s) => html`<tr><td><code>${s.path}</code></td><td>${s.reason}</td></tr>`)}</tbody></table>`
    : html`<p>No file in scope was skipped.</p>`;
  const notes = scope.notes.length > 0 && html`<h3>Analysis notes</h3><ul class="notes">${
    scope.notes.map((n) => html`<li><code>${n.path}</code>: ${n.message}</li>`)}</ul>`;
  const failures = scope.ruleFailures.length > 0 && html`<h3>Rule failures</h3>${RULE_FAILURES_NOTE}<ul class="notes">${
    scope.ruleFailures.map((f) => html`<li><code>${f.ruleId}</code> on <code>${f.path}</code>: ${f.error}</li>`)}</ul>`;
  const baseline = scope.baseline && html`<p>Baseline <code>${scope.baseline.file}</code>: ${scope.baseline.entries} entries, ${
    scope.baseline.unchanged} still present, ${scope.baseline.absent} no longer found.</p>`;
  const shard = scope.shard && ` This run covers shard ${scope.shard.index} of ${scope.shard.count}.`;
  const scanned = html`<span data-testid="scope-files">${scope.files}</span> files and ${
    html`<span data-testid="scope-lines">${scope.lines}</span>`}`;
  const languages = joinHtml(languageRows, '\n');
  const languageColumns = headRow(['Language', ['Files', html` class="num"`], ['Lines', html` class="num"`]]);
  return html`<h2 id="scope">Scope</h2>
<p>${scanned} lines were scanned; ${scope.skipped.length} files were skipped.${shard}</p>
<table class="compact"><caption>Files and lines by language</caption>${languageColumns}<tbody>${languages}</tbody></table>
${skipped}
${notes}
${failures}
${baseline}`;
}

function findingsSection(report: EvidenceReport): Html {
  return html`<section class="major" aria-labelledby="findings"><h2 id="findings">Findings by Appendix 1 category</h2>
<p>Each finding's category is the first Appendix 1 control its rule maps to. ${
  html`Locations are relative to <code>${report.root}</code>; snippets are shown with secrets masked.`}</p>
${joinHtml(shownCategories(report).map(categorySection), '\n')}
</section>`;
}

const REGISTER_COLUMNS = headRow([
  '#', 'Rule', 'Severity', 'Location', ['Justification', html` style="width:30%"`], 'Reviewer', 'Expiry', 'Status',
]);

function registerRow(finding: ReportFinding, index: number): Html | '' {
  const d = finding.disposition;
  if (d.status !== 'suppressed' && d.status !== 'expired-suppression') return '';
  const expired = d.status === 'expired-suppression' || d.expired;
  const status = expired ? html`<span class="flag">EXPIRED</span>: counts as open` : html`Active`;
  const testid = expired && html` data-testid="register-expired"`;
  return html`<tr${testid}><td class="num">${index + 1}</td><td><code>${finding.ruleId}</code></td>${[
    html`<td>${severityBadge(finding.severity)}</td><td><code>${`${finding.path}:${finding.line}`}</code></td><td>${d.justification}</td>`,
    html`<td>${d.reviewer ?? '–'}</td><td>${d.until ?? 'none'}</td><td>${status}</td></tr>`,
  ]}`;
}

const REGISTER_NOTE = html`Every suppressed finding with the justification written at the suppression, ${
  html`its reviewer (<code>(reviewed-by: NAME)</code> in a comment, <code>reviewedBy</code> in .medsec.json) and its expiry. `}${
  html`An expired suppression no longer hides its finding.`}`;

function registerSection(report: EvidenceReport): Html {
  const register = report.register.length
    ? html`<table data-testid="register"><caption>Suppressed findings and their assessment</caption>${REGISTER_COLUMNS}<tbody>${
      joinHtml(report.register.map(registerRow), '\n')}</tbody></table>`
    : html`<p class="clean" data-testid="register-empty">No finding is suppressed.</p>`;
  return html`<section class="major" aria-labelledby="register-title"><h2 id="register-title">Suppression register</h2>
<p>${REGISTER_NOTE}</p>
${register}
</section>`;
}

const RULE_COLUMNS = headRow([
  ['Rule', html` style="width:26%"`], 'Severity', 'Category', 'CWE', 'FDA keys', 'IEC 62443', ['Findings', html` class="num"`],
]);

function rulesSection(report: EvidenceReport): Html {
  const ruleRows = report.rules.map((rule) => {
    const category = report.categories.find((section) => section.key === rule.category);
    const iec62443 = rule.iec62443.map((i) => ({ key: i.id, title: i.title }));
    return html`<tr><td><code>${rule.id}</code><span class="msg">${rule.title}</span></td><td>${severityBadge(rule.severity)}</td>${[
      html`<td>${category ? category.label : '–'}</td><td>${cweList(rule.cwe)}</td>`,
      html`<td>${keyList(rule.fda)}</td><td>${keyList(iec62443)}</td>`,
      html`<td class="num">${rule.findings}</td></tr>`,
    ]}`;
  });
  return html`<section class="major" aria-labelledby="rules-title"><h2 id="rules-title">Rules that ran</h2>
<p>The weakness classes that were checked, with their mappings. A rule with no findings checked its class and found nothing.</p>
<table data-testid="rules"><caption>Enabled rules and their mappings</caption>
${RULE_COLUMNS}
<tbody>${joinHtml(ruleRows, '\n')}</tbody></table>
</section>`;
}
