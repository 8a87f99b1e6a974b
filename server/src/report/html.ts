/**
 * The FDA evidence report as one self-contained HTML file (`medsec scan --format html`): inline CSS and
 * SVG, no scripts, no fonts, no network. It prints (A4, page breaks between sections, severity told apart
 * by pattern as well as colour so it reads in black and white) and it is accessible (semantic tables with
 * captions and header scopes, headings in order, the chart has a text alternative). Every value is escaped.
 * Elements that tests read carry `data-testid`.
 */
import * as path from 'path';
import { SEVERITIES, type ScanResult, type Severity } from '../core/types';
import { algorithmLabel, communicationPaths, credentialLabel, endpointLabel, protocolLabel, sourceLabel } from '../inventory/paths';
import type { Inventory, Occurrence } from '../inventory/types';
import { escapeHtml as e } from './escape';
import {
  buildEvidenceReport, dispositionLabel, HOW_TO_READ, LANGUAGE_NAMES, type CategorySection, type EvidenceReport, type ReportFinding, type ReportMetadata,
} from './evidence';

export function formatHtmlReport(result: ScanResult, meta: ReportMetadata): string {
  return renderHtml(buildEvidenceReport(result, meta));
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

function svgPatterns(): string {
  // Patterns make the severities distinguishable without colour (black-and-white print).
  const s = SEVERITY_STYLE;
  return `<defs>
<pattern id="${s.critical.pattern}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="${s.critical.fill}"/></pattern>
<pattern id="${s.high.pattern}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${s.high.fill}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern>
<pattern id="${s.medium.pattern}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="${s.medium.fill}"/><circle cx="3" cy="3" r="1.3" fill="#fff"/></pattern>
<pattern id="${s.low.pattern}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><path d="M0 3h6M3 0v6" stroke="${s.low.fill}" stroke-width="1.4"/></pattern>
<pattern id="${s.info.pattern}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/></pattern>
</defs>`;
}

/** Horizontal stacked bars: one per Appendix 1 category, segments by severity, counts written on them. */
function chart(report: EvidenceReport): string {
  const rows = report.categories.filter((section) => section.key !== 'other' || section.findings.length);
  const max = Math.max(1, ...rows.map((section) => SEVERITIES.reduce((sum, s) => sum + section.open[s], 0) + section.suppressed + section.baselined));
  const labelWidth = 290, barWidth = 500, rowHeight = 26, top = 8, width = labelWidth + barWidth + 230;
  const height = top + rows.length * rowHeight + 36;
  const scale = barWidth / max;
  const parts: string[] = [];
  rows.forEach((section, index) => {
    const y = top + index * rowHeight;
    parts.push(`<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end" font-size="11" fill="#1a1a1a">${e(section.label)}</text>`);
    parts.push(`<line x1="${labelWidth}" y1="${y + 2}" x2="${labelWidth}" y2="${y + rowHeight - 2}" stroke="#999"/>`);
    let x = labelWidth;
    for (const severity of SEVERITIES) {
      const count = section.open[severity];
      if (!count) continue;
      const w = count * scale;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="url(#${SEVERITY_STYLE[severity].pattern})" stroke="#1a1a1a" stroke-width="0.8"><title>${e(`${section.title}: ${count} ${severity}`)}</title></rect>`);
      if (w >= 16) parts.push(`<text x="${(x + w / 2).toFixed(1)}" y="${y + 17}" text-anchor="middle" font-size="10" font-weight="700" fill="#fff" stroke="#1a1a1a" stroke-width="2.2" paint-order="stroke">${count}</text>`);
      x += w;
    }
    const quiet = section.suppressed + section.baselined;
    if (quiet) {
      const w = quiet * scale;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="#fff" stroke="#1a1a1a" stroke-width="0.8" stroke-dasharray="3 2"/>`);
      x += w;
    }
    const open = SEVERITIES.reduce((sum, s) => sum + section.open[s], 0);
    const label = open || quiet ? `${open} open${quiet ? `, ${quiet} suppressed/baselined` : ''}` : 'none found';
    parts.push(`<text x="${(x + 6).toFixed(1)}" y="${y + 17}" font-size="10" fill="#555">${e(label)}</text>`);
  });
  const legendY = top + rows.length * rowHeight + 18;
  let lx = labelWidth;
  for (const severity of SEVERITIES) {
    parts.push(`<rect x="${lx}" y="${legendY - 9}" width="14" height="11" fill="url(#${SEVERITY_STYLE[severity].pattern})" stroke="#1a1a1a" stroke-width="0.8"/><text x="${lx + 18}" y="${legendY}" font-size="10" fill="#1a1a1a">${SEVERITY_STYLE[severity].label}</text>`);
    lx += 86;
  }
  parts.push(`<rect x="${lx}" y="${legendY - 9}" width="14" height="11" fill="#fff" stroke="#1a1a1a" stroke-width="0.8" stroke-dasharray="3 2"/><text x="${lx + 18}" y="${legendY}" font-size="10" fill="#1a1a1a">Suppressed or baselined</text>`);
  const summary = rows.map((section) => `${section.letter}: ${SEVERITIES.reduce((sum, s) => sum + section.open[s], 0)} open`).join('; ');
  return `<figure class="chart" data-testid="summary-chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title chart-desc">
<title id="chart-title">Open findings by Appendix 1 category and severity</title><desc id="chart-desc">${e(summary)}</desc>${svgPatterns()}${parts.join('')}</svg></figure>`;
}

