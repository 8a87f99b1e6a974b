/**
 * The scope of the analysis as a reviewer checks it: every language and kind of file that was analysed, with
 * counts; every file that was not analysed and why (size, binary, unreadable, no rule for its language, a
 * parser or worker crash, over its per-file time budget); what was analysed only in part; rules that failed
 * and custom rules disabled for exceeding their time budget.
 */
import { LANGUAGE_NAMES } from '../core/language';
import type { FileResult, LanguageId, RuleFailure, ScanResult } from '../core/types';

export { LANGUAGE_NAMES };

export interface LanguageRow {
  language: LanguageId;
  files: number;
  lines: number;
  /** The kinds of file read as this language: an extension (`.c`) or, for configuration formats, the name. */
  kinds: { kind: string; files: number }[];
}

export interface Scope {
  /** Files whose text was read and checked, wholly or in part (files the engine could not analyse at all are not counted). */
  files: number;
  lines: number;
  languages: LanguageRow[];
  /** Files in scope that were not analysed: skipped (size, binary, unreadable), or that no rule ran on (`FileResult.notAnalysed`). */
  notAnalysed: { path: string; reason: string }[];
  /** Files analysed in part: the parts that parsed were checked, or the rules named did not run (over the file budget). */
  partly: { path: string; message: string }[];
  /** Rules that failed on a file (that file was not fully checked by them). */
  ruleFailures: RuleFailure[];
  /** Custom rules disabled for exceeding their time budget (`RuleFailure.overBudget`): not run on that file or after it. */
  stoppedRules: RuleFailure[];
  baseline?: ScanResult['baseline'];
  shard?: ScanResult['shard'];
}

/** Languages whose files are told apart by name rather than by extension. */
const NAMED_KINDS: ReadonlySet<LanguageId> = new Set(['kconfig', 'dotenv', 'android-manifest', 'android-xml']);

export function scopeOf(result: ScanResult): Scope {
  const analysed = result.files.filter((file) => !file.notAnalysed || file.analysedInPart);
  const languages = new Map<LanguageId, LanguageRow>();
  for (const file of analysed) {
    const row = languages.get(file.language) ?? { language: file.language, files: 0, lines: 0, kinds: [] };
    row.files++;
    row.lines += file.lines;
    addKind(row, fileKind(file));
    languages.set(file.language, row);
  }
  const failures = result.files.flatMap((file) => file.ruleFailures);
  return {
    files: analysed.length,
    lines: analysed.reduce((sum, file) => sum + file.lines, 0),
    languages: [...languages.values()].sort((a, b) => b.lines - a.lines || compare(a.language, b.language)),
    notAnalysed: [
      ...result.skipped.map(({ path, reason }) => ({ path, reason })),
      ...result.files.flatMap((file) => (file.notAnalysed && !file.analysedInPart ? [{ path: file.path, reason: file.notAnalysed }] : [])),
    ].sort((a, b) => compare(a.path, b.path)),
    // The engine also writes the not-analysed reason into the notes: a file analysed in part lists it here once.
    partly: analysed.flatMap((file) =>
      file.notes.filter((message) => message !== file.notAnalysed || file.analysedInPart).map((message) => ({ path: file.path, message })),
    ),
    ruleFailures: failures.filter((failure) => !failure.overBudget),
    stoppedRules: failures.filter((failure) => failure.overBudget),
    ...(result.baseline ? { baseline: result.baseline } : {}),
    ...(result.shard ? { shard: result.shard } : {}),
  };
}

/** `.c`, `.h`; `sdkconfig`, `.env.example`, `AndroidManifest.xml` for configuration formats. */
function fileKind(file: FileResult): string {
  const name = file.path.split('/').pop() ?? file.path;
  if (NAMED_KINDS.has(file.language)) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : name;
}

function addKind(row: LanguageRow, kind: string): void {
  const existing = row.kinds.find((entry) => entry.kind === kind);
  if (existing) existing.files++;
  else {
    row.kinds.push({ kind, files: 1 });
    row.kinds.sort((a, b) => b.files - a.files || compare(a.kind, b.kind));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
