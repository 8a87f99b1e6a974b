import { describe, expect, it } from 'vitest';
import { DEFAULT_JUSTIFICATION_POLICY } from '../../shared/justification';
import { isExpired, parseSuppressions } from '../../server/src/core/suppressions';
import { SourceText } from '../../server/src/core/text';

const parse = (text: string) => {
  const comments = [...text.matchAll(/(\/\/|#)[^\n]*/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, text: m[0] }));
  return parseSuppressions(comments, new SourceText(text));
};

describe('suppression comments', () => {
  it('parses next-line and same-line forms with several ids, justification and expiry', () => {
    const [a, b] = parse(
      '// medsec-ignore-next-line weak-hash, cleartext-protocol -- legacy bedside peer (until 2027-03-31)\nx();\ny(); // medsec-ignore weak-hash -- cache file name only\n',
    );
    expect(a).toMatchObject({
      kind: 'next-line',
      ruleIds: ['weak-hash', 'cleartext-protocol'],
      justification: 'legacy bedside peer',
      until: '2027-03-31',
      targetLine: 1,
      problems: [],
    });
    expect(b).toMatchObject({
      kind: 'same-line',
      ruleIds: ['weak-hash'],
      justification: 'cache file name only',
      targetLine: 2,
      problems: [],
    });
  });

  it('a directive without a justification has a problem', () => {
    expect(parse('# medsec-ignore weak-hash\n')[0].problems).toEqual(['it has no justification after `--`']);
    expect(parse('# medsec-ignore weak-hash --   \n')[0].problems).toEqual(['it has no justification after `--`']);
  });

  it('reads the reviewer and the expiry in either order at the end, and only there', () => {
    const [a] = parse('# medsec-ignore weak-hash -- cache key (see ticket 42) (reviewed-by: A. Jones) (until 2027-03-31)\n');
    expect(a).toMatchObject({ justification: 'cache key (see ticket 42)', reviewer: 'A. Jones', until: '2027-03-31', problems: [] });
    const [b] = parse('# medsec-ignore weak-hash -- cache key for log lines (until: 2027-03-31) (reviewed-by: R. Patel)\n');
    expect(b).toMatchObject({ justification: 'cache key for log lines', reviewer: 'R. Patel', until: '2027-03-31', problems: [] });
    expect(parse('# medsec-ignore weak-hash -- (until 2027-03-31) cache key for log lines\n')[0].problems).toEqual([
      'its `(reviewed-by: …)` and `(until …)` must come last, after the justification',
    ]);
  });

  it('a directive whose justification says nothing, or that lacks a required reviewer, has a problem', () => {
    const problemsOf = (text: string, policy = DEFAULT_JUSTIFICATION_POLICY) =>
      parseSuppressions([{ start: 0, end: text.length, text }], new SourceText(text), policy)[0].problems;
    expect(problemsOf('# medsec-ignore weak-hash -- ok')).toEqual([
      'its justification "ok" says nothing about why the finding is acceptable',
    ]);
    expect(problemsOf('# medsec-ignore weak-hash -- Fine.')).toHaveLength(1);
    expect(problemsOf('# medsec-ignore weak-hash -- todo, false positive')).toHaveLength(1);
    expect(problemsOf('# medsec-ignore weak-hash -- dev only')).toEqual([
      'its justification "dev only" is shorter than the 12 characters this project asks for',
    ]);
    expect(problemsOf('# medsec-ignore weak-hash -- dev only', { ...DEFAULT_JUSTIFICATION_POLICY, minLength: 5 })).toEqual([]);
    expect(
      problemsOf('# medsec-ignore weak-hash -- cache file name only', {
        ...DEFAULT_JUSTIFICATION_POLICY,
        stopWords: ['cache file name only'],
      }),
    ).toHaveLength(1);
    const strict = { ...DEFAULT_JUSTIFICATION_POLICY, requireReviewer: true };
    expect(problemsOf('# medsec-ignore weak-hash -- cache file name only', strict)).toEqual([
      'it names no reviewer, and this project requires one: add `(reviewed-by: NAME)`',
    ]);
    expect(problemsOf('# medsec-ignore weak-hash -- cache file name only (reviewed-by: A. Jones)', strict)).toEqual([]);
  });

  it('ignores prose that mentions the directive', () => {
    expect(parse('// see how medsec-ignore works\n')).toEqual([]);
  });

  it('expiry is inclusive of the date itself', () => {
    expect(isExpired('2026-01-31', new Date('2026-01-31T12:00:00Z'))).toBe(false);
    expect(isExpired('2026-01-31', new Date('2026-02-01T00:00:01Z'))).toBe(true);
    expect(isExpired(undefined)).toBe(false);
  });
});
