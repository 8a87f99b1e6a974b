/**
 * `medsec fix [paths..] [--dry-run]`: applies the safe fixes of unsuppressed findings (never suggestions),
 * re-parses each fixed file and leaves it untouched when the fix would introduce a syntax error.
 * `--dry-run` prints a unified diff and writes nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { builtinRegistry } from '../../builtin-registry';
import { parseFile } from '../../core/check';
import { applyEdits, safeFixOf } from '../../core/fix';
import { decodeSource } from '../../core/text';
import { MASK, redactSlice } from '../../core/redact';
import type { FileResult, Finding, Fix, RuleRegistry, Span, TextEdit } from '../../core/types';
import { EXIT, UsageError } from '../errors';
import { codeOf, whyNotWritable, writeAtomically } from '../safe-write';
import { escapeForTerminal } from '../terminal';
import { unifiedDiff } from '../unified-diff';
import { scanForCommand } from './scan';
import { minOf, pushAll } from '../../core/arrays';

export interface FixCommandOptions {
  dryRun?: boolean;
  config?: string;
  /** `--follow-symlinks`: read (never write) through links that leave the root. */
  followSymlinks?: boolean;
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
  const result = await scanForCommand(paths, options, registry);
  const outcomes: FileFixOutcome[] = [];
  let suggestions = 0;
  for (const file of result.files) {
    const live = file.findings.filter((finding) => !finding.suppression);
    suggestions += live.filter((finding) => finding.fixes.length > 0 && !safeFixOf(finding)).length;
    const fixes = live.map(safeFixOf).filter((fix): fix is Fix => !!fix);
    if (fixes.length === 0) continue;
    const absolute = path.join(result.root, file.path);
    const linked = throughLink(absolute, result.root);
    outcomes.push(linked ? { path: file.path, status: 'refused', reason: linked } : await fixFile(absolute, file, fixes));
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
    writeAll(result.root, fixed);
    for (const outcome of fixed) {
      lines.push(`Fixed ${escapeForTerminal(outcome.path)} (${outcome.applied} safe ${outcome.applied === 1 ? 'fix' : 'fixes'}).`);
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

/** Why a file reached through a symbolic link (itself or a folder on its path) is not fixed, or undefined. */
function throughLink(absolute: string, root: string): string | undefined {
  const reason = whyNotWritable(absolute, root);
  return reason?.includes('symbolic link') ? 'it is reached through a symbolic link, which medsec never writes through' : undefined;
}

/**
 * All or nothing, as far as the file system allows: every target is checked (writable, unchanged since it
 * was read) before the first is written, and each is replaced through a temporary file and a rename. When a
 * write still fails, the error lists exactly which files were written and which were not.
 */
function writeAll(root: string, fixed: readonly Extract<FileFixOutcome, { status: 'fixed' }>[]): void {
  const problems: string[] = [];
  for (const outcome of fixed) {
    const absolute = path.join(root, outcome.path);
    const reason =
      whyNotWritable(absolute, root) ?? (changedSinceRead(absolute, outcome.before) ? 'it changed since medsec read it' : undefined);
    if (reason) problems.push(`${escapeForTerminal(outcome.path)} (${reason})`);
  }
  if (problems.length) {
    throw new UsageError(`nothing was written: cannot fix ${problems.join(', ')}`);
  }
  const written: string[] = [];
  for (const [index, outcome] of fixed.entries()) {
    try {
      writeAtomically(path.join(root, outcome.path), outcome.after);
      written.push(outcome.path);
    } catch (error) {
      const notWritten = fixed.slice(index).map((o) => o.path);
      throw new UsageError(
        `cannot write ${escapeForTerminal(outcome.path)} (${codeOf(error)}); ` +
          `written: ${written.length ? written.map(escapeForTerminal).join(', ') : 'none'}; ` +
          `not written: ${notWritten.map(escapeForTerminal).join(', ')}`,
      );
    }
  }
}

function changedSinceRead(absolute: string, before: string): boolean {
  try {
    return decodeSource(fs.readFileSync(absolute)).text !== before;
  } catch {
    return true;
  }
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
    pushAll(taken, fix.edits);
    pushAll(edits, fix.edits);
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
 * The diff shows source lines, so it must mask at least what the findings mask, on every line a secret
 * spans (a PEM key's body lines too, not only the line its snippet shows). Each such line is shown as the
 * snippet would show it; a line the fix changed no longer matches, so each line's share of a secret is
 * also masked wherever it appears. Only the line's text changes: the caller keeps the diff marker.
 */
export function secretMasker(text: string, findings: readonly Finding[]): (line: string) => string {
  const secrets = findings.map((finding) => finding.secret).filter((span): span is Span => !!span && span.end > span.start);
  const shown = new Map<string, string>();
  const pieces = new Set<string>();
  for (const secret of secrets) {
    let lineStart = text.lastIndexOf('\n', secret.start - 1) + 1;
    while (lineStart < secret.end) {
      const newline = text.indexOf('\n', lineStart);
      const lineEnd = newline < 0 ? text.length : newline;
      shown.set(text.slice(lineStart, lineEnd), redactSlice(text, lineStart, lineEnd, secrets));
      const piece = text.slice(Math.max(lineStart, secret.start), Math.min(lineEnd, secret.end)).replace(/\r$/, '');
      if (piece.trim().length >= MIN_MASKED_PIECE) pieces.add(piece);
      if (newline < 0) break;
      lineStart = newline + 1;
    }
  }
  const ordered = [...pieces].sort((a, b) => b.length - a.length);
  return (line) => {
    const known = shown.get(line);
    if (known !== undefined) return known;
    let out = line;
    for (const piece of ordered) if (out.includes(piece)) out = out.split(piece).join(MASK);
    return out;
  };
}

/** Shorter shares of a secret (a closing quote on the next line) are masked only on the lines they came from. */
const MIN_MASKED_PIECE = 4;

function firstStart(fix: Fix): number {
  return minOf(fix.edits.map((edit) => edit.span.start));
}

/** Overlapping spans, or two insertions at the same offset (their order would be arbitrary). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.span.start === a.span.end && b.span.start === b.span.end) return a.span.start === b.span.start;
  return a.span.start < b.span.end && b.span.start < a.span.end;
}
