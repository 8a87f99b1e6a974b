/**
 * `medsec fix [paths..] [--dry-run]`: applies the safe fixes of unsuppressed findings (never suggestions),
 * re-parses each fixed file and leaves it untouched when the fix would introduce a syntax error.
 * `--dry-run` prints a unified diff and writes nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { builtinRegistry } from '../../builtin-registry';
import { parseFile } from '../../core/check';
import { loadConfig } from '../../core/config';
import { applyEdits, safeFixOf } from '../../core/fix';
import { scan } from '../../core/scan';
import { decodeSource } from '../../core/text';
import { MASK } from '../../core/redact';
import type { FileResult, Finding, Fix, RuleRegistry, TextEdit } from '../../core/types';
import { EXIT, UsageError } from '../errors';
import { escapeForTerminal } from '../terminal';
import { unifiedDiff } from '../unified-diff';
import { chooseRoot } from './scan';

export interface FixCommandOptions {
  dryRun?: boolean;
  config?: string;
}

export type FileFixOutcome =
  | { path: string; status: 'fixed'; applied: number; before: string; after: string }
  | { path: string; status: 'refused'; reason: string }
  | { path: string; status: 'unchanged' };

export async function runFixCommand(
  paths: string[],
  options: FixCommandOptions,
  registry: RuleRegistry = builtinRegistry,
  out: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  const root = chooseRoot(paths, options.config);
  const config = loadConfig(root, options.config, { registry });
  const result = await scan({ root, paths, config });
  const outcomes: FileFixOutcome[] = [];
  let suggestions = 0;
  for (const file of result.files) {
    const live = file.findings.filter((finding) => !finding.suppression);
    suggestions += live.filter((finding) => finding.fixes.length > 0 && !safeFixOf(finding)).length;
    const fixes = live.map(safeFixOf).filter((fix): fix is Fix => !!fix);
    if (fixes.length === 0) continue;
    outcomes.push(await fixFile(path.join(result.root, file.path), file, fixes));
  }

  const fixed = outcomes.filter((o): o is Extract<FileFixOutcome, { status: 'fixed' }> => o.status === 'fixed');
  const refused = outcomes.filter((o): o is Extract<FileFixOutcome, { status: 'refused' }> => o.status === 'refused');
  const lines: string[] = [];
  if (options.dryRun) {
    for (const outcome of fixed) {
      const file = result.files.find((candidate) => candidate.path === outcome.path);
      const diff = unifiedDiff(outcome.path, outcome.before, outcome.after, secretMasker(outcome.before, file?.findings ?? []));
      lines.push(diff.trimEnd().split('\n').map(escapeForTerminal).join('\n'));
    }
  } else {
    for (const outcome of fixed) {
      try {
        fs.writeFileSync(path.join(result.root, outcome.path), outcome.after);
      } catch (error) {
        throw new UsageError(
          `cannot write ${outcome.path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); check that it is writable`,
        );
      }
    }
  }
  for (const outcome of refused) lines.push(`Not fixed ${escapeForTerminal(outcome.path)}: ${outcome.reason}.`);
  const applied = fixed.reduce((sum, outcome) => sum + outcome.applied, 0);
  const verb = options.dryRun ? 'Would apply' : 'Applied';
  lines.push(
    `${verb} ${applied} safe ${applied === 1 ? 'fix' : 'fixes'} in ${fixed.length} ${fixed.length === 1 ? 'file' : 'files'}` +
      `${refused.length ? `; refused ${refused.length} ${refused.length === 1 ? 'file' : 'files'}` : ''}` +
      `${suggestions ? `; ${suggestions} suggested ${suggestions === 1 ? 'fix needs' : 'fixes need'} review` : ''}` +
      `${suggestions ? ' (apply them in the editor)' : ''}.`,
  );
  out(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/**
 * Applies whole fixes that do not overlap one another (a fix is taken or left as a unit), then re-parses:
 * a file that parsed cleanly before and not after is refused.
 */
export async function fixFile(absolutePath: string, file: FileResult, fixes: readonly Fix[]): Promise<FileFixOutcome> {
  const bytes = fs.readFileSync(absolutePath);
  const { text: before, invalidUtf8 } = decodeSource(bytes);
  if (invalidUtf8) {
    return {
      path: file.path,
      status: 'refused',
      reason: 'the file is not valid UTF-8, so writing it back would change bytes the fix does not touch',
    };
  }
  const edits: TextEdit[] = [];
  const taken: TextEdit[] = [];
  let applied = 0;
  const ordered = [...fixes].sort((a, b) => firstStart(a) - firstStart(b));
  for (const fix of ordered) {
    if (fix.edits.some((edit) => taken.some((other) => overlaps(edit, other)))) continue;
    taken.push(...fix.edits);
    edits.push(...fix.edits);
    applied++;
  }
  const after = applyEdits(before, edits).text;
  if (after === before) return { path: file.path, status: 'unchanged' };
  const input = { path: absolutePath, relativePath: file.path, language: file.language };
  const parsedBefore = await parseFile({ ...input, text: before });
  const parsedAfter = await parseFile({ ...input, text: after });
  const brokeSyntax = !parsedBefore.model.hasErrors && parsedAfter.model.hasErrors;
  parsedBefore.tree?.delete();
  parsedAfter.tree?.delete();
  if (brokeSyntax) return { path: file.path, status: 'refused', reason: 'the fix would introduce a syntax error (please report it)' };
  return { path: file.path, status: 'fixed', applied, before, after };
}

/**
 * The diff shows source lines, so it must mask what the findings' snippets mask. A snippet is its line
 * trimmed with each secret replaced by its masked form: aligning the two recovers the hidden part, which
 * is then masked wherever it appears in the diff. A line too long to align hides whole.
 */
export function secretMasker(text: string, findings: readonly Finding[]): (line: string) => string {
  const lines = text.split(/\r?\n/);
  const hidden: string[] = [];
  const hiddenLines = new Set<string>();
  for (const finding of findings) {
    if (!finding.snippet.includes(MASK)) continue;
    const raw = (lines[finding.range.start.line] ?? '').trim();
    if (finding.snippet.startsWith('…') || finding.snippet.endsWith('…')) {
      hiddenLines.add(raw);
      continue;
    }
    let prefix = 0;
    while (prefix < raw.length && prefix < finding.snippet.length && raw[prefix] === finding.snippet[prefix]) prefix++;
    let suffix = 0;
    while (
      suffix < raw.length - prefix &&
      suffix < finding.snippet.length - prefix &&
      raw[raw.length - 1 - suffix] === finding.snippet[finding.snippet.length - 1 - suffix]
    ) {
      suffix++;
    }
    const secret = raw.slice(prefix, raw.length - suffix);
    if (secret.length > 0) hidden.push(secret);
    else hiddenLines.add(raw);
  }
  hidden.sort((a, b) => b.length - a.length);
  return (line) => {
    if (hiddenLines.has(line.trim())) return `${line.match(/^\s*/)?.[0] ?? ''}(line hidden: it holds a secret)`;
    let out = line;
    for (const secret of hidden) out = out.split(secret).join(MASK);
    return out;
  };
}

function firstStart(fix: Fix): number {
  return Math.min(...fix.edits.map((edit) => edit.span.start));
}

/** Overlapping spans, or two insertions at the same offset (their order would be arbitrary). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.span.start === a.span.end && b.span.start === b.span.end) return a.span.start === b.span.start;
  return a.span.start < b.span.end && b.span.start < a.span.end;
}
