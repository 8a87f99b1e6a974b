/** Declarative custom rules: each matcher kind in each language, combinators, conditions, fixes, safety. */
import * as path from 'path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../server/src/core/check';
import type { CustomRuleSpec, MatcherSpec } from '../../server/src/core/config-types';
import { ConfigError, resolveConfig } from '../../server/src/core/config';
import { setCustomRuleClockForTests } from '../../server/src/core/custom/budget';
import { preloadCustomRuleLanguages } from '../../server/src/core/custom/sync-parse';
import type { EffectiveRule, FileResult, LanguageId } from '../../server/src/core/types';
import { registryOf } from '../helpers/registry';

beforeAll(async () => {
  await preloadCustomRuleLanguages();
});
afterEach(() => setCustomRuleClockForTests(undefined));

const ROOT = path.join(__dirname, 'project');

function spec(match: MatcherSpec, languages: LanguageId[], extra: Partial<CustomRuleSpec> = {}): CustomRuleSpec {
  return { id: 'acme/test-rule', title: 'test rule', severity: 'high', languages, message: 'found {{match}}', match, ...extra };
}

/** Matching is tested here, not timing (the budget tests set a clock): a loaded machine must not disable a rule. */
const UNHURRIED = { customRuleBudgetMs: 60_000 };

function rulesOf(specs: CustomRuleSpec[], more: Record<string, unknown> = {}): EffectiveRule[] {
  return resolveConfig({ extends: [], customRules: specs, ...UNHURRIED, ...more }, undefined, ROOT, { registry: registryOf([]) }).rulesFor(
    'x',
  );
}

const EXTENSIONS: Record<string, string> = {
  c: 'c',
  cpp: 'cpp',
  python: 'py',
  java: 'java',
  kotlin: 'kt',
  typescript: 'ts',
  javascript: 'js',
  kconfig: 'conf',
  dotenv: 'env',
};

async function check(rules: EffectiveRule[], language: LanguageId, text: string): Promise<FileResult> {
  const file = language === 'dotenv' ? '.env' : language === 'kconfig' ? 'prj.conf' : `x.${EXTENSIONS[language]}`;
  return checkFile({ path: path.join(ROOT, file), relativePath: file, text, language }, rules);
}

/** `line:message` of each finding (0-based lines). */
async function found(match: MatcherSpec, language: LanguageId, text: string, extra: Partial<CustomRuleSpec> = {}): Promise<string[]> {
  const result = await check(rulesOf([spec(match, [language], extra)]), language, text);
  expect(result.ruleFailures).toEqual([]);
  return result.findings.map((f) => `${f.range.start.line}:${f.message}`);
}

