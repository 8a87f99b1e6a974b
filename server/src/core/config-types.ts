/**
 * The shape of `.medsec.json`, defined once with TypeBox: each schema below is both the JSON schema the
 * loader validates against (and `medsec schema --write` writes to schema/medsec.schema.json, with each
 * built-in rule's id and options added) and, through `Static`, the TypeScript type the loader reads.
 *
 * The schema keeps the draft-07 layout editors and ajv know: shared parts live in `definitions` and are
 * referenced with `$ref`; a value that is a string or an object is an `if`/`then`/`else` on its type, so
 * a wrong value gets the error of the branch it meant.
 */
import { CloneType, Type, type SchemaOptions, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { DEFAULT_JUSTIFICATION_POLICY } from '../../../shared/justification';
import { PRESET_REFERENCES } from './presets';
import { TEST_CODE_POLICIES } from './test-code';
import { LANGUAGES, SEVERITIES, type LanguageId, type Rule } from './types';

// ---------------------------------------------------------------------------------------------------
// Building blocks

type DefinitionName = 'severity' | 'ruleSettings' | 'ruleSetting' | 'textPattern' | 'matcher' | 'example' | 'customRule';

/** `{ "$ref": "#/definitions/<name>" }`, typed as the definition it points to. */
function ref<T extends TSchema>(name: DefinitionName, _definition: T, options: SchemaOptions = {}): TUnsafe<Static<T>> {
  return Type.Unsafe<Static<T>>({ ...options, $ref: `#/definitions/${name}` });
}

/** `{ "enum": values }` (add `type: 'string'` in `options` where the schema says so), typed as the union of the values. */
function oneOf<const V extends readonly string[]>(values: V, options: SchemaOptions = {}): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ ...options, enum: [...values] });
}

/** A string (the `then` schema) or an object (the `else` schema), chosen by the value's type. */
function stringOr<S extends TSchema, O extends TSchema>(string: S, object: O, options: SchemaOptions = {}): TUnsafe<Static<S> | Static<O>> {
  return Type.Unsafe<Static<S> | Static<O>>({ ...options, if: { type: 'string' }, then: string, else: object });
}

const str = (description: string, options: SchemaOptions = {}) => Type.String({ description, ...options });
const optionalStr = (description: string, options: SchemaOptions = {}) => Type.Optional(str(description, options));
/** An array of non-empty strings. */
const strings = (description: string, item: string, options: SchemaOptions = {}) =>
  Type.Array(str(item, { minLength: 1 }), { description, ...options });
/** An object that allows only the properties it lists. */
const closed = (description: string | undefined, options: SchemaOptions = {}): SchemaOptions => ({
  ...(description ? { description } : {}),
  additionalProperties: false,
  ...options,
});

// ---------------------------------------------------------------------------------------------------
// Rule settings

const SEVERITY_OR_OFF = ['off', ...SEVERITIES] as const;
const SEVERITY_OR_OFF_DESCRIPTION = "`off`, or the severity to report the rule's findings at.";
const GENERIC_OPTIONS_DESCRIPTION =
  'Options for the rule, as its documentation describes. ' + 'They replace the options set by an earlier setting of the same rule.';

const Severity = oneOf(SEVERITIES, {
  description: 'How serious a finding is. `medsec scan --fail-on` compares against it.',
  type: 'string',
});

/** A rule's setting: `off`, a severity, or `{ severity, options }` (with the rule's own options schema when it has one). */
function ruleSetting(description: string, options?: Record<string, unknown>) {
  const anyOptions = Type.Unsafe<Record<string, unknown>>(options ?? { description: GENERIC_OPTIONS_DESCRIPTION, type: 'object' });
  return stringOr(
    oneOf(SEVERITY_OR_OFF, { description: SEVERITY_OR_OFF_DESCRIPTION }),
    Type.Object(
      {
        severity: Type.Optional(oneOf(SEVERITY_OR_OFF, { description: SEVERITY_OR_OFF_DESCRIPTION, type: 'string' })),
        options: Type.Optional(anyOptions),
      },
      closed('The severity and options of the rule.'),
    ),
    { description },
  );
}

const RuleSetting = ruleSetting(
  '`off`, a severity (turns the rule on at that severity), or an object with `severity` and `options`. ' +
    'An object without `severity` turns the rule on at its configured (or default) severity.',
);

const RULE_SETTINGS_DESCRIPTION =
  'Rule settings by rule id (or an old alias of it, or a custom rule id `namespace/name`). ' + 'A later setting of the same rule wins.';

