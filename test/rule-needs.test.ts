/**
 * The rules' pre-filters (`meta.needs`, core/rule-needs.ts) change nothing but the time: every rule, run with and
 * without its pre-filter over every rule's fixtures, reports the same findings and provides the same facts. The
 * annotation comments are blanked first: they name rule ids (`weak-password-hash`), which would hand a rule the
 * fragment its pre-filter looks for where the code does not.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import { checkFile } from '../server/src/core/check';
import { FragmentScanner } from '../server/src/core/fragment-scan';
import { fragmentsOf, NeedsPlan } from '../server/src/core/rule-needs';
import { identifierWords } from '../rules/_shared/identifier-words';
import { detectFileLanguage as detectLanguage } from '../server/src/core/language';
import type { EffectiveRule, FileResult, Rule } from '../server/src/core/types';
import { RULES, ruleFixtureFiles } from './helpers/rule-fixture-files';

const ANNOTATION_LINE = /^\s*(?:\/\/|#|\/\*|\*|<!--)\s*(?:ruleid|ok|todoruleid|todook):[^\n]*$/gm;

/** Every rule's fixture files. */
function fixtureFiles(): string[] {
  return builtinRules.flatMap((rule) => ruleFixtureFiles(rule.meta.id));
}

const withNeeds = (rules: readonly Rule[]): EffectiveRule[] => rules.map((rule) => ({ rule, severity: rule.meta.severity, options: {} }));
const withoutNeeds = (rules: readonly Rule[]): EffectiveRule[] =>
  rules.map((rule) => ({ rule: { ...rule, meta: { ...rule.meta, needs: undefined } }, severity: rule.meta.severity, options: {} }));

/** What a pre-filter must not change: the findings (rule, place, message, fixes), the facts, the failures. */
function outcome(result: FileResult) {
  return {
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      span: f.span,
      message: f.message,
      severity: f.severity,
      fixes: f.fixes,
      unless: f.unless,
      when: f.when,
    })),
    facts: result.facts ?? {},
    failures: result.ruleFailures,
    notAnalysed: result.notAnalysed,
  };
}

describe('rule pre-filters', () => {
  it('every declared fragment is one an escape cannot stand for, and no list is empty', () => {
    for (const rule of builtinRules)
      for (const language of rule.meta.languages) {
        const fragments = fragmentsOf(rule.meta, {}, language);
        if (fragments) expect(fragments.length, `${rule.meta.id} on ${language}`).toBeGreaterThan(0);
      }
  });

  it('change no finding and no fact on any rule fixture', async () => {
    const declared = builtinRules.filter((rule) => rule.meta.needs);
    expect(declared.length).toBeGreaterThan(0);
    const differences: string[] = [];
    let skipped = 0;
    for (const file of fixtureFiles()) {
      const language = detectLanguage(file)!;
      const text = fs.readFileSync(file, 'utf8').replace(ANNOTATION_LINE, (line) => ' '.repeat(line.length));
      const relativePath = path.relative(RULES, file).split(path.sep).join('/');
      const input = { path: file, relativePath, text, language, testCode: { policy: 'report', by: 'content' } as const };
      const fast = outcome(await checkFile(input, withNeeds(declared)));
      const full = outcome(await checkFile(input, withoutNeeds(declared)));
      skipped += new NeedsPlan(withNeeds(declared), language).skips(text).filter(Boolean).length;
      if (JSON.stringify(fast) !== JSON.stringify(full))
        differences.push(`${relativePath}: ${JSON.stringify(full)} became ${JSON.stringify(fast)}`);
    }
    expect(differences).toEqual([]);
    // The check means something only if the pre-filters skip rules on the fixtures (the near misses of others).
    expect(skipped).toBeGreaterThan(0);
  }, 1_200_000);
});

