/**
 * Whole-project resolution of findings that hold "unless another file provides X" (Report.unless), or only
 * "when another file provides X" (Report.when): a rule
 * that meets a call into a function defined elsewhere reports it conditionally, every file declares the
 * facts it can vouch for (RuleContext.provide), and a scan that saw the whole project drops the findings
 * another file of the same project answers. One pass over the files, then this: no second parse.
 */
import type { FileResult, Finding } from './types';

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

/** Whether another file of the finding's project answers it. */
export function isAnswered(finding: Pick<Finding, 'ruleId' | 'unless'>, project: string | undefined, facts: ProjectFacts): boolean {
  if (!finding.unless) return false;
  const values = facts.get(project ?? '')?.get(`${finding.ruleId}\u0000${finding.unless.fact}`);
  return !!values && finding.unless.anyOf.some((value) => values.has(value));
}

/** Whether a finding that holds only when another file provides a fact (`when`) is confirmed; true without one. */
export function isConfirmed(finding: Pick<Finding, 'ruleId' | 'when'>, project: string | undefined, facts: ProjectFacts): boolean {
  if (!finding.when) return true;
  const values = facts.get(project ?? '')?.get(`${finding.ruleId}\u0000${finding.when.fact}`);
  return !!values && finding.when.anyOf.some((value) => values.has(value));
}

export function resolveProjectFacts(files: FileResult[]): FileResult[] {
  const facts = collectProjectFacts(files);
  if (!facts.size && !files.some((file) => file.findings.some((finding) => finding.when))) return files;
  return files.map((file) => {
    const findings = file.findings.filter(
      (finding) => !isAnswered(finding, file.project, facts) && isConfirmed(finding, file.project, facts),
    );
    return findings.length === file.findings.length ? file : { ...file, findings };
  });
}
