/**
 * Checks one file: parse, build the code model, run each applicable rule in isolation, then turn reports
 * into findings (positions, severity, redacted snippets) and apply suppressions.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Tree } from 'web-tree-sitter';
import { isTreeSitterLanguage } from './language';
import { buildConfigModel } from './model/config-model';
import { buildScannerModel } from './model/estree-model';
import { buildTsModel } from './model/ts-model';
import { buildShellModel } from './model/shell-model';
import { buildTreeSitterModel } from './model/tree-sitter-model';
import type { FragmentedModel } from './model/model-fragments';
import { emptyModel, type CodeModel } from './model/types';
import { lazyEstree } from './parse/estree';
import { parsesWithJsx, parseTypeScript } from './parse/typescript';
import { parseTreeSitter } from './parse/tree-sitter';
import { blankedDirectiveLines, parseCFamily } from './parse/c-family';
import { conditionalCandidates } from './parse/macro-blanks';
import { withBlankedBlocks } from './model/blanked-directives';
import { releaseParseGarbage } from './parse/release-garbage';
import { redactSlice, SecretSpans, SecretValues } from './redact';
import { applySuppressions, parseSuppressions, policyOf } from './suppressions';
import type { JustificationPolicy } from '../../../shared/justification';
import { buildValueFlow, type ValueFlow } from './flow/value-flow';
import { testCodePolicyOf, testCodeSeverity, type TestCodeClass, type TestCodePolicy } from './test-code';
import { SourceText } from './text';
import { FileBudget, type PhaseListener } from './file-budget';
import { runWithin } from './interrupt';
import { BudgetExceeded } from './custom/budget';
import { conditionList } from './project-facts';
import { pushAll } from './arrays';
import { needsPlan } from './rule-needs';
import type {
  EffectiveRule,
  FileResult,
  Finding,
  LanguageId,
  ProjectCondition,
  ProjectConditions,
  Report,
  RuleContext,
  RuleFailure,
  RuleMeta,
  Span,
} from './types';

export interface CheckInput {
  /** Absolute path. */
  path: string;
  /** Forward slashes, relative to the config root: what outputs show. */
  relativePath: string;
  text: string;
  language: LanguageId;
  invalidUtf8?: boolean;
  /**
   * How the configuration classifies the file as test code (`ResolvedConfig.testCodeFor`); the engine reads the
   * imports of a file its path leaves open. A bare policy: the file is test code, with that policy.
   */
  testCode?: TestCodeClass | TestCodePolicy;
}

export interface ParsedFile {
  language: LanguageId;
  /** Set when the file could not be parsed and modelled (over its time budget, a parser crash): no rule runs. */
  notAnalysed?: string;
  text: SourceText;
  model: CodeModel;
  notes: string[];
  /** The tree-sitter tree, kept by callers that re-parse incrementally (the language server). */
  tree?: Tree;
  /**
   * The ESTree of a TypeScript / JavaScript file that parsed, built on first read (custom rules run
   * selectors on it; the code model is built from TypeScript's own tree, without it).
   */
  readonly ast?: TSESTree.Program;
}

/** A snippet shows at most this many characters around the finding (minified files have huge lines). */
const SNIPPET_WINDOW = 160;

/**
 * Parses and models one file. `previousTree` (the file's last tree, with the edits since applied) makes the
 * parse incremental; `fragments`, the model kept in pieces for that tree, makes the model incremental too
 * (the language server's open documents).
 */
