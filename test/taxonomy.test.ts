import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import type { Rule, RuleMeta } from '../server/src/core/types';
import { presetRules, PRESET_NAMES } from '../server/src/core/presets';
import { appendixCategory, CWE, cweTitle, FDA, fdaTitle, IEC62443, validateRuleMeta } from '../rules/taxonomy';

function goodMeta(): RuleMeta {
  return {
    id: 'hardcoded-credential',
    title: 'Hardcoded credential',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'python'],
    cwe: [798, 259],
    fda: ['app1.A.5', 'app1.E.1', 'V.C', '524b.b2', 'fda-premarket-2014'],
    iec62443: ['CR 1.5', 'CR 1.7'],
    fix: 'suggestion',
    presets: ['recommended', 'strict'],
    docs: {
      summary: 'Finds passwords in source.',
      risk: 'The same password on every pump lets one leak unlock the fleet.',
      fix: 'Provision a per-device credential at manufacture.',
      examples: [{ language: 'c', bad: 'const char *pw = "admin";', good: 'const char *pw = load_pw();' }],
      fixSafety: 'Moving a secret needs a provisioning path; the fix is only a suggestion.',
      references: [{ title: 'CWE-798', url: 'https://cwe.mitre.org/data/definitions/798.html' }],
    },
  };
}

function problemsWith(change: (meta: RuleMeta) => void): string[] {
  const meta = goodMeta();
  change(meta);
  return validateRuleMeta(meta);
}

describe('validateRuleMeta', () => {
  it('accepts sound metadata', () => {
    expect(validateRuleMeta(goodMeta())).toEqual([]);
  });

  it.each([['HardcodedCredential'], ['hardcoded_credential'], ['hardcoded--credential'], ['-hardcoded'], ['']])(
    'rejects the id %j',
    (id) => {
      expect(
        problemsWith((meta) => {
          meta.id = id;
        }),
      ).toEqual([expect.stringContaining('kebab-case')]);
    },
  );

  it('rejects an unknown CWE', () => {
    expect(
      problemsWith((meta) => {
        meta.cwe = [798, 99999];
      }),
    ).toEqual([expect.stringContaining('unknown CWE 99999')]);
  });

  it('rejects an unknown FDA key', () => {
    expect(
      problemsWith((meta) => {
        meta.fda = ['app1.A.5', 'app1.A.10'];
      }),
    ).toEqual([expect.stringContaining('unknown FDA key "app1.A.10"')]);
  });

  it('rejects an unknown IEC 62443 id', () => {
    expect(
      problemsWith((meta) => {
        meta.iec62443 = ['CR 9.9'];
      }),
    ).toEqual([expect.stringContaining('unknown IEC 62443 id "CR 9.9"')]);
  });

  it('rejects empty lists and empty docs fields', () => {
    expect(
      problemsWith((meta) => {
        meta.languages = [];
        meta.docs.examples = [];
      }),
    ).toEqual([expect.stringContaining('languages is empty'), expect.stringContaining('docs.examples is empty')]);
    expect(
      problemsWith((meta) => {
        meta.cwe = [];
      }),
    ).toEqual([expect.stringContaining('cwe is empty')]);
    expect(
      problemsWith((meta) => {
        meta.docs.risk = '  ';
      }),
    ).toEqual([expect.stringContaining('docs.risk is empty')]);
    expect(
      problemsWith((meta) => {
        meta.docs.references = [];
      }),
    ).toEqual([expect.stringContaining('docs.references is empty')]);
  });

  it('rejects an example in a language the rule does not check', () => {
    expect(
      problemsWith((meta) => {
        meta.docs.examples[0].language = 'java';
      }),
    ).toEqual([expect.stringContaining('"java", which is not in languages')]);
  });

  it('rejects a safe bulk fix on a low-confidence rule', () => {
    expect(
      problemsWith((meta) => {
        meta.fix = 'safe';
        meta.confidence = 'low';
      }),
    ).toEqual([expect.stringContaining('fix is "safe" but confidence is "low"')]);
    expect(
      problemsWith((meta) => {
        meta.fix = 'safe';
      }),
    ).toEqual([]);
  });

  it('rejects metadata that cites only legacy guidance or a process-only key', () => {
    expect(
      problemsWith((meta) => {
        meta.fda = ['fda-premarket-2014'];
      }),
    ).toEqual([expect.stringContaining('only legacy guidance')]);
    expect(
      problemsWith((meta) => {
        meta.fda = ['app1.A.5', '524b.b1'];
      }),
    ).toEqual([expect.stringContaining('"524b.b1" is a process requirement')]);
  });

  it('accepts one phrase of what the rule sees, or a phrase per FDA key it maps to', () => {
    expect(problemsWith((meta) => (meta.sees = 'passwords written in source'))).toEqual([]);
    expect(problemsWith((meta) => (meta.sees = { 'app1.A.5': 'passwords in source', 'app1.E.1': 'credentials in source' }))).toEqual([]);
  });

  it('rejects a blank phrase, an empty set of phrases and a phrase for a key the rule does not map to', () => {
    expect(problemsWith((meta) => (meta.sees = ' '))).toEqual([expect.stringContaining('sees is empty')]);
    expect(problemsWith((meta) => (meta.sees = {}))).toEqual([expect.stringContaining('sees names no FDA key')]);
    expect(problemsWith((meta) => (meta.sees = { 'app1.A.5': '' }))).toEqual([expect.stringContaining('sees["app1.A.5"] is empty')]);
    expect(problemsWith((meta) => (meta.sees = { 'app1.A.5': 'passwords', 'app1.C.2': 'hashes' }))).toEqual([
      expect.stringContaining('sees has a phrase for "app1.C.2", which fda does not list'),
    ]);
  });

  it('rejects duplicates and a non-https reference', () => {
    expect(
      problemsWith((meta) => {
        meta.cwe = [798, 798];
      }),
    ).toEqual([expect.stringContaining('CWE 798 is listed twice')]);
    expect(
      problemsWith((meta) => {
        meta.docs.references[0].url = 'cwe.mitre.org';
      }),
    ).toEqual([expect.stringContaining('is not an https URL')]);
  });
});

