/**
 * The types every layer shares: rules, findings, fixes and the scan result.
 * The engine is pure: nothing here knows about LSP, VS Code or the terminal.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { JustificationPolicy } from '../../../shared/justification';
import type { Tree } from 'web-tree-sitter';
import type { ValueFlow } from './flow/value-flow';
import type { CodeModel } from './model/types';
import type { Range, Span } from './span';
import type { SourceText } from './text';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * What is done with findings in test code (core/test-code.ts): keep only the `live-secrets`, `lower` the
 * severity of the others, `report` them unchanged, or report them unchanged where their rule needs no more
 * `evidence` in test code (`RuleMeta.testCodeEvidence`) and only the live secrets of the rules that do.
 */
export const TEST_CODE_POLICIES = ['live-secrets', 'lower', 'evidence', 'report'] as const;
export type TestCodePolicy = (typeof TEST_CODE_POLICIES)[number];

/**
 * How the configuration classifies a file before its content is read (core/test-code.ts): test code `by` its
 * `path` (the conventions or `testCode.files`), `excluded` from test code (`testCode.excludedFiles`), or left
 * to its `content` (the engine reads its imports). `policy` is what is done with its findings if it is test code.
 */
export interface TestCodeClass {
  policy: TestCodePolicy;
  by: 'path' | 'content' | 'excluded';
}
export type Confidence = 'high' | 'medium' | 'low';
export type FixSafety = 'safe' | 'suggestion' | 'none';

/**
 * Every language medsec reads. Config formats are languages too: each has its own small parser. `text` is
 * any other text file (only the secrets checks read it); `key-container` is a binary key store or DER key
 * file, which rules see as a one-line description, never as its bytes. `android-xml` is an XML resource of an
 * Android app (`res/xml/`: the network security configuration lives there). `shell` is a POSIX shell or Bash
 * script, parsed with tree-sitter-bash; only the rules that name it read it.
 */
export type LanguageId =
  | 'c'
  | 'cpp'
  | 'python'
  | 'java'
  | 'kotlin'
  | 'typescript'
  | 'javascript'
  | 'kconfig'
  | 'dotenv'
  | 'android-manifest'
  | 'android-xml'
  | 'shell'
  | 'json'
  | 'yaml'
  | 'text'
  | 'key-container';

export const LANGUAGES: readonly LanguageId[] = [
  'c',
  'cpp',
  'python',
  'java',
  'kotlin',
  'typescript',
  'javascript',
  'kconfig',
  'dotenv',
  'android-manifest',
  'android-xml',
  'shell',
  'json',
  'yaml',
  'text',
  'key-container',
];

export type { Position, Range, Span } from './span';

export interface TextEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  /** Imperative, shown on the quick fix: "Require peer verification (MBEDTLS_SSL_VERIFY_REQUIRED)". */
  title: string;
  safety: Exclude<FixSafety, 'none'>;
  edits: TextEdit[];
}

export interface RuleDocs {
  /** What the rule finds, one paragraph of Markdown. */
  summary: string;
  /** Why it matters for a medical device: the patient-safety angle. */
  risk: string;
  /** How to fix it. */
  fix: string;
  /** Bad and good examples; the test suite runs them through the rule. */
  examples: { language: LanguageId; bad: string; good: string }[];
  /** Why the quick fix is (or is not) safe to apply in bulk. */
  fixSafety: string;
  references: { title: string; url: string }[];
}

/** `meta.sees`: one phrase, or a phrase per FDA key (`{ 'app1.C.1': '...', 'app1.C.2': '...' }`). */
export type RuleSees = string | Readonly<Record<string, string>>;