export async function parseFile(
  input: CheckInput,
  previousTree?: Tree,
  budget?: FileBudget,
  fragments?: FragmentedModel,
): Promise<ParsedFile> {
  const text = new SourceText(input.text);
  const notes: string[] = [];
  if (input.invalidUtf8) notes.push('the file is not valid UTF-8; invalid bytes were read as U+FFFD');
  let language = input.language;
  let model: CodeModel = emptyModel();
  let tree: Tree | undefined;
  let estree: (() => TSESTree.Program | undefined) | undefined;
  try {
    if (isTreeSitterLanguage(language)) {
      // A .h file may be C++, and macros may be blanked out (c-family.ts says when).
      let incremental = previousTree !== undefined;
      if (language === 'c' || language === 'cpp')
        ({ tree, language, incremental } = await parseCFamily(language, input.path, input.text, previousTree));
      else tree = await parseTreeSitter(language, input.text, previousTree);
      budget?.start();
      model =
        fragments?.language === language
          ? fragments.build(tree, input.text, incremental && previousTree !== tree ? previousTree?.getChangedRanges(tree) : undefined)
          : buildTreeSitterModel(language, tree, input.text);
      if (language === 'c' || language === 'cpp') restoreBlankedDirectives(model, tree, input.text);
      if (model.hasErrors) notes.push('syntax errors: findings come from the parts that parsed');
    } else if (language === 'shell') {
      tree = await parseTreeSitter('shell', input.text, previousTree);
      budget?.start();
      model = buildShellModel(tree);
      if (model.hasErrors) notes.push('syntax errors: findings come from the parts that parsed');
    } else if (language === 'typescript' || language === 'javascript') {
      const parsed = parseTypeScript(input.text, input.path);
      budget?.start();
      if (parsed.sourceFile) {
        model = buildTsModel(parsed.sourceFile, input.text);
        // TypeScript's tree is garbage now; free it before the rules allocate on top of it.
        releaseParseGarbage(input.text.length);
        estree = lazyEstree(input.text, input.path);
      } else {
        const at = text.positionAt(parsed.error?.offset ?? 0);
        notes.push(
          `syntax error at ${at.line + 1}:${at.column + 1} (${parsed.error?.message}); only string literals and comments were checked`,
        );
        model = buildScannerModel(input.text, parsesWithJsx(input.path));
      }
    } else {
      budget?.start();
      model = language === 'json' ? emptyModel() : buildConfigModel(language, input.text);
    }
  } catch (error) {
    // Parsing must never take the scan down (a stack overflow on absurd nesting, say): the file is
    // reported as not analysed, and the other files go on.
    tree?.delete();
    tree = undefined;
    model = emptyModel();
    model.hasErrors = true;
    const reason = `could not be analysed: ${error instanceof Error ? error.message : String(error)}`;
    notes.push(reason);
    return { language, text, model, notes, notAnalysed: reason };
  }
  if (budget?.spent()) return overBudget(text, language, notes, budget, 'building the code model', tree);
  const parsed: ParsedFile = { language, text, model, notes, tree };
  if (estree) Object.defineProperty(parsed, 'ast', { get: estree, enumerable: true });
  return parsed;
}

/** A file whose parse or model used up its budget: no rules run on it, and every output says so. */
function overBudget(text: SourceText, language: LanguageId, notes: string[], budget: FileBudget, phase: string, tree?: Tree): ParsedFile {
  tree?.delete();
  const model = emptyModel();
  model.hasErrors = true;
  const reason = budget.reason(phase);
  return { language, text, model, notes: [...notes, reason], notAnalysed: reason };
}

/**
 * Checks one file within `budgetMs` (the configuration's `fileBudgetMs`; no limit when omitted). `onPhase`
 * hears each phase of the budgeted work (a scan worker tells its watchdog; pool/worker-progress.ts).
 */
export async function checkFile(
  input: CheckInput,
  rules: EffectiveRule[],
  budgetMs?: number,
  onPhase?: PhaseListener,
): Promise<FileResult> {
  const budget = budgetMs ? new FileBudget(budgetMs, onPhase) : undefined;
  const parsed = await parseFile(input, undefined, budget);
  try {
    return runRules(input, parsed, rules, undefined, budget);
  } finally {
    parsed.tree?.delete();
  }
}

/**
 * Runs the rules on an already parsed file (the language server keeps trees between edits). `ruleCosts`,
 * when given, receives each rule's run time in milliseconds (the language server's `medsec/stats`).
 */
