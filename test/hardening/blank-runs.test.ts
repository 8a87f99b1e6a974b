/**
 * Issue 12, item 6: regexes that were tried at every position of a long run of blanks or slashes, or at
 * every unclosed comment opener or quote (each quadratic: 50,000 blanks took 3 to 6 s), are scans now.
 * Each input here is 200,000 characters or more; the quadratic forms would take about a minute each, the
 * scans take milliseconds. Each is measured as CPU time against the same input an eighth as long (cpu-cost.ts), so
 * that a loaded machine cannot fail it.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../server/src/core/config';
import { checkFile } from '../../server/src/core/check';
import { loadConfig } from '../../server/src/core/config';
import { buildConfigModel } from '../../server/src/core/model/config-model';
import { normaliseName } from '../../server/src/core/model/tree-sitter-model';
import { parseSuppressions } from '../../server/src/core/suppressions';
import { SourceText } from '../../server/src/core/text';
import { BUILTIN } from '../helpers/registry';
import { costGrowth, costGrowthOf, linearBound } from '../helpers/cpu-cost';

const RUN = 200_000;
/** Each case is measured at RUN and at an eighth of it: linear work costs about 8 times more, the quadratic forms 64. */
const FACTOR = 8;

describe('long runs of blanks and slashes', () => {
  it('a comment line with a long blank run and no closing marker', () => {
    const line = (run: number) => `// medsec-ignore weak-hash -- legacy checksum${' '.repeat(run)}x`;
    const suppressions = (text: string) => parseSuppressions([{ start: 0, end: text.length, text }], new SourceText(text));
    expect(suppressions(line(RUN))).toHaveLength(1);
    expect(costGrowth((run) => suppressions(line(run)), RUN, FACTOR)).toBeLessThan(linearBound(FACTOR));
  });

  it('a dotenv value with a long blank run before no comment', () => {
    const text = (run: number) => `API_KEY=abc${' '.repeat(run)}def\n`;
    expect(buildConfigModel('dotenv', text(RUN)).config[0].value).toBe(`abc${' '.repeat(RUN)}def`);
    expect(costGrowth((run) => buildConfigModel('dotenv', text(run)), RUN, FACTOR)).toBeLessThan(linearBound(FACTOR));
    expect(buildConfigModel('dotenv', 'API_KEY=abc  # note\n').config[0].value).toBe('abc');
  });

  it('an ignore glob with a long run of slashes', () => {
    const resolve = (run: number) => resolveConfig({ ignore: [`build${'/'.repeat(run)}x`, 'out///'] }, undefined, '/p', BUILTIN);
    expect(resolve(RUN).ignore.length).toBeGreaterThan(0);
    expect(costGrowth(resolve, RUN, FACTOR)).toBeLessThan(linearBound(FACTOR));
  });

  it('a call chain with many comment openers and no closer', () => {
    const chain = (run: number) => `a${'/* '.repeat(Math.round(run / 3))}.b`;
    expect(normaliseName(chain(RUN))).toBe(chain(RUN).replace(/\s/g, ''));
    expect(costGrowth((run) => normaliseName(chain(run)), RUN, FACTOR)).toBeLessThan(linearBound(FACTOR));
    expect(normaliseName('a /* x */ .b() // note\n .c')).toBe('a.b().c');
  });

  it('a #define of a string with many escaped quotes and no closing one', async () => {
    const text = (run: number) => `#define PASSWORD "${'\\"'.repeat(run / 2)}\nint x;\n`;
    const config = loadConfig(process.cwd(), undefined, BUILTIN);
    const check = (run: number) =>
      checkFile({ path: '/p/d.c', relativePath: 'd.c', language: 'c', text: text(run) }, config.rulesFor('d.c'));
    expect(await costGrowthOf(check, RUN, FACTOR)).toBeLessThan(linearBound(FACTOR));
  }, 60_000);
});
