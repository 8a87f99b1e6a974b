/**
 * Loads `.medsec.json` (JSON with comments), validates it against schema/medsec.schema.json, checks rule
 * ids, and resolves presets, `extends` files and `overrides` into the rules that apply to each file.
 *
 * A broken configuration is never half-applied: every problem throws a ConfigError that names the file,
 * the 1-based line and column, and the JSON key, so the user can go straight to it.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import picomatch from 'picomatch';
import { ConfigFileRefused, MAX_CONFIG_NESTING, readConfigFileText, tooDeepAt, withoutBom } from './config-file';
import { getLocation, getNodeValue, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import {
  configSchema,
  DEFAULT_CUSTOM_RULE_BUDGET_MS,
  DEFAULT_FILE_BUDGET_MS,
  type CustomRuleSpec,
  type MedsecConfigFile,
  type RuleSettingValue,
  type SuppressionPolicySpec,
  type SuppressionSpec,
} from './config-types';
import { couldBeSecret, ExtendsScope, quoteUnlessSecret } from './config-scope';
import { checkExamples, compileCustomRule, type CompiledCustomRule } from './custom/rule';
import { preloadCustomRuleLanguages } from './custom/sync-parse';
import { isPresetName, PRESET_PREFIX, PRESET_REFERENCES, PRESET_TEST_CODE_POLICY, presetRules } from './presets';
import { configSuppressor, justificationPolicyOf, type ConfigSuppressionEntry } from './suppressions';
import { isTestPath, type TestCodeClass, type TestCodePolicy } from './test-code';
import { SourceText } from './text';
import { didYouMean } from './text-matching';
import { type EffectiveRule, type ResolvedConfig, type Rule, type RuleRegistry, type Severity } from './types';

import { CONFIG_FILE_NAME } from './config-root';

export { CONFIG_FILE_NAME, findConfigRoot } from './config-root';
export const DEFAULT_MAX_FILE_SIZE = 2_000_000;
const DEFAULT_EXTENDS = ['medsec:recommended'];
/** The configuration used where there is no file, as resolveConfig prints it: valid by construction. */
const BUILTIN_DEFAULT_TEXT = JSON.stringify({ extends: DEFAULT_EXTENDS }, null, 2);

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    /** 1-based. */
    readonly line: number,
    /** 1-based, in UTF-16 code units. */
    readonly column: number,
    /** JSON path of the offending value, such as `rules.weak-hsah` or `overrides[0].files`; '' for the whole file. */
    readonly key: string,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}${key ? ` (at ${key})` : ''}`);
    this.name = 'ConfigError';
  }
}

/** One rule setting after normalisation; undefined fields keep what an earlier setting chose. */
interface RuleSetting {
  enabled?: boolean;
  /** 'default' is the rule's own `meta.severity` (what a preset asks for). */
  severity?: Severity | 'default';
  options?: Record<string, unknown>;
}

interface Override {
  matches: (relativePath: string) => boolean;
  settings: [ruleId: string, setting: RuleSetting][];
}

/** What one file (and everything it extends) contributes, in application order. */
interface RuleSetLayers {
  base: [ruleId: string, setting: RuleSetting][];
  overrides: Override[];
  ignore: string[];
  maxFileSize?: number;
  suppressions: ConfigSuppressionEntry[];
  suppressionPolicy?: SuppressionPolicySpec;
  fileBudgetMs?: number;
  testCode: TestCodeLayer;
}

/** `testCode` of a file and what it extends: globs accumulate, a later `findings` wins. */
interface TestCodeLayer {
  files: string[];
  excludedFiles: string[];
  findings?: TestCodePolicy;
}

/** A parsed configuration file: its text for positions and its syntax tree for finding keys. */
interface ConfigDocument {
  file: string;
  source: SourceText;
  tree: JsonNode;
}

type JsonPath = (string | number)[];

export interface LoadConfigOptions {
  /** The rules a configuration may name and the taxonomy custom rules may cite (adapters pass the built-in registry). */
  registry: RuleRegistry;
  /**
   * The scan root or workspace folder, when it is above `root`: a nested `.medsec.json` (nested-config.ts)
   * may then extend files anywhere in it, such as `../.medsec.json`, and nothing outside it. Default: `root`.
   */
  workspaceRoot?: string;
  /**
   * Whether the workspace is trusted (default true, as for the CLI). In an untrusted workspace the
   * configuration's `customRules` and its `extends` of files and packages are not loaded (presets are):
   * `ResolvedConfig.notices` says what was left out.
   */
  trusted?: boolean;
  /**
   * Whether custom rules' examples must pass for the configuration to load (default true). Examples in
   * C, C++, Python, Java and Kotlin need the grammars loaded: `loadCheckedConfig` loads them first.
   */
  checkExamples?: boolean;
}

/**
 * Finds and loads `<root>/.medsec.json`, or `explicitPath` (relative to the current directory) when given.
 * Without either, the built-in default `medsec:recommended` applies.
 */
export function loadConfig(root: string, explicitPath: string | undefined, options: LoadConfigOptions): ResolvedConfig {
  const absoluteRoot = path.resolve(root);
  const file = explicitPath ? path.resolve(explicitPath) : path.join(absoluteRoot, CONFIG_FILE_NAME);
  if (!explicitPath && !fs.existsSync(file)) {
    return resolveConfig({ extends: DEFAULT_EXTENDS }, undefined, absoluteRoot, options);
  }
  return resolveConfig(readConfigText(file, explicitPath !== undefined), file, absoluteRoot, options);
}

/**
 * `loadConfig` after loading the tree-sitter grammars, so that every custom rule is fully checked as it
 * loads: its tree-sitter queries compile and all its examples pass. The CLI and the language server use this.
 */
export async function loadCheckedConfig(
  root: string,
  explicitPath: string | undefined,
  options: LoadConfigOptions,
): Promise<ResolvedConfig> {
  await preloadCustomRuleLanguages();
  return loadConfig(root, explicitPath, options);
}

/** The custom rules a configuration loaded, with where each is defined. */
export function customRulesOf(config: ResolvedConfig): readonly CompiledCustomRule[] {
  return customRulesByConfig.get(config) ?? [];
}

/** Every failing custom-rule example, positioned in its file (what `medsec verify-rules` prints). */
export function verifyCustomRules(config: ResolvedConfig): { errors: ConfigError[]; checked: number; pending: number } {
  const errors: ConfigError[] = [];
  let checked = 0;
  let pending = 0;
  for (const compiled of customRulesOf(config)) {
    const outcome = checkExamples(compiled);
    checked += outcome.checked;
    pending += outcome.pending;
    const document = documentsByConfig.get(config)?.get(compiled.file);
    for (const failure of outcome.failures) {
      errors.push(
        document
          ? errorAt(document, failure.at, failure.message)
          : new ConfigError(compiled.file, 1, 1, formatJsonPath(failure.at), failure.message),
      );
    }
  }
  return { errors, checked, pending };
}

/**
 * The files a configuration was read from: its own and every file it extends; undefined when it extends an
 * npm package, which node's module resolution finds in folders no scan looks at. The CLI's warm re-scan
 * trusts a configuration whose files all keep their stamps (cli/scan-index.ts).
 */
export function configFilesRead(config: ResolvedConfig): string[] | undefined {
  if (packagesExtendedByConfig.has(config)) return undefined;
  const documents = documentsByConfig.get(config);
  return documents ? [...documents.keys()].filter((file) => file === config.source || file !== inlineFileOf(config.root)) : [];
}

function inlineFileOf(root: string): string {
  return path.join(root, '<inline configuration>');
}

const packagesExtendedByConfig = new WeakSet<ResolvedConfig>();
const customRulesByConfig = new WeakMap<ResolvedConfig, CompiledCustomRule[]>();
const documentsByConfig = new WeakMap<ResolvedConfig, Map<string, ConfigDocument>>();

/** State shared by every file of one load. */
interface LoadSession {
  catalog: RuleCatalog;
  trusted: boolean;
  root: string;
  customRules: CompiledCustomRule[];
  documents: Map<string, ConfigDocument>;
  notices: string[];
  /** Whether an `extends` named an npm package. */
  extendsPackage?: boolean;
  budgetMs?: number;
  /** Where `extends` may read from (config-scope.ts). */
  scope: ExtendsScope;
}

/**
 * Resolves a configuration. `raw` is either the JSONC text of the file `source`, or an already parsed
 * value (then positions in errors refer to it as printed by `JSON.stringify(raw, null, 2)`).
 * Relative `extends` paths resolve against the directory of `source` (or `root` when there is none).
 */
export function resolveConfig(raw: unknown, source: string | undefined, root: string, options: LoadConfigOptions): ResolvedConfig {
  const { registry, trusted = true, checkExamples: mustPassExamples = true } = options;
  const absoluteRoot = path.resolve(root);
  const workspaceRoot = options.workspaceRoot ? path.resolve(options.workspaceRoot) : absoluteRoot;
  const file = source ? path.resolve(source) : inlineFileOf(absoluteRoot);
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw ?? null, null, 2);
  const session: LoadSession = {
    catalog: new RuleCatalog(registry),
    trusted,
    root: absoluteRoot,
    customRules: [],
    documents: new Map(),
    notices: [],
    scope: new ExtendsScope(workspaceRoot, source ? file : undefined),
  };
  const document = parseConfigDocument(file, text);
  const layers = loadLayers(document, session, true, [file]);
  const config = buildResolvedConfig(layers, session.catalog, absoluteRoot, source ? file : undefined, getNodeValue(document.tree));
  if (session.notices.length) config.notices = session.notices;
  customRulesByConfig.set(config, session.customRules);
  documentsByConfig.set(config, session.documents);
  if (session.extendsPackage) packagesExtendedByConfig.add(config);
  if (mustPassExamples) {
    // The engine refuses a rule whose own examples fail: it would not do what its author meant.
    const [first] = verifyCustomRules(config).errors;
    if (first) throw first;
  }
  return config;
}

// ---------------------------------------------------------------------------------------------------
// Loading one file and what it extends

function loadLayers(document: ConfigDocument, session: LoadSession, isRoot: boolean, chain: string[]): RuleSetLayers {
  const { catalog } = session;
  session.documents.set(document.file, document);
  // Compiling the schema is a fifth of a small scan's start-up; the built-in default needs no check.
  if (document.source.content !== BUILTIN_DEFAULT_TEXT) validateAgainstSchema(document, catalog);
  const value = getNodeValue(document.tree) as RawConfig;
  const layers: RuleSetLayers = {
    base: [],
    overrides: [],
    ignore: [],
    suppressions: [],
    testCode: { files: [], excludedFiles: [] },
  };

  const extendsList = value.extends ?? (isRoot ? DEFAULT_EXTENDS : []);
  extendsList.forEach((entry, index) => {
    const at: JsonPath = ['extends', index];
    if (entry.startsWith(PRESET_PREFIX)) {
      const name = entry.slice(PRESET_PREFIX.length);
      if (!isPresetName(name)) {
        throw errorAt(
          document,
          at,
          `unknown preset "${entry}"${didYouMean(entry, PRESET_REFERENCES)}; the presets are ${PRESET_REFERENCES.join(' and ')}`,
        );
      }
      for (const rule of presetRules(name, catalog.rules)) layers.base.push([rule.meta.id, { enabled: true, severity: 'default' }]);
      layers.testCode.findings = PRESET_TEST_CODE_POLICY[name];
      return;
    }
    if (!session.trusted) {
      session.notices.push(`"extends": "${entry}" in ${path.basename(document.file)} was not loaded: the workspace is not trusted`);
      return;
    }
    if (isPackageName(entry)) session.extendsPackage = true;
    const extendedDocument = isPackageName(entry)
      ? readPackageRuleSet(document, at, entry, session, chain)
      : readRuleSetFile(document, at, entry, session, chain);
    const extended = loadLayers(extendedDocument, session, false, [...chain, extendedDocument.file]);
    // Loops, not push(...array): a spread passes every element as an argument, and 130,000 ignore globs
    // overflowed the stack.
    for (const setting of extended.base) layers.base.push(setting);
    for (const override of extended.overrides) layers.overrides.push(override);
    for (const glob of extended.ignore) layers.ignore.push(glob);
    if (extended.maxFileSize !== undefined) layers.maxFileSize = extended.maxFileSize;
    for (const entry of extended.suppressions) layers.suppressions.push(entry);
    layers.suppressionPolicy = mergePolicy(layers.suppressionPolicy, extended.suppressionPolicy);
    if (extended.fileBudgetMs !== undefined) layers.fileBudgetMs = extended.fileBudgetMs;
    mergeTestCode(layers.testCode, extended.testCode);
  });

  if (value.customRuleBudgetMs !== undefined) session.budgetMs = value.customRuleBudgetMs;
  if (value.customRules?.length) {
    if (session.trusted) loadCustomRules(document, value.customRules, session, layers);
    else {
      session.notices.push(
        `${value.customRules.length} custom rule(s) in ${path.basename(document.file)} were not loaded: the workspace is not trusted`,
      );
    }
  }
  if (value.rules) for (const setting of ruleSettings(document, value.rules, ['rules'], session)) layers.base.push(setting);
  value.overrides?.forEach((override, index) => {
    const include = compileGlobs(override.files);
    const exclude = compileGlobs(override.excludedFiles ?? []);
    layers.overrides.push({
      matches: (relativePath) => include(relativePath) && !exclude(relativePath),
      settings: ruleSettings(document, override.rules, ['overrides', index, 'rules'], session),
    });
  });
  if (value.ignore) for (const glob of value.ignore) layers.ignore.push(glob);
  if (value.maxFileSize !== undefined) layers.maxFileSize = value.maxFileSize;
  value.suppressions?.forEach((spec, index) => layers.suppressions.push(suppressionEntry(document, spec, index, session)));
  layers.suppressionPolicy = mergePolicy(layers.suppressionPolicy, value.suppressionPolicy);
  if (value.fileBudgetMs !== undefined) layers.fileBudgetMs = value.fileBudgetMs;
  if (value.testCode)
    mergeTestCode(layers.testCode, {
      files: value.testCode.files ?? [],
      excludedFiles: value.testCode.excludedFiles ?? [],
      findings: value.testCode.findings,
    });
  return layers;
}

/** A `suppressions` entry with its rule ids checked (as in `rules`) and its globs compiled. */
function suppressionEntry(document: ConfigDocument, spec: SuppressionSpec, index: number, session: LoadSession): ConfigSuppressionEntry {
  const ruleIds = new Set<string>();
  spec.rules.forEach((id, at) => {
    const rule = session.catalog.byIdOrAlias.get(id);
    if (rule) ruleIds.add(rule.meta.id);
    else if (id === 'all') ruleIds.add(id);
    else if (session.trusted || !id.includes('/')) {
      const hint = didYouMean(id, [...session.catalog.byIdOrAlias.keys()]);
      throw errorAt(document, ['suppressions', index, 'rules', at], `unknown rule "${id}"${hint}; run \`medsec rules\` to list the rules`);
    }
  });
  return { ruleIds, matches: compileGlobs(spec.paths), spec, origin: `${path.basename(document.file)} suppressions[${index}]` };
}

