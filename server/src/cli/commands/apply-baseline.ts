/**
 * `medsec scan --baseline`: marks findings the project already accepted (they are then not counted). Light
 * (no engine): the warm re-scan (cli/warm.ts) applies a baseline to a replayed scan too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { matchBaseline, parseBaseline } from '../../core/baseline';
import { UsageError } from '../errors';
import { fingerprintScan } from '../fingerprints';
import type { ScanReport } from '../format/results';

/**
 * Fingerprints the findings and, with a baseline, marks each unsuppressed one `new` or `unchanged` and
 * records how many entries no longer occur among the files this scan covered.
 */
export function applyBaseline(result: ScanReport, baselineFile: string | undefined, scannedPaths: readonly string[]): void {
  fingerprintScan(result);
  if (!baselineFile) return;
  let text: string;
  try {
    text = fs.readFileSync(baselineFile, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read --baseline ${baselineFile} (${(error as NodeJS.ErrnoException).code ?? String(error)}); create it ` +
        `with \`medsec baseline\``,
    );
  }
  const baseline = parseBaseline(text, baselineFile);
  const findings = result.files.flatMap((file) => file.findings);
  const scanned = new Set(result.files.map((file) => file.path).concat(result.skipped.map((skipped) => skipped.path)));
  const targets = scannedPaths.map((target) => path.resolve(target));
  // An entry is absent when its file was scanned, or its file is gone from a folder this scan walked.
  const inScope = (entryPath: string) => {
    if (scanned.has(entryPath)) return true;
    const absolute = path.join(result.root, entryPath);
    if (fs.existsSync(absolute)) return false;
    return targets.some(
      (target) => fs.existsSync(target) && fs.statSync(target).isDirectory() && !path.relative(target, absolute).startsWith('..'),
    );
  };
  const match = matchBaseline(findings, baseline, inScope, [...scanned]);
  for (const finding of findings) {
    if (finding.suppression) continue;
    finding.baselineState = match.unchanged.has(finding) ? 'unchanged' : 'new';
  }
  result.baseline = { file: baselineFile, entries: baseline.entries.length, unchanged: match.unchanged.size, absent: match.absent.length };
}
