/**
 * `--changed-since` and `--changed-lines-only`: which files and lines differ from a git ref, asked of the
 * `git` command (the working tree, staged or not, against the ref, plus untracked files).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './errors';
import { pushAll } from '../core/arrays';

export interface ChangedFiles {
  /** The repository's top folder. */
  topLevel: string;
  /** Absolute paths of files that exist now and were added, changed, renamed or are untracked. */
  files: string[];
  /** Changed line numbers (1-based) per absolute path; `'all'` for untracked files. */
  lines: Map<string, Set<number> | 'all'>;
}

function git(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string; error?: Error } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
}

/** The files (and lines) changed since `ref` in the repository that holds `cwd`. */
export function changedSince(ref: string, cwd: string, withLines: boolean): ChangedFiles {
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  if (top.error) {
    throw new UsageError(
      `--changed-since needs the \`git\` command (${(top.error as NodeJS.ErrnoException).code ?? top.error.message}); ` +
        `install git or drop --changed-since`,
    );
  }
  if (top.status !== 0) {
    throw new UsageError(
      `--changed-since ${ref}: ${cwd} is not inside a git repository; run the scan from a clone or drop --changed-since`,
    );
  }
  const topLevel = top.stdout.trim();
  if (ref.startsWith('-') || git(topLevel, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).status !== 0) {
    throw new UsageError(
      `--changed-since ${ref}: unknown git ref; fetch it first (in CI: \`git fetch origin ` +
        `${ref.replace(/^origin\//, '')}\`, or checkout with fetch-depth: 0)`,
    );
  }
  const diffArgs = ['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '-M', '--diff-filter=ACMR'];
  const names = run(topLevel, [...diffArgs, '--name-only', '-z', ref, '--']);
  const untracked = run(topLevel, ['ls-files', '--others', '--exclude-standard', '-z']);
  const lines = new Map<string, Set<number> | 'all'>();
  for (const name of splitNul(untracked)) lines.set(path.join(topLevel, name), 'all');
  if (withLines) {
    for (const [name, changed] of parseAddedLines(run(topLevel, [...diffArgs, '-U0', ref, '--']))) {
      lines.set(path.join(topLevel, name), changed);
    }
  }
  const files = [
    ...new Set([
      ...splitNul(names).map((name) => path.join(topLevel, name)),
      ...splitNul(untracked).map((name) => path.join(topLevel, name)),
    ]),
  ]
    .filter((file) => fs.existsSync(file) && fs.statSync(file).isFile())
    .sort();
  return { topLevel, files, lines };
}

function run(cwd: string, args: string[]): string {
  const result = git(cwd, args);
  if (result.status !== 0) {
    throw new UsageError(
      `git ${args.filter((arg) => arg !== '-z').join(' ')} failed: ${result.stderr.trim().split('\n')[0] || `exit ${result.status}`}`,
    );
  }
  return result.stdout;
}

function splitNul(text: string): string[] {
  return text.split('\0').filter(Boolean);
}

/**
 * The added or changed lines (new-file numbering, 1-based) per path from `git diff -U0` output: each hunk
 * header `@@ -a,b +c,d @@` adds lines c..c+d-1 (d defaults to 1; d = 0 is a pure deletion).
 */
export function parseAddedLines(diff: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const target = line.slice(4).replace(/\t$/, '');
      if (target === '/dev/null') current = undefined;
      else {
        const name = unquote(target).replace(/^b\//, '');
        current = out.get(name) ?? new Set<number>();
        out.set(name, current);
      }
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      for (let n = start; n < start + count; n++) current.add(n);
    }
  }
  return out;
}

/** git quotes paths with unusual characters as C strings ("b/caf\303\251.c"). */
function unquote(name: string): string {
  if (!name.startsWith('"')) return name;
  const bytes: number[] = [];
  const body = name.slice(1, -1);
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      pushAll(bytes, Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[++i];
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(escapes[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}
