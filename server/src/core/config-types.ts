/**
 * The shape of `.medsec.json` in one place: the TypeScript types the loader reads, and `configSchema()`,
 * which builds the JSON schema for the same shape (plus each rule's options and the enum of rule ids).
 * schema/medsec.schema.json is `configSchema(builtinRules)` as written by `medsec schema --write`; a test
 * fails when it is stale. Change a type here and its schema next to it together.
 */
import { PRESET_REFERENCES } from './presets';
import { LANGUAGES, SEVERITIES, type Confidence, type FixSafety, type LanguageId, type Rule, type Severity } from './types';

// ---------------------------------------------------------------------------------------------------
// Types

export type RuleSettingValue = 'off' | Severity | { severity?: 'off' | Severity; options?: Record<string, unknown> };

export interface OverrideSpec {
  files: string[];
  excludedFiles?: string[];
  rules: Record<string, RuleSettingValue>;
}

export interface MedsecConfigFile {
  $schema?: string;
  extends?: string[];
  rules?: Record<string, RuleSettingValue>;
  overrides?: OverrideSpec[];
  ignore?: string[];
  maxFileSize?: number;
  customRules?: CustomRuleSpec[];
  customRuleBudgetMs?: number;
}

/** A string is a glob (`CONFIG_*_TELNET`); `{ regex }` is a JavaScript regular expression. */
export type TextPattern = string | { regex: string; flags?: string };

export type RegexScope = 'string' | 'comment' | 'identifier' | 'code';

/** The conditions any matcher may carry; they filter its matches. */
export interface MatcherConditions {
  insideFunction?: { name: string };
  notPrecededBy?: { call: TextPattern; scope?: 'function' | 'file' };
  within?: { lines: number; of: MatcherSpec };
}

export type MatcherSpec = MatcherConditions & (
  | { treeSitterQuery: string | Partial<Record<LanguageId, string>> }
  | { selector: string }
  | { regex: string; flags?: string; scope: RegexScope }
  | { config: { key: TextPattern; value?: TextPattern } }
  | { all: MatcherSpec[] }
  | { any: MatcherSpec[] }
  | { not: MatcherSpec }
);

export type ExampleSpec = string | { code: string; language: LanguageId };

export interface CustomRuleSpec {
  id: string;
  title: string;
  severity: Severity;
  confidence?: Confidence;
  languages: LanguageId[];
  cwe?: number[];
  fda?: string[];
  iec62443?: string[];
  message: string;
  docs?: { summary?: string; risk?: string; fix?: string; url?: string };
  match: MatcherSpec;
  fix?: { replace: string; title?: string; safety?: Exclude<FixSafety, 'none'> };
  examples?: { match?: ExampleSpec[]; noMatch?: ExampleSpec[] };
}

export const MATCHER_KINDS = ['treeSitterQuery', 'selector', 'regex', 'config', 'all', 'any', 'not'] as const;
export type MatcherKind = (typeof MATCHER_KINDS)[number];
export const TREE_SITTER_QUERY_LANGUAGES: readonly LanguageId[] = ['c', 'cpp', 'python', 'java', 'kotlin'];
export const SELECTOR_LANGUAGES: readonly LanguageId[] = ['typescript', 'javascript'];
export const CONFIG_MATCHER_LANGUAGES: readonly LanguageId[] = ['kconfig', 'dotenv', 'android-manifest'];
export const CUSTOM_RULE_ID = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;
export const DEFAULT_CUSTOM_RULE_BUDGET_MS = 200;

// ---------------------------------------------------------------------------------------------------
// The JSON schema of the same shape

type Schema = Record<string, unknown>;

const SEVERITY_OR_OFF = ['off', ...SEVERITIES];
const str = (description: string, extra: Schema = {}): Schema => ({ description, type: 'string', ...extra });
const strings = (description: string, item: string, extra: Schema = {}): Schema => ({ description, type: 'array', items: str(item, { minLength: 1 }), ...extra });
const object = (description: string, properties: Record<string, Schema>, required: string[] = []): Schema => ({
  description, type: 'object', additionalProperties: false, ...(required.length ? { required } : {}), properties,
});

function ruleSettingSchema(description: string, options?: Schema): Schema {
  return {
    description,
    if: { type: 'string' },
    then: { description: '`off`, or the severity to report the rule\'s findings at.', enum: SEVERITY_OR_OFF },
    else: object('The severity and options of the rule.', {
      severity: str('`off`, or the severity to report the rule\'s findings at.', { enum: SEVERITY_OR_OFF }),
      options: options ?? { description: 'Options for the rule, as its documentation describes. They replace the options set by an earlier setting of the same rule.', type: 'object' },
    }),
  };
}

