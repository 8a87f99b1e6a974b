/** Hover on a finding: the message, why it matters for a device, and its CWE, FDA and IEC 62443 mapping. */
import type { MarkupContent } from 'vscode-languageserver';
import { cweTitle, cweUrl, fdaTitle, iec62443Title } from '../../../rules/taxonomy';
import { ruleDocsUrl } from '../../../shared/protocol';
import type { Finding, Rule } from '../core/types';

export function hoverMarkdown(findings: readonly Finding[], rulesById: ReadonlyMap<string, Rule>): MarkupContent {
  const sections = findings.map((finding) => findingMarkdown(finding, rulesById.get(finding.ruleId)));
  return { kind: 'markdown', value: sections.join('\n\n---\n\n') };
}

function findingMarkdown(finding: Finding, rule: Rule | undefined): string {
  const lines: string[] = [];
  const title = rule ? ` ${escapeMarkdown(rule.meta.title)}` : '';
  lines.push(`**medsec \`${finding.ruleId}\`**${title} (${finding.severity})`, '', escapeMarkdown(finding.message));
  if (!rule) return lines.join('\n');
  const meta = rule.meta;
  lines.push('', `**Why it matters:** ${meta.docs.risk.trim()}`);
  if (meta.cwe.length) {
    lines.push('', '**CWE:**');
    for (const id of meta.cwe) lines.push(`- [CWE-${id}](${cweUrl(id)})${cweTitle(id) ? `: ${cweTitle(id)}` : ''}`);
  }
  const appendix = meta.fda.filter((key) => key.startsWith('app1.'));
  const section524b = meta.fda.filter((key) => key.startsWith('524b.'));
  const other = meta.fda.filter((key) => !key.startsWith('app1.') && !key.startsWith('524b.'));
  const fdaList = (heading: string, keys: string[]) => {
    if (!keys.length) return;
    lines.push('', `**${heading}:**`);
    for (const key of keys) lines.push(`- \`${key}\`${fdaTitle(key) ? `: ${fdaTitle(key)}` : ''}`);
  };
  fdaList('FDA premarket guidance, Appendix 1', appendix);
  fdaList('FD&C Act section 524B', section524b);
  fdaList('FDA (other)', other);
  if (meta.iec62443.length) {
    lines.push('', '**IEC 62443:**');
    for (const id of meta.iec62443) lines.push(`- ${id}${iec62443Title(id) ? `: ${iec62443Title(id)}` : ''}`);
  }
  lines.push('', `[Rule documentation](${ruleDocsUrl(finding.ruleId)})`);
  return lines.join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>|])/g, '\\$1');
}
