/**
 * Turns one declarative custom rule (`customRules[i]` of a configuration) into a Rule the engine runs
 * like a built-in one: validated metadata, a compiled matcher, `{{capture}}` messages, an optional fix
 * template kept only when the fixed file still parses, a time budget, and its own examples.
 */
import type { CustomRuleSpec, ExampleSpec } from '../config-types';
import { buildValueFlow } from '../flow/value-flow';
import { SourceText } from '../text';
import { seesKeysNotMapped } from '../rule-sees';
import { closestMatch } from '../text-matching';
import type { Fix, LanguageId, Report, Rule, RuleContext, RuleMeta, Taxonomy } from '../types';
import { Budget, BudgetExceeded } from './budget';
import { compileMatcher, type CompiledMatcher, type Fail, type JsonPath, type Match, type MatchInput } from './matchers';
import { parseSync } from './sync-parse';

export interface CompiledCustomRule {
  rule: Rule;
  spec: CustomRuleSpec;
  /** The configuration file that defines it, and the JSON path of the rule in that file. */
  file: string;
  at: JsonPath;
  /** Runs the rule on an example; undefined when the example's tree-sitter grammar is not loaded yet. */
  runExample(example: ExampleSpec): { language: LanguageId; reports: Report[] } | undefined;
}

export interface ExampleFailure {
  at: JsonPath;
  message: string;
}

/** Where a custom rule is defined and what it is compiled against. */
export interface CustomRuleSource {
  /** The configuration file that defines it, and the JSON path of the rule in that file. */
  file: string;
  at: JsonPath;
  /** Throws the configuration error for a problem at a JSON path. */
  fail: Fail;
  /** Time the rule may take on one file before it is disabled for the rest of the run. */
  budgetMs: number;
  /** The taxonomy its `cwe`, `fda` and `iec62443` must come from. */
  taxonomy: Taxonomy;
}

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

export function compileCustomRule(spec: CustomRuleSpec, source: CustomRuleSource): CompiledCustomRule {
  const { file, at, fail, budgetMs } = source;
  validateTaxonomy(spec, source.taxonomy, at, fail);
  const matcher = compileMatcher(spec.match, [...at, 'match'], spec.languages, fail);
  checkPlaceholders(spec.message, matcher, [...at, 'message'], fail);
  if (spec.fix) checkPlaceholders(spec.fix.replace, matcher, [...at, 'fix', 'replace'], fail);
  const evaluate = evaluator(spec, matcher, budgetMs);

  // Past its time budget on one file, the rule is off for the rest of the run (its examples are not limited).
  let disabled = false;
  const rule: Rule = {
    meta: customRuleMeta(spec),
    check(context) {
      if (disabled) return;
      evaluate(context, { onExceeded: () => (disabled = true) });
    },
  };

  return {
    rule,
    spec,
    file,
    at,
    runExample(example) {
      const { code, language } = typeof example === 'string' ? { code: example, language: spec.languages[0] } : example;
      const parsed = parseSync(language, code);
      if (!parsed) return undefined;
      const reports: Report[] = [];
      try {
        evaluate(
          {
            path: `example.${language}`,
            inTestCode: false,
            language,
            text: new SourceText(code),
            model: parsed.model,
            flow: buildValueFlow(parsed.model, code),
            options: {},
            tree: parsed.tree,
            ast: parsed.ast,
            report: (report) => reports.push(report),
            provide: () => undefined, // an example stands alone: there is no project to tell
          },
          { onExceeded: () => undefined },
        );
      } finally {
        parsed.tree?.delete();
      }
      return { language, reports };
    },
  };
}

/** The metadata a custom rule shows like a built-in one's: its spec, with defaults for what it leaves out. */
function customRuleMeta(spec: CustomRuleSpec): RuleMeta {
  return {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    confidence: spec.confidence ?? 'medium',
    languages: [...spec.languages],
    cwe: [...(spec.cwe ?? [])],
    fda: [...(spec.fda ?? [])],
    sees: spec.sees,
    iec62443: [...(spec.iec62443 ?? [])],
    fix: spec.fix ? (spec.fix.safety ?? 'suggestion') : 'none',
    presets: [],
    docs: {
      summary: spec.docs?.summary ?? spec.title,
      risk: spec.docs?.risk ?? '',
      fix: spec.docs?.fix ?? '',
      examples: [],
      fixSafety: spec.fix ? 'A custom fix template: it is offered only when the fixed file still parses.' : 'No fix.',
      references: spec.docs?.url ? [{ title: `${spec.id} documentation`, url: spec.docs.url }] : [],
    },
  };
}

type Evaluate = (context: RuleContext, useBudget: { onExceeded(): void }) => void;

/** Runs the matcher on a file within the time budget and reports each match with its message and fix. */
function evaluator(spec: CustomRuleSpec, matcher: CompiledMatcher, budgetMs: number): Evaluate {
  return (context, useBudget) => {
    const input: MatchInput = {
      language: context.language,
      text: context.text,
      model: context.model,
      tree: context.tree,
      // Read only by selectors and identifier regexes: the ESTree is built on that first read.
      get ast() {
        return context.ast;
      },
    };
    const budget = new Budget(spec.id, budgetMs, context.path);
    let matches: Match[];
    try {
      matches = matcher.run(input, budget);
    } catch (error) {
      if (error instanceof BudgetExceeded) useBudget.onExceeded();
      throw error;
    }
    for (const match of matches) {
      const report: Report = { span: match.span, message: fill(spec.message, match, context.text) };
      const fix = spec.fix && buildFix(spec, match, context);
      if (fix) report.fixes = [fix];
      context.report(report);
    }
  };
}

