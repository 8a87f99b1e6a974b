import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_MAX_FILE_SIZE, loadConfig, resolveConfig } from '../server/src/core/config';
import { closestMatch } from '../server/src/core/text-matching';
import { preloadCustomRuleLanguages } from '../server/src/core/custom/sync-parse';
import type { EffectiveRule } from '../server/src/core/types';
import { fakeRule, useTempProject } from './helpers/project';
import { registryOf } from './helpers/registry';

const RULES = [
  fakeRule('cleartext-protocol', { severity: 'high' }),
  fakeRule('debug-port-enabled', { severity: 'low', presets: ['strict'] }),
  fakeRule('hardcoded-credential', { severity: 'critical', aliases: ['hardcoded-password'] }),
  fakeRule('weak-hash', { severity: 'medium' }),
];

/** `id:severity` for each rule on, in rule order: easy to compare. */
function summary(rules: EffectiveRule[]): string[] {
  return rules.map((effective) => `${effective.rule.meta.id}:${effective.severity}`);
}

const project = useTempProject('config');
const write = (name: string, text: string) => project.write(name, text);

function load(text: string): ReturnType<typeof loadConfig> {
  write('.medsec.json', text);
  return loadConfig(project.dir, undefined, { registry: registryOf(RULES) });
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** Asserts the error's position and key, and that its message is `FILE:LINE:COL: ... (at KEY)`. */
function expectError(error: ConfigError, file: string, line: number, column: number, key: string, detail: RegExp): void {
  expect({ file: error.file, line: error.line, column: error.column, key: error.key }).toEqual({ file, line, column, key });
  expect(error.detail).toMatch(detail);
  expect(error.message).toBe(`${file}:${line}:${column}: ${error.detail}${key ? ` (at ${key})` : ''}`);
  expect(error.message).not.toContain('\n');
}

describe('presets and defaults', () => {
  it('uses medsec:recommended when there is no config file', () => {
    const config = loadConfig(project.dir, undefined, { registry: registryOf(RULES) });
    expect(config.source).toBeUndefined();
    expect(summary(config.rulesFor('a.c'))).toEqual(['cleartext-protocol:high', 'hardcoded-credential:critical', 'weak-hash:medium']);
    expect(config.maxFileSize).toBe(DEFAULT_MAX_FILE_SIZE);
    expect(config.ignore).toEqual([]);
  });

  it('treats an omitted extends in the root file as medsec:recommended, and [] as nothing', () => {
    expect(summary(load('{ "rules": { "weak-hash": "off" } }').rulesFor('a.c'))).toEqual([
      'cleartext-protocol:high',
      'hardcoded-credential:critical',
    ]);
    expect(summary(load('{ "extends": [], "rules": { "weak-hash": "low" } }').rulesFor('a.c'))).toEqual(['weak-hash:low']);
  });

  it('makes medsec:strict a superset of recommended', () => {
    const config = load('{ "extends": ["medsec:strict"] }');
    expect(summary(config.rulesFor('a.c'))).toEqual([
      'cleartext-protocol:high',
      'debug-port-enabled:low',
      'hardcoded-credential:critical',
      'weak-hash:medium',
    ]);
  });

  it('accepts comments and trailing commas, and keeps the parsed file as raw', () => {
    const config = load('// team config\n{\n  /* block */ "rules": { "weak-hash": "off", },\n}\n');
    expect(config.raw).toEqual({ rules: { 'weak-hash': 'off' } });
    expect(config.source).toBe(path.join(project.dir, '.medsec.json'));
  });
});

describe('merge order', () => {
  it('applies extends in order, then the file own rules (later wins)', () => {
    write('a.json', '{ "rules": { "weak-hash": "high", "debug-port-enabled": "medium" } }');
    write('b.json', '{ "rules": { "weak-hash": "low" } }');
    const config = load('{ "extends": ["medsec:recommended", "./a.json", "./b.json"], "rules": { "debug-port-enabled": "off" } }');
    expect(summary(config.rulesFor('a.c'))).toEqual(['cleartext-protocol:high', 'hardcoded-credential:critical', 'weak-hash:low']);
  });

  it('lets a preset listed after a file turn rules back on at their default severity', () => {
    write('team.json', '{ "rules": { "weak-hash": "off", "cleartext-protocol": "low" } }');
    const config = load('{ "extends": ["./team.json", "medsec:recommended"] }');
    expect(summary(config.rulesFor('a.c'))).toEqual(['cleartext-protocol:high', 'hardcoded-credential:critical', 'weak-hash:medium']);
  });

  it('inherits nothing from an extended file without extends, and resolves its paths from its own folder', () => {
    write('shared/base.json', '{ "extends": ["./more.json"], "rules": { "weak-hash": "info" } }');
    write('shared/more.json', '{ "rules": { "debug-port-enabled": "high" } }');
    const config = load('{ "extends": ["./shared/base.json"] }');
    expect(summary(config.rulesFor('a.c'))).toEqual(['debug-port-enabled:high', 'weak-hash:info']);
  });

  it('keeps options across a severity-only setting and replaces them with new options', () => {
    const config = load(`{
      "rules": { "weak-hash": { "severity": "high", "options": { "allow": ["md5"] } } },
      "overrides": [
        { "files": ["a/**"], "rules": { "weak-hash": "low" } },
        { "files": ["b/**"], "rules": { "weak-hash": { "options": { "allow": [] } } } }
      ]
    }`);
    const weakHash = (file: string) => config.rulesFor(file).find((effective) => effective.rule.meta.id === 'weak-hash');
    expect(weakHash('x.c')).toMatchObject({ severity: 'high', options: { allow: ['md5'] } });
    expect(weakHash('a/x.c')).toMatchObject({ severity: 'low', options: { allow: ['md5'] } });
    expect(weakHash('b/x.c')).toMatchObject({ severity: 'high', options: { allow: [] } });
  });

  it('accepts an alias for a renamed rule', () => {
    const config = load('{ "rules": { "hardcoded-password": "low" } }');
    expect(summary(config.rulesFor('a.c'))).toContain('hardcoded-credential:low');
  });

  it('applies matching overrides in order, later wins, and honours excludedFiles', () => {
    const config = load(`{
      "rules": { "weak-hash": "high" },
      "overrides": [
        { "files": ["test/**"], "excludedFiles": ["test/integration/**"], "rules": { "weak-hash": "low", "hardcoded-credential": "off" } },
        { "files": ["*.py"], "rules": { "weak-hash": "info" } }
      ]
    }`);
    expect(summary(config.rulesFor('src/main.c'))).toEqual(['cleartext-protocol:high', 'hardcoded-credential:critical', 'weak-hash:high']);
    expect(summary(config.rulesFor('test/unit/a.c'))).toEqual(['cleartext-protocol:high', 'weak-hash:low']);
    expect(summary(config.rulesFor('test/unit/a.py'))).toEqual(['cleartext-protocol:high', 'weak-hash:info']);
    expect(summary(config.rulesFor('test/integration/a.c'))).toEqual([
      'cleartext-protocol:high',
      'hardcoded-credential:critical',
      'weak-hash:high',
    ]);
    expect(summary(config.rulesFor('.hidden/tool.py'))).toEqual([
      'cleartext-protocol:high',
      'hardcoded-credential:critical',
      'weak-hash:info',
    ]);
    expect(config.rulesFor('test/unit/a.c')).toBe(config.rulesFor('test/unit/a.c'));
  });

  it('puts overrides of extended files before the file own overrides', () => {
    write('team.json', '{ "overrides": [ { "files": ["fw/**"], "rules": { "weak-hash": "critical" } } ] }');
    const config = load(
      '{ "extends": ["medsec:recommended", "./team.json"], "overrides": [ { "files": ["fw/boot/**"], "rules": { "weak-hash": "info" } } ] }',
    );
    expect(summary(config.rulesFor('fw/ota.c'))).toContain('weak-hash:critical');
    expect(summary(config.rulesFor('fw/boot/rom.c'))).toContain('weak-hash:info');
  });

  it('lists rules enabled only by an override in enabledRules', () => {
    const config = load('{ "overrides": [ { "files": ["fw/**"], "rules": { "debug-port-enabled": "high" } } ] }');
    expect(summary(config.enabledRules())).toEqual([
      'cleartext-protocol:high',
      'debug-port-enabled:high',
      'hardcoded-credential:critical',
      'weak-hash:medium',
    ]);
  });

  it('merges ignore globs and takes the last maxFileSize', () => {
    write('team.json', '{ "ignore": ["third_party/**"], "maxFileSize": 10 }');
    const config = load('{ "extends": ["./team.json"], "ignore": ["build/"], "maxFileSize": 500 }');
    expect(config.ignore).toEqual(['third_party/**', 'build/']);
    expect(config.maxFileSize).toBe(500);
  });

  it('resolves an already parsed value with resolveConfig', () => {
    const config = resolveConfig({ extends: ['medsec:strict'], rules: { 'weak-hash': 'off' } }, undefined, project.dir, {
      registry: registryOf(RULES),
    });
    expect(summary(config.rulesFor('a.c'))).toEqual(['cleartext-protocol:high', 'debug-port-enabled:low', 'hardcoded-credential:critical']);
  });
});

describe('malformed configurations', () => {
  const file = () => path.join(project.dir, '.medsec.json');

  it('reports a missing comma with its position', () => {
    const error = configError(() => load('{\n  "rules": {\n    "weak-hash": "off"\n    "cleartext-protocol": "high"\n  }\n}\n'));
    expectError(error, file(), 4, 5, 'rules.cleartext-protocol', /invalid JSON: expected a comma/);
  });

  it('reports an unknown severity at the value, with a hint', () => {
    const error = configError(() => load('{\n  "rules": {\n    "weak-hash": "hgih"\n  }\n}\n'));
    expectError(
      error,
      file(),
      3,
      18,
      'rules.weak-hash',
      /"hgih" is not allowed \(did you mean "high"\?\); use one of: off, critical, high, medium, low, info/,
    );
  });

  it('reports an unknown top-level property at its name', () => {
    const error = configError(() => load('{\n  "extends": ["medsec:recommended"],\n  "rule": {}\n}\n'));
    expectError(error, file(), 3, 3, 'rule', /unknown property "rule" \(did you mean "rules"\?\)/);
  });

  it('reports a wrong type', () => {
    const error = configError(() => load('{ "ignore": "third_party/**" }'));
    expectError(error, file(), 1, 13, 'ignore', /expected an array, found the string "third_party\/\*\*"/);
  });

  it('reports an override without files at the override', () => {
    const error = configError(() => load('{\n  "overrides": [\n    { "rules": {} }\n  ]\n}\n'));
    expectError(error, file(), 3, 5, 'overrides[0]', /missing required property "files"/);
  });

  it('reports a non-positive maxFileSize', () => {
    const error = configError(() => load('{\n  "maxFileSize": 0\n}'));
    expectError(error, file(), 2, 18, 'maxFileSize', /must be at least 1/);
  });

  it('reports an unknown key inside a rule setting', () => {
    const error = configError(() => load('{\n  "rules": { "weak-hash": { "severity": "low", "option": {} } }\n}'));
    expectError(error, file(), 2, 48, 'rules.weak-hash.option', /unknown property "option" \(did you mean "options"\?\)/);
  });

  it('reports a duplicate key instead of silently keeping the last one', () => {
    const error = configError(() => load('{\n  "rules": {},\n  "rules": { "weak-hash": "off" }\n}'));
    expectError(error, file(), 3, 3, 'rules', /duplicate key "rules"/);
  });

  it('reports an empty file', () => {
    const error = configError(() => load(''));
    expectError(error, file(), 1, 1, '', /invalid JSON: expected a value/);
  });

  it('reports an unknown rule id at its name, with a did-you-mean hint over ids and aliases', () => {
    const error = configError(() => load('{\n  "rules": {\n    "weak-hsah": "off"\n  }\n}'));
    expectError(error, file(), 3, 5, 'rules.weak-hsah', /unknown rule "weak-hsah" \(did you mean "weak-hash"\?\); run `medsec rules`/);
    const alias = configError(() => load('{ "rules": { "hardcoded-pasword": "off" } }'));
    expect(alias.detail).toContain('did you mean "hardcoded-password"?');
    const far = configError(() => load('{ "rules": { "completely-different": "off" } }'));
    expect(far.detail).not.toContain('did you mean');
  });

  it('reports an unknown rule inside an override', () => {
    const error = configError(() => load('{ "overrides": [ { "files": ["a/**"], "rules": { "cleartext-protocl": "low" } } ] }'));
    expectError(error, file(), 1, 50, 'overrides[0].rules.cleartext-protocl', /did you mean "cleartext-protocol"/);
  });

  it('reports an unknown preset and a missing extended file at the extends entry', () => {
    const preset = configError(() => load('{\n  "extends": ["medsec:strcit"]\n}'));
    expectError(preset, file(), 2, 15, 'extends[0]', /unknown preset "medsec:strcit" \(did you mean "medsec:strict"\?\)/);
    const missing = configError(() => load('{ "extends": ["medsec:recommended", "./nope.json"] }'));
    expectError(missing, file(), 1, 37, 'extends[1]', /cannot read extended file "\.\/nope\.json" \(no such file\)/);
  });

  it('reports an error inside an extended file against that file', () => {
    const team = write('team.json', '{\n  "rules": { "weak-hash": 3 }\n}');
    const error = configError(() => load('{ "extends": ["./team.json"] }'));
    expectError(error, team, 2, 27, 'rules.weak-hash', /expected an object, found the number 3/);
  });

  it('reports an extends cycle', () => {
    write('a.json', '{ "extends": ["./.medsec.json"] }');
    const error = configError(() => load('{ "extends": ["./a.json"] }'));
    expectError(error, path.join(project.dir, 'a.json'), 1, 15, 'extends[0]', /extends itself/);
  });

  it('reports an unreadable --config file', () => {
    const missing = path.join(project.dir, 'missing.json');
    const error = configError(() => loadConfig(project.dir, missing, { registry: registryOf(RULES) }));
    expectError(error, missing, 1, 1, '', /cannot read the configuration file \(no such file\)/);
  });
});

describe('closestMatch', () => {
  it('finds near misses and ignores far ones', () => {
    expect(closestMatch('weak-hsah', ['weak-hash', 'cleartext-protocol'])).toBe('weak-hash');
    expect(closestMatch('xyz', ['weak-hash'])).toBeUndefined();
  });
});

describe('custom rules and rule options in the configuration', () => {
  // Examples in C need the grammar; loadCheckedConfig loads it, here it is loaded once for the block.
  beforeAll(() => preloadCustomRuleLanguages());
  const file = () => path.join(project.dir, '.medsec.json');
  const WITH_OPTIONS = [
    ...RULES,
    {
      ...fakeRule('clear-names'),
      meta: {
        ...fakeRule('clear-names').meta,
        options: {
          type: 'object',
          additionalProperties: false,
          properties: { allowedHosts: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
  ];
  const loadWith = (text: string) => {
    write('.medsec.json', text);
    return loadConfig(project.dir, undefined, { registry: registryOf(WITH_OPTIONS) });
  };
  /** A custom rule as one line of JSON, with fields replaced or added. */
  const rule = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      id: 'acme/no-dev-unlock',
      title: 'dev unlock',
      severity: 'high',
      languages: ['c'],
      message: 'found {{match}}',
      match: { regex: 'dev_unlock', scope: 'code' },
      ...extra,
    });
  const custom = (...rules: string[]) => `{\n  "customRules": [\n    ${rules.join(',\n    ')}\n  ]\n}\n`;

  it('validates rule options against the rule schema, at the option', () => {
    const wrongType = configError(() => loadWith('{\n  "rules": { "clear-names": { "options": { "allowedHosts": "lab" } } }\n}'));
    expectError(wrongType, file(), 2, 60, 'rules.clear-names.options.allowedHosts', /^expected an array, found the string "lab"$/);
    const unknown = configError(() => loadWith('{\n  "rules": { "clear-names": { "options": { "allowedHost": [] } } }\n}'));
    expectError(
      unknown,
      file(),
      2,
      44,
      'rules.clear-names.options.allowedHost',
      /^unknown property "allowedHost" \(did you mean "allowedHosts"\?\); allowed here: allowedHosts$/,
    );
    expect(
      loadWith('{ "rules": { "clear-names": { "options": { "allowedHosts": ["*.lab"] } } } }')
        .rulesFor('a.c')
        .find((e) => e.rule.meta.id === 'clear-names')?.options,
    ).toEqual({ allowedHosts: ['*.lab'] });
  });

  it('loads a custom rule, enables it, and lets rules and overrides configure it by id', () => {
    const config = loadWith(
      `{\n  "customRules": [${rule()}],\n  "rules": { "acme/no-dev-unlock": "critical" },\n  "overrides": [ { "files": ["test/**"], "rules": { "acme/no-dev-unlock": "off" } } ]\n}`,
    );
    expect(summary(config.rulesFor('src/a.c'))).toContain('acme/no-dev-unlock:critical');
    expect(summary(config.rulesFor('test/a.c'))).not.toContain('acme/no-dev-unlock:critical');
  });

  it('loads custom rules from an extended file and an npm package, read as data', () => {
    write('team/rules.json', `{ "customRules": [${rule({ id: 'team/one' })}] }`);
    write(
      'node_modules/@acme/medsec-rules/package.json',
      `{ "name": "@acme/medsec-rules", "version": "1.0.0", "main": "index.js", "medsec": { "customRules": [${rule({ id: 'acme/two' })}] } }`,
    );
    write('node_modules/@acme/medsec-rules/index.js', 'throw new Error("must never run");');
    write('node_modules/acme-medsec-base/package.json', '{ "name": "acme-medsec-base", "version": "1.0.0" }');
    write('node_modules/acme-medsec-base/medsec.json', '{ "rules": { "weak-hash": "low" } }');
    const config = loadWith('{ "extends": ["medsec:recommended", "./team/rules.json", "@acme/medsec-rules", "acme-medsec-base"] }');
    expect(summary(config.rulesFor('a.c'))).toEqual([
      'cleartext-protocol:high',
      'hardcoded-credential:critical',
      'weak-hash:low',
      'clear-names:high',
      'team/one:high',
      'acme/two:high',
    ]);
  });

  it('reports an error inside an npm package rule set against its package.json', () => {
    const manifest = write(
      'node_modules/bad-rules/package.json',
      '{\n  "name": "bad-rules",\n  "medsec": { "rules": { "weak-hash": "hgih" } }\n}',
    );
    const error = configError(() => loadWith('{ "extends": ["bad-rules"] }'));
    expectError(error, manifest, 3, 39, 'rules.weak-hash', /"hgih" is not allowed/);
  });

  it('skips custom rules and extends of files and packages in an untrusted workspace, with notices', () => {
    write('team.json', '{ "rules": { "weak-hash": "off" } }');
    write(
      '.medsec.json',
      `{\n  "extends": ["medsec:recommended", "./team.json"],\n  "customRules": [${rule()}],\n  "rules": { "acme/no-dev-unlock": "low" }\n}`,
    );
    const config = loadConfig(project.dir, undefined, { registry: registryOf(RULES), trusted: false });
    expect(summary(config.rulesFor('a.c'))).toEqual(['cleartext-protocol:high', 'hardcoded-credential:critical', 'weak-hash:medium']);
    expect(config.notices).toEqual([
      '"extends": "./team.json" in .medsec.json was not loaded: the workspace is not trusted',
      '1 custom rule(s) in .medsec.json were not loaded: the workspace is not trusted',
    ]);
  });

  // More kinds of malformed configuration, each with its exact position, key and message.
  const cases: [name: string, text: () => string, line: number, column: number, key: string, detail: RegExp][] = [
    ['a custom rule id without a namespace', () => custom(rule({ id: 'no-dev-unlock' })), 3, 11, 'customRules[0].id', /must match pattern/],
    [
      'an unfilled placeholder',
      () => custom(rule({ message: '{{fn}} called' })),
      3,
      99,
      'customRules[0].message',
      /placeholder \{\{fn\}\} is never filled: every match of this rule captures only match$/,
    ],
    [
      'a catastrophic regex',
      () => custom(rule({ match: { regex: '(a+)+$', scope: 'code' } })),
      3,
      134,
      'customRules[0].match.regex',
      /can backtrack catastrophically \(exponential time on input such as 'a' \+/,
    ],
    [
      '(?i) in a tree-sitter #match?',
      () => custom(rule({ match: { treeSitterQuery: '((identifier) @match (#match? @match "(?i)pass"))' } })),
      3,
      144,
      'customRules[0].match.treeSitterQuery',
      /starts with \(\?i\), which JavaScript regexes do not support; write \[Pp\]assword instead/,
    ],
    [
      'an invalid selector',
      () => custom(rule({ languages: ['typescript'], match: { selector: 'CallExpression[' } })),
      3,
      146,
      'customRules[0].match.selector',
      /^invalid selector: /,
    ],
    [
      'a matcher with two kinds',
      () => custom(rule({ match: { regex: 'a', scope: 'code', selector: 'Identifier' } })),
      3,
      125,
      'customRules[0].match',
      /a matcher has exactly one kind, but this one has selector and regex; combine them with "all" or "any"/,
    ],
    [
      'a matcher that cannot match in the rule languages',
      () => custom(rule({ match: { selector: 'Identifier' } })),
      3,
      137,
      'customRules[0].match.selector',
      /a "selector" matcher cannot match in c; it matches in typescript, javascript/,
    ],
    [
      '"not" at the top of a rule',
      () => custom(rule({ match: { not: { regex: 'a', scope: 'code' } } })),
      3,
      125,
      'customRules[0].match',
      /"not" only works inside "all"/,
    ],
    [
      'an unknown FDA key',
      () => custom(rule({ fda: ['app1.A.55'] })),
      3,
      170,
      'customRules[0].fda[0]',
      /unknown FDA key "app1.A.55" \(did you mean "app1.A.5"\?\)/,
    ],
    [
      'a phrase of what the rule sees for an FDA key the rule does not map to',
      () => custom(rule({ fda: ['app1.A.5'], sees: { 'app1.A.5': 'debug unlock calls', 'app1.D.5': 'debug ports' } })),
      3,
      233,
      'customRules[0].sees.app1.D.5',
      /"sees" has a phrase for "app1.D.5", which is not in this rule's "fda"/,
    ],
    [
      'an empty phrase of what the rule sees',
      () => custom(rule({ fda: ['app1.A.5'], sees: '' })),
      3,
      189,
      'customRules[0].sees',
      /^must not be empty$/,
    ],
    [
      'a CWE outside the taxonomy',
      () => custom(rule({ cwe: [99999] })),
      3,
      170,
      'customRules[0].cwe[0]',
      /CWE 99999 is not in the medsec taxonomy/,
    ],
    [
      'a duplicate custom rule id',
      () => custom(rule(), rule()),
      4,
      11,
      'customRules[1].id',
      /the rule id "acme\/no-dev-unlock" is already defined in \.medsec\.json at customRules\[0\]; rule ids must be unique/,
    ],
    [
      'a failing match example',
      () => custom(rule({ examples: { match: ['dev_lock();'] } })),
      3,
      184,
      'customRules[0].examples.match[0]',
      /custom rule "acme\/no-dev-unlock": example match\[0\] \(c\) produces no finding; fix the matcher or the example/,
    ],
    [
      'a failing noMatch example',
      () => custom(rule({ examples: { noMatch: ['int a;\ndev_unlock();'] } })),
      3,
      186,
      'customRules[0].examples.noMatch[0]',
      /example noMatch\[0\] \(c\) produces 1 finding\(s\), the first on its line 2/,
    ],
    [
      'a custom rule configured before it is defined',
      () => '{\n  "rules": { "acme/nope": "off" }\n}',
      2,
      14,
      'rules.acme/nope',
      /unknown rule "acme\/nope"; run `medsec rules` to list the rules; a custom rule must be defined in customRules/,
    ],
    [
      'a missing npm package',
      () => '{\n  "extends": ["@acme/missing-rules"]\n}',
      2,
      15,
      'extends[0]',
      /cannot find the npm package "@acme\/missing-rules" from .*; install it \(npm install --save-dev @acme\/missing-rules\)/,
    ],
    ['a non-positive customRuleBudgetMs', () => '{\n  "customRuleBudgetMs": 0\n}', 2, 25, 'customRuleBudgetMs', /must be at least 1/],
    [
      'a regex matcher without scope',
      () => custom(rule({ match: { regex: 'a' } })),
      3,
      125,
      'customRules[0].match',
      /a "regex" matcher needs a "scope": string, comment, identifier or code/,
    ],
  ];
  for (const [name, text, line, column, key, detail] of cases) {
    it(`reports ${name}`, () => {
      expectError(
        configError(() => loadWith(text())),
        file(),
        line,
        column,
        key,
        detail,
      );
    });
  }

  it('reports an extends cycle through three files with the chain', () => {
    write('a.json', '{ "extends": ["./b.json"] }');
    write('b.json', '{ "extends": ["./a.json"] }');
    const error = configError(() => loadWith('{ "extends": ["./a.json"] }'));
    expectError(
      error,
      path.join(project.dir, 'b.json'),
      1,
      15,
      'extends[0]',
      /"\.\/a\.json" extends itself through \.medsec\.json -> a\.json -> b\.json -> a\.json; remove the cycle/,
    );
  });
});

describe('the generated schema', () => {
  it('schema/medsec.schema.json is configSchema(builtinRules) (run `medsec schema --write`)', async () => {
    const fs = await import('fs');
    const { schemaText } = await import('../server/src/cli/commands/schema');
    expect(fs.readFileSync(path.join(__dirname, '..', 'schema', 'medsec.schema.json'), 'utf8')).toBe(schemaText());
  });

  it('lists the built-in rule ids and their options for completion', async () => {
    const { configSchema } = await import('../server/src/core/config-types');
    const { builtinRules } = await import('../rules/index');
    const settings = (
      configSchema(builtinRules).definitions as Record<
        string,
        { properties: Record<string, { else: { properties: { options: unknown } } }> }
      >
    ).ruleSettings;
    expect(Object.keys(settings.properties)).toEqual(builtinRules.map((r) => r.meta.id).sort());
    expect(settings.properties['cleartext-protocol'].else.properties.options).toMatchObject({
      properties: { allowedHosts: { type: 'array' } },
    });
  });
});
