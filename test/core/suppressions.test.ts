import { describe, expect, it } from 'vitest';
import { isExpired, parseSuppressions } from '../../server/src/core/suppressions';
import { SourceText } from '../../server/src/core/text';

const parse = (text: string) => {
  const comments = [...text.matchAll(/(\/\/|#)[^\n]*/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, text: m[0] }));
  return parseSuppressions(comments, new SourceText(text));
};

describe('suppression comments', () => {
  it('parses next-line and same-line forms with several ids, justification and expiry', () => {
    const [a, b] = parse('// medsec-ignore-next-line weak-hash, cleartext-protocol -- legacy peer (until 2027-03-31)\nx();\ny(); // medsec-ignore weak-hash -- reviewed\n');
    expect(a).toMatchObject({ kind: 'next-line', ruleIds: ['weak-hash', 'cleartext-protocol'], justification: 'legacy peer', until: '2027-03-31', targetLine: 1, problems: [] });
    expect(b).toMatchObject({ kind: 'same-line', ruleIds: ['weak-hash'], justification: 'reviewed', targetLine: 2, problems: [] });
  });

  it('a directive without a justification has a problem', () => {
    expect(parse('# medsec-ignore weak-hash\n')[0].problems).toEqual(['it has no justification after `--`']);
    expect(parse('# medsec-ignore weak-hash --   \n')[0].problems).toEqual(['it has no justification after `--`']);
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
