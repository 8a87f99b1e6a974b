/**
 * The summary chart of the HTML report: one stacked bar per Appendix 1 category, a segment per severity,
 * told apart by pattern as well as colour so it reads in black and white, with a text alternative.
 */
import { SEVERITIES } from '../core/types';
import type { EvidenceReport, ReportSection } from './evidence';
import { html, type Html } from './html-template';
import { SEVERITY_STYLE } from './html-style';
import { maxOf } from '../core/arrays';

function svgPatterns(): Html {
  // Patterns make the severities distinguishable without colour (black-and-white print).
  const s = SEVERITY_STYLE;
  const pattern = (id: string, extra: Html) => html`<pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse"${extra}>`;
  return html`<defs>
${pattern(s.critical.pattern, html``)}<rect width="6" height="6" fill="${s.critical.fill}"/></pattern>
${pattern(s.high.pattern, html` patternTransform="rotate(45)"`)}<rect width="6" height="6" fill="${s.high.fill}"/>${html`<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern>`}
${pattern(s.medium.pattern, html``)}<rect width="6" height="6" fill="${s.medium.fill}"/>${html`<circle cx="3" cy="3" r="1.3" fill="#fff"/></pattern>`}
${pattern(s.low.pattern, html``)}<rect width="6" height="6" fill="#fff"/>${html`<path d="M0 3h6M3 0v6" stroke="${s.low.fill}" stroke-width="1.4"/></pattern>`}
${pattern(s.info.pattern, html``)}<rect width="6" height="6" fill="#fff"/></pattern>
</defs>`;
}

/** Geometry of the summary chart, in SVG user units. */
const CHART = { labelWidth: 290, barWidth: 500, rowHeight: 26, top: 8 };

/** Horizontal stacked bars: one per Appendix 1 category, segments by severity, counts written on them. */
export function chart(report: EvidenceReport): Html {
  const rows = report.categories.filter((section) => section.key !== 'other' || section.listed.length || section.crossListed.length);
  const max = maxOf(
    rows.map((section) => section.openTotal + section.suppressed + section.baselined),
    1,
  );
  const { labelWidth, barWidth, rowHeight, top } = CHART;
  const width = labelWidth + barWidth + 230;
  const height = top + rows.length * rowHeight + 36;
  const bars = rows.map((section, index) => chartRow(section, top + index * rowHeight, barWidth / max));
  const summary = rows.map((section) => `${section.letter}: ${section.openTotal} open`).join('; ');
  const svgOpen = html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" ${html`role="img" aria-labelledby="chart-title chart-desc">`}`;
  return html`<figure class="chart" data-testid="summary-chart">${svgOpen}
<title id="chart-title">Open findings by Appendix 1 category and severity</title><desc id="chart-desc">${summary}</desc>${svgPatterns()}${bars}${chartLegend(top + rows.length * rowHeight + 18)}</svg></figure>`;
}

/** One category's bar: its label, a segment per severity, the suppressed or baselined rest, and the counts. */
function chartRow(section: ReportSection, y: number, scale: number): Html {
  const { labelWidth, rowHeight } = CHART;
  const parts: Html[] = [
    html`<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end" font-size="11" fill="#1a1a1a">${section.label}</text>`,
    html`<line x1="${labelWidth}" y1="${y + 2}" x2="${labelWidth}" y2="${y + rowHeight - 2}" stroke="#999"/>`,
  ];
  const segment = (x: number, w: number, fill: string, rest: Html) =>
    html`<rect x="${x.toFixed(1)}" y="${y + 4}" ${html`width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${fill}" stroke="#1a1a1a" stroke-width="0.8"${rest}`}`;
  let x = labelWidth;
  for (const severity of SEVERITIES) {
    const count = section.open[severity];
    if (!count) continue;
    const w = count * scale;
    const title = `${section.title}: ${count} ${severity}`;
    parts.push(segment(x, w, `url(#${SEVERITY_STYLE[severity].pattern})`, html`><title>${title}</title></rect>`));
    if (w >= 16) {
      const style = html`text-anchor="middle" font-size="10" font-weight="700" ${html`fill="#fff" stroke="#1a1a1a" stroke-width="2.2" paint-order="stroke"`}`;
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
  const open = section.openTotal;
  const label = open || quiet ? `${open} open${quiet ? `, ${quiet} suppressed/baselined` : ''}` : 'none found';
  parts.push(html`<text x="${(x + 6).toFixed(1)}" y="${y + 17}" font-size="10" fill="#555">${label}</text>`);
  return html`${parts}`;
}

function chartLegend(y: number): Html {
  const entry = (x: number, fill: string, dashed: boolean, label: string) =>
    html`${[
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