/** Rule settings by id; `ruleSettingsFor` adds a property per known rule. */
const RuleSettings = Type.Unsafe<Record<string, Static<typeof RuleSetting>>>({
  description: RULE_SETTINGS_DESCRIPTION,
  type: 'object',
  additionalProperties: ref('ruleSetting', RuleSetting),
});

function ruleSettingsFor(rules: readonly Rule[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const rule of [...rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))) {
    properties[rule.meta.id] = ruleSetting(`${rule.meta.title} (default ${rule.meta.severity}).`, rule.meta.options);
  }
  return { ...RuleSettings, properties };
}

// ---------------------------------------------------------------------------------------------------
// Custom rules

const REGEX_FLAGS = '^[imsu]*$';

/** A string is a glob (`CONFIG_*_TELNET`); `{ regex }` is a JavaScript regular expression. */
const TextPattern = stringOr(
  Type.String({ minLength: 1 }),
  Type.Object(
    {
      regex: str('The pattern, without slashes.', { minLength: 1 }),
      flags: optionalStr('Any of `i`, `m`, `s`, `u`.', { pattern: REGEX_FLAGS }),
    },
    closed('A JavaScript regular expression (checked for catastrophic backtracking when the rule loads).'),
  ),
  { description: 'A glob (`*` any characters, `?` one) matched against the whole text, or `{ "regex": "..." }`.' },
);

const nonEmpty = Type.String({ minLength: 1 });
/** One query per tree-sitter language; its keys are the languages a query can be written for. */
const query = Type.Optional(nonEmpty);
const QueriesByLanguage = Type.Object(
  { c: query, cpp: query, python: query, java: query, kotlin: query },
  closed(undefined, { minProperties: 1 }),
);

const REGEX_SCOPES = ['string', 'comment', 'identifier', 'code'] as const;

const MATCHER_KIND_DESCRIPTIONS = {
  treeSitterQuery:
    'A tree-sitter query (C, C++, Python, Java, Kotlin), or one per language. ' +
    'The capture `@match` (else the widest capture) is reported; captures fill `{{name}}` placeholders.',
  selector: 'An esquery selector over the ESTree of TypeScript and JavaScript (`CallExpression[callee.name="eval"]`).',
  regex: 'A JavaScript regular expression run on each piece of `scope` separately.',
  config: 'A key/value entry of a firmware config file (sdkconfig, prj.conf, Kconfig fragments, .env, AndroidManifest attributes).',
  all: 'Matches of the first matcher that overlap a match of every other positive matcher and of no `not` matcher.',
  any: 'Matches of any of the matchers.',
  not: 'Inside `all`: excludes matches that overlap a match of this matcher.',
} as const;

export const MATCHER_KINDS = ['treeSitterQuery', 'selector', 'regex', 'config', 'all', 'any', 'not'] as const;
export type MatcherKind = (typeof MATCHER_KINDS)[number];

/**
 * A matcher: exactly one kind (checked when the rule loads, with an error that says so) and any of the
 * conditions, which filter its matches. Recursive through all, any, not and within.of.
 */
const Matcher = Type.Recursive(
  (This) => {
    const d = MATCHER_KIND_DESCRIPTIONS;
    const kinds = {
      treeSitterQuery: Type.Optional(stringOr(nonEmpty, QueriesByLanguage, { description: d.treeSitterQuery })),
      selector: optionalStr(d.selector, { minLength: 1 }),
      regex: optionalStr(d.regex, { minLength: 1 }),
      flags: optionalStr('Regex flags: any of `i`, `m`, `s`, `u`.', { pattern: REGEX_FLAGS }),
      scope: Type.Optional(
        oneOf(REGEX_SCOPES, {
          description: 'What the regex runs on: string literal contents, comments, identifiers, or each line of code.',
          type: 'string',
        }),
      ),
      config: Type.Optional(
        Type.Object(
          {
            key: ref('textPattern', TextPattern),
            value: Type.Optional(ref('textPattern', TextPattern)),
          },
          closed(d.config),
        ),
      ),
      all: Type.Optional(Type.Array(This, { description: d.all, minItems: 1 })),
      any: Type.Optional(Type.Array(This, { description: d.any, minItems: 1 })),
      not: Type.Optional(CloneType(This, { description: d.not })),
    };
    const conditions = {
      insideFunction: Type.Optional(
        Type.Object(
          {
            name: str('A regular expression for the function name.', { minLength: 1 }),
          },
          closed('Keep a match only inside a function whose name matches this regular expression.'),
        ),
      ),
      notPrecededBy: Type.Optional(
        Type.Object(
          {
            call: ref('textPattern', TextPattern),
            scope: Type.Optional(
              oneOf(['function', 'file'], {
                description: 'Where to look for the earlier call (default `function`).',
                type: 'string',
              }),
            ),
          },
          closed('Drop a match when a call matching `call` comes earlier in the same function (or file).'),
        ),
      ),
      within: Type.Optional(
        Type.Object(
          {
            lines: Type.Integer({ description: 'How many lines before or after.', minimum: 0 }),
            of: This,
          },
          closed('Keep a match only when the matcher `of` matches within `lines` lines of it.'),
        ),
      ),
    };
    return Type.Object(
      { ...kinds, ...conditions },
      closed(`One matcher kind (${MATCHER_KINDS.join(', ')}) with optional conditions (insideFunction, notPrecededBy, within).`),
    );
  },
  { $id: '#/definitions/matcher' },
);