function mergePolicy(earlier?: SuppressionPolicySpec, later?: SuppressionPolicySpec): SuppressionPolicySpec | undefined {
  return later ? { ...earlier, ...later } : earlier;
}

function mergeTestCode(into: TestCodeLayer, from: TestCodeLayer): void {
  // Loops, not push(...array): globs from configuration files may number in the hundred thousands.
  for (const glob of from.files) into.files.push(glob);
  for (const glob of from.excludedFiles) into.excludedFiles.push(glob);
  if (from.findings) into.findings = from.findings;
}

/**
 * Which files are test code by their path (the conventions plus `files`), which never are (`excludedFiles`),
 * which the engine decides by their imports (the rest), and the policy for them.
 */
function testCodeClassifier(layer: TestCodeLayer): (relativePath: string) => TestCodeClass {
  const more = compileGlobs(layer.files);
  const excluded = compileGlobs(layer.excludedFiles);
  const policy = layer.findings ?? 'report';
  return (relativePath) => {
    if (excluded(relativePath)) return { policy, by: 'excluded' };
    return { policy, by: isTestPath(relativePath) || more(relativePath) ? 'path' : 'content' };
  };
}

/** The shape the schema guarantees after validation (config-types.ts). */
type RawConfig = MedsecConfigFile;
type RawRuleSetting = RuleSettingValue;

