/**
 * Whole-project resolution of findings that hold "unless another file provides X" (Report.unless), or only
 * "when another file provides X" (Report.when): a rule
 * that meets a call into a function defined elsewhere reports it conditionally, every file declares the
 * facts it can vouch for (RuleContext.provide), and a scan that saw the whole project drops the findings
 * another file of the same project answers. One pass over the files, then this: no second parse.
 * A finding may carry several conditions: every `when` must be provided (evidence combined from several
 * files), and any one `unless` provided answers it.
 */
import { closeDerivedFacts } from './derived-facts';
import type { FileResult, Finding, ProjectCondition, ProjectConditions } from './types';

/** Facts by project folder, then `ruleId\0fact`, then the values provided. */
export type ProjectFacts = Map<string, Map<string, Set<string>>>;

/** Adds what each file provides to `into`, under the file's project. */
export function collectProjectFacts(files: readonly FileResult[], into: ProjectFacts = new Map()): ProjectFacts {
  for (const file of files) {
    for (const [ruleId, facts] of Object.entries(file.facts ?? {})) {
      const project = into.get(file.project ?? '') ?? new Map<string, Set<string>>();
      into.set(file.project ?? '', project);
      for (const [fact, values] of Object.entries(facts)) {
        const key = `${ruleId}\u0000${fact}`;
        const set = project.get(key) ?? new Set<string>();
        for (const value of values) set.add(value);
        project.set(key, set);
      }
    }
  }
  return into;
}

/** Closes every project's facts under the derivations they carry (core/derived-facts.ts). */
export function deriveProjectFacts(facts: ProjectFacts): ProjectFacts {
  for (const known of facts.values()) closeDerivedFacts(known);
  return facts;
}

/** The conditions of a `when` or `unless`, as a list. */
export function conditionList(conditions: ProjectConditions | undefined): readonly ProjectCondition[] {
  if (!conditions) return [];
  return isConditionList(conditions) ? conditions : [conditions];
}

function isConditionList(conditions: ProjectConditions): conditions is readonly ProjectCondition[] {
  return Array.isArray(conditions);
}

/** Whether the facts of a rule's project provide a condition: any of its values. */
export type ProvidedTest = (condition: ProjectCondition) => boolean;

/**
 * Whether a conditional finding stands, given what its project provides: every `when` provided and no `unless`
 * provided. One decision for the whole-project scan and for `medsec merge` of shards.
 */
export function conditionsStand(finding: { when?: ProjectConditions; unless?: ProjectConditions }, provided: ProvidedTest): boolean {
  return conditionList(finding.when).every(provided) && !conditionList(finding.unless).some(provided);
}

function providedIn(ruleId: string, project: string | undefined, facts: ProjectFacts): ProvidedTest {
  const known = facts.get(project ?? '');
  return (condition) => {
    const values = known?.get(`${ruleId}\u0000${condition.fact}`);
    return !!values && condition.anyOf.some((value) => values.has(value));
  };
}

/** Whether another file of the finding's project answers it (any of its `unless` conditions is provided). */
export function isAnswered(finding: Pick<Finding, 'ruleId' | 'unless'>, project: string | undefined, facts: ProjectFacts): boolean {
  return conditionList(finding.unless).some(providedIn(finding.ruleId, project, facts));
}

/** Whether a finding that holds only when other files provide facts (`when`) is confirmed: all of them; true without one. */
export function isConfirmed(finding: Pick<Finding, 'ruleId' | 'when'>, project: string | undefined, facts: ProjectFacts): boolean {
  return conditionList(finding.when).every(providedIn(finding.ruleId, project, facts));
}

export function resolveProjectFacts(files: FileResult[]): FileResult[] {
  const facts = deriveProjectFacts(collectProjectFacts(files));
  if (!facts.size && !files.some((file) => file.findings.some((finding) => finding.when))) return files;
  return files.map((file) => {
    const findings = file.findings.filter(
      (finding) => !isAnswered(finding, file.project, facts) && isConfirmed(finding, file.project, facts),
    );
    return findings.length === file.findings.length ? file : { ...file, findings };
  });
}