const Example = stringOr(
  Type.String(),
  Type.Object(
    {
      code: str('The example code.'),
      language: oneOf(LANGUAGES, { description: 'Its language.', type: 'string' }),
    },
    closed('An example in a given language.'),
  ),
  { description: 'Code in the rule\'s first language, or `{ "code", "language" }`.' },
);

const SEES_DESCRIPTION =
  'What the rule looks for, as the evidence report\'s control coverage matrix says it ("Seen in the source"): one phrase ' +
  'for every FDA item in `fda`, or `{ "app1.A.5": "...", ... }` with a phrase per key of `fda`. An item without a phrase ' +
  'shows the rule by its title.';

const Sees = stringOr(
  str('One phrase for every FDA item the rule maps to.', { minLength: 1 }),
  Type.Unsafe<Record<string, string>>({
    description: "A phrase per FDA key; each key must be in the rule's `fda`.",
    type: 'object',
    minProperties: 1,
    additionalProperties: str('What the rule sees of this item.', { minLength: 1 }),
  }),
  { description: SEES_DESCRIPTION },
);

export const CUSTOM_RULE_ID = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;

const CustomRule = Type.Object(
  {
    id: str('`namespace/name` in kebab-case, such as `acme/no-dev-unlock`.', { pattern: CUSTOM_RULE_ID.source }),
    title: str('One line naming the flagged pattern.', { minLength: 1 }),
    severity: ref('severity', Severity),
    confidence: Type.Optional(
      oneOf(['high', 'medium', 'low'], {
        description: 'How sure a match is a real problem (default `medium`).',
        type: 'string',
      }),
    ),
    languages: Type.Array(oneOf(LANGUAGES, { description: 'A language id.', type: 'string' }), {
      description: 'The languages the rule checks.',
      minItems: 1,
      uniqueItems: true,
    }),
    cwe: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { description: 'CWE ids (from the medsec taxonomy).' })),
    fda: Type.Optional(strings('FDA keys from the medsec taxonomy (`app1.A.5`, `524b.b2`).', 'An FDA key.')),
    sees: Type.Optional(Sees),
    iec62443: Type.Optional(strings('IEC 62443-4-2 requirement ids (`CR 1.5`).', 'A requirement id.')),
    message: str('The finding message; `{{capture}}` placeholders are filled from the match.', { minLength: 1 }),
    docs: Type.Optional(
      Type.Object(
        {
          summary: optionalStr('What the rule finds.'),
          risk: optionalStr('Why it matters for a device.'),
          fix: optionalStr('How to fix it.'),
          url: optionalStr('A link to more documentation.'),
        },
        closed('Documentation shown on hover and in reports.'),
      ),
    ),
    match: ref('matcher', Matcher),
    fix: Type.Optional(
      Type.Object(
        {
          replace: str('The new text; `{{capture}}` placeholders are filled from the match.'),
          title: optionalStr('Shown on the quick fix.'),
          safety: Type.Optional(
            oneOf(['safe', 'suggestion'], {
              description: '`suggestion` (default) or `safe` (applied by fix-all).',
              type: 'string',
            }),
          ),
        },
        closed('A replacement for the match, applied only when the result still parses.'),
      ),
    ),
    examples: Type.Optional(
      Type.Object(
        {
          match: Type.Optional(Type.Array(ref('example', Example))),
          noMatch: Type.Optional(Type.Array(ref('example', Example))),
        },
        closed('Code the rule must match and must not match, checked when the rule loads and by `medsec verify-rules`.'),
      ),
    ),
  },
  closed('A declarative rule: data only, no code.'),
);

export const DEFAULT_CUSTOM_RULE_BUDGET_MS = 200;
export const DEFAULT_FILE_BUDGET_MS = 5_000;