function ruleSettings(
  document: ConfigDocument,
  raw: Record<string, RawRuleSetting>,
  at: JsonPath,
  session: LoadSession,
): [string, RuleSetting][] {
  const { catalog } = session;
  return Object.entries(raw).flatMap(([id, setting]): [string, RuleSetting][] => {
    const rule = catalog.byIdOrAlias.get(id);
    if (!rule) {
      // A custom rule's settings stay valid when its definition was left out of an untrusted workspace.
      if (!session.trusted && id.includes('/')) return [];
      const hint = couldBeSecret(id) ? '' : didYouMean(id, [...catalog.byIdOrAlias.keys()]);
      const where = id.includes('/')
        ? '; a custom rule must be defined in customRules (here or in an extended file) before it is configured'
        : '';
      throw errorAt(
        document,
        [...at, id],
        `unknown rule ${quoteUnlessSecret(id)}${hint}; run \`medsec rules\` to list the rules${where}`,
        true,
      );
    }
    if (typeof setting === 'object' && setting.options !== undefined) {
      validateRuleOptions(document, rule, setting.options, [...at, id, 'options']);
    }
    return [[rule.meta.id, normalizeSetting(setting)]];
  });
}

const optionValidators = new WeakMap<object, ValidateFunction>();

/** Options are checked against the rule's own schema (`meta.options`), with the error at the option. */
function validateRuleOptions(document: ConfigDocument, rule: Rule, options: Record<string, unknown>, at: JsonPath): void {
  const schema = rule.meta.options;
  if (!schema) return;
  let validate = optionValidators.get(schema);
  if (!validate) {
    validate = new Ajv({ allErrors: false, verbose: true, strict: true }).compile(schema);
    optionValidators.set(schema, validate);
  }
  if (validate(options)) return;
  const error = (validate.errors ?? [])[0];
  if (!error) throw errorAt(document, at, `invalid options for ${rule.meta.id}`);
  const where = [...at, ...parseInstancePath(nodeAt(document, at) ?? document.tree, error.instancePath)];
  if (error.keyword === 'additionalProperties') {
    const property = String(error.params.additionalProperty);
    const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    throw errorAt(
      document,
      [...where, property],
      `unknown option ${quoteUnlessSecret(property)} for ${rule.meta.id}${couldBeSecret(property) ? '' : didYouMean(property, known)}; its options are: ${known.join(', ')}`,
      true,
    );
  }
  throw errorAt(document, where, `${describeSchemaError(error)} (an option of ${rule.meta.id})`);
}

