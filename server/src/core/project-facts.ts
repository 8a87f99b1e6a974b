/**
 * Whole-project resolution of findings that hold "unless another file provides X" (Report.unless): a rule
 * that meets a call into a function defined elsewhere reports it conditionally, every file declares the
 * facts it can vouch for (RuleContext.provide), and a scan that saw the whole project drops the findings
 * another file answers. One pass over the files, then this: no second parse.
 */
import type { FileResult } from './types';

export function resolveProjectFacts(files: FileResult[]): FileResult[] {
  const provided = new Map<string, Set<string>>();
  for (const file of files) {
    for (const [ruleId, facts] of Object.entries(file.facts ?? {})) {
      for (const [fact, values] of Object.entries(facts)) {
        const key = `${ruleId}\u0000${fact}`;
        const set = provided.get(key) ?? new Set<string>();
        for (const value of values) set.add(value);
        provided.set(key, set);
      }
    }
  }
  if (!provided.size) return files;
  return files.map((file) => {
    const findings = file.findings.filter((finding) => {
      if (!finding.unless) return true;
      const values = provided.get(`${finding.ruleId}\u0000${finding.unless.fact}`);
      return !values || !finding.unless.anyOf.some((value) => values.has(value));
    });
    return findings.length === file.findings.length ? file : { ...file, findings };
  });
}
