// Real code for the benchmarks, from local git mirrors only (nothing is fetched): the realcode harness and
// the speed benchmark both pin a repository at a commit and materialise it from a mirror here.
// Mirrors are looked for in the folders of $MEDSEC_REALCODE_MIRRORS, then in /work/.mirror (where the fetch
// tool puts its snapshots), under a name that starts with `owner+name`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DEFAULT_MIRRORS = '/work/.mirror';

export const slug = (repo) => repo.replace('/', '+');

const git = (gitDir, args, input) => spawnSync('git', ['--git-dir', gitDir, ...args], { input, maxBuffer: 2 * 1024 * 1024 * 1024 });

/** The git directory of a local mirror of `repo` that holds `commit`, or undefined. */
export function findMirror(repo, commit) {
  const roots = [...(process.env.MEDSEC_REALCODE_MIRRORS ?? '').split(path.delimiter).filter(Boolean), DEFAULT_MIRRORS];
  const candidates = roots.filter(existsSync).flatMap((root) =>
    readdirSync(root)
      .filter((name) => name.startsWith(slug(repo)))
      .flatMap((name) => {
        const base = path.join(root, name);
        const layouts = [path.join(base, 'repo', '.git'), path.join(base, 'repo'), path.join(base, '.git'), base];
        return layouts.find((dir) => existsSync(path.join(dir, 'HEAD')) && existsSync(path.join(dir, 'objects'))) ?? [];
      }),
  );
  return candidates.find((gitDir) => git(gitDir, ['cat-file', '-e', `${commit}^{commit}`]).status === 0);
}

/**
 * Writes the tree of `commit` (only `paths` when given) into `dir`, through `dir.partial` so that an
 * interrupted run never leaves half a tree, and returns the files the mirror lacks: snapshots can leave out
 * very large files (4 MiB and more), which is also why this writes blob by blob (`git archive` refuses a
 * tree with a missing blob). Submodules are not materialised, as in an archive.
 */
export function materialise(gitDir, commit, dir, paths = []) {
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  let missing;
  try {
    missing = writeBlobs(gitDir, listBlobs(gitDir, commit, paths), partial);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return missing;
}

function listBlobs(gitDir, commit, paths) {
  const listing = git(gitDir, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...paths.filter((p) => p !== '.')]);
  if (listing.status !== 0) throw new Error(String(listing.stderr).trim());
  return String(listing.stdout)
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, oid] = line.slice(0, tab).split(' ');
      return { mode, type, oid, file: line.slice(tab + 1) };
    })
    .filter((item) => item.type === 'blob');
}

/** One `cat-file --batch` per 400 blobs: a process per file would dominate the time on large trees. */
function writeBlobs(gitDir, items, target) {
  const missing = [];
  for (let start = 0; start < items.length; start += 400) {
    const chunk = items.slice(start, start + 400);
    const batch = git(gitDir, ['cat-file', '--batch'], chunk.map((item) => item.oid).join('\n') + '\n');
    if (batch.status !== 0) throw new Error(String(batch.stderr).trim());
    const out = batch.stdout;
    let offset = 0;
    for (const item of chunk) {
      const newline = out.indexOf(10, offset);
      const header = out.subarray(offset, newline).toString('utf8');
      offset = newline + 1;
      if (header.endsWith(' missing')) {
        missing.push(item.file);
        continue;
      }
      const size = Number(header.split(' ')[2]);
      const content = out.subarray(offset, offset + size);
      offset += size + 1;
      const destination = path.join(target, item.file);
      mkdirSync(path.dirname(destination), { recursive: true });
      if (item.mode === '120000') symlinkSync(content.toString('utf8'), destination);
      else writeFileSync(destination, content, { mode: item.mode === '100755' ? 0o755 : 0o644 });
    }
  }
  return missing;
}
