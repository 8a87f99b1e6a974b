/**
 * Issue 12, item 1: name analysis (splitting into words, classifying as a credential or update name) is for
 * names. Rules reach it with values too (a credential slot's literal, an argument's text), and a regex split
 * of a 200 KB value took minutes; every entry point now answers "not a name" for text that is not
 * identifier-shaped, before any split, regex or cache, and a whole check of such a file stays fast.
 */
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../server/src/core/check';
import { loadConfig } from '../../server/src/core/config';
import { classifyCredentialName } from '../../rules/_shared/credential-names';
import { identifierWords, isIdentifierShaped } from '../../rules/_shared/identifier-words';
import { classifySensitiveName } from '../../rules/_shared/secret-references';
import { secretNameOf } from '../../rules/_shared/secrets/generic';
import { nameMatches, SLOT_FORMATS } from '../../rules/_shared/secrets/formats';
import { isVerificationName } from '../../rules/_shared/update-apis';
import { BUILTIN } from '../helpers/registry';
import { costGrowth, costGrowthOf, linearBound } from '../helpers/cpu-cost';

const SIZE = 200_000;
/** About `size` characters that are not a name: upper-case runs (the worst case of the old split), underscores, a line break. */
const notAName = (size: number) => `password_${'A'.repeat(size / 2)}_${'aB1_'.repeat(size / 8)}\nmbedtls_verify`;
/** About `size` characters on which the library-verify name regex backtracks quadratically (120 KB took 16 s unguarded). */
const verifyRun = (size: number) => `mbedtls_rsa_${'verify'.repeat(Math.round(size / 6))}!`;
/** 200 KB of each. */
const VALUE = notAName(SIZE);
const VERIFY_VALUE = verifyRun(SIZE);

describe('name analysis on a 200 KB value', () => {
  it('is not identifier-shaped; names, qualified names and keys are', () => {
    expect(isIdentifierShaped(VALUE)).toBe(false);
    expect(isIdentifierShaped('password'.repeat(40))).toBe(false);
    expect(isIdentifierShaped('cfg->wifi.sta_password')).toBe(true);
    expect(isIdentifierShaped('pump.auth-token')).toBe(true);
  });

  it('every entry point answers "not a name" at once', () => {
    const everyEntryPoint = (value: string, verify: string) => [
      identifierWords(value),
      classifyCredentialName(value),
      classifySensitiveName(value),
      secretNameOf(value),
      SLOT_FORMATS.some((format) => nameMatches(format, value)),
      isVerificationName(value),
      isVerificationName(verify),
    ];
    expect(everyEntryPoint(VALUE, VERIFY_VALUE)).toEqual([[], undefined, undefined, undefined, false, false, false]);
    // 200 KB to 1.6 MB: the CPU time grows no faster than the length (a split or backtracking regex grew with its
    // square). Not from 25 KB: there the whole answer takes microseconds, and the caches, not the algorithm, set the
    // ratio (a linear memo lookup measured 45–49× from 25 KB to 200 KB, and 6–10× from 200 KB to 1.6 MB).
    expect(costGrowth((size) => everyEntryPoint(notAName(size), verifyRun(size)), SIZE * 8, 8)).toBeLessThan(linearBound(8));
    // The same entry points still classify a name.
    expect(classifyCredentialName('wifi_password')?.kind).toBe('password');
  });

  it.each([
    ['c', 'cred.c', (v: string) => `const char *password = "${v}";\nconst char *${v.slice(0, 50)} = "x";\n`],
    ['python', 'cred.py', (v: string) => `password = "${v}"\nAPI_KEY = "${v}"\n`],
    ['javascript', 'cred.js', (v: string) => `const password = "${v}";\nconfig.apiKey = '${v}';\n`],
  ] as const)(
    'a whole %s check of a file holding it stays linear',
    async (language, file, source) => {
      const config = loadConfig(process.cwd(), undefined, BUILTIN);
      const check = async (size: number) => {
        const text = source(notAName(size).replace('\n', ' '));
        const result = await checkFile({ path: `/p/${file}`, relativePath: file, language, text }, config.rulesFor(file));
        expect(result.ruleFailures).toEqual([]);
      };
      // 25 KB to 200 KB values: the check's CPU time grows no faster than the file.
      expect(await costGrowthOf(check, SIZE, 8)).toBeLessThan(linearBound(8));
    },
    120_000,
  );
});