function severityBadge(severity: Severity): string {
  return `<span class="sev ${severity}">${e(severity)}</span>`;
}

function cweList(items: { id: number; name: string }[]): string {
  return items.map((c) => `<span>CWE-${c.id} ${e(c.name)}</span>`).join('<br>');
}

function dispositionCell(finding: ReportFinding): string {
  const d = finding.disposition;
  const label = dispositionLabel(d);
  const lines = [`<span class="disp ${d.status === 'open' || d.status === 'expired-suppression' ? 'open' : ''}">${e(label)}</span>`];
  if (d.status === 'suppressed' || d.status === 'expired-suppression') {
    lines.push(`Justification: ${e(d.justification)}`);
    if (d.reviewer) lines.push(`Reviewer: ${e(d.reviewer)}`);
    if (d.status === 'suppressed' && d.until) lines.push(`Until ${e(d.until)}${d.expired ? ' <span class="flag">(expired)</span>' : ''}`);
  }
  return lines.join('<br>');
}

function categorySection(section: CategorySection): string {
  const id = `cat-${section.letter === '–' ? 'other' : section.letter}`;
  const checked = section.rules.length ? `Checked by ${section.rules.map((rule) => `<code>${e(rule)}</code>`).join(', ')}.` : 'No enabled rule maps to this category.';
  if (!section.findings.length) {
    return `<section aria-labelledby="${id}"><h3 id="${id}">${e(section.label)}</h3><p class="clean" data-testid="${id}-none">No findings. ${checked}</p></section>`;
  }
  const rows = section.findings.map((finding, index) => `<tr>
<td class="num">${index + 1}</td><td>${severityBadge(finding.severity)}</td>
<td><code>${e(finding.ruleId)}</code><span class="msg">${e(finding.message)}</span></td>
<td class="loc"><code>${e(`${finding.path}:${finding.line}:${finding.column}`)}</code></td>
<td>${cweList(finding.cwe)}</td>
<td>${finding.appendixItems.map((item) => `<span title="${e(item.title)}">${e(item.key)}</span>`).join(', ')}<br>${finding.fdca524b.map((item) => `<span title="${e(item.title)}">${e(item.key)}</span>`).join(', ')}</td>
<td><span class="snippet">${e(finding.snippet)}</span></td>
<td>${dispositionCell(finding)}</td></tr>`).join('\n');
  return `<section aria-labelledby="${id}"><h3 id="${id}">${e(section.label)} <small data-testid="${id}-count">(${section.findings.length})</small></h3>
<p>${checked}</p>
<table><caption>${e(`Findings: ${section.label}`)}</caption>
<thead><tr><th scope="col">#</th><th scope="col">Severity</th><th scope="col" style="width:22%">Rule and finding</th><th scope="col">Location</th><th scope="col">CWE</th><th scope="col">App. 1 / 524B</th><th scope="col" style="width:20%">Snippet (redacted)</th><th scope="col" style="width:15%">Disposition</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
}

function where(occurrences: Occurrence[], limit = 4): string {
  const shown = occurrences.slice(0, limit).map((o) => `<code>${e(`${o.path}:${o.line}`)}</code>`);
  return shown.join(', ') + (occurrences.length > limit ? ` and ${occurrences.length - limit} more` : '');
}

function cellList(items: string[]): string {
  return items.length ? items.map(e).join('<br>') : '–';
}

function inventorySection(inventory: Inventory): string {
  const paths = communicationPaths(inventory);
  const pathRows = paths.map((group) => `<tr><th scope="row"><code>${e(group.path)}</code></th><td>${cellList(group.endpoints.map(endpointLabel))}</td><td>${cellList(group.protocols.map(protocolLabel))}</td><td>${cellList(group.algorithms.map(algorithmLabel))}</td><td>${cellList(group.credentials.map(credentialLabel))}</td></tr>`).join('\n');
  const algorithmRows = inventory.algorithms.map((a) => `<tr><td>${e(a.name)}</td><td>${e(a.primitive)}</td><td class="num">${a.keyBits ?? '–'}</td><td>${a.weakness ? `<span class="weak">Weak:</span> ${e(a.weakness)}` : 'Acceptable'}</td><td>${where(a.occurrences)}</td></tr>`).join('\n');
  const protocolRows = inventory.protocols.map((p) => `<tr><td>${e(p.name)}</td><td>${p.weakness ? `<span class="weak">Weak:</span> ${e(p.weakness)}` : 'Acceptable'}</td><td>${where(p.occurrences)}</td></tr>`).join('\n');
  const endpointRows = inventory.endpoints.map((x) => `<tr><td><code>${e(x.url)}</code></td><td>${e(x.scheme)}</td><td>${x.transport === 'none' ? '<span class="weak">None (cleartext)</span>' : e(x.transport.toUpperCase())}${x.local ? ' (loopback)' : ''}</td><td>${where(x.occurrences)}</td></tr>`).join('\n');
  const credentialRows = inventory.credentials.map((c) => `<tr><td><code>${e(c.name)}</code></td><td>${e(c.material.replace(/-/g, ' '))}</td><td>${c.source === 'hardcoded' ? `<span class="weak">${e(sourceLabel(c.source))}</span>${c.suppressed ? ' (suppressed)' : ''}` : e(sourceLabel(c.source))}</td><td>${c.redactedSnippet ? `<span class="snippet">${e(c.redactedSnippet)}</span>` : '–'}</td><td>${where(c.occurrences)}</td></tr>`).join('\n');
  const table = (caption: string, head: string[], rows: string, empty: string, testid: string, widths?: number[]) => rows
    ? `<table data-testid="${testid}"${widths ? ' class="fixed"' : ''}><caption>${e(caption)}</caption>${widths ? `<colgroup>${widths.map((w) => `<col style="width:${w}%">`).join('')}</colgroup>` : ''}<thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`
    : `<p class="clean">${e(empty)}</p>`;
  return `<section class="major" aria-labelledby="inventory"><h2 id="inventory">Cryptography and credentials inventory</h2>
<p>Taken from the code model of ${inventory.files} files: ${inventory.algorithms.length} algorithms, ${inventory.protocols.length} protocol settings, <span data-testid="inventory-endpoints">${inventory.endpoints.length}</span> endpoints and <span data-testid="inventory-credentials">${inventory.credentials.length}</span> credential or key definitions and loads. Secret values are masked. A source file stands for a communication path; its endpoints name the path.</p>
<h3>Per communication path</h3>
${table('Protocols, crypto methods, key lengths and credentials per path', ['Source file', 'Endpoints (transport security)', 'Protocol versions', 'Algorithms and key lengths', 'Credentials and keys'], pathRows, 'Nothing found.', 'inventory-paths', [20, 27, 14, 17, 22])}
<h3>Algorithms</h3>
${table('Cryptographic algorithms', ['Algorithm', 'Primitive', 'Key length (bits)', 'Assessment', 'Where'], algorithmRows, 'No cryptographic algorithm found.', 'inventory-algorithms')}
<h3>Protocols</h3>
${table('TLS, DTLS and SSH configuration', ['Protocol', 'Assessment', 'Where'], protocolRows, 'No TLS, DTLS or SSH configuration found.', 'inventory-protocols')}
<h3>Endpoints</h3>
${table('Protocol endpoints', ['Endpoint', 'Scheme', 'Transport security', 'Where'], endpointRows, 'No protocol endpoint found.', 'inventory-endpoint-table')}
<h3>Credentials and keys</h3>
${table('Where credentials and keys are defined or loaded', ['Name', 'Kind', 'Storage', 'Redacted snippet', 'Where'], credentialRows, 'No credential or key definition or load found.', 'inventory-credential-table')}
</section>`;
}

export function renderHtml(report: EvidenceReport): string {
  const date = report.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const subject = path.basename(report.root) || report.root;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${e(`${report.tool.name} ${report.tool.version}`)}">
<title>${e(`Static analysis evidence report: ${subject}`)}</title>
<style>${CSS}</style>
</head>
<body>
${documentHeader(report, date, subject)}
<main>
${summarySection(report)}

<section aria-labelledby="how"><h2 id="how">How to read this report</h2>
${HOW_TO_READ.map((paragraph) => `<p>${e(paragraph)}</p>`).join('\n')}
</section>

${settingsSection(report, date)}

${findingsSection(report)}

${registerSection(report)}
${report.inventory ? inventorySection(report.inventory) : ''}
${rulesSection(report)}
</main>
<footer class="doc">Generated by ${e(`${report.tool.name} ${report.tool.version}`)} on ${e(date)}. FDA guidance and standard clauses are cited by identifier only; titles are paraphrased.</footer>
</body>
</html>
`;
}

