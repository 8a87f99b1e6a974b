/**
 * Markdown rendered from rule metadata: the per-rule reference page, the rule index and the README
 * table. Pure functions: the same rules always give the same bytes, so a test can compare them with
 * the files on disk.
 */
import { LANGUAGE_NAMES } from '../core/language';
import type { FixSafety, LanguageId, Rule, RuleMeta } from '../core/types';
import { cweTitle, cweUrl, FDA, fdaTitle, IEC62443, iec62443Title } from '../../../rules/taxonomy';
import { maxOf } from '../core/arrays';

/** Info strings for fenced code, chosen for what GitHub highlights. */
const FENCE_LANGUAGE: Readonly<Record<LanguageId, string>> = {
  c: 'c',
  cpp: 'cpp',
  python: 'python',
  java: 'java',
  kotlin: 'kotlin',
  typescript: 'ts',
  javascript: 'js',
  kconfig: 'ini',
  dotenv: 'dotenv',
  'android-manifest': 'xml',
  'android-xml': 'xml',
  shell: 'sh',
  json: 'json',
  yaml: 'yaml',
  text: 'text',
  'key-container': 'text',
};

const FIX_MEANING: Readonly<Record<FixSafety, string>> = {
  safe: 'The quick fix is **safe**: fix-all and `medsec fix` apply it.',
  suggestion: 'The quick fix is a **suggestion**: it is offered in the editor, never applied in bulk.',
  none: 'There is **no automatic fix**.',
};

/** The second-level headings of every rule page, in order. The docs test checks each page has them. */
export const RULE_DOC_SECTIONS = [
  'Languages',
  'What it finds',
  'Why it matters for a device',
  'How to fix',
  'Examples',
  'Fix safety',
  'Mapping',
  'References',
] as const;

/** Escapes text for a Markdown table cell (one line, no column breaks). */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A fence longer than any backtick run in the code, so examples that contain ``` stay intact. */
function fenced(code: string, info: string): string {
  const longestRun = maxOf((code.match(/`+/g) ?? []).map((run) => run.length), 0);
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${info}\n${code.replace(/\s+$/, '')}\n${fence}`;
}

function languageList(meta: RuleMeta): string {
  return meta.languages.map((language) => LANGUAGE_NAMES[language] ?? language).join(', ');
}

function cweLink(id: number): string {
  return `[CWE-${id}](${cweUrl(id)})`;
}

/** The standards table of one rule: CWE, FDA and IEC 62443, each id with its title. */
export function renderMappingTable(meta: RuleMeta): string {
  const rows = [
    ...meta.cwe.map((id) => ['CWE', cweLink(id), cweTitle(id) ?? '(unknown CWE)']),
    ...meta.fda.map((key) => ['FDA', `\`${key}\``, fdaMappingTitle(key)]),
    ...meta.iec62443.map((id) => [
      IEC62443[id] ? `IEC ${IEC62443[id].part}` : 'IEC 62443',
      id,
      iec62443Title(id) ?? '(unknown clause)',
    ]),
  ];
  return [
    '| Standard | Id | Title |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** An Appendix 1 item reads better with its category: "Authentication: No hardcoded ... passwords". */
function fdaMappingTitle(key: string): string {
  const entry = FDA[key];
  if (!entry) return fdaTitle(key) ?? '(unknown key)';
  const category = entry.category ? FDA[entry.category] : undefined;
  return category ? `${category.title}: ${entry.title}` : entry.title;
}

/** The full reference page of one rule (docs/rules/<id>.md). */
export function renderRuleDoc(rule: Rule): string {
  const { meta } = rule;
  const { docs } = meta;
  const badges = [
    `**Severity:** ${meta.severity}`,
    `**Confidence:** ${meta.confidence}`,
    `**Fix:** ${meta.fix}`,
    `**Presets:** ${meta.presets.length ? meta.presets.join(', ') : 'none (opt in)'}`,
  ].join(' · ');
  const examples = docs.examples.flatMap((example) => {
    const info = FENCE_LANGUAGE[example.language] ?? '';
    return [
      `### ${LANGUAGE_NAMES[example.language] ?? example.language}`,
      '',
      'Flagged:',
      '',
      fenced(example.bad, info),
      '',
      'Fixed:',
      '',
      fenced(example.good, info),
      '',
    ];
  });
  const lines = [
    `<!-- Generated from rules/${meta.id}/ (rule.ts and docs.md) by \`npm run docs\`. Edit those, not this file. -->`,
    `# ${meta.title}`,
    '',
    `Rule id: \`${meta.id}\`${meta.aliases?.length ? ` (formerly ${meta.aliases.map((alias) => `\`${alias}\``).join(', ')})` : ''}`,
    '',
    badges,
    '',
    '## Languages',
    '',
    languageList(meta),
    '',
    '## What it finds',
    '',
    docs.summary.trim(),
    '',
    ...(meta.testCodeEvidence
      ? [
          `**In test code**, under \`medsec:strict\` (test-code policy \`evidence\`) as under \`medsec:recommended\`, a finding is reported only with ${meta.testCodeEvidence}; ` +
            'what a test sets up for its own server or mock is not a weakness of the device. `"testCode": { "findings": "report" }` reports every one.',
          '',
        ]
      : []),
    '## Why it matters for a device',
    '',
    docs.risk.trim(),
    '',
    '## How to fix',
    '',
    docs.fix.trim(),
    '',
    '## Examples',
    '',
    ...examples,
    '## Fix safety',
    '',
    FIX_MEANING[meta.fix] ?? '',
    '',
    docs.fixSafety.trim(),
    '',
    '## Mapping',
    '',
    renderMappingTable(meta),
    '',
    '## References',
    '',
    ...docs.references.map((reference) => `- [${reference.title}](${reference.url})`),
  ];
  return `${lines.join('\n')}\n`;
}

function byId(rules: readonly Rule[]): Rule[] {
  return [...rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
}

/** The rule table; `linkPrefix` is where the rule pages are relative to the file the table goes in. */
function ruleTable(rules: readonly Rule[], linkPrefix: string): string {
  if (rules.length === 0) return '_No rules yet._';
  const header = ['| Rule | Title | Severity | CWE | FDA | Languages | Fix |', '|---|---|---|---|---|---|---|'];
  const rows = byId(rules).map(({ meta }) => {
    const cells = [
      `[${meta.id}](${linkPrefix}${meta.id}.md)`,
      cell(meta.title),
      meta.severity,
      meta.cwe.map(cweLink).join(', '),
      meta.fda.map((key) => `\`${key}\``).join(', '),
      cell(languageList(meta)),
      meta.fix,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [...header, ...rows].join('\n');
}

/** docs/rules.md: every rule with its mapping, linked to its page. */
export function renderRuleIndex(rules: readonly Rule[]): string {
  const lines = [
    '<!-- Generated from the rules in rules/ by `npm run docs`. Do not edit by hand. -->',
    '# Rules',
    '',
    `medsec has ${rules.length} built-in rule${rules.length === 1 ? '' : 's'}. Each page says what the rule finds, why it`,
    'matters for a medical device, how to fix it, and which CWE, FDA and IEC 62443 items it maps to.',
    '',
    ruleTable(rules, 'rules/'),
  ];
  return `${lines.join('\n')}\n`;
}

/** The rule table for the README (links relative to the repository root). */
export function renderReadmeRuleTable(rules: readonly Rule[]): string {
  return ruleTable(rules, 'docs/rules/');
}
