/** The string-literal scanner matches exactly what the regexes it replaced matched, in linear time. */
import { describe, expect, it } from 'vitest';
import { quotedSpans, replaceQuoted } from '../../server/src/core/string-literals';
import { costGrowth, linearBound } from '../helpers/cpu-cost';

/** The regexes the scanner replaced, by quotes and whether a line break ends a literal. */
const REGEXES: [string, boolean, RegExp][] = [
  ['"', false, /"(?:\\.|[^"\\])*"/g],
  ['"', true, /"(?:[^"\\\n]|\\.)*"/g],
  ['`', false, /`(?:\\.|[^`\\])*`/g],
  ['"\'', false, /"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g],
  ['`"\'', false, /`(?:\\.|[^`\\])*`|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g],
];

/** A seeded generator of short texts over the characters that matter. */
function* texts(count: number): Generator<string> {
  let seed = 12;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
  const alphabet = ['"', "'", '`', '\\', '\n', '\r', 'a', ' ', '\u2028'];
  for (let n = 0; n < count; n++) {
    let text = '';
    const length = next() % 14;
    for (let i = 0; i < length; i++) text += alphabet[next() % alphabet.length];
    yield text;
  }
}

describe('quotedSpans', () => {
  it.each(REGEXES)('finds what %j (single line: %s) finds', (quotes, singleLine, regex) => {
    for (const text of texts(5_000)) {
      const expected = [...text.matchAll(regex)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
      expect(quotedSpans(text, quotes, singleLine), JSON.stringify(text)).toEqual(expected);
      expect(replaceQuoted(text, quotes, '""', singleLine)).toBe(text.replace(regex, '""'));
    }
  });

  it('reads 200 KB of escaped quotes with no closing one in linear time', () => {
    const escapedQuotes = (count: number) => `"${'\\"'.repeat(count)}`;
    expect(quotedSpans(escapedQuotes(100_000), '"\'`')).toEqual([]);
    // 25 KB to 200 KB: the CPU time grows with the length, not its square.
    expect(costGrowth((count) => quotedSpans(escapedQuotes(count), '"\'`'), 100_000, 8)).toBeLessThan(linearBound(8));
  });
});