function documentHeader(report: EvidenceReport, date: string, subject: string): string {
  return `<header class="doc">
<p class="doc-kind">Cybersecurity evidence · static code analysis</p>
<h1>Static Analysis Evidence Report</h1>
<p class="subject">${e(subject)}</p>
<dl class="meta">
<div><dt>Tool</dt><dd data-testid="tool">${e(`${report.tool.name} ${report.tool.version}`)}</dd></div>
<div><dt>Date (UTC)</dt><dd data-testid="date">${e(date)}</dd></div>
<div><dt>Scope</dt><dd>${report.scope.files} files · ${report.scope.lines} lines</dd></div>
<div><dt>Configuration SHA-256</dt><dd><code>${e(report.configHash.slice(0, 16))}…</code></dd></div>
</dl>
</header>`;
}

/** The categories worth a row or a section: every Appendix 1 category, and "other" when it has anything. */
function shownCategories(report: EvidenceReport): CategorySection[] {
  return report.categories.filter((section) => section.key !== 'other' || section.findings.length || section.rules.length);
}

function summarySection(report: EvidenceReport): string {
  const t = report.totals;
  const card = (testid: string, n: number, label: string, cls = '') => `<div class="card ${cls}"><span class="n" data-testid="${testid}">${n}</span><span class="l">${e(label)}</span></div>`;
  const summaryRows = shownCategories(report).map((section) => {
    const open = SEVERITIES.reduce((sum, s) => sum + section.open[s], 0);
    const testid = `category-${section.letter === '–' ? 'other' : section.letter}`;
    return `<tr><th scope="row">${e(section.label)}</th>${SEVERITIES.map((s) => `<td class="num">${section.open[s]}</td>`).join('')}<td class="num" data-testid="${testid}-open">${open}</td><td class="num" data-testid="${testid}-suppressed">${section.suppressed}</td><td class="num">${section.baselined}</td></tr>`;
  }).join('\n');
  return `<section aria-labelledby="summary"><h2 id="summary">Summary</h2>
<div class="cards">
${card('count-open', t.openTotal, 'Open findings')}
${SEVERITIES.map((s) => card(`count-${s}`, t.open[s], SEVERITY_STYLE[s].label, s)).join('\n')}
${card('count-suppressed', t.suppressed, 'Suppressed')}
${card('count-baselined', t.baselined, 'Baselined')}
</div>
${chart(report)}
<table data-testid="summary-table"><caption>Open findings by Appendix 1 category and severity</caption>
<thead><tr><th scope="col">Category</th>${SEVERITIES.map((s) => `<th scope="col" class="num">${SEVERITY_STYLE[s].label}</th>`).join('')}<th scope="col" class="num">Open</th><th scope="col" class="num">Suppressed</th><th scope="col" class="num">Baselined</th></tr></thead>
<tbody>${summaryRows}
<tr class="total"><th scope="row">Total</th>${SEVERITIES.map((s) => `<td class="num">${t.open[s]}</td>`).join('')}<td class="num">${t.openTotal}</td><td class="num">${t.suppressed}</td><td class="num">${t.baselined}</td></tr></tbody></table>
</section>`;
}

