/**
 * Issue 12, item 1: every regular expression in the rules and the engine runs on hostile text, so each must
 * be linear: recheck (the ReDoS checker that guards custom rules) must call it safe. recheck's verdict depends
 * on its wall-time budget, so verdicts are cached in regex-verdicts.json by `npm run regex-verdicts`; this test
 * finds every regex by parsing the source (test/helpers/builtin-regexes.ts) and fails for one with no cached
 * verdict (run the script) or a cached verdict other than "safe" (rewrite it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { allBuiltinRegexes, regexesOfFile, regexKey, regexSourceFiles, type FoundRegex } from '../helpers/builtin-regexes';

const ROOT = path.resolve(__dirname, '..', '..');
const VERDICTS: Record<string, string> = JSON.parse(fs.readFileSync(path.join(__dirname, 'regex-verdicts.json'), 'utf8'));

/**
 * Regexes that stay although recheck does not call them safe: key → why. Only two reasons are accepted (the 71
 * polynomial regexes found when this test became strict are all rewritten). An entry `bounded: <file>
 * <CONSTANT>: …` runs only on text that constant of that file bounds (a slice or a length guard at the call
 * site); the test checks the file has the regex and the constant, and uses it. An entry `shipped: <file>: …`
 * runs only on the rule pages medsec ships: the test checks that only defineRule calls the file's parser.
 */
const ALLOWED: Record<string, string> = {
  '/(?:\\(\\s*\\w+(?:\\s+\\w+)*(?:\\s*\\*+)?\\s*\\)\\s*)+$/':
    'bounded: rules/_shared/secret-references.ts BEFORE_WINDOW: the casts just before a sensitive name',
  '/(?:\\b(?:strlen|strnlen|len|sizeof|size|length|count|bool|Boolean|typeof|type|isEmpty|isBlank|isset|empty|hash\\w*|sha\\d*\\w*|md5\\w*|\\w*[mM]ask\\w*|\\w*[rR]edact\\w*|\\w*[oO]bfuscate\\w*|\\w*[fF]ingerprint\\w*|\\w*[pP]review\\w*)\\s*\\(\\s*|!!?\\s*|\\bnot\\s+)$/':
    'bounded: rules/_shared/secret-references.ts BEFORE_WINDOW: the text just before a sensitive name',
  '/([A-Za-z_$][\\w$]*)\\s*(?:<[^<>()]*>)?\\s*$/':
    "bounded: rules/_shared/secret-references.ts CALLEE_WINDOW: the text just before a call's parenthesis",
  '/^## +(.+?) *$/m':
    'shipped: rules/_shared/rule-docs.ts: reads the rule pages bundled with medsec (defineRule), never a scanned or configured text',
  '/^(`{3,})([\\w-]+) (bad|good)\\n([\\s\\S]*?)\\n\\1$/gm':
    'shipped: rules/_shared/rule-docs.ts: reads the rule pages bundled with medsec (defineRule), never a scanned or configured text',
  '/^- \\[(.+)\\]\\((\\S+)\\)\\s*$/gm':
    'shipped: rules/_shared/rule-docs.ts: reads the rule pages bundled with medsec (defineRule), never a scanned or configured text',
  '/^[^;{}\\n]*?(?:\\)\\s*)?(?:\\{|:)?\\s*(?:return\\s+([\\w.:]+)|[\\w.>-]*(?:authenticated|granted|authorized|authorised|ok|valid|allowed|logged_?in|loggedIn)\\s*=\\s*(true|True|1)\\b)/i':
    'bounded: rules/default-credential/rule.ts GRANT_WINDOW: the start of the branch after a credential check',
  '/^\\s*(?:(?:\\.|\\?\\.)\\s*(?:length|size|count|isEmpty|isBlank|isNullOrEmpty|isNullOrBlank|isNotEmpty|len|hashCode|slice|substring|substr|take|takeLast|startsWith|endsWith|isPresent|isDefined)\\b|!==?|===?|\\bis\\b|\\bin\\b|\\[\\s*-?\\d*\\s*:|:(?!:)|=(?!=)|\\?(?![.?]))/':
    'bounded: rules/_shared/secret-references.ts AFTER_WINDOW: the text just after a sensitive name',
};

/** `bounded: <file> <CONSTANT>: why`; the bound a polynomial regex may run on is small (its cost stays below ~1 ms). */
const BOUNDED = /^bounded: (\S+) ([A-Z][A-Z0-9_]*): /;
const MAX_BOUND = 400;

/**
 * `RegExp(...)` calls whose source is a run-time value, so no regex can be read from the source: file:line
 * without the line → why the regexes they build are linear or checked elsewhere.
 */