function loadCustomRules(document: ConfigDocument, specs: CustomRuleSpec[], session: LoadSession, layers: RuleSetLayers): void {
  const fail = (at: JsonPath, message: string): never => {
    throw errorAt(document, at, message);
  };
  specs.forEach((spec, index) => {
    const at: JsonPath = ['customRules', index];
    const existing = session.catalog.byIdOrAlias.get(spec.id);
    if (existing) {
      const where = session.customRules.find((rule) => rule.rule === existing);
      const definedBy = where ? ` in ${path.basename(where.file)} at ${formatJsonPath(where.at)}` : ' by a built-in rule';
      fail([...at, 'id'], `the rule id "${spec.id}" is already defined${definedBy}; rule ids must be unique`);
    }
    // Each custom rule reads the budget at run time, so a later file's customRuleBudgetMs applies to all.
    const budgetMs = session.budgetMs ?? DEFAULT_CUSTOM_RULE_BUDGET_MS;
    const compiled = compileCustomRule(spec, { file: document.file, at, fail, budgetMs, taxonomy: session.catalog.registry.taxonomy });
    session.catalog.add(compiled.rule);
    session.customRules.push(compiled);
    layers.base.push([spec.id, { enabled: true, severity: 'default' }]);
  });
}

function nodeAt(document: ConfigDocument, at: JsonPath): JsonNode | undefined {
  let node: JsonNode | undefined = document.tree;
  for (const segment of at) {
    if (!node) return undefined;
    node =
      typeof segment === 'number' && node.type === 'array'
        ? node.children?.[segment]
        : node.children?.find((child) => child.type === 'property' && child.children?.[0]?.value === segment)?.children?.[1];
  }
  return node;
}