/** Tool and settings, then the scope: what was scanned, what was skipped and why. */
function settingsSection(report: EvidenceReport, date: string): string {
  return `<section class="major" aria-labelledby="settings"><h2 id="settings">Tool and settings</h2>
<table><caption>Identification of the analysis</caption><tbody>
<tr><th scope="row">Tool</th><td>${e(report.tool.name)}</td></tr>
<tr><th scope="row">Version</th><td>${e(report.tool.version)}</td></tr>
<tr><th scope="row">Date (UTC)</th><td>${e(date)}</td></tr>
${report.command ? `<tr><th scope="row">Command</th><td><code>${e(report.command)}</code></td></tr>` : ''}
<tr><th scope="row">Configuration</th><td>${e(report.configSource)}</td></tr>
<tr><th scope="row">Rule set</th><td>${e(report.presets.join(', ') || 'explicit rules only')}; ${report.rules.length} rules enabled (listed under "Rules that ran")</td></tr>
<tr><th scope="row">Configuration SHA-256</th><td><code data-testid="config-hash">${e(report.configHash)}</code><br><span class="msg">SHA-256 of the effective configuration as canonical JSON (keys sorted). The same hash means the same settings.</span></td></tr>
</tbody></table>
${scopeDetails(report)}
</section>`;
}

