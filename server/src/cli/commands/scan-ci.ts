/**
 * The CI steps of `medsec scan`, applied around the engine's scan without changing it:
 * `--changed-since` picks the files, `--changed-lines-only` drops findings on untouched lines, and
 * `--baseline` marks findings the project already accepted (they are then not counted).
 */
import * as fs from 'fs';
import * as path from 'path';
import { matchBaseline, parseBaseline } from '../../core/baseline';
import { compileGlobs } from '../../core/config';
import { detectLanguage } from '../../core/language';
import type { ResolvedConfig, ScanResult } from '../../core/types';
import { UsageError } from '../errors';
import { fingerprintScan } from '../fingerprints';
import { changedSince, type ChangedFiles } from '../git';

export interface ChangedScan {
  /** Absolute paths of the changed files to scan (possibly none). */
  paths: string[];
  changed: ChangedFiles;
}

/**
 * The changed files under the requested paths (the root when none) that medsec could read: files of an
 * unknown kind and files the config ignores are left out quietly rather than listed as skipped.
 */
export function changedScanPaths(paths: string[], root: string, config: ResolvedConfig, ref: string, withLines: boolean): ChangedScan {
  const changed = changedSince(ref, root, withLines);
  const targets = (paths.length > 0 ? paths : [root]).map((target) => path.resolve(target));
  const ignored = compileGlobs(config.ignore);
  const inside = (folder: string, file: string) => {
    const relative = path.relative(folder, file);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  };
  const selected = changed.files.filter((file) => {
    if (!targets.some((target) => inside(target, file)) || !inside(root, file)) return false;
    const name = path.basename(file);
    if (!detectLanguage(file) && name.includes('.')) return false; // an extensionless file may have a shebang
    return !ignored(path.relative(root, file).split(path.sep).join('/'));
  });
  return { paths: selected, changed };
}

/** An empty result, for a --changed-since scan with nothing changed (scanning "no paths" would scan the root). */
export function emptyScan(config: ResolvedConfig): ScanResult {
  return { root: config.root, files: [], skipped: [], config, durationMs: 0 };
}

/** Keeps only findings that start on an added or changed line. */
export function restrictToChangedLines(result: ScanResult, changed: ChangedFiles): void {
  for (const file of result.files) {
    const lines = changed.lines.get(path.join(result.root, file.path));
    if (lines === 'all') continue;
    file.findings = file.findings.filter((finding) => !!lines && lines.has(finding.range.start.line + 1));
  }
}

/**
 * Fingerprints the findings and, with a baseline, marks each unsuppressed one `new` or `unchanged` and
 * records how many entries no longer occur among the files this scan covered.
 */
export function applyBaseline(result: ScanResult, baselineFile: string | undefined, scannedPaths: readonly string[]): void {
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