export function runRules(
  input: CheckInput,
  parsed: ParsedFile,
  rules: EffectiveRule[],
  ruleCosts?: (ruleId: string, ms: number) => void,
  budget?: FileBudget,
): FileResult {
  const run = new RuleRun(input, parsed, rules, ruleCosts, budget);
  if (!budget) run.runEach();
  // One rule that never returns is stopped outright past the hard limit; the findings so far stand.
  else if (
    !runWithinBudget(
      budget,
      () => run.runEach(),
      () => run.resume(),
    )
  )
    run.stop();
  return run.finish();
}

/** One file to check with `checkFiles`: what `checkFile` takes. */
export interface CheckRequest {
  input: CheckInput;
  rules: EffectiveRule[];
  budgetMs?: number;
}

/**
 * Checks several files, as `checkFile` checks each (same results, same budget verdicts), with one watchdog
 * for the rules of them all instead of one per file: starting the watchdog's thread costs about 0.1 ms of
 * wall-clock time, as much as checking a small file. The files are parsed and modelled one after the other
 * (each budget's clocks paused after its model), then their rules run under one watchdog, set to the first
 * file's hard stop. A stop that comes while a later file is within its own hard stop was for the first file's
 * time; that file's work goes on under a new watchdog (the rule that was cut starts again, as after `extend`).
 */
export async function checkFiles(requests: readonly CheckRequest[]): Promise<FileResult[]> {
  const runs: RuleRun[] = [];
  // The file being worked on, which an error (a bug: rules and parsers are isolated) is reported for.
  const progress = { at: 0 };
  try {
    for (; progress.at < requests.length; progress.at++) {
      const { input, rules, budgetMs } = requests[progress.at];
      const budget = budgetMs ? new FileBudget(budgetMs) : undefined;
      const parsed = await parseFile(input, undefined, budget);
      budget?.pause();
      runs.push(new RuleRun(input, parsed, rules, undefined, budget));
    }
    progress.at = 0;
    runAllWithinBudgets(runs, progress);
    const results: FileResult[] = [];
    for (progress.at = 0; progress.at < runs.length; progress.at++) results.push(runs[progress.at].finish());
    return results;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`while checking ${requests[progress.at]?.input.relativePath}: ${message}`, { cause: error });
  } finally {
    for (const run of runs) run.parsed.tree?.delete();
  }
}

/**
 * Runs the rules of every file in order under one watchdog, set to the hard stop of the first file it runs. A
 * later file's clock starts when its rules do, so the watchdog cannot come before that file's own hard stop
 * by its own time; with budgets of different sizes it can come later (by no more than the first file's).
 */
function runAllWithinBudgets(runs: readonly RuleRun[], progress: { at: number }): void {
  const work = () => {
    for (; progress.at < runs.length; progress.at++) {
      runs[progress.at].budget?.resume();
      runs[progress.at].runEach();
    }
  };
  while (progress.at < runs.length) {
    const first = runs[progress.at];
    if (!first.budget) {
      // No budget, no hard stop (as in runRules): a watchdog would only cut it and start its rule again.
      first.runEach();
      progress.at++;
      continue;
    }
    // Done, or the watchdog fired as the last file finished.
    if (runWithin(first.budget.untilHardStop(), work).done || progress.at >= runs.length) return;
    const cut = runs[progress.at];
    // Not this file's hard stop (or it has no budget): the first file's came first, and this one goes on.
    if (!cut.budget?.atHardStop()) {
      cut.resume();
      continue;
    }
    // Its own hard stop: extended once when its own work is under budget (runWithinBudget), else it stands.
    const extended = cut.budget.extend();
    if (extended) cut.resume();
    if (!extended || !runWithin(cut.budget.untilHardStop(), () => cut.runEach()).done) cut.stop();
    progress.at++;
  }
}