function scopeDetails(report: EvidenceReport): string {
  const scope = report.scope;
  const languageRows = scope.languages.map((row) => `<tr><th scope="row">${e(LANGUAGE_NAMES[row.language])}</th><td class="num">${row.files}</td><td class="num">${row.lines}</td></tr>`).join('\n');
  const skipped = scope.skipped.length
    ? `<table><caption>Files skipped</caption><thead><tr><th scope="col">File</th><th scope="col">Why</th></tr></thead><tbody>${scope.skipped.map((s) => `<tr><td><code>${e(s.path)}</code></td><td>${e(s.reason)}</td></tr>`).join('')}</tbody></table>`
    : '<p>No file in scope was skipped.</p>';
  const notes = scope.notes.length ? `<h3>Analysis notes</h3><ul class="notes">${scope.notes.map((n) => `<li><code>${e(n.path)}</code>: ${e(n.message)}</li>`).join('')}</ul>` : '';
  const failures = scope.ruleFailures.length ? `<h3>Rule failures</h3><p>These files were not fully checked by these rules.</p><ul class="notes">${scope.ruleFailures.map((f) => `<li><code>${e(f.ruleId)}</code> on <code>${e(f.path)}</code>: ${e(f.error)}</li>`).join('')}</ul>` : '';
  const baseline = scope.baseline ? `<p>Baseline <code>${e(scope.baseline.file)}</code>: ${scope.baseline.entries} entries, ${scope.baseline.unchanged} still present, ${scope.baseline.absent} no longer found.</p>` : '';
  return `<h2 id="scope">Scope</h2>
<p><span data-testid="scope-files">${scope.files}</span> files and <span data-testid="scope-lines">${scope.lines}</span> lines were scanned; ${scope.skipped.length} files were skipped.${scope.shard ? ` This run covers shard ${scope.shard.index} of ${scope.shard.count}.` : ''}</p>
<table class="compact"><caption>Files and lines by language</caption><thead><tr><th scope="col">Language</th><th scope="col" class="num">Files</th><th scope="col" class="num">Lines</th></tr></thead><tbody>${languageRows}</tbody></table>
${skipped}
${notes}
${failures}
${baseline}`;
}