function ruleSettingsSchema(rules: readonly Rule[]): Schema {
  const properties: Record<string, Schema> = {};
  for (const rule of [...rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))) {
    properties[rule.meta.id] = ruleSettingSchema(`${rule.meta.title} (default ${rule.meta.severity}).`, rule.meta.options as Schema | undefined);
  }
  return {
    description: 'Rule settings by rule id (or an old alias of it, or a custom rule id `namespace/name`). A later setting of the same rule wins.',
    type: 'object',
    properties,
    additionalProperties: { $ref: '#/definitions/ruleSetting' },
  };
}

const textPatternSchema: Schema = {
  description: 'A glob (`*` any characters, `?` one) matched against the whole text, or `{ "regex": "..." }`.',
  if: { type: 'string' },
  then: { type: 'string', minLength: 1 },
  else: object('A JavaScript regular expression (checked for catastrophic backtracking when the rule loads).', {
    regex: str('The pattern, without slashes.', { minLength: 1 }),
    flags: str('Any of `i`, `m`, `s`, `u`.', { pattern: '^[imsu]*$' }),
  }, ['regex']),
};

function matcherSchema(): Schema {
  const ref = { $ref: '#/definitions/matcher' };
  const conditions: Record<string, Schema> = {
    insideFunction: object('Keep a match only inside a function whose name matches this regular expression.', { name: str('A regular expression for the function name.', { minLength: 1 }) }, ['name']),
    notPrecededBy: object('Drop a match when a call matching `call` comes earlier in the same function (or file).', {
      call: { $ref: '#/definitions/textPattern' },
      scope: str('Where to look for the earlier call (default `function`).', { enum: ['function', 'file'] }),
    }, ['call']),
    within: object('Keep a match only when the matcher `of` matches within `lines` lines of it.', {
      lines: { description: 'How many lines before or after.', type: 'integer', minimum: 0 },
      of: ref,
    }, ['lines', 'of']),
  };
  const kinds: Record<string, Schema> = {
    treeSitterQuery: {
      description: 'A tree-sitter query (C, C++, Python, Java, Kotlin), or one per language. The capture `@match` (else the widest capture) is reported; captures fill `{{name}}` placeholders.',
      if: { type: 'string' },
      then: { type: 'string', minLength: 1 },
      else: { type: 'object', additionalProperties: false, minProperties: 1, properties: Object.fromEntries(TREE_SITTER_QUERY_LANGUAGES.map((l) => [l, { type: 'string', minLength: 1 }])) },
    },
    selector: str('An esquery selector over the ESTree of TypeScript and JavaScript (`CallExpression[callee.name="eval"]`).', { minLength: 1 }),
    regex: str('A JavaScript regular expression run on each piece of `scope` separately.', { minLength: 1 }),
    flags: str('Regex flags: any of `i`, `m`, `s`, `u`.', { pattern: '^[imsu]*$' }),
    scope: str('What the regex runs on: string literal contents, comments, identifiers, or each line of code.', { enum: ['string', 'comment', 'identifier', 'code'] }),
    config: object('A key/value entry of a firmware config file (sdkconfig, prj.conf, Kconfig fragments, .env, AndroidManifest attributes).', {
      key: { $ref: '#/definitions/textPattern' },
      value: { $ref: '#/definitions/textPattern' },
    }, ['key']),
    all: { description: 'Matches of the first matcher that overlap a match of every other positive matcher and of no `not` matcher.', type: 'array', minItems: 1, items: ref },
    any: { description: 'Matches of any of the matchers.', type: 'array', minItems: 1, items: ref },
    not: { description: 'Inside `all`: excludes matches that overlap a match of this matcher.', ...ref },
  };
  return {
    description: `One matcher kind (${MATCHER_KINDS.join(', ')}) with optional conditions (insideFunction, notPrecededBy, within).`,
    type: 'object',
    additionalProperties: false,
    properties: { ...kinds, ...conditions },
  };
}

function exampleSchema(): Schema {
  return {
    description: 'Code in the rule\'s first language, or `{ "code", "language" }`.',
    if: { type: 'string' },
    then: { type: 'string' },
    else: object('An example in a given language.', { code: str('The example code.'), language: str('Its language.', { enum: LANGUAGES }) }, ['code', 'language']),
  };
}