/**
 * The rules of one file, run in order and resumable: after a hard stop that is extended (or one that came
 * for another file's time), the rule that was cut starts again. `finish` turns the reports into the result.
 */
class RuleRun {
  private notAnalysed: string | undefined;
  private rulesRun = 0;
  private readonly ruleFailures: RuleFailure[] = [];
  private readonly raw: { effective: EffectiveRule; report: Report }[] = [];
  private readonly facts = new Map<string, Map<string, Set<string>>>();
  private readonly file: FileState;
  /** The test-code policy when the file is test code (by its path or its imports). */
  private readonly testCode: TestCodePolicy | undefined;
  // The rule whose check is under way, and the first rule not yet started: what a hard stop names.
  private running: string | undefined;
  private next = 0;

  constructor(
    private readonly input: CheckInput,
    readonly parsed: ParsedFile,
    private readonly rules: EffectiveRule[],
    private readonly ruleCosts: ((ruleId: string, ms: number) => void) | undefined,
    readonly budget: FileBudget | undefined,
  ) {
    this.notAnalysed = parsed.notAnalysed;
    this.testCode = testCodePolicyOf(input.testCode, parsed.language, parsed.model.imports);
    this.file = new FileState(input.relativePath, this.testCode !== undefined, parsed, policyOf(rules));
  }

  /**
   * Per rule, whether its pre-filter rules the file out (core/rule-needs.ts): none of its fragments occurs, so
   * it would report nothing and provide nothing. Found on the first run, under the rules' budget.
   */
  private get skipped(): readonly boolean[] {
    return (this.skips ??= needsPlan(this.rules, this.parsed.language).skips(this.parsed.text.content));
  }

  private skips: boolean[] | undefined;

  /** Whether the rule at this index of the list is one to run on this file. */
  private applies(index: number): boolean {
    return this.rules[index].rule.meta.languages.includes(this.parsed.language) && !this.skipped[index];
  }

  /**
   * The ids of the rules from this index on that would run on this file: what a stop leaves unchecked. A stop
   * before the pre-filter was found names every rule of the language (it is not computed past a hard stop).
   */
  private notRunFrom(index: number): string[] {
    const { rules, skips } = this;
    const language = this.parsed.language;
    const ids: string[] = [];
    for (let i = index; i < rules.length; i++)
      if (rules[i].rule.meta.languages.includes(language) && !skips?.[i]) ids.push(rules[i].rule.meta.id);
    return ids;
  }

  /** Runs the rules from the first not yet run on. */
  runEach(): void {
    const { rules, budget, ruleCosts } = this;
    for (; this.next < rules.length; this.next++) {
      const effective = rules[this.next];
      const meta = effective.rule.meta;
      if (this.notAnalysed || !this.applies(this.next)) continue;
      if (budget?.spent()) {
        // Findings so far stand; the rules not yet run are named so the user knows what was not checked.
        const remaining = this.notRunFrom(this.next);
        this.notAnalysed = budget.reason(`running the rules (not run: ${remaining.join(', ')})`);
        continue;
      }
      const context = new FileRuleContext(this.file, effective, this.raw, this.facts);
      budget?.enter(`running the rule ${meta.id}`);
      const started = ruleCosts ? performance.now() : 0;
      this.rulesRun++;
      this.running = meta.id;
      try {
        effective.rule.check(context);
      } catch (error) {
        // One broken rule must not take the others down: report it and go on.
        const message = error instanceof Error ? error.message : String(error);
        this.ruleFailures.push({
          ruleId: meta.id,
          path: this.input.relativePath,
          error: message,
          ...(error instanceof BudgetExceeded ? { overBudget: true as const } : {}),
        });
      }
      this.running = undefined;
      if (ruleCosts) ruleCosts(meta.id, performance.now() - started);
    }
  }

  /** After a hard stop cut the work: the rule that was under way is forgotten, to start again. */
  resume(): void {
    this.running = undefined;
  }

