/**
 * A file git tracks is in every clone whatever `.gitignore` says, so discovery scans it (a committed OAuth
 * client secret in a file the project later listed in `.gitignore` is still exposed). Untracked ignored files
 * stay skipped, and a tree that is not a git work tree is judged by `.gitignore` alone. Tracking is read from
 * the index file (core/git-index.ts); git is run here only to build the repositories.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../server/src/core/config';
import { discoverFiles } from '../server/src/core/discover';
import { LANGUAGES } from '../server/src/core/types';
import { fakeRule, useTempProject } from './helpers/project';
import { registryOf } from './helpers/registry';

const project = useTempProject('discover-tracked');
const write = project.write;

function git(...args: string[]): void {
  const run = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: project.dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
}

async function discover(root = project.dir, paths: string[] = []) {
  const config = resolveConfig({ extends: ['medsec:recommended'] }, undefined, root, {
    registry: registryOf([fakeRule('every-language', { languages: LANGUAGES })]),
  });
  const result = await discoverFiles(root, paths, config);
  return { files: result.files.map((file) => file.relativePath), skipped: result.skipped.map((s) => s.path) };
}

/** A sync tool that committed its config, then listed it (and its whole `secrets/` folder) in `.gitignore`. */
function committedThenIgnored(): void {
  write('.gitignore', 'config.py\nsecrets/\n*.log\n');
  write('config.py', 'CLIENT_SECRET = "x"\n');
  write('secrets/oauth.py', 'TOKEN = "x"\n');
  write('app.py', 'import config\n');
  git('init', '-q');
  git('add', '-f', '.gitignore', 'config.py', 'secrets/oauth.py', 'app.py');
  // Created after the commit, never added: ignored and untracked.
  write('secrets/local.py', 'TOKEN = "mine"\n');
  write('debug.log', 'trace\n');
}

describe('discovery in a git work tree', () => {
  it('scans tracked files that .gitignore lists, and skips untracked ignored ones', async () => {
    committedThenIgnored();
    const { files } = await discover();
    expect(files).toEqual(['app.py', 'config.py', 'secrets/oauth.py']);
  });

  it('scans a tracked ignored file named on the command line, not an untracked one', async () => {
    committedThenIgnored();
    const { files, skipped } = await discover(project.dir, [
      path.join(project.dir, 'secrets/oauth.py'),
      path.join(project.dir, 'secrets/local.py'),
    ]);
    expect(files).toEqual(['secrets/oauth.py']);
    expect(skipped).toEqual(['secrets/local.py']);
  });

  it('reads the index of the repository above a scanned subfolder', async () => {
    write('tools/.gitignore', 'settings.py\n');
    write('tools/settings.py', 'API_KEY = "x"\n');
    write('tools/other.py', 'x = 1\n');
    git('init', '-q');
    git('add', '-f', 'tools/settings.py', 'tools/.gitignore');
    const { files } = await discover(path.join(project.dir, 'tools'));
    expect(files).toEqual(['other.py', 'settings.py']);
  });

  it('goes by .gitignore alone when the tree is not a git work tree', async () => {
    write('.gitignore', 'config.py\nsecrets/\n');
    write('config.py', 'CLIENT_SECRET = "x"\n');
    write('secrets/oauth.py', 'TOKEN = "x"\n');
    write('app.py', 'x = 1\n');
    const { files } = await discover();
    expect(files).toEqual(['app.py']);
  });
});
