/** `scan --changed-since <ref>` and `--changed-lines-only` in a real temporary git repository. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runScanCommand } from '../server/src/cli/commands/scan';
import { parseAddedLines } from '../server/src/cli/git';
import { UsageError } from '../server/src/core/errors';
import { useTempProject } from './helpers/project';

const project = useTempProject('changed');

function git(...args: string[]): string {
  const result = spawnSync(
    'git',
    ['-c', 'user.name=medsec test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args],
    { cwd: project.dir, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const CREDENTIAL = (name: string) => `static const char *${name}_password = "Zq9fake${name}SECRET4711";\n`;

async function scanJson(
  ...flags: [string, string | boolean][]
): Promise<{ code: number; report: { findings: { path: string; line: number }[]; summary: { filesScanned: number } } }> {
  const output = path.join(project.dir, '..', `${path.basename(project.dir)}.json`);
  const options = { format: 'json' as const, output, failOn: 'high' as const, ...Object.fromEntries(flags) };
  const code = await runScanCommand([project.dir], options);
  const report = JSON.parse(fs.readFileSync(output, 'utf8'));
  fs.rmSync(output);
  return { code, report };
}

describe('--changed-since', () => {
  beforeEach(() => {
    project.write('.medsec.json', '{ "extends": [], "rules": { "hardcoded-credential": "critical" } }');
    project.write('old.c', CREDENTIAL('old'));
    project.write('edited.c', `int a;\n${CREDENTIAL('kept')}int b;\n`);
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'first');
    git('tag', 'base');
  });

  it('scans only files changed since the ref, plus untracked files', async () => {
    project.write('edited.c', `int a;\n${CREDENTIAL('kept')}int b;\n${CREDENTIAL('added')}`);
    project.write('committed.c', CREDENTIAL('committed'));
    git('add', 'committed.c');
    git('commit', '-q', '-m', 'second');
    project.write('untracked.c', CREDENTIAL('untracked'));
    project.write('notes.md', 'not code\n');
    const { code, report } = await scanJson(['changedSince', 'base']);
    expect(code).toBe(1);
    expect(report.summary.filesScanned).toBe(3);
    expect([...new Set(report.findings.map((f) => f.path))].sort()).toEqual(['committed.c', 'edited.c', 'untracked.c']);
  });

  it('reports only findings on added or changed lines with --changed-lines-only', async () => {
    project.write('edited.c', `int a;\n${CREDENTIAL('kept')}int b;\n${CREDENTIAL('added')}`);
    project.write('untracked.c', CREDENTIAL('untracked'));
    const { report } = await scanJson(['changedSince', 'base'], ['changedLinesOnly', true]);
    expect(report.findings.map((f) => `${f.path}:${f.line}`)).toEqual(['edited.c:4', 'untracked.c:1']);
  });

  it('scans nothing (and passes) when nothing changed', async () => {
    const { code, report } = await scanJson(['changedSince', 'HEAD']);
    expect(code).toBe(0);
    expect(report.summary.filesScanned).toBe(0);
  });

  it('is a usage error for an unknown ref, outside a repository, or --changed-lines-only alone', async () => {
    await expect(runScanCommand([project.dir], { format: 'json', failOn: 'high', changedSince: 'no-such-ref' })).rejects.toThrow(
      /unknown git ref/,
    );
    await expect(runScanCommand([project.dir], { format: 'json', failOn: 'high', changedSince: '--output=x' })).rejects.toThrow(UsageError);
    await expect(runScanCommand([project.dir], { format: 'json', failOn: 'high', changedLinesOnly: true })).rejects.toThrow(
      /needs --changed-since/,
    );
    fs.rmSync(path.join(project.dir, '.git'), { recursive: true, force: true });
    await expect(runScanCommand([project.dir], { format: 'json', failOn: 'high', changedSince: 'HEAD' })).rejects.toThrow(
      /not inside a git repository/,
    );
  });

  it('exits 2 from the command line on an unknown ref', () => {
    const bin = path.resolve(__dirname, '..', 'bin', 'medsec.js');
    const result = spawnSync(process.execPath, [bin, 'scan', '--changed-since', 'no-such-ref'], { cwd: project.dir, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^medsec: --changed-since no-such-ref: unknown git ref/);
  });
});

describe('parseAddedLines', () => {
  it('reads -U0 hunks, including pure deletions and quoted paths', () => {
    const diff = [
      'diff --git a/src/a.c b/src/a.c',
      '--- a/src/a.c',
      '+++ b/src/a.c',
      '@@ -3 +3 @@ int x;',
      '@@ -10,0 +11,2 @@',
      '@@ -20,4 +22,0 @@',
      'diff --git "a/caf\\303\\251.c" "b/caf\\303\\251.c"',
      '--- "a/caf\\303\\251.c"',
      '+++ "b/caf\\303\\251.c"',
      '@@ -1 +1,3 @@',
      'diff --git a/gone.c b/gone.c',
      '--- a/gone.c',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
    ].join('\n');
    const lines = parseAddedLines(diff);
    expect([...(lines.get('src/a.c') ?? [])]).toEqual([3, 11, 12]);
    expect([...(lines.get('café.c') ?? [])]).toEqual([1, 2, 3]);
    expect(lines.has('gone.c')).toBe(false);
  });
});
