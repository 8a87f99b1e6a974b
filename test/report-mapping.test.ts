/**
 * The evidence report says exactly what was checked and what was found (issue 16): every category section
 * and every row of the control coverage matrix is cross-checked against the rule metadata of the run, for
 * medsec:recommended, medsec:strict and a custom rule set; every number in the summary equals the rows below
 * it; the scope names what was not analysed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import { FDA } from '../rules/taxonomy';
import { loadConfig, resolveConfig } from '../server/src/core/config';
import { parseFile, runRules } from '../server/src/core/check';
import { setCustomRuleClockForTests } from '../server/src/core/custom/budget';
import { FileBudget } from '../server/src/core/file-budget';
import { preloadCustomRuleLanguages } from '../server/src/core/custom/sync-parse';
import { scan } from '../server/src/core/scan';
import { SEVERITIES, type Finding, type Rule, type RuleMeta, type ScanResult } from '../server/src/core/types';
import { CONTROLS } from '../server/src/report/coverage';
import { buildEvidenceReport, type ReportMetadata } from '../server/src/report/evidence';
import { formatHtmlReport } from '../server/src/report/html';
import { escapeMarkdown } from '../server/src/report/escape';
import { formatMarkdownReport } from '../server/src/report/markdown';
import { cArithmeticChain } from './helpers/hostile-source';
import { BUILTIN } from './helpers/registry';

const EXAMPLES = path.resolve(__dirname, '..', 'examples');
const rulesById = new Map<string, Rule>(builtinRules.map((rule) => [rule.meta.id, rule]));
const meta: ReportMetadata = { tool: { name: 'medsec', version: '9.9.9' }, date: new Date('2025-01-15T12:00:00Z'), rulesById };

const CUSTOM_RULE_SET = {
  extends: [],
  rules: {
    'unsigned-firmware-update': 'high',
    'secret-in-log': 'low',
    'hardcoded-credential': 'critical',
    'unjustified-suppression': 'medium',
  },
  customRules: [
    {
      id: 'acme/unguarded-restart',
      title: 'Restart without saving the infusion state',
      severity: 'medium',
      languages: ['c'],
      cwe: [489],
      fda: ['app1.G.4', '524b.b2'],
      message: 'esp_restart() drops the infusion state',
      match: { regex: 'esp_restart\\(', scope: 'code' },
      examples: { match: ['void f(void) { esp_restart(); }'], noMatch: ['void f(void) { esp_log(); }'] },
    },
  ],
};

/** The Appendix 1 categories a rule maps to, computed here from its keys (not by the report code). */
function categoriesOf(fda: readonly string[]): string[] {
  const letters = [...new Set(fda.flatMap((key) => /^app1\.([A-H])(?:\.\d+)?$/.exec(key)?.[1] ?? []))];
  return letters.length ? letters.map((letter) => `app1.${letter}`) : ['other'];
}

/** A rule's own phrase for a row (its `meta.sees`: one phrase, or one per FDA key), read here apart from the report code. */
function explicitPhraseOf(rule: RuleMeta, keys: readonly string[]): string | undefined {
  const sees = rule.sees;
  return typeof sees === 'string' ? sees : keys.map((key) => sees?.[key]).find((phrase) => phrase !== undefined);
}

/** What a row says a rule sees: its phrase, or (a custom rule without one) its title. */
const phraseOf = (rule: RuleMeta, keys: readonly string[]) => explicitPhraseOf(rule, keys) ?? rule.title;

const where = (finding: { path: string; line: number; ruleId: string }) => `${finding.path}:${finding.line}:${finding.ruleId}`;
const findingWhere = (finding: Finding) => where({ path: finding.path, line: finding.range.start.line + 1, ruleId: finding.ruleId });

const runs: Record<string, ScanResult> = {};

beforeAll(async () => {
  await preloadCustomRuleLanguages();
  const scanWith = (config: ReturnType<typeof loadConfig>) => scan({ root: EXAMPLES, paths: [EXAMPLES], config, workers: 1 });
  runs.recommended = await scanWith(loadConfig(EXAMPLES, undefined, BUILTIN));
  runs.strict = await scanWith(resolveConfig({ extends: ['medsec:strict'] }, undefined, EXAMPLES, BUILTIN));
  runs.custom = await scanWith(resolveConfig(CUSTOM_RULE_SET, undefined, EXAMPLES, BUILTIN));
}, 120_000);

