/** The identifier splitter runs on names and, through some rules, on values: it must be linear. */
import { describe, expect, it } from 'vitest';
import { identifierWords, splitIdentifier } from '../rules/_shared/identifier-words';
import { costGrowth, linearBound } from './helpers/cpu-cost';

describe('splitIdentifier', () => {
  it.each([
    ['wifiPassword', ['wifi', 'password']],
    ['API_KEY', ['api', 'key']],
    ['HTTPServer', ['http', 'server']],
    ['sha256Hash', ['sha256', 'hash']],
    ['MD5', ['md5']],
    ['cfg.sta.password', ['cfg', 'sta', 'password']],
    ['aBC', ['a', 'bc']],
    ['ABCd', ['ab', 'cd']],
    ['__init__', ['init']],
  ])('%s', (name, words) => {
    expect(splitIdentifier(name)).toEqual(words);
  });

  it('takes linear time on a long run of capitals (the old regex split took a minute on 100 KB)', () => {
    const capitals = (length: number) => 'A'.repeat(length) + 'b';
    expect(splitIdentifier(capitals(200_000))).toEqual(['a'.repeat(199_999), 'ab']);
    // 25 KB to 200 KB: the CPU time grows with the length, not its square.
    expect(costGrowth((length) => splitIdentifier(capitals(length)), 200_000, 8)).toBeLessThan(linearBound(8));
  });

  it('does not classify text longer than any identifier', () => {
    expect(identifierWords(`password${'A'.repeat(300)}`)).toEqual([]);
  });
});