describe('FragmentScanner', () => {
  it('finds overlapping and nested fragments, case-insensitively', () => {
    const scanner = new FragmentScanner(['http', 'https', 'tps:', 'ssl_verify', 'MD5']);
    const found = new Uint8Array(5);
    expect(scanner.scan('x = HTTPS://a; md5(y)', found)).toBe(4);
    expect([...found]).toEqual([1, 1, 1, 0, 1]);
  });

  it('folds the non-ASCII letters whose case mapping is ASCII', () => {
    const scanner = new FragmentScanner(['key', 'sig', 'list']);
    const found = new Uint8Array(3);
    scanner.scan('\u212Aey \u0131\u0130g li\u017Ft', found);
    expect([...found]).toEqual([1, 0, 1]);
  });

  it("finds an anchored fragment only at identifier edges, or within an escape's reach", () => {
    const scanner = new FragmentScanner(['<gets>', '<rand', 'log>']);
    const scan = (text: string) => {
      const found = new Uint8Array(3);
      scanner.scan(text, found);
      return [...found];
    };
    expect(scan('widgets(x); getsockopt(); operand; catalog_t')).toEqual([0, 0, 0]);
    expect(scan('gets(buf); std::rand(); ESP_LOG')).toEqual([1, 1, 1]);
    expect(scan('x$gets(); random(); syslog(1)')).toEqual([1, 1, 1]);
    expect(scan('"\\ngets" "\\x20rand"')).toEqual([1, 1, 0]);
  });

  it("finds a word-anchored fragment only at the edges of a name's words, as identifierWords splits them", () => {
    const scanner = new FragmentScanner(['<<pass>>', 'token>>', '<<pin>>', '<<key>>']);
    const scan = (text: string) => {
      const found = new Uint8Array(4);
      scanner.scan(text, found);
      return [...found];
    };
    expect(scan('bypass(); passive = 1; compass; tokenize(x); spinlock; keyboard; monkey')).toEqual([0, 0, 0, 0]);
    expect(scan('wifi_pass; authToken; setPin(); api_key')).toEqual([1, 1, 1, 1]);
    expect(scan('WIFI_PASS; ACCESS_TOKEN; PIN_CODE; APIKey')).toEqual([1, 1, 1, 1]);
    // `PASSWord` is pass, word; `KEYstore` is ke, ystore.
    expect(scan('PASSWord; xTOKENS; PINS; KEYstore')).toEqual([1, 0, 0, 0]);
    expect(scan('wifi2Pass; TokenX; "\tpin"')).toEqual([1, 1, 1, 0]);
    // A digit ends a word here though the splitter keeps `pass1` whole: more files run the rule, none fewer.
    expect(scan('pass1')).toEqual([1, 0, 0, 0]);
    // `pinMode` and `pin_mode` hold the word `pin` as the splitter reads them: the rule decides what it means.
    expect(scan('pinMode(LED, OUTPUT)')).toEqual([0, 0, 1, 0]);
  });

  it("finds every word identifierWords splits a name into, and every word's end, in the name", () => {
    const pieces = ['pass', 'PASS', 'Pass', 'key', 'KEY', 'Key', 'x', 'X', 'io', 'IO', '_', '1', '-', '$', 'word', 'Word', '\\x41'];
    const words = ['pass', 'key', 'x', 'io', 'word', 'keyx', 'passkey', 'iokey'];
    const scanner = new FragmentScanner([...words.map((w) => `<<${w}>>`), ...words.map((w) => `${w}>>`)]);
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 5000; round++) {
      let name = '';
      for (let i = 1 + next(6); i > 0; i--) name += pieces[next(pieces.length)];
      const found = new Uint8Array(words.length * 2);
      scanner.scan(name, found);
      for (const word of identifierWords(name)) {
        const at = words.indexOf(word);
        if (at >= 0) expect(found[at], `<<${word}>> in ${name}`).toBe(1);
        for (const [i, w] of words.entries()) if (word.endsWith(w)) expect(found[words.length + i], `${w}>> in ${name}`).toBe(1);
      }
    }
  });

  it('finds nothing in a text without the fragments', () => {
    const scanner = new FragmentScanner(['mbedtls_ssl_conf_authmode', 'telnet']);
    const found = new Uint8Array(2);
    expect(scanner.scan('mbedtls_ssl_conf_auth telne t', found)).toBe(0);
  });
});