// ---------------------------------------------------------------------------------------------------
// Extended rule sets: files and npm packages (read as data, never executed)

/** `eslint-config-acme`, `@acme/medsec-rules`: neither a preset nor a path. */
function isPackageName(entry: string): boolean {
  return (
    !entry.startsWith('.') &&
    !entry.startsWith('/') &&
    !path.isAbsolute(entry) &&
    !/\.jsonc?$/i.test(entry) &&
    /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(entry)
  );
}

function checkCycle(document: ConfigDocument, at: JsonPath, entry: string, file: string, chain: string[]): void {
  if (chain.includes(file)) {
    throw errorAt(
      document,
      at,
      `"${entry}" extends itself through ${[...chain, file].map((f) => path.basename(f)).join(' -> ')}; remove the cycle`,
    );
  }
}

function readRuleSetFile(document: ConfigDocument, at: JsonPath, entry: string, session: LoadSession, chain: string[]): ConfigDocument {
  const extendedFile = path.resolve(path.dirname(document.file), entry);
  checkCycle(document, at, entry, extendedFile, chain);
  refuseOutOfScope(document, at, entry, extendedFile, session.scope);
  let text: string;
  try {
    text = readConfigFileText(extendedFile);
  } catch (error) {
    throw errorAt(
      document,
      at,
      `cannot read extended file "${entry}" (${describeFsError(error)}); use medsec:recommended, medsec:strict, a ` +
        `path relative to this file or an installed npm package`,
    );
  }
  return parseConfigDocument(extendedFile, text);
}

/**
 * An npm package's rule set: the `medsec` field of its package.json (an object, or a path inside the
 * package), else its `medsec.json`. Only JSON is read; nothing in the package is run.
 */
