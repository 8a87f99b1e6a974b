/**
 * Hover on a finding: what VS Code's own diagnostic hover does not already say. The message is shown there,
 * so this adds the rule's title and severity, its CWE, FDA Appendix 1, 524B and IEC 62443 keys with their
 * titles (one line each, on the first screen), one line on why it matters for a device, the fix safety and
 * the documentation link. Several findings on one spot give one hover, one block per rule.
 */
import type { MarkupContent } from 'vscode-languageserver';
import { cweTitle, cweUrl, fdaTitle, iec62443Title } from '../../../rules/taxonomy';
import type { Finding, FixSafety, Rule, RuleMeta } from '../core/types';

const FIX_SAFETY: Record<FixSafety, string> = {
  safe: 'safe: the quick fix and fix-all apply it',
  suggestion: 'suggested in the light bulb; review it (never applied in bulk)',
  none: 'by hand; the documentation says how',
};

export function hoverMarkdown(
  findings: readonly Finding[],
  rulesById: ReadonlyMap<string, Rule>,
  docsLink: (ruleId: string) => string,
): MarkupContent {
  const blocks: string[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    if (seen.has(finding.ruleId)) continue;
    seen.add(finding.ruleId);
    blocks.push(ruleBlock(finding, rulesById.get(finding.ruleId)?.meta, docsLink(finding.ruleId)));
  }
  return { kind: 'markdown', value: blocks.join('\n\n---\n\n') };
}

function ruleBlock(finding: Finding, meta: RuleMeta | undefined, docsUrl: string): string {
  const heading = `**${escapeMarkdown(meta?.title ?? finding.ruleId)}**  \n${finding.severity} · \`${finding.ruleId}\``;
  if (!meta) return `${heading}\n\n[Documentation](${docsUrl})`;
  const mapping = mappingLines(meta);
  const why = firstSentence(meta.docs.risk);
  return [
    heading,
    mapping.join('  \n'),
    // The rule's own docs Markdown, already meant to be rendered.
    why ? `*Why it matters:* ${why}` : '',
    `*Fix:* ${FIX_SAFETY[meta.fix]} · [Documentation](${docsUrl})`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** One line per standard, each key followed by its title. */
function mappingLines(meta: RuleMeta): string[] {
  const titled = (key: string, title: string | undefined) => (title ? `${key} ${escapeMarkdown(title)}` : key);
  const lines: string[] = [];
  const add = (label: string, entries: string[]) => {
    if (entries.length) lines.push(`**${label}** ${entries.join('; ')}`);
  };
  add(
    'CWE',
    meta.cwe.map((id) => `[CWE-${id}](${cweUrl(id)})${cweTitle(id) ? ` ${escapeMarkdown(cweTitle(id)!)}` : ''}`),
  );
  add(
    'FDA App. 1',
    meta.fda.filter((key) => key.startsWith('app1.')).map((key) => titled(`\`${key}\``, fdaTitle(key))),
  );
  add(
    '524B',
    meta.fda.filter((key) => key.startsWith('524b.')).map((key) => titled(`\`${key}\``, fdaTitle(key))),
  );
  add(
    'FDA',
    meta.fda.filter((key) => !key.startsWith('app1.') && !key.startsWith('524b.')).map((key) => titled(`\`${key}\``, fdaTitle(key))),
  );
  add(
    'IEC 62443',
    meta.iec62443.map((id) => titled(id, iec62443Title(id))),
  );
  return lines;
}

/** The first sentence of a Markdown paragraph, on one line. */
export function firstSentence(markdown: string): string {
  const text = markdown.replace(/\s+/g, ' ').trim();
  const end = /[.!?](?=\s+[A-Z(]|$)/.exec(text);
  return end ? text.slice(0, end.index + 1) : text;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>|])/g, '\\$1');
}
