/**
 * Baselines: the findings a project has accepted for now, so CI fails only on new ones.
 *
 * The file (`.medsec-baseline.json`) is meant to be committed and reviewed in a pull request: one entry per
 * unsuppressed finding with its rule, file, content fingerprint (core/fingerprint.ts) and redacted snippet,
 * sorted, pretty-printed, and without line numbers so unrelated edits do not churn it.
 */
import { FINGERPRINT_VERSION } from './fingerprint';
import { UsageError } from './errors';
import type { Finding } from './types';

export const BASELINE_FILE_NAME = '.medsec-baseline.json';
export const BASELINE_FORMAT_VERSION = 1;
/** The fingerprint versions a baseline may be written in: this one, and version 1 (matched on the findings' V1 forms). */
const READABLE_FINGERPRINTS: readonly number[] = [1, FINGERPRINT_VERSION];

export interface BaselineEntry {
  ruleId: string;
  path: string;
  fingerprint: string;
  lineHash: string;
  /** The finding's line with any secret masked, for the reviewer. */
  snippet: string;
}

export interface BaselineFile {
  version: number;
  fingerprintVersion: number;
  tool: string;
  entries: BaselineEntry[];
}

/** The baseline for these findings (suppressed ones are left out: their suppression already accepts them). */
export function createBaseline(findings: readonly Finding[], toolVersion: string): BaselineFile {
  const entries = findings
    .filter((finding) => !finding.suppression)
    .map((finding): BaselineEntry => {
      if (!finding.fingerprint || !finding.lineHash) throw new Error(`finding of ${finding.ruleId} in ${finding.path} has no fingerprint`);
      return {
        ruleId: finding.ruleId,
        path: finding.path,
        fingerprint: finding.fingerprint,
        lineHash: finding.lineHash,
        snippet: finding.snippet,
      };
    })
    .sort((a, b) => compare(a.path, b.path) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint));
  return { version: BASELINE_FORMAT_VERSION, fingerprintVersion: FINGERPRINT_VERSION, tool: `medsec ${toolVersion}`, entries };
}

export function serializeBaseline(baseline: BaselineFile): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Parses and checks a baseline file's text; `file` names it in errors. */
export function parseBaseline(text: string, file: string): BaselineFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`baseline ${file} is not valid JSON (${(error as Error).message}); regenerate it with \`medsec baseline\``);
  }
  const data = value as Partial<BaselineFile> | null;
  if (!data || typeof data !== 'object' || !Array.isArray(data.entries)) {
    throw new UsageError(`baseline ${file} has no "entries" array; regenerate it with \`medsec baseline\``);
  }
  // A version-1 baseline (fingerprints of masked snippets) still matches: findings carry both forms (fingerprint.ts).
  if (data.version !== BASELINE_FORMAT_VERSION || !READABLE_FINGERPRINTS.includes(data.fingerprintVersion as number)) {
    throw new UsageError(
      `baseline ${file} is format ${String(data.version)}/${String(data.fingerprintVersion)}, this medsec reads ` +
        `${BASELINE_FORMAT_VERSION}/${READABLE_FINGERPRINTS.join(' or ')}; regenerate it with \`medsec baseline\``,
    );
  }
  data.entries.forEach((entry, index) => {
    const ok =
      entry &&
      typeof entry === 'object' &&
      ['ruleId', 'path', 'fingerprint', 'lineHash'].every((key) => typeof (entry as unknown as Record<string, unknown>)[key] === 'string');
    if (!ok) {
      throw new UsageError(
        `baseline ${file}: entries[${index}] needs string ruleId, path, fingerprint and lineHash; regenerate it with \`medsec baseline\``,
      );
    }
  });
  return data as BaselineFile;
}

export interface BaselineMatch {
  /** Findings found in the baseline. */
  unchanged: Set<Finding>;
  /** Baseline entries that matched no finding (fixed, or their code was removed). */
  absent: BaselineEntry[];
}

/**
 * Matches unsuppressed findings against baseline entries, each entry used at most once:
 * 1. same path and fingerprint; 2. same fingerprint in any file (a renamed or moved file);
 * 3. same path and lineHash (the finding's line is unchanged but a neighbouring line was edited);
 * 4. same rule and lineHash in an entry whose file is no longer scanned (renamed and edited around).
 * `inScope(path)` says whether an unmatched entry counts as absent: entries for files this scan did not
 * look at (a partial or --changed-since scan) are not absent. `scannedPaths` lists the files the scan read
 * (with or without findings), so tier 4 knows which entries' files are gone.
 */
export function matchBaseline(
  findings: readonly Finding[],
  baseline: BaselineFile,
  inScope: (path: string) => boolean = () => true,
  scannedPaths: readonly string[] = [],
): BaselineMatch {
  const unused = new Set(baseline.entries);
  const unchanged = new Set<Finding>();
  // A version-1 baseline is matched on the findings' version-1 fingerprints; its entries are otherwise the same.
  const v1 = baseline.fingerprintVersion === 1;
  const keysOf = (finding: Finding) =>
    v1
      ? { fingerprint: finding.fingerprintV1, lineHash: finding.lineHashV1 }
      : { fingerprint: finding.fingerprint, lineHash: finding.lineHash };
  const keys = new Map(findings.map((finding) => [finding, keysOf(finding)]));
  const candidates = findings.filter((finding) => !finding.suppression && keys.get(finding)!.fingerprint);
  const currentPaths = new Set(findings.map((finding) => finding.path).concat(scannedPaths));
  // Each tier is a key both sides share; entries are bucketed by it so matching stays linear.
  const tiers: { finding: (finding: Finding) => string; entry: (entry: BaselineEntry) => string }[] = [
    { finding: (f) => `${f.path}\0${keys.get(f)!.fingerprint}`, entry: (e) => `${e.path}\0${e.fingerprint}` },
    { finding: (f) => `${f.ruleId}\0${keys.get(f)!.fingerprint}`, entry: (e) => `${e.ruleId}\0${e.fingerprint}` },
    { finding: (f) => `${f.path}\0${f.ruleId}\0${keys.get(f)!.lineHash}`, entry: (e) => `${e.path}\0${e.ruleId}\0${e.lineHash}` },
    {
      finding: (f) => `${f.ruleId}\0${keys.get(f)!.lineHash}`,
      entry: (e) => (currentPaths.has(e.path) ? '\0' : `${e.ruleId}\0${e.lineHash}`),
    },
  ];
  for (const tier of tiers) {
    const buckets = new Map<string, BaselineEntry[]>();
    for (const entry of unused) {
      const key = tier.entry(entry);
      const bucket = buckets.get(key);
      if (bucket) bucket.push(entry);
      else buckets.set(key, [entry]);
    }
    for (const finding of candidates) {
      if (unchanged.has(finding)) continue;
      const entry = buckets.get(tier.finding(finding))?.shift();
      if (!entry) continue;
      unused.delete(entry);
      unchanged.add(finding);
    }
  }
  return { unchanged, absent: [...unused].filter((entry) => inScope(entry.path)) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
