/** The identifier splitter runs on names and, through some rules, on values: it must be linear. */
import { describe, expect, it } from 'vitest';
import { identifierWords, splitIdentifier } from '../rules/_shared/identifier-words';

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
    const long = 'A'.repeat(200_000) + 'b';
    const started = performance.now();
    expect(splitIdentifier(long)).toEqual(['a'.repeat(199_999), 'ab']);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('does not classify text longer than any identifier', () => {
    expect(identifierWords(`password${'A'.repeat(300)}`)).toEqual([]);
  });
});