describe('taxonomy', () => {
  it('has every CWE id the FDA reference maps to, with its name', () => {
    const mapped = [
      798, 259, 260, 522, 547, 1392, 1393, 521, 258, 321, 1394, 340, 319, 311, 523, 295, 297, 327, 326, 757, 780, 328, 916, 759, 760, 338,
      330, 337, 329, 323, 1204, 494, 347, 345, 252, 353, 1328, 1326, 1191, 489, 1244, 215, 912, 306, 287, 294, 613, 307, 1327, 732, 276,
      532, 312, 256, 20, 120, 242, 676, 134, 1395, 1104,
    ];
    expect(mapped.filter((id) => !cweTitle(id))).toEqual([]);
    // Beyond the reference's table, the taxonomy holds only the CWEs that rules need and the reference
    // does not list (timing-safe comparison, 208; permissive CORS, 942): each is cited by a built-in rule, so
    // a rule that needs a new CWE adds it to rules/taxonomy.ts and nowhere else.
    const extras = Object.keys(CWE)
      .map(Number)
      .filter((id) => !mapped.includes(id));
    const cited = new Set(builtinRules.flatMap((rule) => rule.meta.cwe));
    expect(extras.filter((id) => !cited.has(id))).toEqual([]);
    expect(cweTitle(798)).toBe('Use of Hard-coded Credentials');
    expect(cweTitle(1)).toBeUndefined();
  });

  it('numbers Appendix 1 items per category and names their category', () => {
    expect(appendixCategory('app1.A.5')).toEqual({ key: 'app1.A', title: 'Authentication' });
    expect(appendixCategory('app1.D')).toEqual({ key: 'app1.D', title: 'Code, Data, and Execution Integrity' });
    expect(appendixCategory('app1.A.10')).toBeUndefined();
    expect(appendixCategory('524b.b2')).toBeUndefined();
    const itemCounts = Object.fromEntries(
      'ABCDEFGH'.split('').map((letter) => [letter, Object.keys(FDA).filter((key) => key.startsWith(`app1.${letter}.`)).length]),
    );
    expect(itemCounts).toEqual({ A: 9, B: 4, C: 5, D: 11, E: 2, F: 8, G: 5, H: 7 });
    for (const [key, entry] of Object.entries(FDA)) {
      if (/^app1\.[A-H]\.\d+$/.test(key)) expect(entry.category, key).toBe(key.slice(0, 'app1.X'.length));
    }
  });

  it('has the 524B, section V and legacy keys', () => {
    for (const key of [
      '524b.b1',
      '524b.b2',
      '524b.b2a',
      '524b.b2b',
      '524b.b3',
      'V.C',
      'V.A.5',
      'V.A.4',
      'fda-premarket-2014',
      'fda-postmarket-2016',
    ]) {
      expect(fdaTitle(key), key).toBeTruthy();
    }
    expect(FDA['524b.b3'].document).toBe('fdca-524b');
    expect(FDA['fda-postmarket-2016'].document).toBe('fda-postmarket-2016');
  });

  it('has the IEC 62443 clauses rules cite', () => {
    for (const id of ['CR 1.5', 'EDR 3.10', 'EDR 3.10 RE(1)', 'EDR 3.14 RE(1)', 'EDR 2.13', 'CR 7.7']) {
      expect(IEC62443[id]?.part, id).toBe('62443-4-2');
    }
    for (const id of ['SI-1', 'SI-2', 'SM-9']) expect(IEC62443[id]?.part, id).toBe('62443-4-1');
  });
});

describe('presets', () => {
  const rule = (id: string, presets: RuleMeta['presets']) => ({ meta: { ...goodMeta(), id, presets }, check() {} }) as Rule;
  const rules = [
    rule('a-rule', ['recommended', 'strict']),
    rule('b-rule', ['strict']),
    rule('c-rule', []),
    rule('d-rule', ['recommended']),
  ];

  it('strict includes everything recommended includes', () => {
    expect(presetRules('recommended', rules).map((r) => r.meta.id)).toEqual(['a-rule', 'd-rule']);
    expect(presetRules('strict', rules).map((r) => r.meta.id)).toEqual(['a-rule', 'b-rule', 'd-rule']);
    expect(PRESET_NAMES).toEqual(['recommended', 'strict']);
  });
});