export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  confidence: Confidence;
  languages: LanguageId[];
  cwe: number[];
  /** Keys of the taxonomy (rules/taxonomy.ts): Appendix 1 items (app1.A.5), 524B items (524b.b2), legacy (fda-premarket-2014). */
  fda: string[];
  /**
   * What the rule looks for, in the words of the evidence report's control coverage matrix ("Seen in the
   * source"): one phrase for every FDA item it maps to, or one per FDA key where the phrases differ. Without
   * a phrase for an item, the matrix names the rule by its title.
   */
  sees?: RuleSees;
  /** IEC 62443-4-2 component requirement ids (CR 1.5, EDR 3.10). */
  iec62443: string[];
  fix: FixSafety;
  /** In which presets the rule is on. `recommended` implies `strict`. */
  presets: ('recommended' | 'strict')[];
  /**
   * What a finding of this rule in test code must show to be worth reporting there under the `evidence` policy
   * (`medsec:strict`), in words for the rule reference: the rule marks such findings `Report.liveSecret` (or
   * `liveWhen`). Set by rules whose weakness is where a value goes, not the code itself (a credential a test
   * sets up for its own server authenticates nothing); without it, test code is reported like any other.
   */
  testCodeEvidence?: string;
  /** Old ids kept so suppressions and configs that name them keep working. */
  aliases?: string[];
  docs: RuleDocs;
  /**
   * JSON schema (draft-07) of the rule's `options` object; the config loader validates options against it
   * and the generated schema/medsec.schema.json offers it for completion. Without it any object is accepted.
   */
  options?: Record<string, unknown>;
  /**
   * The rule's pre-filter (core/rule-needs.ts): fragments of which a file must hold at least one for the rule to
   * report anything or provide any fact; a file with none of them costs the rule nothing. Matched in the text
   * (and the decoded string literals) case-insensitively, so a fragment is an API name, a scheme, a config key:
   * a lexical unit real code does not split. A function when the fragments depend on the rule's options (users
   * extend API lists) or the language; `undefined` from it, or no `needs`, runs the rule on every file.
   */
  needs?: RuleNeeds;
  /**
   * With `needs`: evidence no fragment can name (a token's shape, found by the rule's own scanner), which also
   * runs the rule on a file none of whose fragments occurs. Asked only of such files, with the file's text.
   */
  needsAlso?: (text: string, language: LanguageId) => boolean;
}

/** See `RuleMeta.needs`. */
export type RuleNeeds =
  readonly string[] | ((options: Readonly<Record<string, unknown>>, language: LanguageId) => readonly string[] | undefined);

/** What a rule reports; the runner adds the rest (rule metadata, severity, position, redaction). */
export interface Report {
  span: Span;
  message: string;
  /** The part of the span that is a secret: it is masked in every output. */
  secret?: Span;
  fixes?: Fix[];
  /** Overrides the rule's confidence for this one finding (e.g. a heuristic hit). */
  confidence?: Confidence;
  /**
   * The severity of this one finding in place of the rule's `meta.severity`, where its evidence shows more
   * at stake (an exported component that takes dose commands). A severity the configuration sets still wins.
   */
  severity?: Severity;
  /**
   * The finding stands unless another file of the project provides one of these values of this fact (see
   * `RuleContext.provide`). A whole-project scan drops it when one does; a single file (the editor) keeps it.
   * Lets a rule follow a call into a function defined in another file without a second pass. Several
   * conditions: any one provided cancels the finding (each is a protection that answers it on its own).
   */
  unless?: ProjectConditions;
  /**
   * The finding stands only when another file of the project provides one of these values of this fact: the
   * converse of `unless`, for a weakness another file completes (a hash algorithm read from the project's
   * `.properties` file). A whole-project scan keeps it only then; a single file (the editor) cannot tell, and
   * drops it. Several conditions: all must be provided (evidence from several files combined: an open access
   * point, a command interface behind it, no authentication).
   */
  when?: ProjectConditions;
  /**
   * A live secret (a real provider token, a private key): leaked wherever it sits, so test code does not
   * lower its severity (core/test-code.ts). A key that is clearly a test fixture is not live.
   */
  liveSecret?: boolean;
  /**
   * With `liveSecret`: live unless another file of the project provides one of these (a private key in test code
   * whose certificate is a test certificate). In test code a whole-project scan then treats it as any other
   * finding there; a single file, which cannot tell, keeps it live.
   */
  liveUnless?: ProjectConditions;
  /**
   * Without `liveSecret`: live only when another file of the project provides one of these values (a test's
   * password handed to the project's own client, which logs into a real host with it). In test code a
   * whole-project scan then keeps it at its severity; a single file, which cannot tell, treats it as test code.
   */
  liveWhen?: ProjectCondition;
}

