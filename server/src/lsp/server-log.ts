/**
 * What the server writes to the `medsec` output channel (`window/logMessage`), so a user can see what it
 * is doing: at start its version, the workspace folders and the trust mode; each configuration it loads
 * (file or preset, rules enabled); each workspace scan with its counts. Configuration errors are logged
 * where they are reported (config-problems.ts). The lines are built here, apart from the connection, so
 * they can be tested.
 */
import type { ResolvedConfig, Severity } from '../core/types';
import { SEVERITIES } from '../core/types';
import type { ScanSummary } from './protocol';

export function startLines(version: string, folders: readonly string[], trusted: boolean): string[] {
  return [
    `medsec ${version} language server started (Node ${process.version})`,
    `Workspace folders: ${folders.length ? folders.join(', ') : 'none (single files are checked with the ruleSet setting)'}`,
    trusted
      ? 'Workspace trust: trusted; .medsec.json loads in full (custom rules and extended files included)'
      : 'Workspace trust: Restricted Mode; built-in rules only (custom rules and extended files in the workspace are not loaded)',
  ];
}

/** `folder` is the folder the configuration governs; `ruleSet` the preset used when it has no `.medsec.json`. */
export function configLine(folder: string, config: ResolvedConfig, ruleSet: string): string {
  const rules = config.enabledRules().length;
  const from = config.source ? `configuration ${config.source}` : `no .medsec.json, preset medsec:${ruleSet}`;
  const notices = config.notices?.length ? ` (${config.notices.join('; ')})` : '';
  return `${folder}: ${from}, ${rules} rule${rules === 1 ? '' : 's'} enabled${notices}`;
}

export function scanSummaryLine(summary: ScanSummary): string {
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const outcome = summary.cancelled ? 'cancelled after' : 'scanned';
  const problems = summary.configErrors.length ? `; not scanned, invalid configuration: ${summary.configErrors.join('; ')}` : '';
  return (
    `Workspace scan: ${outcome} ${summary.files} file${summary.files === 1 ? '' : 's'} in ${seconds} s: ` +
    `${summary.findings} finding${summary.findings === 1 ? '' : 's'} (${severityCounts(summary.bySeverity)}) ` +
    `in ${summary.filesWithFindings} file${summary.filesWithFindings === 1 ? '' : 's'}, ${summary.skipped} skipped${problems}`
  );
}

/** `2 critical, 1 high, 0 medium, 0 low, 0 info`. */
export function severityCounts(bySeverity: Record<Severity, number>): string {
  return SEVERITIES.map((severity) => `${bySeverity[severity] ?? 0} ${severity}`).join(', ');
}