describe.each(['recommended', 'strict', 'custom'])('categories of the %s rule set, from the mapping both ways', (name) => {
  it('list every enabled rule whose mapping names them, and every finding of those rules', () => {
    const result = runs[name];
    const report = buildEvidenceReport(result, meta);
    const enabled = result.config.enabledRules().map((effective) => effective.rule.meta);
    const findings = result.files.flatMap((file) => file.findings);
    const metaOf = (ruleId: string) => enabled.find((rule) => rule.id === ruleId)!;
    for (const section of report.categories) {
      const mapsHere = (fda: readonly string[]) => categoriesOf(fda).includes(section.key);
      expect(section.rules, section.key).toEqual(enabled.filter((rule) => mapsHere(rule.fda)).map((rule) => rule.id));
      const expected = findings.filter((finding) => mapsHere(metaOf(finding.ruleId).fda));
      expect([...section.listed, ...section.crossListed].map(where).sort(), section.key).toEqual(expected.map(findingWhere).sort());
      // Listed in full under the first category the rule names, cross-referenced elsewhere.
      const primary = expected.filter((finding) => categoriesOf(metaOf(finding.ruleId).fda)[0] === section.key);
      expect(section.listed.map(where).sort(), section.key).toEqual(primary.map(findingWhere).sort());
    }
    // Each finding counts once in the totals.
    expect(report.totals.openTotal + report.totals.suppressed + report.totals.baselined).toBe(findings.length);
    expect(new Set(report.findings.map((finding) => finding.id)).size).toBe(findings.length);
  });

  it('say "No enabled rule maps to this category" exactly where that is true, and count the rules', () => {
    const result = runs[name];
    const text = formatMarkdownReport(result, meta);
    const enabled = result.config.enabledRules().map((effective) => effective.rule.meta);
    for (const key of ['app1.A', 'app1.B', 'app1.C', 'app1.D', 'app1.E', 'app1.F', 'app1.G', 'app1.H']) {
      const section = sectionText(text, `### ${key.slice(-1)}. ${FDA[key].title}`);
      const rules = enabled.filter((rule) => categoriesOf(rule.fda).includes(key));
      if (rules.length) {
        expect(section, key).toContain(`Checked by ${rules.length} rule${rules.length === 1 ? '' : 's'}: `);
        for (const rule of rules) expect(section, `${key} ${rule.id}`).toContain(`\`${rule.id}\``);
        expect(section).not.toContain('No enabled rule maps to this category.');
      } else {
        expect(section, key).toContain('No enabled rule maps to this category.');
      }
    }
  });

  it('have a coverage row per Appendix 1 item (group) and 524B item, naming every enabled rule that maps to it', () => {
    const result = runs[name];
    const report = buildEvidenceReport(result, meta);
    const enabled = result.config.enabledRules().map((effective) => effective.rule.meta);
    expect(report.coverage).toHaveLength(CONTROLS.length);
    report.coverage.forEach((row, index) => {
      const keys = CONTROLS[index].keys;
      const rules = enabled.filter((rule) => rule.fda.some((key) => keys.includes(key))).map((rule) => rule.id);
      expect(row.rules, row.key).toEqual(rules);
      const leftOut = builtinRules.filter((rule) => !rules.includes(rule.meta.id) && rule.meta.fda.some((key) => keys.includes(key)));
      expect(row.notEnabled, row.key).toEqual(leftOut.map((rule) => rule.meta.id));
      if (CONTROLS[index].reach === 'outside') expect(row.status, row.key).toBe(rules.length ? 'partly' : 'not-checkable');
      else if (!rules.length) expect(row.status, row.key).toBe('not-checked');
      else expect(row.status, row.key).toBe(CONTROLS[index].reach === 'code' && !leftOut.length ? 'checked' : 'partly');
      // What the row says is seen comes from its enabled rules only: a rule left out takes its words with it.
      const { seesAll } = CONTROLS[index];
      const phrases =
        seesAll && rules.length
          ? [seesAll]
          : rules.map((id) =>
              phraseOf(
                enabled.find((rule) => rule.id === id)!,
                keys,
              ),
            );
      expect(row.sees, row.key).toEqual([...new Set(phrases)]);
    });
  });
});

