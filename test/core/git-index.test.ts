/**
 * core/git-index.ts reads git's index file itself (medsec never runs git in a scanned tree). Checked against
 * the index files git writes in each of its formats: versions 2, 3 (an intent-to-add entry) and 4 (paths
 * prefix-compressed), a split index, and a linked worktree whose `.git` is a file.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { gitTracks, trackedUnder } from '../../server/src/core/git-index';
import { useTempProject } from '../helpers/project';

const project = useTempProject('git-index');

function git(cwd: string, ...args: string[]): void {
  const run = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
}

/** A repository tracking `.medsec-baseline.json`, `.medsec-cache/x.cache` (forced past its .gitignore) and `src/a.c`. */
function repository(): string {
  const dir = project.dir;
  git(dir, 'init', '-q');
  project.write('.medsec-baseline.json', '{}\n');
  project.write('.medsec-cache/.gitignore', '*\n');
  project.write('.medsec-cache/x.cache', '{"format":3}\n');
  project.write('src/a.c', 'int a;\n');
  project.write('vendor/b.c', 'int b;\n');
  git(dir, 'add', '-f', '.medsec-baseline.json', '.medsec-cache/x.cache', 'src/a.c');
  return dir;
}

describe('gitTracks', () => {
  it.each([2, 3, 4])('reads an index of version %i', (version) => {
    const dir = repository();
    git(dir, 'update-index', '--index-version', String(version));
    if (version === 3) git(dir, 'add', '-N', 'vendor/b.c'); // intent-to-add sets the extended flags
    expect(gitTracks(path.join(dir, '.medsec-cache'))).toBe('tracked');
    expect(gitTracks(path.join(dir, '.medsec-cache', 'x.cache'))).toBe('tracked');
    expect(gitTracks(path.join(dir, '.medsec'))).toBe('untracked'); // a prefix of a tracked name, not a folder of it
    expect(gitTracks(path.join(dir, 'build', 'cache'))).toBe('untracked');
    expect(gitTracks(path.join(dir, 'vendor'))).toBe(version === 3 ? 'tracked' : 'untracked');
  });

  it.each([2, 3])('answers untracked from the bytes of a version %i index only when it walks whole', (version) => {
    const dir = repository();
    git(dir, 'update-index', '--index-version', String(version));
    // No path holds "build/medsec-cache": answered without decoding the paths, as the full read would.
    expect(gitTracks(path.join(dir, 'build', 'medsec-cache'))).toBe('untracked');
    // Cut short, the index may have lost the entry: never "untracked" then.
    const index = path.join(dir, '.git', 'index');
    fs.writeFileSync(index, fs.readFileSync(index).subarray(0, 100));
    expect(gitTracks(path.join(dir, 'build', 'medsec-cache'))).toBe('cannot tell');
  });

  it('reads a split index and the shared index it points to', () => {
    const dir = repository();
    git(dir, 'update-index', '--split-index');
    project.write('src/c.c', 'int c;\n');
    git(dir, 'add', 'src/c.c');
    expect(fs.readdirSync(path.join(dir, '.git')).some((name) => name.startsWith('sharedindex.'))).toBe(true);
    expect(gitTracks(path.join(dir, '.medsec-cache'))).toBe('tracked');
    expect(gitTracks(path.join(dir, 'src', 'c.c'))).toBe('tracked');
    expect(gitTracks(path.join(dir, 'vendor'))).toBe('untracked');
  });

  it('follows a linked worktree to its own index', () => {
    const dir = repository();
    git(dir, 'commit', '-q', '-m', 'x');
    const linked = path.join(dir, 'linked');
    git(dir, 'worktree', 'add', '-q', linked);
    expect(fs.statSync(path.join(linked, '.git')).isFile()).toBe(true);
    expect(gitTracks(path.join(linked, '.medsec-cache'))).toBe('tracked');
    expect(gitTracks(path.join(linked, 'elsewhere'))).toBe('untracked');
  });

  it('says untracked outside a repository or before the first add, and cannot tell from a damaged index', () => {
    expect(gitTracks(path.join(project.dir, '.medsec-cache'))).toBe('untracked');
    fs.mkdirSync(path.join(project.dir, '.git'));
    expect(gitTracks(path.join(project.dir, '.medsec-cache'))).toBe('untracked');
    fs.writeFileSync(path.join(project.dir, '.git', 'index'), 'DIRC\0\0\0\x09\0\0\0\x01');
    expect(gitTracks(path.join(project.dir, '.medsec-cache'))).toBe('cannot tell');
  });
});

describe('trackedUnder', () => {
  /** What discovery asks of the repository() tree, from the root and from `src`, as `path:answer`. */
  function answers(dir: string): string[] {
    const fromRoot = trackedUnder(dir)!;
    const fromSrc = trackedUnder(path.join(dir, 'src'))!;
    return [
      ['.medsec-cache', true],
      ['.medsec-cache/x.cache', false],
      ['.medsec', true], // a prefix of a tracked name, not a folder of it
      ['.medsec-cache/x', false],
      ['src', true],
      ['src/a.c', false],
      ['src/a', false],
      ['vendor', true],
      ['vendor/b.c', false],
      ['build', true],
    ]
      .map(([relative, isDirectory]) => `${relative}:${fromRoot.tracks(relative as string, isDirectory as boolean)}`)
      .concat(`src>a.c:${fromSrc.tracks('a.c', false)}`, `src>a:${fromSrc.tracks('a', true)}`);
  }

  const EXPECTED = [
    '.medsec-cache:true',
    '.medsec-cache/x.cache:true',
    '.medsec:false',
    '.medsec-cache/x:false',
    'src:true',
    'src/a.c:true',
    'src/a:false',
    'vendor:false',
    'vendor/b.c:false',
    'build:false',
    'src>a.c:true',
    'src>a:false',
  ];

  it.each([2, 3, 4])('answers alike from the paths in place (versions 2, 3) and decoded (version 4): version %i', (version) => {
    const dir = repository();
    git(dir, 'update-index', '--index-version', String(version));
    expect(answers(dir)).toEqual(EXPECTED);
  });

  it('reads a split index and the shared index it points to', () => {
    const dir = repository();
    git(dir, 'update-index', '--split-index');
    project.write('src/c.c', 'int c;\n');
    git(dir, 'add', 'src/c.c');
    expect(answers(dir)).toEqual(EXPECTED);
    expect(trackedUnder(dir)!.tracks('src/c.c', false)).toBe(true);
  });

  it('is undefined outside a repository and for a damaged index', () => {
    expect(trackedUnder(project.dir)).toBeUndefined();
    fs.mkdirSync(path.join(project.dir, '.git'));
    fs.writeFileSync(path.join(project.dir, '.git', 'index'), 'DIRC\0\0\0\x09\0\0\0\x01');
    expect(trackedUnder(project.dir)).toBeUndefined();
  });
});
