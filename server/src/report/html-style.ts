/** The evidence report's stylesheet and severity colours: one place for how the HTML report looks. */
import type { Severity } from '../core/types';

export const SEVERITY_STYLE: Record<Severity, { fill: string; pattern: string; label: string }> = {
  critical: { fill: '#7f1d1d', pattern: 'sev-critical', label: 'Critical' },
  high: { fill: '#b45309', pattern: 'sev-high', label: 'High' },
  medium: { fill: '#a16207', pattern: 'sev-medium', label: 'Medium' },
  low: { fill: '#1e40af', pattern: 'sev-low', label: 'Low' },
  info: { fill: '#4b5563', pattern: 'sev-info', label: 'Info' },
};

export const CSS = `
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
.cov { font-weight: 700; }
th.key code { white-space: nowrap; }
.cov.checked { color: #14532d; } .cov.partly { color: #1e3a8a; } .cov.not-checked { color: #7f1d1d; } .cov.not-checkable { color: var(--muted); }
.xref { color: var(--muted); }
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