describe('NeedsPlan', () => {
  const rule = (id: string, needs: Rule['meta']['needs']): EffectiveRule => ({
    rule: { meta: { ...builtinRules[0].meta, id, languages: ['c', 'java', 'javascript'], needs }, check: () => {} },
    severity: 'high',
    options: {},
  });

  it('skips a rule only when none of its fragments occurs, and never a rule without needs', () => {
    const plan = new NeedsPlan([rule('a', ['telnet', 'ftp']), rule('b', ['md5']), rule('c', undefined)], 'c');
    expect(plan.skips('connect("FTP://x")')).toEqual([false, true, false]);
  });

  it('skips nothing in a file with an escape that can stand for a fragment character', () => {
    const plan = new NeedsPlan([rule('a', ['telnet'])], 'c');
    expect(plan.skips('s = "\\x74elnet";')).toEqual([false]);
    expect(plan.skips('s = "\\x54elnet";')).toEqual([false]);
    expect(plan.skips('s = "\\164elnet";')).toEqual([false]);
    expect(plan.skips('s = "\\u0074elnet";')).toEqual([false]);
    expect(plan.skips('s = "\\tel net";')).toEqual([true]);
    expect(plan.skips('s = "tel\\net";')).toEqual([true]);
    expect(plan.skips('s = "te\\lnet";')).toEqual([false]);
  });

  it('reads literals the model joins as one: adjacent in C and Python, or joined by +', () => {
    const c = new NeedsPlan([rule('a', ['http://']), rule('b', ['<des>'])], 'c');
    expect(c.skips('const char *url = "ht" "tp://pump.local/api";')).toEqual([false, true]);
    expect(c.skips('const char *url = "ht"\n    "tp://pump.local/api";')).toEqual([false, true]);
    expect(c.skips('const wchar_t *url = L"ht" L"tp://pump.local";')).toEqual([false, true]);
    const java = new NeedsPlan([rule('a', ['http://']), rule('b', ['<des>'])], 'java');
    expect(java.skips('Cipher.getInstance("D" + "ES");')).toEqual([true, false]);
    expect(java.skips('String u = "ht" +\n    "tp://pump.local";')).toEqual([false, true]);
    const js = new NeedsPlan([rule('a', ['http://'])], 'javascript');
    expect(js.skips('const u = `ht` + `tp://pump.local`;')).toEqual([false]);
  });

  it('a literal beside a name, a comma or an operator other than + joins nothing', () => {
    const java = new NeedsPlan([rule('a', ['http://']), rule('b', ['<des>'])], 'java');
    expect(java.skips('log("ht", "tp://x".length());')).toEqual([true, true]);
    expect(java.skips('String s = "D" + mode + "ES";')).toEqual([true, true]);
    expect(java.skips('boolean b = "ht" == "tp://";')).toEqual([true, true]);
    expect(java.skips('String s = "D"; String t = "ES";')).toEqual([true, true]);
  });

  it('reads escapes in pairs and decodes them before asking whether they spell a fragment character', () => {
    const plan = new NeedsPlan([rule('a', ['telnet'])], 'java');
    // An escaped backslash then a letter: `\\d` in a regex string decodes to `\d`, which the text holds.
    expect(plan.skips('Pattern.compile("\\\\d+\\\\s")')).toEqual([true]);
    expect(plan.skips('s = "\\x1b[0m \\u00e9 \\0 \\" \\\\"')).toEqual([true]);
    expect(plan.skips('s = "\\d"')).toEqual([true]); // `d` is no character of `telnet`
    expect(plan.skips('s = "\\e"')).toEqual([false]);
    expect(plan.skips('s = "\\x0074"')).toEqual([false]); // C reads every hex digit
  });

  it("decodes JavaScript's line joins and JSX character references", () => {
    const plan = new NeedsPlan([rule('a', ['telnet'])], 'javascript');
    expect(plan.skips('s = "tel\\\nnet"')).toEqual([false]);
    expect(plan.skips('<p>&#116;elnet</p>')).toEqual([false]);
    expect(plan.skips('<p>&#x3b1; &amp; &nbsp;</p>')).toEqual([true]);
    expect(plan.skips('<p>&lowbar;</p>')).toEqual([false]);
    expect(plan.skips('/\\d+\\b/.test(s)')).toEqual([true]);
  });

  it('asks a needs function with the rule options', () => {
    const extended = rule('a', (options) => ['md5', ...((options.extra as string[]) ?? [])]);
    extended.options = { extra: ['my_hash'] };
    expect(new NeedsPlan([extended], 'c').skips('my_hash(x)')).toEqual([false]);
  });

  it('refuses a fragment with a character an escape can stand for', () => {
    expect(() => new NeedsPlan([rule('a', ['a"b'])], 'c')).toThrow(/escape/);
  });
});
