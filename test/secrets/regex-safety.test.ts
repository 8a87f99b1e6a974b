/**
 * Every regular expression of the secrets checks is proven safe by recheck, the ReDoS checker that guards
 * custom rules, run as the custom-rule gate runs it (in-process backend, the same options) but with a longer
 * time limit, since a test run shares the machine: the provider table (its sticky patterns are checked as
 * anchored, which is how they run), the prefix trigger, the assignment patterns, and every regex literal in
 * the library's source files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkSync } from 'recheck';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ASSIGNMENT_PATTERNS } from '../../rules/_shared/secrets/assignments';
import { PREFIX_TRIGGER } from '../../rules/_shared/secrets/find-secrets';
import { PREFIX_FORMATS, SLOT_FORMATS } from '../../rules/_shared/secrets/formats';
import { SUPPRESSION_COMMENT } from '../../server/src/core/model/config-model';

const ROOT = path.join(__dirname, '..', '..');
const SOURCES = [
  ...fs
    .readdirSync(path.join(ROOT, 'rules/_shared/secrets'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `rules/_shared/secrets/${f}`),
  'rules/hardcoded-credential/recognisable-secrets.ts',
  'server/src/core/key-container.ts',
];

/** The regex literals of a TypeScript file. */
function regexLiterals(file: string): RegExp[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const out: RegExp[] = [];
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText(source);
      const slash = text.lastIndexOf('/');
      out.push(new RegExp(text.slice(1, slash), text.slice(slash + 1)));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function allPatterns(): { name: string; regex: RegExp }[] {
  const out: { name: string; regex: RegExp }[] = [];
  for (const format of PREFIX_FORMATS) {
    out.push({ name: `${format.id} pattern`, regex: format.pattern });
    if (format.before) out.push({ name: `${format.id} before`, regex: format.before });
  }
  for (const format of SLOT_FORMATS) out.push({ name: `${format.id} value`, regex: format.value });
  out.push({ name: 'prefix trigger', regex: PREFIX_TRIGGER }, { name: 'suppression comment', regex: SUPPRESSION_COMMENT });
  ASSIGNMENT_PATTERNS.forEach((regex, index) => out.push({ name: `assignment pattern ${index}`, regex }));
  for (const file of SOURCES) regexLiterals(file).forEach((regex, index) => out.push({ name: `${file} literal ${index}`, regex }));
  const seen = new Set<string>();
  return out.filter(({ regex }) => !seen.has(`${regex.flags}/${regex.source}`) && !!seen.add(`${regex.flags}/${regex.source}`));
}

// The in-process backend, as the custom-rule gate uses (read when checkSync first runs).
process.env.RECHECK_SYNC_BACKEND ??= 'pure';

describe('secrets regexes', () => {
  it('all pass the ReDoS gate of custom rules', () => {
    const patterns = allPatterns();
    expect(patterns.length).toBeGreaterThan(250);
    const problems = patterns.map(({ name, regex }) => {
      const result = checkSync(regex.source, regex.flags, { timeout: 30_000 });
      if (result.status === 'safe') return undefined;
      return `${name} /${regex.source}/${regex.flags}: ${result.status === 'vulnerable' ? `vulnerable, ${result.complexity.summary}` : `not proven safe (${result.error.kind})`}`;
    });
    expect(problems.filter(Boolean)).toEqual([]);
  }, 900_000);
});
