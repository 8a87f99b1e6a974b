/**
 * The data-driven rule test. For every rule, every file in rules/<rule-id>/fixtures/ is
 * checked with that rule alone, and its annotations must hold exactly:
 *   ruleid: <id>      the next code line must have a finding
 *   ok: <id>          the next code line must have none
 *   todoruleid: <id>  a known miss: must still have none (when it starts firing, promote it)
 *   todook: <id>      a known false positive: must still fire (when it stops, promote it)
 * Any finding on a line that is not annotated fails: false positives cannot hide. A `<name>.fixed.<ext>`
 * file holds the text after applying each finding's first fix, and must parse no worse than the original.
 * The messages and fix titles of each fixture are kept as a snapshot beside it
 * (`fixtures/__snapshots__/<name>.snap`), so a change of wording is a reviewed diff. Each rule's metadata
 * says what the rule sees of every item of the evidence report's control coverage matrix it maps to.
 * A fixture subfolder that is a project root (it holds a `platformio.ini`, `build.gradle`, `prj.conf`, ...: see
 * core/project-roots.ts) is checked as `medsec scan` of that folder: the facts one of its files provides settle the
 * conditional findings of the others, so a weakness completed by another file has fixtures too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import { checkFile, parseFile } from '../server/src/core/check';
import { isTestPath } from '../server/src/core/test-code';
import { resolveProjectFacts } from '../server/src/core/project-facts';
import { ProjectRoots } from '../server/src/core/project-roots';
import { applyEdits } from '../server/src/core/fix';
import { detectFileLanguage as detectLanguage } from '../server/src/core/language';
import type { EffectiveRule, Finding, Rule } from '../server/src/core/types';
import { seesProblems } from '../server/src/report/coverage';
import { fixturesOf, RULES, ruleFixtureFiles } from './helpers/rule-fixture-files';

/** The path a fixture is checked under: `<rule-id>/<path inside its fixtures folder>`. */
const fixtureName = (file: string) => {
  const relative = path.relative(RULES, file).split(path.sep);
  return [relative[0], ...relative.slice(2)].join('/');
};
const ANNOTATION = /^\s*(?:\/\/|#|\/\*|\*|<!--)\s*(ruleid|ok|todoruleid|todook):\s*([\w/,\s-]+?)\s*(?:\*\/|-->)?\s*$/;

type Kind = 'ruleid' | 'ok' | 'todoruleid' | 'todook';
interface Expectation {
  kind: Kind;
  line: number;
  annotationLine: number;
}

export function readAnnotations(text: string, ruleId: string): Expectation[] {
  const lines = text.split('\n');
  const out: Expectation[] = [];
  const pending: { kind: Kind; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = ANNOTATION.exec(lines[i]);
    if (m) {
      const ids = m[2].split(/[\s,]+/).filter(Boolean);
      if (ids.includes(ruleId)) pending.push({ kind: m[1] as Kind, line: i });
      continue;
    }
    if (!lines[i].trim()) continue;
    for (const p of pending) out.push({ kind: p.kind, line: i, annotationLine: p.line });
    pending.length = 0;
  }
  return out;
}

/** `rules/<id>/fixtures/__snapshots__/<path inside fixtures>.snap` */
function snapshotPathOf(ruleId: string, file: string): string {
  return path.join(fixturesOf(ruleId), '__snapshots__', `${path.relative(fixturesOf(ruleId), file)}.snap`);
}

/** One line per finding (position, confidence, message), then its fixes. */
function renderMessages(findings: readonly Finding[]): string {
  const lines = findings.flatMap((f) => [
    `${f.range.start.line + 1}:${f.range.start.column + 1} [${f.confidence}] ${f.message}`,
    ...f.fixes.map((fix) => `    fix (${fix.safety}): ${fix.title}`),
  ]);
  return `${lines.join('\n')}\n`;
}

function fixedPathOf(file: string): string {
  const base = path.basename(file);
  const dot = base.startsWith('.') ? -1 : base.indexOf('.');
  const fixedName = dot > 0 ? `${base.slice(0, dot)}.fixed${base.slice(dot)}` : `${base}.fixed`;
  return path.join(path.dirname(file), fixedName);
}

const only = (rule: Rule): EffectiveRule[] => [{ rule, severity: rule.meta.severity, options: {} }];

async function checkAlone(rule: Rule, file: string, text = fs.readFileSync(file, 'utf8')) {
  const relativePath = fixtureName(file);
  // A fixture under a test folder, or one that imports a test framework, is test code (classified as the engine
  // classifies every file); under the policy that shows every finding there, at low, the annotations say what a
  // rule reports and which findings are live secrets (kept at their severity).
  const testCode = { policy: 'lower', by: isTestPath(relativePath) ? 'path' : 'content' } as const;
  const result = await checkFile({ path: file, relativePath, text, language: detectLanguage(file)!, testCode }, only(rule));
  expect(result.ruleFailures, `rule threw on ${file}`).toEqual([]);
  return result;
}

/** The fixture project folder a file belongs to (a subfolder of its rule's fixtures that is a project root), if any. */
function fixtureProjectOf(ruleId: string, file: string): string | undefined {
  if (!file.startsWith(fixturesOf(ruleId) + path.sep)) return undefined;
  const relative = path.relative(fixturesOf(ruleId), file).split(path.sep).join('/');
  const project = new ProjectRoots(fixturesOf(ruleId)).of(relative);
  return project ? path.join(fixturesOf(ruleId), project) : undefined;
}

async function check(rule: Rule, file: string, text?: string): Promise<Finding[]> {
  const project = text === undefined ? fixtureProjectOf(rule.meta.id, file) : undefined;
  // As `medsec scan` of this one file: the project is the file, so its own facts settle conditional findings.
  if (!project) return resolveProjectFacts([await checkAlone(rule, file, text)])[0].findings;
  // As `medsec scan` of the fixture project: every file of it provides its facts.
  const members = ruleFixtureFiles(rule.meta.id).filter((f) => fixtureProjectOf(rule.meta.id, f) === project);
  const results = resolveProjectFacts(await Promise.all(members.map((f) => checkAlone(rule, f))));
  return results[members.indexOf(file)].findings;
}

describe.each(builtinRules.map((r) => [r.meta.id, r] as const))('rule %s', (id, rule) => {
  const files = ruleFixtureFiles(id);

  it('has fixtures with positive and negative cases in its languages', () => {
    let positives = 0;
    let negatives = 0;
    const languages = new Set<string>();
    for (const file of files) {
      const annotations = readAnnotations(fs.readFileSync(file, 'utf8'), id);
      positives += annotations.filter((a) => a.kind === 'ruleid').length;
      negatives += annotations.filter((a) => a.kind === 'ok').length;
      if (annotations.length) languages.add(detectLanguage(file)!);
    }
    expect(positives, `${id}: ruleid cases`).toBeGreaterThanOrEqual(5);
    expect(negatives, `${id}: ok cases`).toBeGreaterThanOrEqual(5);
    const codeLanguages = rule.meta.languages;
    expect(languages.size, `${id}: fixture languages ${[...languages]}`).toBeGreaterThanOrEqual(Math.min(3, codeLanguages.length));
  });

  it('has a snapshot only for a fixture it still has', () => {
    const snapshots = path.join(fixturesOf(id), '__snapshots__');
    const expected = new Set(files.map((f) => snapshotPathOf(id, f)));
    const walk = (d: string): string[] =>
      fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    const orphans = fs.existsSync(snapshots) ? walk(snapshots).filter((f) => !expected.has(f)) : [];
    expect(orphans.map((f) => path.relative(fixturesOf(id), f))).toEqual([]);
  });

  it.each(files.map((f) => [fixtureName(f), f]))('%s', async (_name, file) => {
    const text = fs.readFileSync(file, 'utf8');
    const findings = await check(rule, file);
    const annotations = readAnnotations(text, id);
    const byLine = new Map<number, Finding[]>();
    for (const f of findings) byLine.set(f.range.start.line, [...(byLine.get(f.range.start.line) ?? []), f]);
    const problems: string[] = [];
    const annotated = new Set<number>();
    for (const a of annotations) {
      annotated.add(a.line);
      const hits = byLine.get(a.line) ?? [];
      const where = `line ${a.line + 1} (annotation on line ${a.annotationLine + 1})`;
      if (a.kind === 'ruleid' && !hits.length) problems.push(`missed: ${where}`);
      if (a.kind === 'ok' && hits.length) problems.push(`false positive: ${where}: ${hits[0].message}`);
      if (a.kind === 'todoruleid' && hits.length) problems.push(`todoruleid now fires, promote it to ruleid: ${where}`);
      if (a.kind === 'todook' && !hits.length) problems.push(`todook no longer fires, promote it to ok: ${where}`);
    }
    for (const [line, hits] of byLine) {
      if (!annotated.has(line)) problems.push(`unannotated finding on line ${line + 1}: ${hits[0].message}`);
    }
    expect(problems).toEqual([]);
    await expect(renderMessages(findings)).toMatchFileSnapshot(snapshotPathOf(id, file));

    const fixedPath = fixedPathOf(file);
    if (fs.existsSync(fixedPath)) {
      const edits = findings.flatMap((f) => f.fixes[0]?.edits ?? []);
      const fixed = applyEdits(text, edits).text;
      expect(fixed).toBe(fs.readFileSync(fixedPath, 'utf8'));
      const before = await parseFile({ path: file, relativePath: file, text, language: detectLanguage(file)! });
      const after = await parseFile({ path: fixedPath, relativePath: fixedPath, text: fixed, language: detectLanguage(file)! });
      expect(after.model.hasErrors, `${fixedPath} must parse as cleanly as the original`).toBe(before.model.hasErrors);
      after.tree?.delete();
      before.tree?.delete();
    }
  });

  it('says in its metadata what it sees of each item the control coverage matrix shows it under', () => {
    // Without it the evidence report would name the rule by its title there: the phrase belongs in meta.sees.
    expect(seesProblems(rule.meta), `rules/${id}/rule.ts`).toEqual([]);
  });

  it('fires on each docs bad example and not on its good example', async () => {
    for (const example of rule.meta.docs.examples) {
      const ext = EXAMPLE_FILE[example.language];
      const bad = await check(rule, `/docs-example/bad${ext}`, example.bad);
      const good = await check(rule, `/docs-example/good${ext}`, example.good);
      expect(bad.length, `bad ${example.language} example of ${id}`).toBeGreaterThanOrEqual(1);
      expect(
        good.map((f) => f.message),
        `good ${example.language} example of ${id}`,
      ).toEqual([]);
    }
  });
});

const EXAMPLE_FILE: Record<string, string> = {
  c: '.c',
  cpp: '.cpp',
  python: '.py',
  java: '.java',
  kotlin: '.kt',
  typescript: '.ts',
  javascript: '.js',
  kconfig: '/sdkconfig',
  dotenv: '/.env',
  'android-manifest': '/AndroidManifest.xml',
  'android-xml': '/res/xml/network_security_config.xml',
  shell: '.sh',
  json: '.json',
  yaml: '.yaml',
  text: '.properties',
  'key-container': '.p12',
};

it('every rule has a fixture folder', () => {
  const missing = builtinRules.map((r) => r.meta.id).filter((id) => !fs.existsSync(fixturesOf(id)));
  expect(missing).toEqual([]);
});
