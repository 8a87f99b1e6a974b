/**
 * A result cache that a commit put in the tree is never read: every key of an entry (content hash, settings
 * hash, build) can be computed from a public release, so a hostile pull request could commit a cache that
 * says its own files have no findings, for a CI job that scans the checkout with the cache on. medsec reads
 * git's index itself (core/git-index.ts) and scans without a cache that git tracks. A cache restored from
 * outside the tree (`actions/cache`) is untracked and read as usual.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliIn, useTempProject } from './helpers/project';

const ROOT = path.resolve(__dirname, '..');
const SECRET = 'static const char *wifi_password = "Vk8#mq2Lz9!pT4";\nint ready;\n';

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` first');
});

const project = useTempProject('cli-cache-forged');

function git(cwd: string, ...args: string[]): void {
  const run = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
}

function findings(run: { stdout: string }): string[] {
  return (JSON.parse(run.stdout) as { findings: { ruleId: string }[] }).findings.map((finding) => finding.ruleId);
}

/** Empties every result in the cache files of `folder` and drops the scan index: the forger's "no findings". */
function forge(folder: string): void {
  for (const name of fs.readdirSync(folder).filter((entry) => entry.endsWith('.cache'))) {
    const file = path.join(folder, name);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    // The scan index and the counted project facts (lines 2 and 3) go; every per-file result keeps no finding.
    lines[1] = 'null';
    lines[2] = 'null';
    for (let i = 3; i < lines.length; i++) {
      const entry = lines[i] ? (JSON.parse(lines[i]) as { findings?: unknown[] }) : {};
      if (Array.isArray(entry.findings)) lines[i] = JSON.stringify({ ...entry, findings: [] });
    }
    fs.writeFileSync(file, lines.join('\n'));
  }
}

describe('a committed result cache', () => {
  it('is not read: the finding it hides is reported, and the scan says why', () => {
    const upstream = path.join(project.dir, 'upstream');
    const medsecUp = cliIn({ dir: upstream });
    fs.mkdirSync(upstream);
    fs.writeFileSync(path.join(upstream, 'wifi.c'), SECRET);
    git(upstream, 'init', '-q');
    const honest = medsecUp('scan', '--format', 'json', '--fail-on', 'none', '--cache');
    expect(findings(honest)).toContain('hardcoded-credential');
    forge(path.join(upstream, '.medsec-cache'));
    git(upstream, 'add', '-f', '.');
    git(upstream, 'commit', '-q', '-m', 'a cache that hides the password');

    // CI checks the pull request out and scans it with the cache on.
    const checkout = path.join(project.dir, 'checkout');
    git(project.dir, 'clone', '-q', upstream, checkout);
    const run = cliIn({ dir: checkout })('scan', '--format', 'json', '--fail-on', 'none', '--cache');
    expect(findings(run)).toEqual(findings(honest));
    expect(run.stderr).toMatch(/^medsec: not using the result cache in .*\.medsec-cache: git tracks it/);
    // Nothing was written over the tracked cache either.
    const tracked = fs.readdirSync(path.join(checkout, '.medsec-cache')).filter((name) => name.endsWith('.cache'));
    expect(fs.readFileSync(path.join(checkout, '.medsec-cache', tracked[0]), 'utf8')).toBe(
      fs.readFileSync(path.join(upstream, '.medsec-cache', tracked[0]), 'utf8'),
    );
  });

  it('is told from a restored one: the same cache, untracked, is read (what actions/cache does)', () => {
    const tree = path.join(project.dir, 'tree');
    fs.mkdirSync(tree);
    fs.writeFileSync(path.join(tree, 'wifi.c'), SECRET);
    git(tree, 'init', '-q');
    git(tree, 'add', 'wifi.c');
    const medsec = cliIn({ dir: tree });
    medsec('scan', '--format', 'json', '--fail-on', 'none', '--cache');
    forge(path.join(tree, '.medsec-cache'));
    // Only this test's stand-in for a restore can make a cache say less than the scan: here that shows it was read.
    const run = medsec('scan', '--format', 'json', '--fail-on', 'none', '--cache');
    expect(run.stderr).toBe('');
    expect(findings(run)).toEqual([]);
  });
});