/** The examples of a rule that fail (or cannot run yet: `pending`). */
export function checkExamples(compiled: CompiledCustomRule): { failures: ExampleFailure[]; checked: number; pending: number } {
  const failures: ExampleFailure[] = [];
  let checked = 0;
  let pending = 0;
  const run = (list: ExampleSpec[] | undefined, kind: 'match' | 'noMatch') =>
    list?.forEach((example, index) => {
      const at = [...compiled.at, 'examples', kind, index];
      let outcome: ReturnType<CompiledCustomRule['runExample']>;
      try {
        outcome = compiled.runExample(example);
      } catch (error) {
        failures.push({
          at,
          message: `custom rule "${compiled.spec.id}": example ${kind}[${index}] could not be checked: ${(error as Error).message}`,
        });
        return;
      }
      if (!outcome) {
        pending++;
        return;
      }
      checked++;
      const count = outcome.reports.length;
      if (kind === 'match' && count === 0) {
        failures.push({
          at,
          message:
            `custom rule "${compiled.spec.id}": example match[${index}] (${outcome.language}) produces no finding; ` +
            'fix the matcher or the example',
        });
      } else if (kind === 'noMatch' && count > 0) {
        const line =
          new SourceText(typeof example === 'string' ? example : example.code).positionAt(outcome.reports[0].span.start).line + 1;
        failures.push({
          at,
          message:
            `custom rule "${compiled.spec.id}": example noMatch[${index}] (${outcome.language}) produces ${count} finding(s), ` +
            `the first on its line ${line}; fix the matcher or the example`,
        });
      }
    });
  run(compiled.spec.examples?.match, 'match');
  run(compiled.spec.examples?.noMatch, 'noMatch');
  return { failures, checked, pending };
}

function validateTaxonomy(spec: CustomRuleSpec, taxonomy: Taxonomy, at: JsonPath, fail: Fail): void {
  const has = (keys: object, key: string | number) => Object.prototype.hasOwnProperty.call(keys, key);
  spec.cwe?.forEach((id, index) => {
    if (!has(taxonomy.cwe, id)) {
      fail(
        [...at, 'cwe', index],
        `CWE ${id} is not in the medsec taxonomy (rules/taxonomy.ts); use a CWE listed there, such as 798 or 319`,
      );
    }
  });
  spec.fda?.forEach((key, index) => {
    if (!has(taxonomy.fda, key)) {
      const hint = closestMatch(key, Object.keys(taxonomy.fda));
      fail([...at, 'fda', index], `unknown FDA key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; the keys are in rules/taxonomy.ts`);
    }
  });
  for (const key of seesKeysNotMapped(spec.sees, spec.fda ?? [])) {
    fail(
      [...at, 'sees', key],
      `"sees" has a phrase for "${key}", which is not in this rule's "fda"; add the key to "fda" or drop the phrase`,
    );
  }
  spec.iec62443?.forEach((id, index) => {
    if (!has(taxonomy.iec62443, id)) {
      const hint = closestMatch(id, Object.keys(taxonomy.iec62443));
      fail([...at, 'iec62443', index], `unknown IEC 62443 requirement "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
  });
}

function checkPlaceholders(template: string, matcher: CompiledMatcher, at: JsonPath, fail: Fail): void {
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!matcher.captures.has(m[1])) {
      const available = [...matcher.captures].sort().join(', ');
      const hint = closestMatch(m[1], [...matcher.captures]);
      fail(
        at,
        `placeholder {{${m[1]}}} is never filled${hint ? ` (did you mean {{${hint}}}?)` : ''}: ` +
          `every match of this rule captures only ${available}`,
      );
    }
  }
}

function fill(template: string, match: Match, text: SourceText): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const span = match.captures.get(name);
    return span ? text.slice(span) : '';
  });
}

/** The fix for a match, or undefined when the fixed file would not parse (where the original did). */
function buildFix(spec: CustomRuleSpec, match: Match, context: RuleContext): Fix | undefined {
  const template = spec.fix!;
  const newText = fill(template.replace, match, context.text);
  const content = context.text.content;
  const fixed = content.slice(0, match.span.start) + newText + content.slice(match.span.end);
  const parsed = parseSync(context.language, fixed, context.tree?.language);
  if (!parsed) return undefined;
  parsed.tree?.delete();
  if (parsed.hasErrors && !context.model.hasErrors) return undefined;
  return {
    title: template.title
      ? fill(template.title, match, context.text)
      : `Replace with ${newText.length > 60 ? `${newText.slice(0, 60)}…` : newText}`,
    safety: template.safety ?? 'suggestion',
    edits: [{ span: { start: match.span.start, end: match.span.end }, newText }],
  };
}