describe('the examples report', () => {
  it('shows the unsigned update under H and D, and H is checked by the rule that maps to H.7', () => {
    const report = buildEvidenceReport(runs.recommended, meta);
    const h = report.categories.find((section) => section.key === 'app1.H')!;
    const d = report.categories.find((section) => section.key === 'app1.D')!;
    expect(h.rules).toEqual(['unsigned-firmware-update']);
    expect(h.crossListed.map((finding) => `${finding.path}:${finding.line}`)).toEqual([
      'firmware/main/ota_update.c:236',
      'provisioning/provision_device.py:177',
    ]);
    expect(d.listed.map((finding) => finding.id)).toEqual(expect.arrayContaining(h.crossListed.map((finding) => finding.id)));
    const text = formatMarkdownReport(runs.recommended, meta);
    const section = sectionText(text, '### H. Firmware and Software Updates');
    expect(section).toContain('2 findings (0 listed here, 2 under another category). Checked by 1 rule: `unsigned-firmware-update`.');
    expect(section).toContain(
      '| `unsigned-firmware-update` | firmware/main/ota\\_update.c:236:12 | Open | D. Code, Data, and Execution Integrity |',
    );
    expect(section).not.toContain('No enabled rule maps');
  });

  it('has a coverage matrix that cites every item of the taxonomy once, with the rules of the run', () => {
    const items = Object.keys(FDA).filter((key) => /^app1\.[A-H]\.\d+$/.test(key) || key.startsWith('524b.'));
    expect(CONTROLS.flatMap((control) => control.keys).sort()).toEqual(items.sort());
    // Each row says what every built-in rule that maps to it sees (its meta.sees, not its title), and a rule's
    // phrases name only items it maps to.
    for (const control of CONTROLS.filter((c) => !c.seesAll)) {
      const mapped = builtinRules.filter((rule) => rule.meta.fda.some((key) => control.keys.includes(key))).map((rule) => rule.meta);
      expect(
        mapped.filter((rule) => !explicitPhraseOf(rule, control.keys)).map((rule) => rule.id),
        control.keys[0],
      ).toEqual([]);
      if (control.reach === 'outside') expect(mapped, control.keys[0]).toEqual([]);
    }
    for (const rule of builtinRules) {
      const phrased = typeof rule.meta.sees === 'object' ? Object.keys(rule.meta.sees) : [];
      expect(
        phrased.filter((key) => !rule.meta.fda.includes(key)),
        rule.meta.id,
      ).toEqual([]);
    }
    const rows = new Map(buildEvidenceReport(runs.recommended, meta).coverage.map((row) => [row.key, row]));
    expect(rows.get('app1.H.7')).toMatchObject({ status: 'partly', rules: ['unsigned-firmware-update'] });
    expect(rows.get('app1.A.3')).toMatchObject({ status: 'not-checked', rules: [], notEnabled: ['hidden-service-command'] });
    // C.2 is checked only when every rule that maps to it runs: weak-hash is a strict rule.
    expect(rows.get('app1.C.2')).toMatchObject({ status: 'partly', notEnabled: ['weak-hash'] });
    // C.3 is only partly checked when key-derived-from-identifier is left out, and does not claim what that rule sees.
    expect(rows.get('app1.C.3')).toMatchObject({
      status: 'partly',
      sees: [
        'private keys and secrets committed to the source, shared by every device built from it',
        'encryption and MAC keys written in source',
      ],
    });
    expect(rows.get('app1.B.2')).toMatchObject({ status: 'not-checked', rules: [], notEnabled: [], sees: [] });
    const strict = new Map(buildEvidenceReport(runs.strict, meta).coverage.map((row) => [row.key, row]));
    expect(strict.get('app1.C.2')?.status).toBe('checked');
    expect(strict.get('app1.C.3')?.sees).toContain('keys derived from MAC addresses, serial numbers or chip ids');
    expect(rows.get('app1.G.4')?.status).toBe('not-checkable');
    expect(rows.get('app1.F.3–8')?.status).toBe('not-checkable');
    expect(rows.get('524b.b1')?.status).toBe('not-checkable');
    const custom = new Map(buildEvidenceReport(runs.custom, meta).coverage.map((row) => [row.key, row]));
    expect(custom.get('app1.G.4')).toMatchObject({
      status: 'partly',
      rules: ['acme/unguarded-restart'],
      sees: ['Restart without saving the infusion state'],
    });
    expect(custom.get('app1.C.2')).toMatchObject({ status: 'not-checked', rules: [] });
  });

  it('puts the coverage matrix right after the scope, before the summary and the findings', () => {
    const text = formatMarkdownReport(runs.recommended, meta);
    const sections = text.split('\n').filter((line) => line.startsWith('## '));
    expect(sections.slice(sections.indexOf('## Scope'), sections.indexOf('## Scope') + 3)).toEqual([
      '## Scope',
      '## Control coverage',
      '## Summary by category and severity',
    ]);
    const coverage = sectionText(text, '## Control coverage');
    expect(coverage.split('\n').filter((line) => /^\| `(app1|524b)\./.test(line))).toHaveLength(CONTROLS.length);
  });
});

describe('every number in the summary equals the rows below it', () => {
  let project = '';
  let result: ScanResult;

  beforeAll(async () => {
    // examples/, plus a project with comment and .medsec.json suppressions (one expired), plus baselined findings.
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-sums-'));
    fs.mkdirSync(path.join(project, 'src'));
    fs.writeFileSync(
      path.join(project, 'src', 'bench.c'),
      [
        '// medsec-ignore-next-line hardcoded-credential -- bench-only fixture, never built into release (reviewed-by: J. Doe)',
        'static const char *bench_password = "Bench#Rig-2024";',
        '// medsec-ignore-next-line hardcoded-credential -- lab key, rotate before release (until 2020-01-31)',
        'static const char *lab_password = "Lab#Rig-2019x";',
        '#define UPDATE_URL "http://updates.infusafe-medical.com/fw.bin"',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(project, 'src', 'keys.py'), 'API_TOKEN = "tok-Zq9fakeSECRET4711x"\n');
    fs.writeFileSync(
      path.join(project, '.medsec.json'),
      JSON.stringify({
        suppressions: [
          {
            rules: ['hardcoded-credential'],
            paths: ['src/keys.py'],
            justification: 'emulator token, revoked server-side',
            reviewedBy: 'R. Patel',
          },
        ],
      }),
    );
    const suppressed = await scan({ root: project, paths: [project], config: loadConfig(project, undefined, BUILTIN), workers: 1 });
    const files = [
      ...runs.recommended.files,
      ...suppressed.files.map((file) => ({
        ...file,
        path: `bench/${file.path}`,
        findings: file.findings.map((finding) => ({ ...finding, path: `bench/${finding.path}` })),
      })),
    ];
    let n = 0;
    for (const file of files) {
      for (const finding of file.findings)
        if (!finding.suppression && !finding.expiredSuppression && n++ % 4 === 0) finding.baselineState = 'unchanged';
    }
    result = { ...runs.recommended, files };
  }, 60_000);

  afterAll(() => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('in Markdown: category rows, the total, the header line, the rule set, the register and the languages', () => {
    const text = formatMarkdownReport(result, meta);
    const report = buildEvidenceReport(result, meta);
    expect(report.totals.suppressed).toBeGreaterThan(1);
    expect(report.totals.baselined).toBeGreaterThan(1);
    expect(report.totals.expired).toBe(1);

    const summary = tableRows(sectionText(text, '## Summary by category and severity'));
    const columns = [...SEVERITIES, 'open', 'suppressed', 'baselined'];
    const counted = (rows: Row[]) =>
      columns.map((column) => rows.filter((row) => bucket(row) === column || row.severityOpen === column).length);
    const full = new Map<string, Row>();
    for (const line of summary.slice(0, -1)) {
      const label = line[0];
      const rows = sectionRows(text, `### ${label}`);
      expect(line.slice(1).map(Number), label).toEqual(counted(rows));
      for (const row of rows.filter((r) => r.full)) {
        expect(full.has(row.id), `${row.id} listed in full twice`).toBe(false);
        full.set(row.id, row);
      }
    }
    const total = summary[summary.length - 1];
    expect(total[0]).toBe('**Total (each finding once)**');
    expect(total.slice(1).map((cell) => Number(cell.replace(/\*/g, '')))).toEqual(counted([...full.values()]));
    // Every cross-reference points at a finding listed in full.
    for (const label of summary.slice(0, -1).map((line) => line[0])) {
      for (const row of sectionRows(text, `### ${label}`).filter((r) => !r.full)) expect(full.has(row.id), row.id).toBe(true);
    }
    const [open, suppressed, baselined] = [columns.indexOf('open'), columns.indexOf('suppressed'), columns.indexOf('baselined')].map(
      (index) => counted([...full.values()])[index],
    );
    expect(text).toContain(`${open} open findings, ${suppressed} suppressed, ${baselined} baselined`);

    const ruleRows = tableRows(sectionText(text, '### Rule set'));
    expect(ruleRows.reduce((sum, row) => sum + Number(row[row.length - 1]), 0)).toBe(full.size);

    const register = tableRows(sectionText(text, '## Suppression register'));
    expect(register.map((row) => row[1]).sort()).toEqual(
      [...full.values()]
        .filter((row) => /Suppressed|suppression expired/.test(row.disposition))
        .map((row) => row.id)
        .sort(),
    );
    expect(register.map((row) => row[5])).toEqual(expect.arrayContaining(['J. Doe', 'R. Patel']));
    expect(register.map((row) => row[7])).toEqual(expect.arrayContaining(['comment in the code', '.medsec.json suppressions\\[0\\]']));

    const scope = sectionText(text, '## Scope');
    const [, files, lines] = /(\d+) files? and (\d+) lines? were analysed/.exec(scope)!;
    const languages = tableRows(scope.slice(0, scope.indexOf('### Rule set'))).filter((row) => /^\d+$/.test(row[1]));
    expect(languages.reduce((sum, row) => sum + Number(row[1]), 0)).toBe(Number(files));
    expect(languages.reduce((sum, row) => sum + Number(row[2]), 0)).toBe(Number(lines));
    for (const row of languages) {
      expect(
        [...row[3].matchAll(/\((\d+)\)/g)].reduce((sum, m) => sum + Number(m[1]), 0),
        row[0],
      ).toBe(Number(row[1]));
    }

    const coverage = sectionText(text, '## Control coverage');
    const [, items, checked, partly, notChecked, notCheckable] =
      /(\d+) items: (\d+) checked, (\d+) partly checked, (\d+) not checked in this run, (\d+) not checkable/.exec(coverage)!;
    const statuses = tableRows(coverage).map((row) => row[2]);
    expect(statuses).toHaveLength(Number(items));
    expect(
      ['**Checked**', '**Partly checked**', '**Not checked in this run**', '**Not checkable by static analysis**'].map(
        (label) => statuses.filter((status) => status === label).length,
      ),
    ).toEqual([checked, partly, notChecked, notCheckable].map(Number));
  });
});

describe('the scope names every file not analysed and why', () => {
  let project = '';
  const dirs: string[] = [];
  const tempDir = () => {
    dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-scope-')));
    return dirs[dirs.length - 1];
  };
  afterAll(() => {
    setCustomRuleClockForTests(undefined);
    for (const dir of [project, ...dirs]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('size, binary, unreadable, and a rule stopped by its time budget', async () => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-scope-'));
    const src = path.join(project, 'src');
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, 'big.c'), `static const char *p = "x";\n${'/* padding */\n'.repeat(100)}`);
    fs.writeFileSync(path.join(src, 'blob.c'), Buffer.from([0x69, 0x6e, 0x74, 0, 0, 0x78]));
    fs.writeFileSync(path.join(src, 'main.c'), 'void reboot(void) { esp_restart(); }\n');
    const config = resolveConfig(
      {
        maxFileSize: 1000,
        customRules: [
          {
            id: 'acme/restart',
            title: 'Restart',
            severity: 'low',
            languages: ['c'],
            message: 'restart',
            match: { regex: 'esp_restart\\(', scope: 'code' },
          },
        ],
      },
      undefined,
      project,
      BUILTIN,
    );
    // Every reading of the clock moves it a second on: the custom rule runs out of its budget at once.
    let now = 0;
    setCustomRuleClockForTests(() => (now += 1000));
    const scanned = await scan({ root: project, paths: [project], config, workers: 1 });
    setCustomRuleClockForTests(undefined);
    // Tests may run as root, who reads every file: the engine's record of an unreadable file is added as it writes it.
    const result = { ...scanned, skipped: [...scanned.skipped, { path: 'src/locked.c', reason: 'cannot read file (EACCES)' }] };

    const report = buildEvidenceReport(result, meta);
    expect(report.scope.notAnalysed.map((file) => [file.path, file.reason.split(' (')[0]])).toEqual([
      ['src/big.c', 'larger than maxFileSize'],
      ['src/blob.c', 'binary file'],
      ['src/locked.c', 'cannot read file'],
    ]);
    // Told apart from a crash by the engine's overBudget marker, not by the wording of the error.
    expect(report.scope.stoppedRules).toEqual([expect.objectContaining({ ruleId: 'acme/restart', path: 'src/main.c', overBudget: true })]);
    expect(report.scope.ruleFailures).toEqual([]);

    const text = formatMarkdownReport(result, meta);
    const scope = sectionText(text, '## Scope');
    expect(scope).toContain('1 file and 2 lines were analysed; 3 files in scope were not analysed.');
    const notAnalysed = tableRows(scope.slice(scope.indexOf('Files not analysed:'), scope.indexOf('### Rule set')));
    expect(notAnalysed.map((row) => row[0])).toEqual(['src/big.c', 'src/blob.c', 'src/locked.c']);
    expect(notAnalysed[0][1]).toMatch(/^larger than maxFileSize \(\d+ &gt; 1000 bytes\)/); // Markdown shows &gt; as >
    expect(notAnalysed[2][1]).toBe('cannot read file (EACCES)');
    expect(scope).toContain('Rules stopped by their time budget');
    expect(scope).toMatch(/- `acme\/restart` on src\/main\.c: acme\/restart exceeded its \d+ ms budget/);

    const page = formatHtmlReport(result, meta);
    expect(page).toContain('<td><code>src/blob.c</code></td><td>binary file (NUL bytes in its first 8 KB)</td>');
    expect(page).toContain('data-testid="stopped-rules"');

    // A crash whose message reads like a budget stop is still a rule failure: only the marker decides.
    const [main] = result.files;
    const crash = {
      ruleId: 'acme/other',
      path: main.path,
      error: 'acme/other exceeded its 50 ms budget on src/main.c and was disabled for this run',
    };
    const crashed = buildEvidenceReport({ ...result, files: [{ ...main, ruleFailures: [crash] }] }, meta);
    expect(crashed.scope.ruleFailures).toEqual([crash]);
    expect(crashed.scope.stoppedRules).toEqual([]);
  });

  it("a file over its per-file time budget before any rule ran: not analysed, with the engine's reason", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'chain.c'), cArithmeticChain(20_000));
    // 1 ms of wall-clock and CPU time: building the model of a 20,000-term expression takes far longer.
    const config = resolveConfig({ fileBudgetMs: 1 }, undefined, dir, BUILTIN);
    const result = await scan({ root: dir, paths: [dir], config, workers: 1 });
    expect(result.files.map((file) => [file.path, file.analysedInPart])).toEqual([['chain.c', undefined]]);
    const reason = result.files[0].notAnalysed!;
    expect(reason).toMatch(/^not analysed: it exceeded the 1 ms per-file budget while building the code model/);

    const report = buildEvidenceReport(result, meta);
    expect(report.scope.notAnalysed).toEqual([{ path: 'chain.c', reason }]);
    expect(report.scope.partly).toEqual([]);
    expect([report.scope.files, report.scope.lines, report.scope.languages]).toEqual([0, 0, []]);

    const scope = sectionText(formatMarkdownReport(result, meta), '## Scope');
    expect(scope).toContain('0 files and 0 lines were analysed; 1 file in scope was not analysed.');
    expect(tableRows(scope.slice(scope.indexOf('Files not analysed:'), scope.indexOf('### Rule set')))).toEqual([
      ['chain.c', escapeMarkdown(reason)],
    ]);
    expect(formatHtmlReport(result, meta)).toContain(`<td><code>chain.c</code></td><td>${reason}</td>`);
  }, 60_000);

  it('a file whose budget ran out between rules: analysed in part, naming the rules that did not run', async () => {
    const dir = tempDir();
    const source = 'void reboot(void) { char key[] = "hunter2hunter2"; esp_restart(); }\n';
    fs.writeFileSync(path.join(dir, 'main.c'), source);
    const config = resolveConfig({}, undefined, dir, BUILTIN);
    const scanned = await scan({ root: dir, paths: [dir], config, workers: 1 });
    // A budget that runs out after two rules (the real one needs a file that takes seconds): what the engine records then.
    const rules = config.rulesFor('main.c');
    const input = { path: path.join(dir, 'main.c'), relativePath: 'main.c', text: source, language: 'c' as const };
    const parsed = await parseFile(input);
    const file = runRules(input, parsed, rules, undefined, new BudgetAfterChecks(2));
    parsed.tree?.delete();
    expect(file.analysedInPart).toBe(true);
    expect(file.notAnalysed).toMatch(/^not analysed: it exceeded the 5 s per-file budget while running the rules \(not run: /);
    const result = { ...scanned, files: [file] };

    const report = buildEvidenceReport(result, meta);
    expect(report.scope.notAnalysed).toEqual([]);
    expect(report.scope.partly).toEqual([{ path: 'main.c', message: file.notAnalysed }]);
    expect([report.scope.files, report.scope.lines]).toEqual([1, 2]);

    const scope = sectionText(formatMarkdownReport(result, meta), '## Scope');
    expect(scope).toContain('1 file and 2 lines were analysed; 0 files in scope were not analysed.');
    expect(scope).toContain(`- main.c: ${escapeMarkdown(file.notAnalysed!)}\n`);
    expect(formatHtmlReport(result, meta)).toContain(`<li><code>main.c</code>: ${file.notAnalysed}</li>`);
  });
});

