/**
 * The CI steps of `medsec scan`, applied around the engine's scan without changing it:
 * `--changed-since` picks the files and `--changed-lines-only` drops findings on untouched lines
 * (`--baseline` is apply-baseline.ts).
 */
import * as path from 'path';
import { compileGlobs } from '../../core/config';
import { detectLanguage } from '../../core/language';
import type { ResolvedConfig, ScanResult } from '../../core/types';
import { changedSince, type ChangedFiles } from '../git';

export { applyBaseline } from './apply-baseline';

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
