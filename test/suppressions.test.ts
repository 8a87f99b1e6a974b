/**
 * One suppression syntax everywhere: `.medsec.json` `suppressions` applied by the engine (and reported when
 * they do not qualify), `suppressionPolicy` applied to comments, and the editor's justification check
 * agreeing with the engine's.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/src/core/config';
import { scan } from '../server/src/core/scan';
import { parseSuppressions } from '../server/src/core/suppressions';
import { SourceText } from '../server/src/core/text';
import type { Finding, ScanResult } from '../server/src/core/types';
import { justificationProblem } from '../shared/protocol';
import { DEFAULT_JUSTIFICATION_POLICY } from '../shared/justification';
import { useTempProject } from './helpers/project';
import { BUILTIN } from './helpers/registry';

const project = useTempProject('suppressions');

async function scanProject(): Promise<ScanResult> {
  return scan({ root: project.dir, paths: [project.dir], config: loadConfig(project.dir, undefined, BUILTIN), workers: 1 });
}

const findingsOf = (result: ScanResult): Finding[] => result.files.flatMap((file) => file.findings);
const only = (result: ScanResult, ruleId: string, path: string): Finding => {
  const matching = findingsOf(result).filter((finding) => finding.ruleId === ruleId && finding.path === path);
  expect(matching, `${ruleId} in ${path}`).toHaveLength(1);
  return matching[0];
};

const CONFIG_WITH_SUPPRESSIONS = `{
  "rules": { "weak-hash": "medium" },
  "suppressions": [
    {
      "rules": ["weak-hash"],
      "paths": ["tools/**"],
      "justification": "MD5 names cache files in the build tools, it is never compared",
      "reviewedBy": "A. Jones"
    },
    {
      "rules": ["hardcoded-credential"],
      "paths": ["bench/keys.c"],
      "justification": "ok"
    },
    {
      "rules": ["cleartext-protocol"],
      "paths": ["sim/**"],
      "justification": "simulator traffic stays on the bench network",
      "until": "2020-01-31"
    }
  ]
}
`;

function writeSources(): void {
  project.write('tools/cache.py', 'import hashlib\n\ndef cache_name(data):\n    return hashlib.md5(data).hexdigest()\n');
  project.write('bench/keys.c', 'static const char *wifi_password = "Zq9fakeSECRET4711";\n');
  project.write(
    'sim/feed.ts',
    "const FEED = 'http://ward-gw.infusafe-medical.com:8080/feed';\nexport const readFeed = () => fetch(FEED);\n",
  );
}

describe('.medsec.json suppressions', () => {
  it('suppress the findings of their rules in their paths, with reviewer and origin', async () => {
    project.write('.medsec.json', CONFIG_WITH_SUPPRESSIONS);
    writeSources();
    const result = await scanProject();
    expect(only(result, 'weak-hash', 'tools/cache.py').suppression).toEqual({
      justification: 'MD5 names cache files in the build tools, it is never compared',
      reviewer: 'A. Jones',
      source: 'config',
      origin: '.medsec.json suppressions[0]',
    });
    const suppressedBy = result.config.rulesFor('tools/other.py').find((effective) => effective.rule.meta.id === 'weak-hash')?.suppressedBy;
    expect(suppressedBy).toHaveLength(1);
    expect(
      result.config.rulesFor('src/other.py').find((effective) => effective.rule.meta.id === 'weak-hash')?.suppressedBy,
    ).toBeUndefined();
  });

  it('an entry whose justification says nothing suppresses nothing, says so on the finding, and is itself a finding', async () => {
    project.write('.medsec.json', CONFIG_WITH_SUPPRESSIONS);
    writeSources();
    const result = await scanProject();
    const credential = only(result, 'hardcoded-credential', 'bench/keys.c');
    expect(credential.suppression).toBeUndefined();
    expect(credential.message).toContain('(.medsec.json suppressions[1] does not suppress it: its justification "ok" says nothing');
    const unjustified = only(result, 'unjustified-suppression', '.medsec.json');
    expect(unjustified.range.start.line + 1).toBe(CONFIG_WITH_SUPPRESSIONS.split('\n').findIndex((line) => line.includes('"ok"')) + 1);
    expect(unjustified.message).toMatch(/^This \.medsec\.json suppression is ignored because its justification "ok" says nothing/);
    expect(unjustified.message).toContain('who reviewed it and until when');
  });

  it('an expired entry no longer suppresses, and the finding says which entry expired', async () => {
    project.write('.medsec.json', CONFIG_WITH_SUPPRESSIONS);
    writeSources();
    const feed = only(await scanProject(), 'cleartext-protocol', 'sim/feed.ts');
    expect(feed.suppression).toBeUndefined();
    expect(feed.expiredSuppression).toEqual({
      justification: 'simulator traffic stays on the bench network',
      until: '2020-01-31',
      source: 'config',
      origin: '.medsec.json suppressions[2]',
    });
    expect(feed.message).toContain('(its suppression in .medsec.json suppressions[2] expired on 2020-01-31');
  });

  it('refuses an unknown rule id or a malformed date, at the entry', () => {
    const error = (text: string): ConfigError => {
      project.write('.medsec.json', text);
      try {
        loadConfig(project.dir, undefined, BUILTIN);
      } catch (caught) {
        if (caught instanceof ConfigError) return caught;
        throw caught;
      }
      throw new Error('expected a ConfigError');
    };
    const entry = (fields: string) => `{\n  "suppressions": [\n    { ${fields} }\n  ]\n}\n`;
    const unknown = error(entry('"rules": ["weak-hsah"], "paths": ["a/**"], "justification": "cache file names only"'));
    expect({ line: unknown.line, key: unknown.key }).toEqual({ line: 3, key: 'suppressions[0].rules[0]' });
    expect(unknown.detail).toMatch(/unknown rule "weak-hsah".*did you mean "weak-hash"/);
    const date = error(entry('"rules": ["weak-hash"], "paths": ["a/**"], "justification": "cache file names only", "until": "31/03/2027"'));
    expect(date.key).toBe('suppressions[0].until');
    const missing = error(entry('"rules": ["weak-hash"], "paths": ["a/**"]'));
    expect(missing.detail).toMatch(/missing required property "justification"/);
  });
});

describe('suppressionPolicy', () => {
  const source = [
    '// medsec-ignore-next-line hardcoded-credential -- bench rig key, the rig is offline',
    'static const char *bench_password = "Zq9fakeSECRET4711";',
    '// medsec-ignore-next-line hardcoded-credential -- bench rig key, the rig is offline (reviewed-by: A. Jones)',
    'static const char *rig_password = "Ab7fakeSECRET0815";',
    '// medsec-ignore-next-line hardcoded-credential -- bench only (reviewed-by: A. Jones)',
    'static const char *lab_password = "Cd5fakeSECRET2323";',
    '',
  ].join('\n');

  it('requires a reviewer, a longer justification and its own stop words when it says so', async () => {
    project.write(
      '.medsec.json',
      JSON.stringify({
        suppressionPolicy: { requireReviewer: true, minJustificationLength: 20, stopWords: ['bench only'] },
      }),
    );
    project.write('src/rig.c', source);
    const result = await scanProject();
    const credentials = findingsOf(result).filter((finding) => finding.ruleId === 'hardcoded-credential');
    expect(credentials.map((finding) => [finding.range.start.line, finding.suppression?.reviewer ?? null])).toEqual([
      [1, null],
      [3, 'A. Jones'],
      [5, null],
    ]);
    const unjustified = findingsOf(result).filter((finding) => finding.ruleId === 'unjustified-suppression');
    expect(unjustified.map((finding) => finding.range.start.line)).toEqual([0, 4]);
    expect(unjustified[0].message).toContain('it names no reviewer, and this project requires one: add `(reviewed-by: NAME)`');
    expect(unjustified[1].message).toContain('its justification "bench only" says nothing');
    expect(result.config.justificationPolicy).toEqual({ minLength: 20, stopWords: ['bench only'], requireReviewer: true });
  });

  it('without one, the default applies: no reviewer needed', async () => {
    project.write('src/rig.c', source);
    const credentials = findingsOf(await scanProject()).filter((finding) => finding.ruleId === 'hardcoded-credential');
    expect(credentials.map((finding) => !!finding.suppression)).toEqual([true, true, false]);
  });
});

describe('the editor and the engine', () => {
  const samples = [
    'ok',
    'Fine.',
    'n/a',
    'todo',
    'false positive',
    'reviewed and approved',
    'dev only',
    'bench rig key, never shipped',
    'bench rig key, never shipped (reviewed-by: A. Jones)',
    'bench rig key, never shipped (until 2027-02-30)',
    'bench rig key, never shipped (until 2027-03-31) (reviewed-by: A. Jones)',
    '(until 2027-03-31) bench rig key, never shipped',
    'bench rig key (reviewer: A. Jones)',
    'cache key (see ticket 42), not a security control',
  ];
  const engineAccepts = (justification: string, policy = DEFAULT_JUSTIFICATION_POLICY) => {
    const text = `// medsec-ignore weak-hash -- ${justification}`;
    return parseSuppressions([{ start: 0, end: text.length, text }], new SourceText(text), policy)[0].problems.length === 0;
  };

  it('accept and refuse the same justifications', () => {
    const strict = { ...DEFAULT_JUSTIFICATION_POLICY, requireReviewer: true };
    for (const policy of [DEFAULT_JUSTIFICATION_POLICY, strict]) {
      const verdicts = samples.map((sample) => [sample, justificationProblem(sample, policy) === undefined, engineAccepts(sample, policy)]);
      expect(verdicts.filter(([, editor, engine]) => editor !== engine)).toEqual([]);
    }
    expect(samples.filter((sample) => engineAccepts(sample))).toEqual([
      'bench rig key, never shipped',
      'bench rig key, never shipped (reviewed-by: A. Jones)',
      'bench rig key, never shipped (until 2027-03-31) (reviewed-by: A. Jones)',
      'cache key (see ticket 42), not a security control',
    ]);
  });

  it('the editor says what a good justification names', () => {
    expect(justificationProblem('ok')).toMatch(
      /says nothing about why the finding is acceptable\. A justification says why the finding is safe here, who reviewed it and until when/,
    );
  });
});