function readPackageRuleSet(document: ConfigDocument, at: JsonPath, entry: string, session: LoadSession, chain: string[]): ConfigDocument {
  const { root } = session;
  let manifest: string;
  try {
    manifest = require.resolve(`${entry}/package.json`, { paths: [root, path.dirname(document.file)] });
  } catch {
    throw errorAt(
      document,
      at,
      `cannot find the npm package "${entry}" from ${root}; install it (npm install --save-dev ${entry}) or use a ` +
        `relative path such as "./${entry}.json"`,
    );
  }
  const notInstalled = session.scope.allowPackage(path.dirname(manifest));
  if (notInstalled) throw errorAt(document, at, `will not read the npm package "${entry}": ${notInstalled}`);
  const packageDocument = parseConfigDocument(manifest, readRuleSetText(document, at, manifest));
  const field = packageDocument.tree.children?.find((child) => child.children?.[0]?.value === 'medsec')?.children?.[1];
  if (field?.type === 'object') {
    checkCycle(document, at, entry, `${manifest}#medsec`, chain);
    return { ...packageDocument, file: manifest, tree: field };
  }
  const relative = field?.type === 'string' ? String(field.value) : 'medsec.json';
  const file = path.resolve(path.dirname(manifest), relative);
  if (!fs.existsSync(file)) {
    throw errorAt(
      document,
      at,
      `the npm package "${entry}" has no rule set: add a "medsec" field to its package.json or a medsec.json file`,
    );
  }
  checkCycle(document, at, entry, file, chain);
  refuseOutOfScope(document, at, entry, file, session.scope);
  return parseConfigDocument(file, readRuleSetText(document, at, file));
}

function readRuleSetText(document: ConfigDocument, at: JsonPath, file: string): string {
  try {
    return readConfigFileText(file);
  } catch (error) {
    throw errorAt(document, at, `cannot read the rule set ${file} (${describeFsError(error)})`);
  }
}

/** Checked before the file is opened: a path out of the workspace is never read, not even to report an error in it. */
function refuseOutOfScope(document: ConfigDocument, at: JsonPath, entry: string, file: string, scope: ExtendsScope): void {
  const refusal = scope.refusal(file);
  if (refusal) throw errorAt(document, at, `will not read extended file "${entry}": ${refusal}`);
}

function normalizeSetting(setting: RawRuleSetting): RuleSetting {
  if (typeof setting === 'string') return setting === 'off' ? { enabled: false } : { enabled: true, severity: setting };
  const normalized: RuleSetting = { enabled: setting.severity !== 'off' };
  if (setting.severity && setting.severity !== 'off') normalized.severity = setting.severity;
  if (setting.options) normalized.options = setting.options;
  return normalized;
}

// ---------------------------------------------------------------------------------------------------
// The resolved configuration

class RuleCatalog {
  readonly byIdOrAlias = new Map<string, Rule>();
  readonly rules: Rule[] = [];
  constructor(readonly registry: RuleRegistry) {
    for (const rule of registry.rules) this.add(rule);
  }

  add(rule: Rule): void {
    this.rules.push(rule);
    this.byIdOrAlias.set(rule.meta.id, rule);
    for (const alias of rule.meta.aliases ?? []) if (!this.byIdOrAlias.has(alias)) this.byIdOrAlias.set(alias, rule);
  }
}

type RuleState = Map<string, RuleSetting>;

function applySettings(state: RuleState, settings: readonly [string, RuleSetting][]): void {
  for (const [id, setting] of settings) {
    const previous = state.get(id) ?? {};
    state.set(id, {
      enabled: setting.enabled ?? previous.enabled,
      severity: setting.severity ?? previous.severity,
      options: setting.options ?? previous.options,
    });
  }
}

function effectiveRules(state: RuleState, catalog: RuleCatalog): EffectiveRule[] {
  const result: EffectiveRule[] = [];
  for (const rule of catalog.rules) {
    const setting = state.get(rule.meta.id);
    if (!setting?.enabled) continue;
    const configured = !!setting.severity && setting.severity !== 'default';
    const severity = configured ? (setting.severity as Severity) : rule.meta.severity;
    result.push({ rule, severity, ...(configured ? { severityConfigured: true } : {}), options: { ...(setting.options ?? {}) } });
  }
  return result;
}

function buildResolvedConfig(
  layers: RuleSetLayers,
  catalog: RuleCatalog,
  root: string,
  source: string | undefined,
  raw: unknown,
): ResolvedConfig {
  const base: RuleState = new Map();
  applySettings(base, layers.base);
  const baseRules = effectiveRules(base, catalog);
  const cache = new Map<string, EffectiveRule[]>();
  const justificationPolicy = justificationPolicyOf(layers.suppressionPolicy);
  const suppress = configSuppressor(layers.suppressions, justificationPolicy);

  const rulesFor = (relativePath: string): EffectiveRule[] => {
    const cached = cache.get(relativePath);
    if (cached) return cached;
    const matching = layers.overrides.filter((override) => override.matches(relativePath));
    let result = baseRules;
    if (matching.length > 0) {
      const state: RuleState = new Map(base);
      for (const override of matching) applySettings(state, override.settings);
      result = effectiveRules(state, catalog);
    }
    result = suppress(result, relativePath);
    cache.set(relativePath, result);
    return result;
  };

  const enabledRules = (): EffectiveRule[] => {
    // A rule enabled only by an override is listed with the severity that override gives it.
    const byId = new Map(baseRules.map((effective) => [effective.rule.meta.id, effective]));
    for (const override of layers.overrides) {
      const state: RuleState = new Map(base);
      applySettings(state, override.settings);
      for (const effective of effectiveRules(state, catalog)) {
        if (!byId.has(effective.rule.meta.id)) byId.set(effective.rule.meta.id, effective);
      }
    }
    return catalog.rules.flatMap((rule) => byId.get(rule.meta.id) ?? []);
  };

  return {
    source,
    root,
    rulesFor,
    enabledRules,
    testCodeFor: testCodeClassifier(layers.testCode),
    ignore: [...layers.ignore],
    maxFileSize: layers.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    ...(justificationPolicy ? { justificationPolicy } : {}),
    fileBudgetMs: layers.fileBudgetMs ?? DEFAULT_FILE_BUDGET_MS,
    raw,
    registry: catalog.registry,
  };
}

