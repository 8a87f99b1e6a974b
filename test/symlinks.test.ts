/**
 * Symbolic links and writes (issue 12, item 5): a scan does not read through a link whose real path leaves
 * the scanned folder unless `--follow-symlinks` asks it to; `fix` and `baseline` never write through a
 * link; `--output` never overwrites a file the scan read.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '..', 'bin', 'medsec.js');
const UNVERIFIED = 'import ssl\nctx = ssl._create_unverified_context()\n';

let base: string;
let repo: string;
let outside: string;

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-links-'));
  repo = path.join(base, 'repo');
  outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(repo, 'src', 'app.py'), UNVERIFIED);
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

function medsec(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
}

function jsonScan(...extra: string[]) {
  const run = medsec('scan', '--format', 'json', '--fail-on', 'none', ...extra);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as { findings: { path: string }[]; skipped: { path: string; reason: string }[] };
}

describe('reading through links', () => {
  beforeEach(() => {
    fs.mkdirSync(path.join(outside, 'etc'));
    fs.writeFileSync(path.join(outside, 'etc', 'secret.py'), UNVERIFIED);
    fs.writeFileSync(path.join(outside, 'single.py'), UNVERIFIED);
    fs.symlinkSync(path.join(outside, 'etc'), path.join(repo, 'etc'));
    fs.symlinkSync(path.join(outside, 'single.py'), path.join(repo, 'src', 'single.py'));
    fs.symlinkSync(path.join(repo, 'src', 'app.py'), path.join(repo, 'inside-link.py'));
  });

  it('does not follow links out of the scanned folder, and says so', () => {
    const report = jsonScan();
    expect(report.findings.map((finding) => finding.path)).toEqual(['src/app.py']);
    const skipped = Object.fromEntries(report.skipped.map((entry) => [entry.path, entry.reason]));
    expect(skipped['etc']).toMatch(/outside the scanned folder.*--follow-symlinks/);
    expect(skipped['src/single.py']).toMatch(/outside the scanned folder.*--follow-symlinks/);
  });

  it('follows them with --follow-symlinks', () => {
    const report = jsonScan('--follow-symlinks');
    expect(report.findings.map((finding) => finding.path).sort()).toEqual(['etc/secret.py', 'src/app.py', 'src/single.py']);
  });
});

describe('writing through links', () => {
  it('fix does not rewrite the target of a linked source file', () => {
    const target = path.join(outside, 'linked.py');
    fs.writeFileSync(target, UNVERIFIED);
    fs.symlinkSync(target, path.join(repo, 'src', 'linked.py'));
    const run = medsec('fix', '--follow-symlinks');
    expect(run.status).toBe(0);
    expect(fs.readFileSync(target, 'utf8')).toBe(UNVERIFIED);
    expect(fs.lstatSync(path.join(repo, 'src', 'linked.py')).isSymbolicLink()).toBe(true);
    expect(run.stdout).toMatch(/Not fixed src\/linked\.py: it is reached through a symbolic link/);
    expect(fs.readFileSync(path.join(repo, 'src', 'app.py'), 'utf8')).toContain('ssl.create_default_context()');
  });

  it('baseline does not overwrite what a linked baseline file points at', () => {
    const target = path.join(outside, 'precious.txt');
    fs.writeFileSync(target, 'keep me\n');
    fs.symlinkSync(target, path.join(repo, '.medsec-baseline.json'));
    const run = medsec('baseline');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^medsec: .*symbolic link/);
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me\n');
  });

  it('scan refuses --output onto a file it scans', () => {
    const source = path.join(repo, 'src', 'app.py');
    for (const output of ['src/app.py', './src/../src/app.py']) {
      const run = medsec('scan', '--output', output);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^medsec: .*--output .*is a file this command reads/);
      expect(fs.readFileSync(source, 'utf8')).toBe(UNVERIFIED);
    }
  });

  it('scan refuses --output through a link onto a file it scans', () => {
    fs.symlinkSync(path.join(repo, 'src', 'app.py'), path.join(base, 'report.txt'));
    const run = medsec('scan', '--output', path.join(base, 'report.txt'));
    expect(run.status).toBe(2);
    expect(fs.readFileSync(path.join(repo, 'src', 'app.py'), 'utf8')).toBe(UNVERIFIED);
  });
});