  /** The hard stop stands: no rule runs any more, and the note names the rule that was cut or those not run. */
  stop(): void {
    const { budget, rules, running } = this;
    if (!budget) return;
    this.notAnalysed = budget.reason(
      running ? `running the rule ${running}, and its check was stopped` : stoppedBetweenRules(this.notRunFrom(this.next)),
    );
    this.next = rules.length;
  }

  finish(): FileResult {
    const { input, parsed, rules, raw, facts, notAnalysed, rulesRun, ruleFailures, testCode } = this;
    const { language, text, model } = parsed;
    const inTestCode = testCode !== undefined;
    const secretSpans: Span[] = raw.map((r) => r.report.secret).filter((s): s is Span => !!s);
    const secrets = new SecretSpans(secretSpans);
    const secretValues = new SecretValues(secretSpans.map((s) => text.slice(s)));
    const seen = new Set<string>();
    const findings: Finding[] = [];
    const placeOf = (ruleId: string, span: Span) => `${ruleId}:${span.start}`;
    const live = livePlaces(raw, placeOf);
    for (const { effective, report } of raw) {
      // One finding per rule and place: when two detection paths reach the same code, the first report wins.
      const key = placeOf(effective.rule.meta.id, report.span);
      if (seen.has(key)) continue;
      seen.add(key);
      const liveness = live.get(key);
      const policy = rulePolicy(testCode, effective.rule.meta);
      if (policy === 'live-secrets' && !liveness) continue;
      const range = text.rangeOf(report.span);
      const severity = report.severity && !effective.severityConfigured ? report.severity : effective.severity;
      const lowered = policy === 'lower' && !liveness;
      const finding: Finding = {
        ruleId: effective.rule.meta.id,
        message: secretValues.redact(report.message),
        severity: lowered ? testCodeSeverity(severity) : severity,
        confidence: report.confidence ?? effective.rule.meta.confidence,
        path: input.relativePath,
        language,
        span: { start: report.span.start, end: report.span.end },
        range,
        snippet: secretValues.redact(snippetOf(text, report.span, secrets)),
        ...(report.secret ? { secret: { start: report.secret.start, end: report.secret.end } } : {}),
        // Plain spans only: a rule may hand in a model node (with its lazily resolved arguments and function),
        // and a finding must stay small, serialisable data for workers, JSON and the language server.
        fixes: (report.fixes ?? []).map((fix) => ({
          title: fix.title,
          safety: fix.safety,
          edits: fix.edits.map((edit) => ({ span: { start: edit.span.start, end: edit.span.end }, newText: edit.newText })),
        })),
        ...(conditionList(report.unless).length ? { unless: report.unless } : {}),
        ...(conditionList(report.when).length ? { when: report.when } : {}),
        ...(inTestCode ? { testCode: true as const } : {}),
      };
      pushAll(findings, underTestCodePolicy(finding, policy, liveness));
    }
    findings.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
    // Most files have no finding: their comments need no reading for directives.
    if (findings.length) applySuppressions(findings, parseSuppressions(model.comments, text, this.file.justificationPolicy), rules);
    return {
      path: input.relativePath,
      language,
      findings,
      ruleFailures,
      notes: notAnalysed && !parsed.notes.includes(notAnalysed) ? [...parsed.notes, notAnalysed] : parsed.notes,
      ...(notAnalysed ? { notAnalysed } : {}),
      // Stopped between rules after some ran: their findings stand, so the file was analysed in part.
      ...(notAnalysed && rulesRun > 0 ? { analysedInPart: true as const } : {}),
      lines: text.lineCount,
      ...(facts.size ? { facts: factsOf(facts) } : {}),
    };
  }
}

/**
 * The policy for one rule's findings in test code: `evidence` is `live-secrets` for a rule that says what its
 * findings there must show (`RuleMeta.testCodeEvidence`, shown by `Report.liveSecret`) and `report` for the rest.
 */
