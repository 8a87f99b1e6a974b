/**
 * Issue 12, item 1: the scans that replaced polynomial regexes, on the inputs that made those regexes blow
 * up. Measured before the rewrite (CPU seconds, one run, load average ~24): `${` x 50,000 through the
 * template-hole regex 1.9 s; `?` x 100,000 through the query cut 5.0 s; `"\` x 50,000 through the quoted-string
 * regex 5.9 s; `(` and 3,000 spaces through the cast regex 4.4 s; `class A` x 20,000 lines 1.3 s; `open(`
 * x 40,000 3.1 s; `_x` x 50,000 as a store receiver 13.7 s; a 50,000-character key 3.3 s. The inputs here
 * are larger; the test asserts that each ends with the right answer (a regression hangs it), not a time.
 */
import { describe, expect, it } from 'vitest';
import { withoutLeadingCasts } from '../../rules/_shared/expression-text';
import { throughFirstStop } from '../../rules/_shared/first-close';
import { interpolations, withoutConversions } from '../../rules/_shared/secret-references';
import { isStoreReceiver } from '../../rules/_shared/value-evidence';
import { assignedKey } from '../../rules/cleartext-protocol/rule';
import { stringPairs } from '../../rules/debug-interface-enabled/config';
import { trailingOperator } from '../../rules/signature-check-bypass/gates';
import { withoutQuery } from '../../rules/unsigned-firmware-update/shell';
import { checkFile } from '../../server/src/core/check';
import { loadConfig } from '../../server/src/core/config';
import { hasCppMarkers } from '../../server/src/core/parse/header-language';
import { selectorRegexes } from '../../server/src/core/custom/matchers';
import { replaceQuoted } from '../../server/src/core/string-literals';
import { BUILTIN } from '../helpers/registry';

const N = 200_000;

describe('linear scans on the inputs that blew up the regexes they replaced', () => {
  it('template holes, query cuts and quoted strings with nothing that closes them', () => {
    expect(interpolations('${'.repeat(N / 2), true)).toEqual([]);
    expect(withoutQuery(`${'?'.repeat(N)}\n`)).toBe(`${'?'.repeat(N)}\n`);
    expect(replaceQuoted('"\\'.repeat(N / 2), `"'`, ' ', 'any-terminator')).toBe('"\\'.repeat(N / 2));
    expect(stringPairs('"\\'.repeat(N / 2))).toEqual([]);
    expect(selectorRegexes('/\\/'.repeat(60_000))).toHaveLength(30_000);
  });

  it('casts, conversions, keys and operators over long runs', () => {
    expect(withoutLeadingCasts(`(${' '.repeat(N)}`)).toBe(`(${' '.repeat(N)}`);
    expect(withoutConversions(`a${'.get'.repeat(N / 4)}!`)).toBe(`a${'.get'.repeat(N / 4)}!`);
    expect(withoutConversions(`a${'.get'.repeat(N / 4)}`)).toBe('a');
    expect(assignedKey(`${'a'.repeat(N)} x`)).toBeUndefined();
    expect(trailingOperator(`a &&${' '.repeat(N)}x`)).toBeUndefined();
    expect(isStoreReceiver(`${'_x'.repeat(N / 2)}!`)).toBe(false);
  });

  it('openers that share one close, and class heads with no body', () => {
    expect([...throughFirstStop('open('.repeat(N / 5), /\bopen\(/g, /[)\n]/g, /\)\s+as\s+(\w+)/y)]).toEqual([]);
    expect(hasCppMarkers('class A\n'.repeat(N / 8))).toBe(false);
    expect(hasCppMarkers(`${'class A\n'.repeat(N / 8)}{`)).toBe(true);
  });
});

describe('a printf format of a % and 100,000 zeros (20 s of CPU in each format regex before)', () => {
  it('is read at once by the rules that parse formats', async () => {
    const config = loadConfig(process.cwd(), undefined, BUILTIN);
    // No conversion ends the zeros, so each regex failed there after trying every split of them.
    const text = `#include <stdio.h>\nvoid report(const char *password) {\n  printf("%${'0'.repeat(100_000)}! %s", password);\n}\n`;
    const input = { path: '/p/fmt.c', relativePath: 'fmt.c', language: 'c' as const, text };
    const result = await checkFile(input, config.rulesFor('fmt.c'));
    expect(result.notAnalysed).toBeUndefined();
    expect(result.findings.map((f) => f.ruleId)).toContain('secret-in-log');
  }, 120_000);
});
