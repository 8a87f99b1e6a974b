import { describe, expect, it } from 'vitest';
import { matchesWildcard } from '../../server/src/core/wildcard';
import { costGrowth, linearBound } from '../helpers/cpu-cost';

describe('matchesWildcard', () => {
  it.each([
    ['*.lab.internal', 'pump.lab.internal', true],
    ['*.lab.internal', 'lab.internal', false],
    ['10.0.*', '10.0.3.7', true],
    ['10.0.?', '10.0.3', true],
    ['10.0.?', '10.0.31', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a.b', 'aXb', false],
    ['*x', 'line\nx', true],
  ])('%s ~ %j → %s', (pattern, text, expected) => {
    expect(matchesWildcard(pattern, text)).toBe(expected);
  });

  it('stays linear with many stars on a long text that does not match (a regex of .* per star did not)', () => {
    const stars = '*a'.repeat(20) + 'b';
    expect(matchesWildcard(stars, 'a'.repeat(20_000))).toBe(false);
    // 2,500 to 20,000 characters: the CPU time grows with the text, not its square (or its 20th power).
    expect(costGrowth((length) => matchesWildcard(stars, 'a'.repeat(length)), 20_000, 8)).toBeLessThan(linearBound(8));
  });
});