function rulePolicy(testCode: TestCodePolicy | undefined, meta: RuleMeta): Exclude<TestCodePolicy, 'evidence'> | undefined {
  if (testCode !== 'evidence') return testCode;
  return meta.testCodeEvidence ? 'live-secrets' : 'report';
}

/**
 * How a place is live: without condition, unless the project provides something (`Report.liveUnless`), or only
 * when it does (`Report.liveWhen`).
 */
type Liveness = true | { unless: ProjectConditions } | { when: ProjectCondition };

/**
 * Which places (rule and offset) are live secrets: `true` when any detection path that reached one says so
 * without condition (a token slot and the token's format), else the condition of the first that says so unless
 * or only when the project provides something.
 */
function livePlaces(
  raw: readonly { effective: EffectiveRule; report: Report }[],
  placeOf: (ruleId: string, span: Span) => string,
): Map<string, Liveness> {
  const live = new Map<string, Liveness>();
  for (const { effective, report } of raw) {
    if (!report.liveSecret && !report.liveWhen) continue;
    const key = placeOf(effective.rule.meta.id, report.span);
    const unless = report.liveSecret && conditionList(report.liveUnless).length ? report.liveUnless : undefined;
    if (report.liveSecret && !unless) live.set(key, true);
    else if (!live.has(key)) live.set(key, unless ? { unless } : { when: report.liveWhen! });
  }
  return live;
}

/**
 * A live secret in test code that is live only unless (or only when) the project provides something: under
 * `live-secrets` it stands on that condition (otherwise it is dropped, as test code's other findings are); under
 * `lower` it stands at its severity on that condition, and at `low` on the converse (two findings, of which
 * project resolution keeps one).
 */
function underTestCodePolicy(
  finding: Finding,
  testCode: Exclude<TestCodePolicy, 'evidence'> | undefined,
  liveness: Liveness | undefined,
): Finding[] {
  if (!testCode || testCode === 'report' || !liveness || liveness === true) return [finding];
  const lowered = { ...finding, severity: testCodeSeverity(finding.severity) };
  if ('when' in liveness) {
    const live = { ...finding, when: [...conditionList(finding.when), liveness.when] };
    if (testCode === 'live-secrets') return [live];
    return [live, { ...lowered, unless: [...conditionList(finding.unless), liveness.when] }];
  }
  const live = { ...finding, unless: [...conditionList(finding.unless), ...conditionList(liveness.unless)] };
  if (testCode === 'live-secrets') return [live];
  return [live, { ...lowered, when: [...conditionList(finding.when), ...conditionList(liveness.unless)] }];
}

/** What every rule's context shares on one file; the flow is built on the first rule's first ask. */
class FileState {
  private valueFlow?: ValueFlow;
  constructor(
    readonly path: string,
    readonly inTestCode: boolean,
    readonly parsed: ParsedFile,
    readonly justificationPolicy: JustificationPolicy,
  ) {}

  get flow(): ValueFlow {
    return (this.valueFlow ??= buildValueFlow(this.parsed.model, this.parsed.text.content));
  }
}

/**
 * One rule's view of the file. A class, not an object literal with getters: a literal with accessors is
 * built by a slow runtime path, and a scan builds one per rule per file (300k on a 6k-file corpus).
 */
class FileRuleContext implements RuleContext {
  readonly path: string;
  readonly inTestCode: boolean;
  readonly language: LanguageId;
  readonly text: SourceText;
  readonly model: CodeModel;
  readonly options: Readonly<Record<string, unknown>>;
  readonly justificationPolicy: JustificationPolicy;
  readonly tree?: Tree;
  readonly report: (report: Report) => void;
  readonly provide: (fact: string, values: string[]) => void;

