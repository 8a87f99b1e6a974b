/**
 * hardcoded-credential's pre-filter (rules/hardcoded-credential/needs.ts) is complete for names: every name the
 * credential-name classifier accepts, and every login-worded call name, holds one of the rule's fragments, in
 * whatever case and with whatever separators it is written. Random names built from the terms, their neighbours
 * and separators; rule-needs.test.ts checks the whole rule on its fixtures.
 */
import { describe, expect, it } from 'vitest';
import { classifyCredentialName } from '../rules/_shared/credential-names';
import { identifierWords } from '../rules/_shared/identifier-words';
import { LOGIN_WORDS } from '../rules/hardcoded-credential/declared-parameters';
import { credentialNeeds, credentialShapes } from '../rules/hardcoded-credential/needs';
import { SLOT_FORMATS, slotFormatsFor } from '../rules/_shared/secrets/formats';
import { FragmentScanner } from '../server/src/core/fragment-scan';
import type { LanguageId } from '../server/src/core/types';

// The classifier's terms and pair words, words around them (neutral, disqualifying, hardware) and near misses.
const WORDS = [
  ...['password', 'passwd', 'pwd', 'pw', 'pass', 'passphrase', 'passcode', 'psk', 'secret', 'token', 'credential'],
  ...['credentials', 'creds', 'cred', 'pin', 'pincode', 'passkey', 'apikey', 'api', 'key', 'access', 'private', 'auth'],
  ...['shared', 'client', 'word', 'phrase', 'code', 'pairing', 'verification', 'unlock', 'security', 'login', 'logon'],
  ...['signin', 'user', 'account', 'wifi', 'mqtt', 'value', 'str', 'buf', 'ap', 'max', 'is', 'led', 'gpio', 'by'],
  ...['com', 'spin', 'ing', 'x', 's', '2', '10'],
];
const SEPARATORS = ['', '', '_', '__', '-', ' ', '$', '::', '.', '->'];
const CASES = [(w: string) => w, (w: string) => w.toUpperCase(), (w: string) => w[0].toUpperCase() + w.slice(1)];

describe('hardcoded-credential pre-filter', () => {
  for (const language of ['c', 'java', 'python', 'typescript'] as LanguageId[]) {
    it(`finds a fragment in every credential name and login-worded call name (${language})`, () => {
      const scanner = new FragmentScanner(credentialNeeds({}, language, [])!);
      let seed = 11;
      const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      let credentials = 0;
      for (let round = 0; round < 20_000; round++) {
        let name = '';
        for (let i = 1 + next(4); i > 0; i--) {
          name += SEPARATORS[next(SEPARATORS.length)];
          name += CASES[next(CASES.length)](WORDS[next(WORDS.length)]);
        }
        const credential = classifyCredentialName(name) !== undefined;
        const login = identifierWords(name).some((word) => LOGIN_WORDS.has(word));
        if (!credential && !login) continue;
        credentials++;
        const found = new Uint8Array(scanner.fragments.length);
        expect(scanner.scan(name, found), name).toBeGreaterThan(0);
      }
      expect(credentials).toBeGreaterThan(2000);
    });
  }

  it("finds a provider's name wherever a binding's name names one (reportProviderSlots' formats)", () => {
    const words = [...new Set(SLOT_FORMATS.flatMap((format) => format.words.flat())), 'x', 'app', 'id', 'sid', 'ad', 'o', 'k', 'ta'];
    let seed = 5;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let named = 0;
    for (let round = 0; round < 20_000; round++) {
      let name = '';
      for (let i = 1 + next(4); i > 0; i--)
        name += SEPARATORS[next(SEPARATORS.length)] + CASES[next(CASES.length)](words[next(words.length)]);
      if (!slotFormatsFor(name).length) continue;
      named++;
      expect(credentialShapes(`const ${name} = 1;`, 'c'), name).toBe(true);
    }
    expect(named).toBeGreaterThan(2000);
  });
});
