/**
 * A rule's documentation is Markdown beside it (`rules/<id>/docs.md`) under fixed headings, so it reads as a
 * page and is edited as one. This turns it into the structured `RuleDocs` the engine, hover, SARIF and the
 * generated reference use. A page that lacks a heading or has an unpaired example fails loudly at load.
 */
import { LANGUAGES, type LanguageId, type RuleDocs } from '../../server/src/core/types';

/** The headings of a rule's docs.md, in order. */
export const RULE_DOCS_HEADINGS = [
  'What it finds',
  'Why it matters for a device',
  'How to fix',
  'Examples',
  'Fix safety',
  'References',
] as const;

type Heading = (typeof RULE_DOCS_HEADINGS)[number];

/** Splits the page into its `## ` sections; text before the first heading is not allowed. */
function sections(markdown: string, where: string): Map<Heading, string> {
  const found = new Map<Heading, string>();
  const parts = markdown.replace(/\r\n/g, '\n').split(/^## +(.+?) *$/m);
  if (parts[0].trim()) throw new Error(`${where}: text before the first "## " heading`);
  for (let i = 1; i < parts.length; i += 2) {
    const heading = parts[i] as Heading;
    if (!RULE_DOCS_HEADINGS.includes(heading)) throw new Error(`${where}: unknown section "## ${parts[i]}"`);
    found.set(heading, parts[i + 1].trim());
  }
  const missing = RULE_DOCS_HEADINGS.filter((heading) => !found.has(heading));
  if (missing.length) throw new Error(`${where}: missing section(s) ${missing.map((h) => `"## ${h}"`).join(', ')}`);
  return found;
}

/** Fenced blocks whose info string is `<language> bad` or `<language> good`, paired in order. */
function examples(section: string, where: string): RuleDocs['examples'] {
  const blocks = [...section.matchAll(/^(`{3,})([\w-]+) (bad|good)\n([\s\S]*?)\n\1$/gm)];
  const out: RuleDocs['examples'] = [];
  for (let i = 0; i < blocks.length; i += 2) {
    const [bad, good] = [blocks[i], blocks[i + 1]];
    const language = bad[2] as LanguageId;
    if (!LANGUAGES.includes(language)) throw new Error(`${where}: unknown example language "${bad[2]}"`);
    if (bad[3] !== 'bad' || good?.[3] !== 'good' || good[2] !== bad[2]) {
      throw new Error(`${where}: each "${bad[2]} bad" example needs a "${bad[2]} good" block right after it`);
    }
    out.push({ language, bad: `${bad[4]}\n`, good: `${good[4]}\n` });
  }
  return out;
}

/** `- [title](url)` list items. */
function references(section: string): RuleDocs['references'] {
  return [...section.matchAll(/^- \[(.+)\]\((\S+)\)\s*$/gm)].map((match) => ({ title: match[1], url: match[2] }));
}

export function parseRuleDocs(markdown: string, where: string): RuleDocs {
  const page = sections(markdown, where);
  const text = (heading: Heading) => page.get(heading) ?? '';
  return {
    summary: text('What it finds'),
    risk: text('Why it matters for a device'),
    fix: text('How to fix'),
    examples: examples(text('Examples'), where),
    fixSafety: text('Fix safety'),
    references: references(text('References')),
  };
}