function customRuleSchema(): Schema {
  return object('A declarative rule: data only, no code.', {
    id: str('`namespace/name` in kebab-case, such as `acme/no-dev-unlock`.', { pattern: CUSTOM_RULE_ID.source }),
    title: str('One line naming the flagged pattern.', { minLength: 1 }),
    severity: { $ref: '#/definitions/severity' },
    confidence: str('How sure a match is a real problem (default `medium`).', { enum: ['high', 'medium', 'low'] }),
    languages: { description: 'The languages the rule checks.', type: 'array', minItems: 1, uniqueItems: true, items: str('A language id.', { enum: LANGUAGES }) },
    cwe: { description: 'CWE ids (from the medsec taxonomy).', type: 'array', items: { type: 'integer', minimum: 1 } },
    fda: strings('FDA keys from the medsec taxonomy (`app1.A.5`, `524b.b2`).', 'An FDA key.'),
    iec62443: strings('IEC 62443-4-2 requirement ids (`CR 1.5`).', 'A requirement id.'),
    message: str('The finding message; `{{capture}}` placeholders are filled from the match.', { minLength: 1 }),
    docs: object('Documentation shown on hover and in reports.', {
      summary: str('What the rule finds.'), risk: str('Why it matters for a device.'), fix: str('How to fix it.'), url: str('A link to more documentation.'),
    }),
    match: { $ref: '#/definitions/matcher' },
    fix: object('A replacement for the match, applied only when the result still parses.', {
      replace: str('The new text; `{{capture}}` placeholders are filled from the match.'),
      title: str('Shown on the quick fix.'),
      safety: str('`suggestion` (default) or `safe` (applied by fix-all).', { enum: ['safe', 'suggestion'] }),
    }, ['replace']),
    examples: object('Code the rule must match and must not match, checked when the rule loads and by `medsec verify-rules`.', {
      match: { type: 'array', items: { $ref: '#/definitions/example' } },
      noMatch: { type: 'array', items: { $ref: '#/definitions/example' } },
    }),
  }, ['id', 'title', 'severity', 'languages', 'message', 'match']);
}

/** The JSON schema of `.medsec.json` for these rules (ids for completion, each rule's options). */
export function configSchema(rules: readonly Rule[]): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/medsec-dev/medsec/blob/main/schema/medsec.schema.json',
    title: 'medsec configuration (.medsec.json)',
    description: 'Configuration of medsec, the security linter for medical-device software. JSON with comments. Generated by `medsec schema --write` from server/src/core/config-types.ts; do not edit by hand.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: str('The JSON schema this file follows; editors use it for completion and validation.'),
      extends: {
        description: 'Rule sets to start from, applied in order (later entries win): `medsec:recommended`, `medsec:strict` (a superset of recommended), a path relative to this file to another JSON rule-set file in the same format, or an installed npm package whose package.json has a `medsec` field (or which ships `medsec.json`); packages are read as data, never run. In the root configuration file an omitted `extends` means ["medsec:recommended"]; an empty array starts from no rules at all. In an extended file an omitted `extends` inherits nothing.',
        type: 'array',
        items: str('`medsec:recommended`, `medsec:strict`, a relative path, or an npm package name.', { minLength: 1, examples: [...PRESET_REFERENCES] }),
      },
      rules: { $ref: '#/definitions/ruleSettings' },
      overrides: {
        description: 'Rule settings for some files only. Every override whose `files` match a file (and whose `excludedFiles` do not) applies on top of `rules`, in order: a later override wins.',
        type: 'array',
        items: object('Rule settings for the files that match `files` but not `excludedFiles`.', {
          files: strings('Globs, relative to the configuration root, with forward slashes. A glob without a slash matches the file name in any folder (`*.test.c`).', 'A glob such as `test/**` or `*.py`.', { minItems: 1 }),
          excludedFiles: strings('Globs of files that this override does not apply to, even though `files` match them.', 'A glob such as `test/integration/**`.'),
          rules: { $ref: '#/definitions/ruleSettings' },
        }, ['files', 'rules']),
      },
      ignore: strings('Globs of files and folders not to scan, relative to the configuration root (in addition to every `.gitignore`). A glob without a slash matches the name in any folder.', 'A glob such as `third_party/**` or `*.generated.c`.'),
      maxFileSize: { description: 'Files larger than this many bytes are skipped with a note. Default: 2000000 (2 MB).', type: 'integer', minimum: 1 },
      customRules: { description: 'Declarative rules of your own (see docs/custom-rules.md). Not loaded in an untrusted workspace.', type: 'array', items: { $ref: '#/definitions/customRule' } },
      customRuleBudgetMs: { description: `Time one custom rule may take on one file before it is disabled for the rest of the run. Default: ${DEFAULT_CUSTOM_RULE_BUDGET_MS}.`, type: 'integer', minimum: 1 },
    },
    definitions: {
      severity: str('How serious a finding is. `medsec scan --fail-on` compares against it.', { enum: [...SEVERITIES] }),
      ruleSettings: ruleSettingsSchema(rules),
      ruleSetting: ruleSettingSchema('`off`, a severity (turns the rule on at that severity), or an object with `severity` and `options`. An object without `severity` turns the rule on at its configured (or default) severity.'),
      textPattern: textPatternSchema,
      matcher: matcherSchema(),
      example: exampleSchema(),
      customRule: customRuleSchema(),
    },
  };
}