const DYNAMIC_SITES: Record<string, string> = {
  'rules/_shared/secrets/assignments.ts': 'an alternation of escaped literal keywords: no quantifier',
  'rules/broken-cipher/single-block.ts': 'an alternation of identifiers (the sized names of the file): no quantifier',
  'rules/weak-hash/detect.ts': 'an alternation of the weak selector constants (identifiers of a fixed table): no quantifier',
  'rules/_shared/secrets/find-secrets.ts': 'the prefix trigger, exported as PREFIX_TRIGGER and checked by value',
  'rules/_shared/secrets/formats.ts': 'the token formats, exported as PREFIX_FORMATS and checked by value',
  'server/src/core/custom/matchers.ts': "the user's custom-rule regexes, each checked by regexProblem when the rule loads",
  'server/src/core/custom/regex-safety.ts': 'compiles a user regex only to report a syntax error, never runs it',
  'server/src/core/model/ts-shapes.ts':
    'compiles a regex literal of the scanned file only to print its value as ESTree holds it (typescript-estree does the same), never runs it',
};

/** Every module of the trees, for the regexes they export (tables built at load time). */
async function loadModules(): Promise<Record<string, Record<string, unknown>>> {
  const entries = await Promise.all(
    regexSourceFiles(ROOT).map(async (file) => [file, (await import(path.join(ROOT, file))) as Record<string, unknown>] as const),
  );
  return Object.fromEntries(entries);
}

const describeRegex = (regex: FoundRegex) => `${regex.where}: ${regexKey(regex)}`;

describe('built-in regular expressions', () => {
  it('are all found: literals, RegExp calls and exported tables', async () => {
    const all = allBuiltinRegexes(ROOT, await loadModules());
    expect(all.length).toBeGreaterThan(1000);
    // The secret formats are built by a helper from strings: found by value.
    expect(all.some((r) => r.where.includes('PREFIX_FORMATS'))).toBe(true);
  }, 120_000);

  it('are all linear: recheck calls each safe (cached verdicts, npm run regex-verdicts)', async () => {
    const all = allBuiltinRegexes(ROOT, await loadModules());
    const unchecked = all.filter((r) => VERDICTS[regexKey(r)] === undefined).map(describeRegex);
    expect(unchecked, 'no cached verdict: run `npm run regex-verdicts`').toEqual([]);
    const unsafe = all
      .filter((r) => VERDICTS[regexKey(r)] !== 'safe' && ALLOWED[regexKey(r)] === undefined)
      .map((r) => `${describeRegex(r)} → ${VERDICTS[regexKey(r)]}`);
    expect(unsafe).toEqual([]);
  }, 120_000);

  it('a regex allowed as bounded sits in the file named, whose guard constant exists and is used', () => {
    const problems: string[] = [];
    for (const [key, reason] of Object.entries(ALLOWED)) {
      const bounded = BOUNDED.exec(reason);
      if (!bounded) continue;
      const [, file, constant] = bounded;
      const text = fs.existsSync(path.join(ROOT, file)) ? fs.readFileSync(path.join(ROOT, file), 'utf8') : '';
      if (!regexesOfFile(ROOT, file).regexes.some((r) => regexKey(r) === key)) problems.push(`${key}: not in ${file}`);
      const value = new RegExp(`\\bconst ${constant} = (\\d+);`).exec(text)?.[1];
      if (value === undefined || Number(value) > MAX_BOUND)
        problems.push(`${key}: ${file} declares no ${constant} of at most ${MAX_BOUND}`);
      if (text.split(constant).length < 3) problems.push(`${key}: ${file} never uses ${constant}`);
    }
    expect(problems).toEqual([]);
  });

  it('a regex allowed as shipped-only sits in the rule-page parser, which only defineRule calls', () => {
    const shipped = Object.entries(ALLOWED).filter(([, reason]) => reason.startsWith('shipped: '));
    for (const [key, reason] of shipped) {
      const file = reason.split(' ')[1].replace(/:$/, '');
      expect(file).toBe('rules/_shared/rule-docs.ts');
      expect(regexesOfFile(ROOT, file).regexes.some((r) => regexKey(r) === key)).toBe(true);
    }
    const callers = regexSourceFiles(ROOT).filter((file) => fs.readFileSync(path.join(ROOT, file), 'utf8').includes('parseRuleDocs('));
    expect(callers.sort()).toEqual(['rules/_shared/define-rule.ts', 'rules/_shared/rule-docs.ts']);
  });

  it('allows no polynomial regex but a bounded or a shipped-only one', () => {
    const open = Object.entries(ALLOWED).filter(([, reason]) => !BOUNDED.test(reason) && !reason.startsWith('shipped: '));
    expect(open.map(([key, reason]) => `${key}: ${reason}`)).toEqual([]);
  });

  it('every dynamic RegExp call has a reason', () => {
    const sites = regexSourceFiles(ROOT).flatMap((file) => regexesOfFile(ROOT, file).dynamic);
    const unexplained = sites.filter((site) => DYNAMIC_SITES[site.where.replace(/:\d+$/, '')] === undefined);
    expect(unexplained.map((site) => `${site.where}: ${site.text}`)).toEqual([]);
  });

  it('the allow-lists hold no stale entries', async () => {
    const keys = new Set(allBuiltinRegexes(ROOT, await loadModules()).map(regexKey));
    expect(Object.keys(ALLOWED).filter((key) => !keys.has(key))).toEqual([]);
    const files = new Set(regexSourceFiles(ROOT).filter((file) => regexesOfFile(ROOT, file).dynamic.length > 0));
    expect(Object.keys(DYNAMIC_SITES).filter((file) => !files.has(file))).toEqual([]);
  }, 120_000);
});