// ---------------------------------------------------------------------------------------------------
// The file

const EXTENDS_DESCRIPTION =
  'Rule sets to start from, applied in order (later entries win): `medsec:recommended`, ' +
  '`medsec:strict` (a superset of recommended), a path relative to this file to another JSON rule-set file in the same format, ' +
  'or an installed npm package whose package.json has a `medsec` field (or which ships `medsec.json`); packages are read as data, ' +
  'never run. In the root configuration file an omitted `extends` means ["medsec:recommended"]; an empty array starts from no rules ' +
  'at all. In an extended file an omitted `extends` inherits nothing.';

const Override = Type.Object(
  {
    files: strings(
      'Globs, relative to the configuration root, with forward slashes. ' +
        'A glob without a slash matches the file name in any folder (`*.test.c`).',
      'A glob such as `test/**` or `*.py`.',
      { minItems: 1 },
    ),
    excludedFiles: Type.Optional(
      strings(
        'Globs of files that this override does not apply to, even though `files` match them.',
        'A glob such as `test/integration/**`.',
      ),
    ),
    rules: ref('ruleSettings', RuleSettings),
  },
  closed('Rule settings for the files that match `files` but not `excludedFiles`.'),
);

const SUPPRESSION_DESCRIPTION =
  'Suppresses the findings of these rules in these files, for files that cannot hold a ' +
  'suppression comment (JSON, key files) or to turn a rule off for some paths with a recorded reason. ' +
  "The justification is judged like a comment's: one that does not qualify suppresses nothing and is reported " +
  "by unjustified-suppression. Suppressed findings stay in every output and in the evidence report's suppression register.";

const Suppression = Type.Object(
  {
    rules: strings('Rule ids (or old aliases, or `all`) whose findings this suppresses.', 'A rule id.', { minItems: 1 }),
    paths: strings(
      'Globs of the files it covers, relative to the configuration root (as in `overrides`).',
      'A glob such as `test/keys/**`.',
      { minItems: 1 },
    ),
    justification: str(
      'Why the findings are acceptable here: the assessment the FDA guidance asks for. It may end with ' +
        '`(reviewed-by: NAME)` and `(until YYYY-MM-DD)`, as in a suppression comment.',
    ),
    reviewedBy: optionalStr('Who reviewed the suppression (the same as `(reviewed-by: NAME)` in a comment).', { minLength: 1 }),
    until: optionalStr('The last day the suppression applies (YYYY-MM-DD); after it the findings count again.', {
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    }),
  },
  closed(SUPPRESSION_DESCRIPTION),
);

const SuppressionPolicy = Type.Object(
  {
    minJustificationLength: Type.Optional(
      Type.Integer({
        description: `Fewest characters a justification may have. Default: ${DEFAULT_JUSTIFICATION_POLICY.minLength}.`,
        minimum: 1,
      }),
    ),
    stopWords: Type.Optional(
      strings(
        'Words and phrases that say nothing on their own: a justification that is one of them, or made only of them, is ' +
          `rejected. Replaces the default list: ${DEFAULT_JUSTIFICATION_POLICY.stopWords.join(', ')}.`,
        'A word or phrase.',
      ),
    ),
    requireReviewer: Type.Optional(
      Type.Boolean({
        description: 'Whether every suppression must name its reviewer (`(reviewed-by: NAME)`, or `reviewedBy`). Default: false.',
      }),
    ),
  },
  closed('How suppression justifications are judged, in comments and in `suppressions`.'),
);

