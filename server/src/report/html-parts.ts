/** Cells and rows several tables of the HTML report share. */
import type { Severity } from '../core/types';
import { dispositionLabel, isSuppressionOf } from './disposition';
import type { ReportFinding } from './evidence';
import { html, joinHtml, type Html } from './html-template';

export function severityBadge(severity: Severity): Html {
  return html`<span class="sev ${severity}">${severity}</span>`;
}

export function cweList(items: { id: number; name: string }[]): Html {
  return joinHtml(
    items.map((c) => html`<span>CWE-${c.id} ${c.name}</span>`),
    html`<br>`,
  );
}

/** `<span title="Authentication, item 5">app1.A.5</span>, …` */
export function keyList(items: { key: string; title: string }[]): Html {
  return joinHtml(
    items.map((item) => html`<span title="${item.title}">${item.key}</span>`),
    ', ',
  );
}

export function dispositionCell(finding: ReportFinding): Html {
  const d = finding.disposition;
  const label = dispositionLabel(d);
  const lines = [html`<span class="disp ${d.status === 'open' || d.status === 'expired-suppression' ? 'open' : ''}">${label}</span>`];
  if (isSuppressionOf(d)) {
    lines.push(html`Justification: ${d.justification}`);
    if (d.reviewer) lines.push(html`Reviewer: ${d.reviewer}`);
    if (d.status === 'suppressed' && d.until) lines.push(html`Until ${d.until}${d.expired && html` <span class="flag">(expired)</span>`}`);
  }
  return joinHtml(lines, html`<br>`);
}

/** A header row of `<th scope="col">` cells; a cell given as [label, attributes] gets those attributes. */
export function headRow(columns: (string | [label: string, attributes: Html])[]): Html {
  const cells = columns.map((column) => {
    const [label, attributes] = typeof column === 'string' ? [column, undefined] : column;
    return html`<th scope="col"${attributes}>${label}</th>`;
  });
  return html`<thead><tr>${cells}</tr></thead>`;
}