export interface ProjectCondition {
  /** Rule-scoped fact name: `verifies-signature`. */
  fact: string;
  /** The condition holds when any of these values is provided: function names, say. */
  anyOf: string[];
}

/** One condition, or several (`when`: all must hold; `unless`: any one cancels). */
export type ProjectConditions = ProjectCondition | readonly ProjectCondition[];

export interface RuleContext {
  readonly path: string;
  /** Whether the file is test code (core/test-code.ts): one classification for every rule. */
  readonly inTestCode: boolean;
  readonly language: LanguageId;
  readonly text: SourceText;
  readonly model: CodeModel;
  /** Where values come from and where they go in this file (core/flow): built on first use, shared by rules. */
  readonly flow: ValueFlow;
  /** Rule options from the configuration (e.g. extra credential names); `{}` when none. */
  readonly options: Readonly<Record<string, unknown>>;
  /** How the configuration judges a suppression's justification in this file; the default policy when unset. */
  readonly justificationPolicy?: JustificationPolicy;
  /** The tree-sitter tree (C, C++, Python, Java, Kotlin, shell), for rules that query the syntax directly. */
  readonly tree?: Tree;
  /** The ESTree of a TypeScript / JavaScript file that parsed. */
  readonly ast?: TSESTree.Program;
  report(report: Report): void;
  /** Declares facts this file gives the rest of the project (`verifies-signature`: these functions do). */
  provide(fact: string, values: string[]): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

/**
 * The closed sets rule metadata may cite, each key with its human title: CWE ids, FDA keys (Appendix 1
 * items, 524B items, legacy guidance) and IEC 62443 clause ids. The data lives beside the rules.
 */
export interface Taxonomy {
  cwe: Readonly<Record<number, string>>;
  fda: Readonly<Record<string, { title: string }>>;
  iec62443: Readonly<Record<string, { title: string }>>;
}

/**
 * What the engine runs: the rules an adapter (CLI, language server, scan worker, test) hands it, and the
 * taxonomy their metadata (and custom rules' metadata) cites. The engine itself knows no rule.
 */
export interface RuleRegistry {
  rules: readonly Rule[];
  taxonomy: Taxonomy;
}

/** How a suppression was assessed where it was written (a comment, or an entry of `.medsec.json`). */
export interface SuppressionAssessment {
  justification: string;
  /** Who reviewed it: `(reviewed-by: NAME)` in a comment, `reviewedBy` in `.medsec.json`. */
  reviewer?: string;
  /** ISO date (YYYY-MM-DD) after which the suppression no longer applies. */
  until?: string;
  source: 'in-source' | 'config';
  /** Where a `.medsec.json` entry is written: `.medsec.json suppressions[0]` (a comment is next to its finding). */
  origin?: string;
}

/** A `.medsec.json` suppression entry as it applies to one rule in one file (see `EffectiveRule.suppressedBy`). */
export interface ConfigSuppression {
  justification: string;
  reviewer?: string;
  until?: string;
  /** `.medsec.json suppressions[0]`. */
  origin: string;
  /** Why it suppresses nothing (an uninformative justification, a missing reviewer, a bad date); empty when it applies. */
  problems: string[];
}

export interface Finding {
  ruleId: string;
  message: string;
  severity: Severity;
  confidence: Confidence;
  path: string;
  language: LanguageId;
  span: Span;
  range: Range;
  /** The source line(s) of the finding with any secret masked. */
  snippet: string;
  /**
   * Where the secret is, when the finding is about one (never its value): an output that shows source lines
   * beyond the snippet, such as the `medsec fix --dry-run` diff, masks every line it spans.
   */
  secret?: Span;
  fixes: Fix[];
  /** Set when a suppression comment or the config covers this finding; it is then not counted. */
  suppression?: SuppressionAssessment;
  /** Set when a suppression covered this finding until its date passed: the finding counts again. */
  expiredSuppression?: SuppressionAssessment & { until: string };
  /** Dropped by a whole-project scan when another file provides the fact (see `Report.unless`). */
  unless?: ProjectConditions;
  /** Kept by a whole-project scan only when another file provides the fact (see `Report.when`). */
  when?: ProjectConditions;
  /** Set when the file is test code (core/test-code.ts); the severity then follows the test-code policy. */
  testCode?: true;
  /** Content fingerprint (core/fingerprint.ts): survives line moves and renames; set by the CLI after a scan. */
  fingerprint?: string;
  /** The rule and normalised line alone: the baseline's fallback match when a neighbouring line changed. */
  lineHash?: string;
  /** The version-1 `fingerprint` and `lineHash` (hashed from the masked snippet), for baselines written before version 2. */
  fingerprintV1?: string;
  lineHashV1?: string;
  /** Set when the scan ran against a baseline: `unchanged` findings are in it and are not counted. */
  baselineState?: 'new' | 'unchanged';
}

export interface RuleFailure {
  ruleId: string;
  path: string;
  error: string;
  /** A user's own custom rule went over its time budget and was disabled: the user's to fix, not a medsec bug. */
  overBudget?: true;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface FileResult {
  path: string;
  language: LanguageId;
  findings: Finding[];
  ruleFailures: RuleFailure[];
  /** Parse trouble worth telling the user (the file was still checked where it parsed). */
  notes: string[];
  /** Why the file was not (fully) analysed: over its time budget, a parser crash, a worker crash. Also in `notes`. */
  notAnalysed?: string;
  /** Set with `notAnalysed` when the budget ran out after some rules ran: their findings stand, the rest did not run. */
  analysedInPart?: true;
  lines: number;
  /** Facts this file provides to the project, per rule id and fact name (see `RuleContext.provide`). */
  facts?: Record<string, Record<string, string[]>>;
  /** The project folder the file belongs to (core/project-roots.ts): facts answer findings of their own project. */
  project?: string;
}

/** A rule as configured for one file: on, at this severity, with these options. */
export interface EffectiveRule {
  rule: Rule;
  severity: Severity;
  /** Whether the configuration set the severity (then it wins over a report's own, see `Report.severity`). */
  severityConfigured?: boolean;
  options: Record<string, unknown>;
  /** The `.medsec.json` suppressions of this rule in this file, in the order written. */
  suppressedBy?: ConfigSuppression[];
  /** How suppressions in this file are judged (`.medsec.json` `suppressionPolicy`); the default when unset. */
  justificationPolicy?: JustificationPolicy;
}

/** The resolved configuration the engine runs with (see core/config.ts for loading and validation). */
export interface ResolvedConfig {
  /** The file it came from, or undefined for the built-in default (`medsec:recommended`). */
  source?: string;
  /** Root that relative globs and output paths are relative to. */
  root: string;
  /** The rules that apply to a file (path relative to `root`, forward slashes), after presets and overrides. */
  rulesFor(relativePath: string): EffectiveRule[];
  /** Every rule enabled anywhere, for SARIF `tool.driver.rules` and reports. */
  enabledRules(): EffectiveRule[];
  /** Whether a file is test code by its path, and the policy for its findings if it is (core/test-code.ts). */
  testCodeFor(relativePath: string): TestCodeClass;
  ignore: string[];
  maxFileSize: number;
  /** How suppression justifications are judged (`suppressionPolicy`); the default policy when unset. */
  justificationPolicy?: JustificationPolicy;
  /** Milliseconds one file may take to parse, model and check (`fileBudgetMs`). */
  fileBudgetMs: number;
  /** The configuration as JSON, for the report and SARIF `invocations`. */
  raw: unknown;
  /** What the loader left out and why (custom rules and workspace `extends` in an untrusted workspace). */
  notices?: string[];
  /** The registry the configuration was resolved against (its rule ids, presets and taxonomy). */
  registry: RuleRegistry;
}

export interface ScanResult {
  root: string;
  files: FileResult[];
  skipped: SkippedFile[];
  config: ResolvedConfig;
  /** The nested `.medsec.json` files that governed part of the scan (core/nested-config.ts), outermost first. */
  nestedConfigs?: ResolvedConfig[];
  durationMs: number;
  /** Set by `scan --baseline`: the baseline file and how many of its entries no longer occur. */
  baseline?: { file: string; entries: number; unchanged: number; absent: number };
  /** Set by `scan --shard i/n`: this result holds only the files of shard `index` (1-based) of `count`. */
  shard?: { index: number; count: number };
}
