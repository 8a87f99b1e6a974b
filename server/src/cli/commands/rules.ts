/** `medsec rules`: every built-in rule with its severity and CWE / FDA mapping. */
import { builtinRegistry } from '../../builtin-registry';
import { ruleDocsUrl } from '../../../../shared/protocol';
import type { Rule } from '../../core/types';
import { maxOf } from '../../core/arrays';

export type RulesFormat = 'text' | 'json';

export function runRulesCommand(format: RulesFormat): string {
  const rules = [...builtinRegistry.rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
  return format === 'json' ? `${JSON.stringify(rules.map(ruleSummary), null, 2)}\n` : rulesTable(rules);
}

function ruleSummary({ meta }: Rule) {
  return {
    id: meta.id,
    title: meta.title,
    severity: meta.severity,
    confidence: meta.confidence,
    languages: meta.languages,
    cwe: meta.cwe,
    fda: meta.fda,
    iec62443: meta.iec62443,
    fix: meta.fix,
    presets: meta.presets,
    aliases: meta.aliases ?? [],
    docsUrl: ruleDocsUrl(meta.id),
  };
}

function rulesTable(rules: Rule[]): string {
  if (rules.length === 0) return 'No rules.\n';
  const rows = [
    ['RULE', 'SEVERITY', 'CWE', 'FDA', 'TITLE'],
    ...rules.map(({ meta }) => [meta.id, meta.severity, meta.cwe.map((cwe) => `CWE-${cwe}`).join(','), meta.fda.join(','), meta.title]),
  ];
  const widths = rows[0].map((_, column) => maxOf(rows.map((row) => row[column].length)));
  return (
    rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')).join('\n') +
    '\n'
  );
}
