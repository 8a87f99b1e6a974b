/**
 * The findings by Appendix 1 category and the suppression register of the HTML report. A finding is listed
 * in full under its primary category and cross-referenced, by its id, in every other category its rule maps to.
 */
import { categoryLabel, shownCategories } from './categories';
import { dispositionLabel, isSuppressionOf, suppressedBy } from './disposition';
import type { EvidenceReport, ReportFinding, ReportSection } from './evidence';
import { cweList, dispositionCell, headRow, keyList, severityBadge } from './html-parts';
import { html, joinHtml, type Html } from './html-template';

const FINDING_COLUMNS = headRow([
  'ID',
  'Severity',
  ['Rule and finding', html` style="width:22%"`],
  'Location',
  'CWE',
  'App. 1 / 524B',
  ['Snippet (redacted)', html` style="width:20%"`],
  ['Disposition', html` style="width:15%"`],
]);

const CROSS_COLUMNS = headRow(['ID', 'Severity', 'Rule', 'Location', 'Disposition', 'Listed in full under']);

function findingRow(finding: ReportFinding): Html {
  const others = finding.categories.slice(1).map(categoryLabel);
  const also = others.length > 0 && html`<span class="msg xref">Also under: ${others.join('; ')}</span>`;
  return html`<tr id="${finding.id}" data-testid="finding-${finding.id}">
<td>${finding.id}</td><td>${severityBadge(finding.severity)}</td>
<td><code>${finding.ruleId}</code><span class="msg">${finding.message}</span>${also}</td>
<td class="loc"><code>${`${finding.path}:${finding.line}:${finding.column}`}</code></td>
<td>${cweList(finding.cwe)}</td>
<td>${keyList(finding.appendixItems)}<br>${keyList(finding.fdca524b)}</td>
<td><span class="snippet">${finding.snippet}</span></td>
<td>${dispositionCell(finding)}</td></tr>`;
}

function crossRow(finding: ReportFinding): Html {
  return html`<tr><td><a href="#${finding.id}">${finding.id}</a></td><td>${severityBadge(finding.severity)}</td><td><code>${finding.ruleId}</code></td>${[
    html`<td class="loc"><code>${`${finding.path}:${finding.line}:${finding.column}`}</code></td>`,
    html`<td>${dispositionLabel(finding.disposition)}</td><td class="xref">${categoryLabel(finding.categories[0])}</td></tr>`,
  ]}`;
}

function checkedBy(section: ReportSection, id: string): Html {
  if (!section.rules.length) return html`No enabled rule maps to this category.`;
  const rules = joinHtml(
    section.rules.map((rule) => html`<code>${rule}</code>`),
    ', ',
  );
  const count = html`<span data-testid="${id}-rules">${section.rules.length}</span>`;
  return html`Checked by ${count} ${section.rules.length === 1 ? 'rule' : 'rules'}: ${rules}.`;
}

function categorySection(section: ReportSection): Html {
  const id = `cat-${section.letter === '–' ? 'other' : section.letter}`;
  const total = section.listed.length + section.crossListed.length;
  if (!total) {
    const none = html`<p class="clean" data-testid="${id}-none">No findings. ${checkedBy(section, id)}</p>`;
    return html`<section aria-labelledby="${id}"><h3 id="${id}">${section.label}</h3>${none}</section>`;
  }
  const count = html`<small data-testid="${id}-count">(${total})</small>`;
  const split =
    section.crossListed.length > 0 && ` ${section.listed.length} listed here, ${section.crossListed.length} under another category.`;
  const listed =
    section.listed.length > 0 &&
    html`<table data-testid="${id}-listed"><caption>${`Findings: ${section.label}`}</caption>
${FINDING_COLUMNS}
<tbody>${joinHtml(section.listed.map(findingRow), '\n')}</tbody></table>`;
  const cross =
    section.crossListed.length > 0 &&
    html`<table data-testid="${id}-cross">${html`<caption>${`Also in ${section.label}, listed in full under another category`}</caption>`}
${CROSS_COLUMNS}<tbody>${joinHtml(section.crossListed.map(crossRow), '\n')}</tbody></table>`;
  return html`<section aria-labelledby="${id}"><h3 id="${id}">${section.label} ${count}</h3>
<p>${checkedBy(section, id)}${split}</p>
${listed}
${cross}</section>`;
}

export function findingsSection(report: EvidenceReport): Html {
  return html`<section class="major" aria-labelledby="findings"><h2 id="findings">Findings by Appendix 1 category</h2>
<p>A finding appears in every category its rule maps to: in full under the first, by its ID in the others. ${html`Locations are relative to <code>${report.root}</code>; snippets are shown with secrets masked.`}</p>
${joinHtml(shownCategories(report.categories).map(categorySection), '\n')}
</section>`;
}

const REGISTER_COLUMNS = headRow([
  '#',
  'ID',
  'Rule',
  'Severity',
  'Location',
  ['Justification', html` style="width:28%"`],
  'Reviewer',
  'Expiry',
  'Suppressed by',
  'Status',
]);

function registerRow(finding: ReportFinding, index: number): Html | '' {
  const d = finding.disposition;
  if (!isSuppressionOf(d)) return '';
  const expired = d.status === 'expired-suppression' || d.expired;
  const status = expired ? html`<span class="flag">EXPIRED</span>: counts as open` : html`Active`;
  const testid = expired && html` data-testid="register-expired"`;
  return html`<tr${testid}><td class="num">${index + 1}</td><td>${finding.id}</td><td><code>${finding.ruleId}</code></td>${[
    html`<td>${severityBadge(finding.severity)}</td><td><code>${`${finding.path}:${finding.line}`}</code></td><td>${d.justification}</td>`,
    html`<td data-testid="register-reviewer">${d.reviewer ?? '–'}</td><td>${d.until ?? 'none'}</td><td>${suppressedBy(d)}</td>`,
    html`<td>${status}</td></tr>`,
  ]}`;
}

const REGISTER_NOTE = html`Every suppressed finding with the justification written at the suppression, ${html`its reviewer (<code>(reviewed-by: NAME)</code> in a comment, <code>reviewedBy</code> in .medsec.json), its expiry `}${html`and where it is written. An expired suppression no longer hides its finding.`}`;

export function registerSection(report: EvidenceReport): Html {
  const register = report.register.length
    ? html`<table data-testid="register"><caption>Suppressed findings and their assessment</caption>${REGISTER_COLUMNS}<tbody>${joinHtml(
        report.register.map(registerRow),
        '\n',
      )}</tbody></table>`
    : html`<p class="clean" data-testid="register-empty">No finding is suppressed.</p>`;
  return html`<section class="major" aria-labelledby="register-title"><h2 id="register-title">Suppression register</h2>
<p>${REGISTER_NOTE}</p>
${register}
</section>`;
}