// ---------------------------------------------------------------------------------------------------
// Parsing and schema validation with positions

/** `explicit`: the file was named on the command line (`--config`), so the hint may point there. */
function readConfigText(file: string, explicit: boolean): string {
  try {
    return readConfigFileText(file);
  } catch (error) {
    const hint = explicit ? 'check the path given to --config' : `check that ${CONFIG_FILE_NAME} is a readable regular file`;
    throw new ConfigError(file, 1, 1, '', `cannot read the configuration file (${describeFsError(error)}); ${hint}`);
  }
}

const PARSE_ERROR_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon after the property name',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected a closing brace "}"',
  CloseBracketExpected: 'expected a closing bracket "]"',
  EndOfFileExpected: 'expected the end of the file after the top-level value',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
};

function parseConfigDocument(file: string, text: string): ConfigDocument {
  text = withoutBom(text);
  const source = new SourceText(text);
  const deep = tooDeepAt(text);
  if (deep >= 0) throw positionedError(file, source, deep, '', `nested deeper than ${MAX_CONFIG_NESTING} levels; flatten it`);
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length > 0 || !tree) {
    const offset = errors[0]?.offset ?? 0;
    const code = errors[0] ? printParseErrorCode(errors[0].error) : 'ValueExpected';
    const key = formatJsonPath(getLocation(text, offset).path);
    throw positionedError(file, source, offset, key, `invalid JSON: ${PARSE_ERROR_MESSAGES[code] ?? code}`);
  }
  const document = { file, source, tree };
  rejectDuplicateKeys(document, tree, []);
  return document;
}

/** JSON.parse keeps the last of two equal keys silently; a config that says two things is an error. */
function rejectDuplicateKeys(document: ConfigDocument, node: JsonNode, at: JsonPath): void {
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      const key = String(keyNode?.value);
      if (seen.has(key)) {
        throw positionedError(
          document.file,
          document.source,
          keyNode.offset,
          formatJsonPath([...at, key]),
          `duplicate key ${quoteUnlessSecret(key)}; merge the two into one`,
        );
      }
      seen.add(key);
      if (valueNode) rejectDuplicateKeys(document, valueNode, [...at, key]);
    }
  } else if (node.type === 'array') {
    node.children?.forEach((child, index) => rejectDuplicateKeys(document, child, [...at, index]));
  }
}

const compiledSchemas = new WeakMap<readonly Rule[], ValidateFunction>();

function validateAgainstSchema(document: ConfigDocument, catalog: RuleCatalog): void {
  const registered = catalog.registry.rules;
  let compiledSchema = compiledSchemas.get(registered);
  if (!compiledSchema) {
    compiledSchema = new Ajv({ allErrors: false, verbose: true, strict: true }).compile(configSchema(registered));
    compiledSchemas.set(registered, compiledSchema);
  }
  if (compiledSchema(getNodeValue(document.tree))) return;
  // `if` only says that a `then`/`else` branch failed; the branch's own error is the useful one.
  const error = (compiledSchema.errors ?? []).find((candidate) => candidate.keyword !== 'if');
  if (!error) throw errorAt(document, [], 'does not match the medsec configuration schema');
  const at = parseInstancePath(document.tree, error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const property = String(error.params.additionalProperty);
    const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    throw errorAt(
      document,
      [...at, property],
      `unknown property ${quoteUnlessSecret(property)}${couldBeSecret(property) ? '' : didYouMean(property, known)}; allowed here: ${known.join(', ')}`,
      true,
    );
  }
  throw errorAt(document, at, describeSchemaError(error));
}