  constructor(
    private readonly file: FileState,
    effective: EffectiveRule,
    raw: { effective: EffectiveRule; report: Report }[],
    facts: Map<string, Map<string, Set<string>>>,
  ) {
    const { parsed } = file;
    this.path = file.path;
    this.inTestCode = file.inTestCode;
    this.language = parsed.language;
    this.text = parsed.text;
    this.model = parsed.model;
    this.options = effective.options;
    this.justificationPolicy = file.justificationPolicy;
    this.tree = parsed.tree;
    this.report = (report) => raw.push({ effective, report });
    const ruleId = effective.rule.meta.id;
    // Values gathered in sets and listed once at the end: merging into a fresh array on each call was
    // quadratic in a rule that provides one value at a time.
    this.provide = (fact, values) => {
      // Nothing provided is no fact: an empty list would still mark the file as providing (its project looked
      // up, an empty entry in the results), and a rule its pre-filter skips calls nothing at all.
      if (!values.length) return;
      let byFact = facts.get(ruleId);
      if (!byFact) facts.set(ruleId, (byFact = new Map()));
      let known = byFact.get(fact);
      if (!known) byFact.set(fact, (known = new Set()));
      for (const value of values) known.add(value);
    };
  }

  get ast(): TSESTree.Program | undefined {
    return this.file.parsed.ast;
  }

  get flow(): ValueFlow {
    return this.file.flow;
  }
}

/** The facts rules provided, as the result carries them: per rule, per fact, the values in first-seen order. */
function factsOf(facts: Map<string, Map<string, Set<string>>>): NonNullable<FileResult['facts']> {
  const out: NonNullable<FileResult['facts']> = {};
  for (const [ruleId, byFact] of facts) {
    const entry: Record<string, string[]> = (out[ruleId] = {});
    for (const [fact, values] of byFact) entry[fact] = [...values];
  }
  return out;
}

/**
 * Runs `work` until the budget's hard stop; false when it was stopped. A cut that came while the file's own
 * work (its thread's CPU time) was under the budget came from a loaded machine, not from the file: the work
 * is resumed once (`resume` first forgets what was cut; `work` goes on from there), its stop moved to the
 * ceiling. A rule cut in the middle starts again: its reports so far are reported again, and one finding
 * per rule and place keeps them once.
 */
function runWithinBudget(budget: FileBudget, work: () => void, resume: () => void): boolean {
  if (runWithin(budget.untilHardStop(), work).done) return true;
  if (!budget.extend()) return false;
  resume();
  return runWithin(budget.untilHardStop(), work).done;
}

/**
 * The finding's line (or a window of it), with every reported secret span masked. The caller also masks
 * every occurrence of a secret's value: the same token can sit on the line twice with only one reported.
 */
function snippetOf(text: SourceText, span: Span, secrets: SecretSpans): string {
  const pos = text.positionAt(span.start);
  const lineStart = text.lineStarts[pos.line];
  const next = text.lineStarts[pos.line + 1];
  let lineEnd = next === undefined ? text.content.length : next - 1;
  if (lineEnd > lineStart && text.content.charCodeAt(lineEnd - 1) === 13) lineEnd--;
  let from = lineStart;
  let to = lineEnd;
  if (to - from > SNIPPET_WINDOW) {
    from = Math.max(lineStart, span.start - SNIPPET_WINDOW / 4);
    to = Math.min(lineEnd, from + SNIPPET_WINDOW);
  }
  const body = redactSlice(text.content, from, to, secrets).trim();
  return (from > lineStart ? '…' : '') + body + (to < lineEnd ? '…' : '');
}

/** A hard stop that came between two rules' checks: the rules not started, or the phase when none is left. */
function stoppedBetweenRules(remaining: readonly string[]): string {
  return remaining.length
    ? `running the rules, and they were stopped (not run: ${remaining.join(', ')})`
    : 'finishing the rules, and the check was stopped';
}

/** The `#if` blocks whose directive lines the C/C++ parse blanked, read from the text into the model (model/blanked-directives.ts). */
function restoreBlankedDirectives(model: CodeModel, tree: Tree, text: string): void {
  const blanked = blankedDirectiveLines(tree);
  if (blanked.size) model.directives = withBlankedBlocks(model.directives, text, conditionalCandidates(text), blanked);
}