function loadError(specs: CustomRuleSpec[]): ConfigError {
  try {
    rulesOf(specs);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('treeSitterQuery in each tree-sitter language', () => {
  const cases: [LanguageId, string, string][] = [
    ['c', '(call_expression function: (identifier) @fn (#eq? @fn "dev_unlock")) @match', 'int a;\nvoid f(void) { dev_unlock(1); }\n'],
    ['cpp', '(call_expression function: (identifier) @fn (#eq? @fn "dev_unlock")) @match', 'namespace n {}\nvoid f() { dev_unlock(1); }\n'],
    ['python', '(call function: (identifier) @fn (#eq? @fn "dev_unlock")) @match', 'import x\ndev_unlock(1)\n'],
    [
      'java',
      '(method_invocation name: (identifier) @fn (#eq? @fn "devUnlock")) @match',
      'class A {\n  void f() { Debug.devUnlock(1); } }\n',
    ],
    ['kotlin', '(call_expression (identifier) @fn (#eq? @fn "devUnlock")) @match', 'fun main() {\n  devUnlock(1)\n}\n'],
  ];
  for (const [language, query, code] of cases) {
    it(`matches in ${language}`, async () => {
      const hits = await found({ treeSitterQuery: query }, language, code, { message: '{{fn}} called' });
      expect(hits).toEqual([`1:${language === 'java' || language === 'kotlin' ? 'devUnlock' : 'dev_unlock'} called`]);
    });
  }

  it('takes one query per language', async () => {
    const match = {
      treeSitterQuery: {
        c: '(call_expression function: (identifier) @fn (#eq? @fn "a")) @match',
        python: '(call function: (identifier) @fn (#eq? @fn "a")) @match',
      },
    };
    const rules = rulesOf([spec(match, ['c', 'python'])]);
    expect((await check(rules, 'c', 'void f(void) { a(); b(); }\n')).findings).toHaveLength(1);
    expect((await check(rules, 'python', 'a()\nb()\n')).findings).toHaveLength(1);
  });

  it('honours #match? predicates', async () => {
    expect(
      await found(
        { treeSitterQuery: '((identifier) @match (#match? @match "^[Dd]ebug_"))' },
        'c',
        'int debug_mode;\nint Debug_x;\nint release;\n',
      ),
    ).toEqual(['0:found debug_mode', '1:found Debug_x']);
  });
});

describe('selector on TypeScript and JavaScript', () => {
  for (const language of ['typescript', 'javascript'] as const) {
    it(`matches in ${language}`, async () => {
      const hits = await found(
        { selector: 'CallExpression[callee.property.name="setDebugMode"]' },
        language,
        'const a = 1;\npump.setDebugMode(true);\n',
        { message: '{{callee}}({{args}})' },
      );
      expect(hits).toEqual(['1:pump.setDebugMode(true)']);
    });
  }

  it('runs regex attributes', async () => {
    expect(await found({ selector: 'Identifier[name=/^unsafe[A-Z]/]' }, 'typescript', 'let unsafeMode = 1;\nlet safe = 2;\n')).toEqual([
      '0:found unsafeMode',
    ]);
  });
});

describe('regex with a scope', () => {
  it('scope string: only string literal contents', async () => {
    expect(
      await found(
        { regex: 'debug\\.acme\\.example', scope: 'string' },
        'c',
        '// debug.acme.example\nconst char *u = "https://debug.acme.example/x";\n',
      ),
    ).toEqual(['1:found debug.acme.example']);
    expect(await found({ regex: 'debug\\.acme', scope: 'string' }, 'python', 'u = "debug.acme"\n# debug.acme\n')).toEqual([
      '0:found debug.acme',
    ]);
  });

  it('scope comment: only comments', async () => {
    expect(
      await found(
        { regex: 'HACK\\((?<who>\\w+)\\)', scope: 'comment' },
        'java',
        'class A {\n  // HACK(bob): skip auth\n  String s = "HACK(x)";\n}\n',
        { message: 'hack by {{who}}' },
      ),
    ).toEqual(['1:hack by bob']);
    expect(await found({ regex: 'TODO security', scope: 'comment' }, 'kconfig', '# TODO security\nCONFIG_A=y\n')).toEqual([
      '0:found TODO security',
    ]);
  });

  it('scope identifier: identifiers from the tree, not strings or comments', async () => {
    expect(
      await found(
        { regex: '^backdoor', flags: 'i', scope: 'identifier' },
        'c',
        '/* backdoor */\nint BackdoorEnabled = 1;\nchar *s = "backdoor";\n',
      ),
    ).toEqual(['1:found Backdoor']);
    expect(
      await found({ regex: '^backdoor', scope: 'identifier' }, 'typescript', '// backdoor\nconst backdoorKey = "backdoor";\n'),
    ).toEqual(['1:found backdoor']);
    expect(await found({ regex: '^backdoor', scope: 'identifier' }, 'kotlin', 'val backdoorPin = 1\n')).toEqual(['0:found backdoor']);
  });

  it('scope code: each line', async () => {
    expect(
      await found({ regex: '^#pragma\\s+optimize\\("", off\\)', scope: 'code' }, 'cpp', 'int a;\n#pragma optimize("", off)\n'),
    ).toHaveLength(1);
    expect(await found({ regex: '^\\s*(\\d+)\\s*$', scope: 'code' }, 'dotenv', 'A=1\n42\n', { message: 'line {{1}}' })).toEqual([
      '1:line 42',
    ]);
  });
});

describe('config key/value patterns', () => {
  it('matches exact keys and glob or regex values in Kconfig fragments', async () => {
    const text = 'CONFIG_SHELL_BACKEND_TELNET=y\nCONFIG_SHELL_BACKEND_SERIAL=y\nCONFIG_NET_SHELL_TELNET_PORT=23\n';
    expect(await found({ config: { key: 'CONFIG_*TELNET*' } }, 'kconfig', text, { message: '{{key}}' })).toEqual([
      '0:CONFIG_SHELL_BACKEND_TELNET',
      '2:CONFIG_NET_SHELL_TELNET_PORT',
    ]);
    expect(
      await found({ config: { key: { regex: 'TELNET' }, value: { regex: '^\\d+$' } } }, 'kconfig', text, { message: '{{value}}' }),
    ).toEqual(['2:23']);
  });

  it('matches .env entries', async () => {
    expect(await found({ config: { key: 'DEBUG', value: 'true' } }, 'dotenv', 'DEBUG=true\nOTHER=true\n')).toHaveLength(1);
  });
});

describe('combinators', () => {
  const strcpy = { treeSitterQuery: '(call_expression function: (identifier) @fn (#eq? @fn "strcpy")) @match' };
  it('all: overlapping matches; not: excludes', async () => {
    const code = 'void f(char *d) {\n  strcpy(d, "x");\n  strcpy(d, src);\n}\n';
    expect(await found({ all: [strcpy, { regex: 'src', scope: 'code' }] }, 'c', code)).toEqual(['2:found strcpy(d, src)']);
    expect(await found({ all: [strcpy, { not: { regex: '.', scope: 'string' } }] }, 'c', code)).toEqual(['2:found strcpy(d, src)']);
  });

  it('any: matches of either', async () => {
    expect(
      await found({ any: [strcpy, { regex: 'gets\\(', scope: 'code' }] }, 'c', 'void f(char *d) {\n  strcpy(d, s);\n  gets(d);\n}\n'),
    ).toHaveLength(2);
  });
});

describe('context conditions', () => {
  const swap = { treeSitterQuery: '(call_expression function: (identifier) @fn (#eq? @fn "bootloader_swap")) @match' };
  it('insideFunction keeps matches in functions whose name matches', async () => {
    const code = 'void isr_timer(void) { bootloader_swap(); }\nvoid main_loop(void) { bootloader_swap(); }\n';
    expect(await found({ ...swap, insideFunction: { name: '^isr_' } }, 'c', code)).toEqual(['0:found bootloader_swap()']);
  });

  it('notPrecededBy drops matches after a matching call in the function, glob or regex', async () => {
    const code =
      'void a(void) { verify_image(); bootloader_swap(); }\nvoid b(void) { bootloader_swap(); verify_image(); }\nvoid c(void) { verify_image(); }\nvoid d(void) { bootloader_swap(); }\n';
    expect(await found({ ...swap, notPrecededBy: { call: 'verify_*' } }, 'c', code)).toEqual([
      '1:found bootloader_swap()',
      '3:found bootloader_swap()',
    ]);
    expect(await found({ ...swap, notPrecededBy: { call: { regex: '^verify' }, scope: 'file' } }, 'c', code)).toEqual([]);
  });

  it('within keeps matches near another match', async () => {
    const code =
      'void f(void) {\n  unlock();\n  x();\n  y();\n  z();\n  w();\n  log_audit();\n}\nvoid g(void) {\n  unlock();\n  log_audit();\n}\n';
    const unlock = { treeSitterQuery: '(call_expression function: (identifier) @fn (#eq? @fn "unlock")) @match' };
    expect(await found({ ...unlock, within: { lines: 2, of: { regex: 'log_audit', scope: 'code' } } }, 'c', code)).toEqual([
      '9:found unlock()',
    ]);
  });
});

describe('fix templates', () => {
  const call = {
    treeSitterQuery: '(call_expression function: (identifier) @fn (#eq? @fn "strcpy") arguments: (argument_list) @args) @match',
  };
  it('applies a fix that parses', async () => {
    const result = await check(
      rulesOf([spec(call, ['c'], { fix: { replace: 'safe_{{fn}}{{args}}' } })]),
      'c',
      'void f(char *d) { strcpy(d, s); }\n',
    );
    expect(result.findings[0].fixes).toEqual([
      {
        title: 'Replace with safe_strcpy(d, s)',
        safety: 'suggestion',
        edits: [{ span: { start: 18, end: 30 }, newText: 'safe_strcpy(d, s)' }],
      },
    ]);
  });

  it('drops a fix whose result does not parse', async () => {
    const result = await check(
      rulesOf([spec(call, ['c'], { fix: { replace: '{{fn}}((({{args}}' } })]),
      'c',
      'void f(char *d) { strcpy(d, s); }\n',
    );
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0].fixes).toEqual([]);
  });

  it('checks TypeScript fixes with the ESTree parser', async () => {
    const match = { selector: 'CallExpression[callee.name="evil"]' };
    const ok = await check(
      rulesOf([spec(match, ['typescript'], { fix: { replace: 'good({{args}})', safety: 'safe' } })]),
      'typescript',
      'evil(1);\n',
    );
    expect(ok.findings[0].fixes[0]).toMatchObject({ safety: 'safe', edits: [{ newText: 'good(1)' }] });
    const bad = await check(rulesOf([spec(match, ['typescript'], { fix: { replace: 'good(({{args}}' } })]), 'typescript', 'evil(1);\n');
    expect(bad.findings[0].fixes).toEqual([]);
  });
});