/** A file budget that is spent once the rules have been checked against it `checks` times. */
class BudgetAfterChecks extends FileBudget {
  private checks = 0;
  constructor(private readonly allowed: number) {
    super(5_000);
  }

  override spent(): boolean {
    return this.checks++ >= this.allowed;
  }
}

type Row = { id: string; full: boolean; severityOpen?: string; disposition: string };

/** Which summary column a row counts in besides its severity: open, suppressed or baselined. */
function bucket(row: Row): string {
  if (row.disposition.startsWith('Suppressed')) return 'suppressed';
  if (row.disposition.startsWith('Baselined')) return 'baselined';
  return 'open';
}

/** The text of a section: from its heading to the next heading of the same or a higher level. */
function sectionText(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const level = heading.split(' ')[0].length;
  const rest = text.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`\\n#{1,${level}} `));
  return next < 0 ? rest : rest.slice(0, next);
}

/** The body rows of every Markdown table in the text (not the header rows), as trimmed cells. */
function tableRows(text: string): string[][] {
  const lines = text.split('\n');
  const separator = (line: string | undefined) => !!line && /^\|[-:|]+\|$/.test(line);
  return lines
    .filter((line, index) => line.startsWith('| ') && !separator(line) && !separator(lines[index + 1]))
    .map((line) =>
      line
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map((cell) => cell.trim()),
    );
}

/** The findings rows of a category section: full rows (8 cells) and cross-references (6 cells). */
function sectionRows(text: string, heading: string): Row[] {
  return tableRows(sectionText(text, heading)).map((cells) => {
    const full = cells.length === 8;
    const disposition = full ? cells[7] : cells[4];
    return { id: cells[0], full, disposition, ...(bucket({ id: '', full, disposition }) === 'open' ? { severityOpen: cells[1] } : {}) };
  });
}
