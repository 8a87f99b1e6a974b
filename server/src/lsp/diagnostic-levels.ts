/**
 * The level (Error, Warning, Information, Hint) a finding is shown at. By default critical → Error,
 * high → Warning, medium and low → Information, info → Hint, so that a file's worst findings stand out by
 * colour instead of a file of twelve findings being all red. `medsec.severityLevels` remaps a severity;
 * `medsec.rules.customizations` remaps rules by id or glob, as vscode-eslint's `eslint.rules.customizations`
 * does: the last entry that matches wins, `!` before a glob matches the rules it does not.
 */
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Finding } from '../core/types';
import { matchesWildcard } from '../core/wildcard';
import { DIAGNOSTIC_LEVELS, meetsThreshold, type DiagnosticLevel, type RuleCustomization, type Settings } from './settings';

const LSP_LEVEL: Record<DiagnosticLevel, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

type LevelSettings = Pick<Settings, 'severityLevels' | 'ruleCustomizations'>;

/** The level of a finding, or undefined when a customization turns its rule off in the editor. */
export function levelOf(finding: Pick<Finding, 'ruleId' | 'severity'>, settings: LevelSettings): DiagnosticSeverity | undefined {
  const byDefault = settings.severityLevels[finding.severity];
  const level = lastMatching(settings.ruleCustomizations, finding.ruleId)?.level ?? 'default';
  switch (level) {
    case 'default':
      return LSP_LEVEL[byDefault];
    case 'off':
      return undefined;
    case 'upgrade':
      return LSP_LEVEL[DIAGNOSTIC_LEVELS[Math.max(0, DIAGNOSTIC_LEVELS.indexOf(byDefault) - 1)]];
    case 'downgrade':
      return LSP_LEVEL[DIAGNOSTIC_LEVELS[Math.min(DIAGNOSTIC_LEVELS.length - 1, DIAGNOSTIC_LEVELS.indexOf(byDefault) + 1)]];
    default:
      return LSP_LEVEL[level];
  }
}

/** Whether the editor shows a finding: unsuppressed, at or above the threshold, and not customized off. */
export function shownInEditor(finding: Finding, settings: LevelSettings & Pick<Settings, 'severityThreshold'>): boolean {
  // A finding that another file of the project must confirm (`when`) cannot be confirmed from one file.
  return (
    !finding.suppression &&
    !finding.when &&
    meetsThreshold(finding.severity, settings.severityThreshold) &&
    levelOf(finding, settings) !== undefined
  );
}

function lastMatching(customizations: readonly RuleCustomization[], ruleId: string): RuleCustomization | undefined {
  for (let index = customizations.length - 1; index >= 0; index--) {
    if (ruleMatches(customizations[index].rule, ruleId)) return customizations[index];
  }
  return undefined;
}

/** `*` matches any run of characters (by a linear scan: the glob is the user's); a leading `!` inverts the match. */
export function ruleMatches(pattern: string, ruleId: string): boolean {
  const negated = pattern.startsWith('!');
  return matchesWildcard(negated ? pattern.slice(1) : pattern, ruleId, false) !== negated;
}