describe('safety', () => {
  it('rejects a catastrophic regex at load, with the attack string', () => {
    const error = loadError([spec({ regex: '(a+)+$', scope: 'code' }, ['c'])]);
    expect(error.key).toBe('customRules[0].match.regex');
    expect(error.detail).toMatch(
      /^the regular expression \/\(a\+\)\+\$\/ can backtrack catastrophically \(exponential time on input such as 'a' \+ 'a'\.repeat\(\d+\)/,
    );
  });

  it('rejects catastrophic regexes wherever they appear', () => {
    expect(loadError([spec({ config: { key: { regex: '(x|x)*y' } } }, ['kconfig'])]).key).toBe('customRules[0].match.config.key.regex');
    expect(loadError([spec({ treeSitterQuery: '((identifier) @match (#match? @match "(a*)*b"))' }, ['c'])]).detail).toMatch(
      /backtrack catastrophically/,
    );
    expect(loadError([spec({ regex: 'x', scope: 'code', insideFunction: { name: '(\\w+)+!' } }, ['c'])]).key).toBe(
      'customRules[0].match.insideFunction.name',
    );
  });

  it('cuts off a rule that exceeds its budget, disables it for the run, and keeps the others', async () => {
    // A fake clock that advances 1 ms per reading: deterministic, no timing in the test.
    let now = 0;
    setCustomRuleClockForTests(() => (now += 1));
    const slow = spec({ regex: 'x', scope: 'code' }, ['c'], { id: 'acme/slow' });
    const fast = spec({ regex: 'y', scope: 'code' }, ['c'], { id: 'acme/fast' });
    const rules = rulesOf([slow, fast], { customRuleBudgetMs: 50 });
    // 300 matches of "x" read the clock 300 times; the one "y" a handful of times.
    const first = await check(rules, 'c', `int y = ${'x'.repeat(300)};\n`);
    expect(first.ruleFailures).toEqual([
      {
        ruleId: 'acme/slow',
        path: 'x.c',
        error: 'acme/slow exceeded its 50 ms budget on x.c and was disabled for this run',
        overBudget: true,
      },
    ]);
    expect(first.findings.map((f) => f.ruleId)).toEqual(['acme/fast']);
    // Disabled for the rest of the run: no findings and no second notice on the next file.
    const second = await check(rules, 'c', 'int x, y;\n');
    expect(second.ruleFailures).toEqual([]);
    expect(second.findings.map((f) => f.ruleId)).toEqual(['acme/fast']);
  });

  it('keeps a rule that is slow only by the wall clock: a loaded machine does not disable it', async () => {
    // Each reading moves the wall clock a second on while the process does no work: a thread waiting for a core.
    let now = 0;
    setCustomRuleClockForTests(
      () => (now += 1000),
      () => 0,
    );
    const rules = rulesOf([spec({ regex: 'x', scope: 'code' }, ['c'], { id: 'acme/slow' })], { customRuleBudgetMs: 50 });
    const result = await check(rules, 'c', `int ${'x'.repeat(300)};\n`);
    expect(result.ruleFailures).toEqual([]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(Array(300).fill('acme/slow'));
  });
});
