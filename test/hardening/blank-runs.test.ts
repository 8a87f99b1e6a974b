/**
 * Issue 12, item 6: regexes that were tried at every position of a long run of blanks or slashes, or at
 * every unclosed comment opener or quote (each quadratic: 50,000 blanks took 3 to 6 s), are scans now.
 * Each input here is 200,000 characters or more; the quadratic forms would take about a minute each, the
 * scans take milliseconds.
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

const RUN = 200_000;
/** Far above what a scan takes even on a loaded machine, far below what the quadratic forms took. */
const BOUND_MS = 5_000;

function timed<T>(work: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
}

describe('long runs of blanks and slashes', () => {
  it('a comment line with a long blank run and no closing marker', () => {
    const line = `// medsec-ignore weak-hash -- legacy checksum${' '.repeat(RUN)}x`;
    const { value, ms } = timed(() => parseSuppressions([{ start: 0, end: line.length, text: line }], new SourceText(line)));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(value).toHaveLength(1);
  });

  it('a dotenv value with a long blank run before no comment', () => {
    const text = `API_KEY=abc${' '.repeat(RUN)}def\n`;
    const { value, ms } = timed(() => buildConfigModel('dotenv', text));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(value.config[0].value).toBe(`abc${' '.repeat(RUN)}def`);
    expect(buildConfigModel('dotenv', 'API_KEY=abc  # note\n').config[0].value).toBe('abc');
  });

  it('an ignore glob with a long run of slashes', () => {
    const { value, ms } = timed(() => resolveConfig({ ignore: [`build${'/'.repeat(RUN)}x`, 'out///'] }, undefined, '/p', BUILTIN));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(value.ignore.length).toBeGreaterThan(0);
  });

  it('a call chain with many comment openers and no closer', () => {
    const chain = `a${'/* '.repeat(RUN / 3)}.b`;
    const { value, ms } = timed(() => normaliseName(chain));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(value).toBe(chain.replace(/\s/g, ''));
    expect(normaliseName('a /* x */ .b() // note\n .c')).toBe('a.b().c');
  });

  it('a #define of a string with many escaped quotes and no closing one', async () => {
    const text = `#define PASSWORD "${'\\"'.repeat(RUN / 2)}\nint x;\n`;
    const started = performance.now();
    const config = loadConfig(process.cwd(), undefined, BUILTIN);
    await checkFile({ path: '/p/d.c', relativePath: 'd.c', language: 'c', text }, config.rulesFor('d.c'));
    expect(performance.now() - started).toBeLessThan(4 * BOUND_MS);
  }, 60_000);
});
