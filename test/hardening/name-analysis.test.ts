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

/** 200 KB that is not a name: upper-case runs (the worst case of the old split), underscores, a line break. */
const VALUE = `password_${'A'.repeat(100_000)}_${'aB1_'.repeat(25_000)}\nmbedtls_verify`;
/** 200 KB on which the library-verify name regex backtracks quadratically (120 KB took 16 s unguarded). */
const VERIFY_VALUE = `mbedtls_rsa_${'verify'.repeat(33_000)}!`;

describe('name analysis on a 200 KB value', () => {
  it('is not identifier-shaped; names, qualified names and keys are', () => {
    expect(isIdentifierShaped(VALUE)).toBe(false);
    expect(isIdentifierShaped('password'.repeat(40))).toBe(false);
    expect(isIdentifierShaped('cfg->wifi.sta_password')).toBe(true);
    expect(isIdentifierShaped('pump.auth-token')).toBe(true);
  });

  it('every entry point answers "not a name" at once', () => {
    const started = performance.now();
    expect(identifierWords(VALUE)).toEqual([]);
    expect(classifyCredentialName(VALUE)).toBeUndefined();
    expect(classifySensitiveName(VALUE)).toBeUndefined();
    expect(secretNameOf(VALUE)).toBeUndefined();
    expect(SLOT_FORMATS.some((format) => nameMatches(format, VALUE))).toBe(false);
    expect(isVerificationName(VALUE)).toBe(false);
    expect(isVerificationName(VERIFY_VALUE)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
    // The same entry points still classify a name.
    expect(classifyCredentialName('wifi_password')?.kind).toBe('password');
  });

  it.each([
    ['c', 'cred.c', (v: string) => `const char *password = "${v}";\nconst char *${v.slice(0, 50)} = "x";\n`],
    ['python', 'cred.py', (v: string) => `password = "${v}"\nAPI_KEY = "${v}"\n`],
    ['javascript', 'cred.js', (v: string) => `const password = "${v}";\nconfig.apiKey = '${v}';\n`],
  ] as const)(
    'a whole %s check of a file holding it stays fast',
    async (language, file, source) => {
      const config = loadConfig(process.cwd(), undefined, BUILTIN);
      const value = VALUE.replace('\n', ' ');
      const started = performance.now();
      const result = await checkFile({ path: `/p/${file}`, relativePath: file, language, text: source(value) }, config.rulesFor(file));
      expect(result.ruleFailures).toEqual([]);
      expect(performance.now() - started).toBeLessThan(20_000);
    },
    60_000,
  );
});