function findingsSection(report: EvidenceReport): string {
  return `<section class="major" aria-labelledby="findings"><h2 id="findings">Findings by Appendix 1 category</h2>
<p>Each finding's category is the first Appendix 1 control its rule maps to. Locations are relative to <code>${e(report.root)}</code>; snippets are shown with secrets masked.</p>
${shownCategories(report).map(categorySection).join('\n')}
</section>`;
}

function registerSection(report: EvidenceReport): string {
  const registerRows = report.register.map((finding, index) => {
    const d = finding.disposition;
    if (d.status !== 'suppressed' && d.status !== 'expired-suppression') return '';
    const expired = d.status === 'expired-suppression' || d.expired;
    return `<tr${expired ? ' data-testid="register-expired"' : ''}><td class="num">${index + 1}</td><td><code>${e(finding.ruleId)}</code></td><td>${severityBadge(finding.severity)}</td><td><code>${e(`${finding.path}:${finding.line}`)}</code></td><td>${e(d.justification)}</td><td>${e(d.reviewer ?? '–')}</td><td>${e(d.until ?? 'none')}</td><td>${expired ? '<span class="flag">EXPIRED</span>: counts as open' : 'Active'}</td></tr>`;
  }).join('\n');
  const register = report.register.length
    ? `<table data-testid="register"><caption>Suppressed findings and their assessment</caption><thead><tr><th scope="col">#</th><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col">Location</th><th scope="col" style="width:30%">Justification</th><th scope="col">Reviewer</th><th scope="col">Expiry</th><th scope="col">Status</th></tr></thead><tbody>${registerRows}</tbody></table>`
    : '<p class="clean" data-testid="register-empty">No finding is suppressed.</p>';
  return `<section class="major" aria-labelledby="register-title"><h2 id="register-title">Suppression register</h2>
<p>Every suppressed finding with the justification written at the suppression, its reviewer (a <code>reviewer:</code> prefix in the justification) and its expiry. An expired suppression no longer hides its finding.</p>
${register}
</section>`;
}

function rulesSection(report: EvidenceReport): string {
  const ruleRows = report.rules.map((rule) => {
    const category = report.categories.find((section) => section.key === rule.category);
    return `<tr><td><code>${e(rule.id)}</code><span class="msg">${e(rule.title)}</span></td><td>${severityBadge(rule.severity)}</td><td>${category ? e(category.label) : '–'}</td><td>${cweList(rule.cwe)}</td><td>${rule.fda.map((f) => `<span title="${e(f.title)}">${e(f.key)}</span>`).join(', ')}</td><td>${rule.iec62443.map((i) => `<span title="${e(i.title)}">${e(i.id)}</span>`).join(', ')}</td><td class="num">${rule.findings}</td></tr>`;
  }).join('\n');
  return `<section class="major" aria-labelledby="rules-title"><h2 id="rules-title">Rules that ran</h2>
<p>The weakness classes that were checked, with their mappings. A rule with no findings checked its class and found nothing.</p>
<table data-testid="rules"><caption>Enabled rules and their mappings</caption>
<thead><tr><th scope="col" style="width:26%">Rule</th><th scope="col">Severity</th><th scope="col">Category</th><th scope="col">CWE</th><th scope="col">FDA keys</th><th scope="col">IEC 62443</th><th scope="col" class="num">Findings</th></tr></thead>
<tbody>${ruleRows}</tbody></table>
</section>`;
}
