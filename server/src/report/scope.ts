/**
 * The scope of the analysis as a reviewer checks it: every language and kind of file that was read, with
 * counts; every file that was not analysed and why (size, binary, unreadable, no rule for its language, a
 * parser crash); what was analysed only in part; rules that failed or were stopped by their time budget.
 */
import { isBudgetFailure } from '../core/custom/budget';
import type { FileResult, LanguageId, RuleFailure, ScanResult } from '../core/types';

export interface LanguageRow {
  language: LanguageId;
  files: number;
  lines: number;
  /** The kinds of file read as this language: an extension (`.c`) or, for configuration formats, the name. */
  kinds: { kind: string; files: number }[];
}

export interface Scope {
  /** Files whose text was read and checked. */
  files: number;
  lines: number;
  languages: LanguageRow[];
  /** Files in scope that were not analysed: skipped (size, binary, unreadable) or failed to parse at all. */
  notAnalysed: { path: string; reason: string }[];
  /** Files analysed in part: the parts that parsed were checked. */
  partly: { path: string; message: string }[];
  /** Rules that failed on a file (that file was not fully checked by them). */
  ruleFailures: RuleFailure[];
  /** Custom rules stopped by their time budget: not run on that file or on the files checked after it. */
  stoppedRules: RuleFailure[];
  baseline?: ScanResult['baseline'];
  shard?: ScanResult['shard'];
}

export const LANGUAGE_NAMES: Readonly<Record<LanguageId, string>> = {
  c: 'C', cpp: 'C++', python: 'Python', java: 'Java', kotlin: 'Kotlin', typescript: 'TypeScript', javascript: 'JavaScript',
  kconfig: 'Kconfig / sdkconfig', dotenv: '.env', 'android-manifest': 'Android manifest', json: 'JSON', yaml: 'YAML',
};

/** Languages whose files are told apart by name rather than by extension. */
const NAMED_KINDS: ReadonlySet<LanguageId> = new Set(['kconfig', 'dotenv', 'android-manifest']);

/** A note the engine writes when it could not analyse a file at all (parse crash, over its budget). */
const NOT_ANALYSED_NOTE = /^(could not be analysed|not analysed)\b/i;

export function scopeOf(result: ScanResult): Scope {
  const languages = new Map<LanguageId, LanguageRow>();
  for (const file of result.files) {
    const row = languages.get(file.language) ?? { language: file.language, files: 0, lines: 0, kinds: [] };
    row.files++;
    row.lines += file.lines;
    addKind(row, fileKind(file));
    languages.set(file.language, row);
  }
  const notes = result.files.flatMap((file) => file.notes.map((message) => ({ path: file.path, message })));
  const failures = result.files.flatMap((file) => file.ruleFailures);
  return {
    files: result.files.length,
    lines: result.files.reduce((sum, file) => sum + file.lines, 0),
    languages: [...languages.values()].sort((a, b) => b.lines - a.lines || compare(a.language, b.language)),
    notAnalysed: [
      ...result.skipped.map(({ path, reason }) => ({ path, reason })),
      ...notes.filter((note) => NOT_ANALYSED_NOTE.test(note.message)).map(({ path, message }) => ({ path, reason: message })),
    ].sort((a, b) => compare(a.path, b.path)),
    partly: notes.filter((note) => !NOT_ANALYSED_NOTE.test(note.message)),
    ruleFailures: failures.filter((failure) => !isBudgetFailure(failure.error)),
    stoppedRules: failures.filter((failure) => isBudgetFailure(failure.error)),
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