const ConfigFile = Type.Object(
  {
    $schema: optionalStr('The JSON schema this file follows; editors use it for completion and validation.'),
    extends: Type.Optional(
      Type.Array(
        str('`medsec:recommended`, `medsec:strict`, a relative path, or an npm package name.', {
          minLength: 1,
          examples: [...PRESET_REFERENCES],
        }),
        { description: EXTENDS_DESCRIPTION },
      ),
    ),
    rules: Type.Optional(ref('ruleSettings', RuleSettings)),
    overrides: Type.Optional(
      Type.Array(Override, {
        description:
          'Rule settings for some files only. Every override whose `files` match a file (and whose `excludedFiles` do not) ' +
          'applies on top of `rules`, in order: a later override wins.',
      }),
    ),
    ignore: Type.Optional(
      strings(
        'Globs of files and folders not to scan, relative to the configuration root (in addition to every `.gitignore`). ' +
          'A glob without a slash matches the name in any folder.',
        'A glob such as `third_party/**` or `*.generated.c`.',
      ),
    ),
    testCode: Type.Optional(
      Type.Object(
        {
          files: Type.Optional(
            strings(
              'Globs of more files that are test code, beyond the conventions medsec knows (test folders and test source sets, ' +
                '`test_*.py`, `*_test.c`, `*Test.java`, `*.spec.ts`, …, and files that import a test or load-test framework: ' +
                'k6, pytest, JUnit, GoogleTest, …).',
              'A glob such as `hil/**` or `*_mock.c`.',
            ),
          ),
          excludedFiles: Type.Optional(
            strings(
              'Globs of files that are not test code although the conventions or their imports say so (a `testing/` folder that ships, say).',
              'A glob such as `src/testing/**`.',
            ),
          ),
          findings: Type.Optional(
            oneOf(TEST_CODE_POLICIES, {
              description:
                '`live-secrets` reports in test code only live secrets (a real provider token or private key is leaked ' +
                'wherever it sits); `lower` reports the other findings too, at severity `low` at most; `report` reports ' +
                'test code like any other; `evidence` reports it like any other, except the findings of the rules that ' +
                'say what a finding in test code must show (the credential rules: a live secret). ' +
                '`medsec:recommended` sets `live-secrets`, `medsec:strict` sets `evidence`.',
              type: 'string',
            }),
          ),
        },
        closed('Which files are test code and what is done with findings in them: one policy that every rule follows.'),
      ),
    ),
    maxFileSize: Type.Optional(
      Type.Integer({
        description: 'Files larger than this many bytes are skipped with a note. Default: 2000000 (2 MB).',
        minimum: 1,
      }),
    ),
    customRules: Type.Optional(
      Type.Array(ref('customRule', CustomRule), {
        description: 'Declarative rules of your own (see docs/custom-rules.md). Not loaded in an untrusted workspace.',
      }),
    ),
    suppressions: Type.Optional(Type.Array(Suppression, { description: SUPPRESSION_DESCRIPTION })),
    suppressionPolicy: Type.Optional(SuppressionPolicy),
    fileBudgetMs: Type.Optional(
      Type.Integer({
        description:
          "Time (wall clock, and the checking thread's CPU time) model building and the rules may take on one file; a file " +
          `over it is reported as not analysed and the scan goes on. Default: ${DEFAULT_FILE_BUDGET_MS}.`,
        minimum: 1,
      }),
    ),
    customRuleBudgetMs: Type.Optional(
      Type.Integer({
        description:
          'Time (wall clock and CPU) one custom rule may take on one file before it is disabled for the rest of the run. ' +
          `Default: ${DEFAULT_CUSTOM_RULE_BUDGET_MS}.`,
        minimum: 1,
      }),
    ),
  },
  closed(
    'Configuration of medsec, the security linter for medical-device software. JSON with comments. ' +
      'Generated by `medsec schema --write` from server/src/core/config-types.ts; do not edit by hand.',
  ),
);

// ---------------------------------------------------------------------------------------------------
// Types (all read from the schemas above)

export type MedsecConfigFile = Static<typeof ConfigFile>;
export type OverrideSpec = Static<typeof Override>;
export type RuleSettingValue = Static<typeof RuleSetting>;
export type TextPattern = Static<typeof TextPattern>;
export type RegexScope = (typeof REGEX_SCOPES)[number];
export type MatcherSpec = Static<typeof Matcher>;
export type ExampleSpec = Static<typeof Example>;
export type CustomRuleSpec = Static<typeof CustomRule>;
export type SuppressionSpec = Static<typeof Suppression>;
export type SuppressionPolicySpec = Static<typeof SuppressionPolicy>;

export const TREE_SITTER_QUERY_LANGUAGES: readonly LanguageId[] = Object.keys(QueriesByLanguage.properties) as LanguageId[];
export const SELECTOR_LANGUAGES: readonly LanguageId[] = ['typescript', 'javascript'];
export const CONFIG_MATCHER_LANGUAGES: readonly LanguageId[] = ['kconfig', 'dotenv', 'android-manifest', 'android-xml'];

/** The JSON schema of `.medsec.json` for these rules (ids for completion, each rule's options). */
export function configSchema(rules: readonly Rule[]): Record<string, unknown> {
  const { $id: _matcherId, ...matcher } = Matcher;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/medsec-dev/medsec/blob/main/schema/medsec.schema.json',
    title: 'medsec configuration (.medsec.json)',
    ...ConfigFile,
    definitions: {
      severity: Severity,
      ruleSettings: ruleSettingsFor(rules),
      ruleSetting: RuleSetting,
      textPattern: TextPattern,
      matcher,
      example: Example,
      customRule: CustomRule,
    },
  };
}