function describeSchemaError(error: ErrorObject): string {
  const value = error.data;
  switch (error.keyword) {
    case 'type':
      return `expected ${withArticle(String(error.params.type))}, found ${describeValue(value)}`;
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      const hint = typeof value === 'string' ? didYouMean(value, allowed) : '';
      const shown = typeof value === 'string' ? quoteUnlessSecret(value) : JSON.stringify(value);
      return `${shown} is not allowed${couldBeSecretValue(value) ? '' : hint}; use one of: ${allowed.join(', ')}`;
    }
    case 'required':
      return `missing required property "${String(error.params.missingProperty)}"`;
    case 'minItems':
      return `must have at least ${String(error.params.limit)} item(s)`;
    case 'minLength':
      return 'must not be empty';
    case 'minimum':
      return `must be at least ${String(error.params.limit)}`;
    default:
      return error.message ?? 'does not match the medsec configuration schema';
  }
}

function couldBeSecretValue(value: unknown): boolean {
  return typeof value === 'string' && couldBeSecret(value);
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return couldBeSecret(value)
      ? `a string of ${value.length} characters (not shown: it could be a secret)`
      : `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
  return withArticle(typeof value);
}

/** Turns an ajv instance path (`/overrides/0/files`) into path segments, with array indices as numbers. */
function parseInstancePath(tree: JsonNode, instancePath: string): JsonPath {
  const segments: JsonPath = [];
  let node: JsonNode | undefined = tree;
  for (const escaped of instancePath.split('/').slice(1)) {
    const segment = escaped.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node?.type === 'array') {
      segments.push(Number(segment));
      node = node.children?.[Number(segment)];
    } else {
      segments.push(segment);
      node = node?.children?.find((property) => property.children?.[0]?.value === segment)?.children?.[1];
    }
  }
  return segments;
}

/** The error located at the value at `at` (or at its property name, for a key that is itself wrong). */
function errorAt(document: ConfigDocument, at: JsonPath, message: string, atPropertyName = false): ConfigError {
  let node: JsonNode | undefined = document.tree;
  let propertyName: JsonNode | undefined;
  for (const segment of at) {
    if (!node) break;
    if (typeof segment === 'number' && node.type === 'array') {
      node = node.children?.[segment];
      propertyName = undefined;
    } else {
      const property: JsonNode | undefined = node.children?.find(
        (child) => child.type === 'property' && child.children?.[0]?.value === segment,
      );
      propertyName = property?.children?.[0];
      node = property?.children?.[1];
    }
  }
  const target = (atPropertyName ? propertyName : undefined) ?? node ?? document.tree;
  return positionedError(document.file, document.source, target.offset, formatJsonPath(at), message);
}

function positionedError(file: string, source: SourceText, offset: number, key: string, message: string): ConfigError {
  const position = source.positionAt(offset);
  return new ConfigError(file, position.line + 1, position.column + 1, key, message);
}

export function formatJsonPath(at: JsonPath): string {
  let result = '';
  for (const segment of at) {
    // A key of a file that is not a configuration (a `creds.json` someone extended) may itself be a token.
    const key = typeof segment === 'string' && couldBeSecret(segment) ? '<key not shown>' : segment;
    if (typeof key === 'number') result += `[${key}]`;
    else result += result ? `.${key}` : key;
  }
  return result;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (error instanceof ConfigFileRefused) return error.message;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------------
// Globs (shared by `overrides` and `ignore`)

/**
 * Compiles globs relative to the configuration root, gitignore-style: a glob without a slash matches a
 * name in any folder, a leading `/` anchors it at the root, and a glob that matches a folder matches
 * everything inside it (`third_party`, `third_party/` and `third_party/**` are the same).
 */
export function compileGlobs(patterns: readonly string[]): (relativePath: string) => boolean {
  if (patterns.length === 0) return () => false;
  const matcher = picomatch(patterns.map(normalizeGlob), { dot: true });
  return (relativePath) => {
    const segments = relativePath.split('/');
    for (let length = segments.length; length > 0; length--) {
      if (matcher(segments.slice(0, length).join('/'))) return true;
    }
    return false;
  };
}

function normalizeGlob(pattern: string): string {
  let glob = pattern.startsWith('./') ? pattern.slice(2) : pattern;
  const folderOnly = glob.endsWith('/');
  // A loop, not replace(/\/+$/): that regex is tried at every slash of a long run (quadratic).
  let end = glob.length;
  while (end > 0 && glob.charCodeAt(end - 1) === 0x2f) end--;
  glob = glob.slice(0, end);
  const anchored = glob.includes('/');
  if (glob.startsWith('/')) glob = glob.slice(1);
  if (!anchored) glob = `**/${glob}`;
  return folderOnly ? `${glob}/**` : glob;
}
