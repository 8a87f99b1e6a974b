/**
 * The rule reference is generated from rule metadata (server/src/docs); this test keeps the files on
 * disk, the generated index of rules and the metadata itself in step with each other.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../server/src/core/types';
import { checkDocs, generatedDocs, ruleDocPath, updateReadme, README_END, README_START } from '../server/src/docs/generate';
import { renderReadmeRuleTable, renderRuleDoc, renderRuleIndex, RULE_DOC_SECTIONS } from '../server/src/docs/render';
import { builtinRules } from '../rules/index';
import { validateRuleMeta } from '../rules/taxonomy';

const root = path.resolve(__dirname, '..');

function sectionsOf(markdown: string): string[] {
  return [...markdown.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
}

describe('built-in rules', () => {
  it('rules/index.ts lists every rule file (run `node scripts/gen-rule-index.mjs`)', () => {
    let output = '';
    try {
      execFileSync(process.execPath, [path.join(root, 'scripts', 'gen-rule-index.mjs'), '--check'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      output = String((error as { stderr?: string }).stderr ?? error);
    }
    expect(output, 'run `node scripts/gen-rule-index.mjs`').toBe('');
  });

  it('each rule id is its folder name, once', () => {
    const ids = builtinRules.map((rule) => rule.meta.id);
    expect(new Set(ids).size, 'duplicate rule ids').toBe(ids.length);
    for (const id of ids) expect(fs.existsSync(path.join(root, 'rules', id, 'rule.ts')), `rules/${id}/rule.ts`).toBe(true);
  });

  it('every rule passes validateRuleMeta', () => {
    expect(builtinRules.flatMap((rule) => validateRuleMeta(rule.meta))).toEqual([]);
  });

  it('the generated docs on disk are current', () => {
    expect(checkDocs(root, builtinRules), 'run `npm run docs`').toEqual([]);
  });

  it('every rule has a doc with all sections', () => {
    for (const rule of builtinRules) {
      const file = path.join(root, ruleDocPath(rule.meta.id));
      expect(fs.existsSync(file), `${ruleDocPath(rule.meta.id)} is missing: run \`npm run docs\``).toBe(true);
      const doc = fs.readFileSync(file, 'utf8');
      expect(sectionsOf(doc), ruleDocPath(rule.meta.id)).toEqual([...RULE_DOC_SECTIONS]);
      expect(doc).toContain(`# ${rule.meta.title}`);
    }
  });
});

const sampleRule: Rule = {
  meta: {
    id: 'sample-rule',
    title: 'Sample | rule',
    severity: 'critical',
    confidence: 'high',
    languages: ['c', 'typescript'],
    cwe: [798, 321],
    fda: ['app1.A.5', '524b.b2'],
    iec62443: ['CR 1.5', 'SI-2'],
    fix: 'safe',
    presets: ['recommended'],
    aliases: ['old-sample'],
    docs: {
      summary: 'Finds the sample.',
      risk: 'A pump that trusts the sample can be reprogrammed.',
      fix: 'Remove the sample.',
      examples: [
        { language: 'c', bad: 'int bad = 1;\n', good: 'int good = 1;' },
        { language: 'typescript', bad: 'const s = `template with ``` inside`;', good: 'const s = "";' },
      ],
      fixSafety: 'Removing a constant never changes behaviour.',
      references: [{ title: 'CWE-798', url: 'https://cwe.mitre.org/data/definitions/798.html' }],
    },
  },
  check() {},
};

describe('renderers', () => {
  const doc = renderRuleDoc(sampleRule);

  it('renders every section of a rule page in order', () => {
    expect(sectionsOf(doc)).toEqual([...RULE_DOC_SECTIONS]);
    expect(doc).toMatch(/^# Sample \| rule$/m);
    expect(doc).toContain('Rule id: `sample-rule` (formerly `old-sample`)');
    expect(doc).toContain('**Severity:** critical · **Confidence:** high · **Fix:** safe');
  });

  it('maps CWE, FDA and IEC ids to their titles and links', () => {
    expect(doc).toContain('| CWE | [CWE-798](https://cwe.mitre.org/data/definitions/798.html) | Use of Hard-coded Credentials |');
    expect(doc).toContain('| FDA | `app1.A.5` | Authentication: No hardcoded, default');
    expect(doc).toContain('| FDA | `524b.b2` | Processes giving reasonable assurance of cybersecurity |');
    expect(doc).toContain('| IEC 62443-4-2 | CR 1.5 | Authenticator management |');
    expect(doc).toContain('| IEC 62443-4-1 | SI-2 |');
  });

  it('fences examples so that backticks inside them survive', () => {
    expect(doc).toContain('```c\nint bad = 1;\n```');
    expect(doc).toContain('````ts\nconst s = `template with ``` inside`;\n````');
  });

  it('links the index and the README table to the rule pages', () => {
    expect(renderRuleIndex([sampleRule])).toContain('| [sample-rule](rules/sample-rule.md) | Sample \\| rule | critical |');
    expect(renderReadmeRuleTable([sampleRule])).toContain('[sample-rule](docs/rules/sample-rule.md)');
    expect(renderRuleIndex([])).toContain('_No rules yet._');
  });

  it('generates a page per rule and the index', () => {
    expect([...generatedDocs([sampleRule]).keys()]).toEqual(['docs/rules/sample-rule.md', 'docs/rules.md']);
  });

  it('replaces only the README block between the markers', () => {
    const readme = `# medsec\n\n${README_START}\nold table\n${README_END}\n\nMore text.\n`;
    const updated = updateReadme(readme, [sampleRule]);
    expect(updated).toBe(`# medsec\n\n${README_START}\n${renderReadmeRuleTable([sampleRule])}\n${README_END}\n\nMore text.\n`);
    expect(updateReadme(updated, [sampleRule])).toBe(updated);
    expect(() => updateReadme('# medsec\n', [sampleRule])).toThrow(/rules:start/);
  });

  it('reports missing, stale and orphaned files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-docs-'));
    try {
      fs.mkdirSync(path.join(dir, 'docs', 'rules'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'docs', 'rules.md'), 'old');
      fs.writeFileSync(path.join(dir, 'docs', 'rules', 'gone-rule.md'), 'old');
      fs.writeFileSync(path.join(dir, 'README.md'), '# no markers\n');
      expect(checkDocs(dir, [sampleRule])).toEqual([
        { path: 'docs/rules/sample-rule.md', problem: 'missing' },
        { path: 'docs/rules.md', problem: 'stale' },
        { path: 'docs/rules/gone-rule.md', problem: 'orphan' },
        { path: 'README.md', problem: 'no-markers' },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
