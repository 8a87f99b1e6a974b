// The real code the speed benchmark scans: corpora.json names each by repository and commit; this module
// materialises a commit's chosen folders from a local git mirror into bench/.corpora/<name>/ (gitignored).
// Nothing is fetched from the network: the mirrors are the ones the realcode harness uses (/work/.mirror,
// or folders listed in $MEDSEC_REALCODE_MIRRORS), and a corpus without one is skipped with a note.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CORPORA_DIR = process.env.MEDSEC_BENCH_CORPORA ?? path.join(here, '..', '.corpora');

export function loadCorpora() {
  return JSON.parse(readFileSync(path.join(here, 'corpora.json'), 'utf8'));
}

/** The corpus folder at its pinned commit, materialised when absent; `{ error }` when no mirror has it. */
export function ensureCorpus(corpus) {
  const dir = path.join(CORPORA_DIR, corpus.name);
  const stamp = `${dir}.commit`;
  const wanted = `${corpus.commit} ${corpus.paths.join(' ')}`;
  if (existsSync(dir) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted) return { dir };
  const gitDir = mirrors(corpus.repo).find((candidate) => git(candidate, ['cat-file', '-e', `${corpus.commit}^{commit}`]).status === 0);
  if (!gitDir) return { error: `no mirror of ${corpus.repo} with ${corpus.commit.slice(0, 12)}; fetch it into /work/.mirror` };
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  extract(gitDir, corpus.commit, corpus.paths, partial);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  writeFileSync(stamp, `${wanted}\n`);
  return { dir };
}

function mirrors(repo) {
  const slug = repo.replace('/', '+');
  const roots = [...(process.env.MEDSEC_REALCODE_MIRRORS ?? '').split(path.delimiter).filter(Boolean), '/work/.mirror'];
  return roots.filter(existsSync).flatMap((root) =>
    readdirSync(root)
      .filter((name) => name.startsWith(slug))
      .flatMap(
        (name) =>
          [path.join(root, name, 'repo', '.git'), path.join(root, name, 'repo'), path.join(root, name, '.git'), path.join(root, name)].find(
            (candidate) => existsSync(path.join(candidate, 'HEAD')) && existsSync(path.join(candidate, 'objects')),
          ) ?? [],
      ),
  );
}

const git = (gitDir, args, input) => spawnSync('git', ['--git-dir', gitDir, ...args], { input, maxBuffer: 2 * 1024 * 1024 * 1024 });

/**
 * Writes the blobs under `paths` of a commit into `target`, one `cat-file --batch` per 400 files (snapshots
 * may lack files of 4 MiB and more, which `git archive` refuses; those are left out).
 */
function extract(gitDir, commit, paths, target) {
  const listing = git(gitDir, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...paths.filter((p) => p !== '.')]);
  if (listing.status !== 0) throw new Error(String(listing.stderr));
  const items = String(listing.stdout)
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, oid] = line.slice(0, tab).split(' ');
      return { mode, type, oid, file: line.slice(tab + 1) };
    })
    .filter((item) => item.type === 'blob');
  for (let start = 0; start < items.length; start += 400) {
    const chunk = items.slice(start, start + 400);
    const out = git(gitDir, ['cat-file', '--batch'], chunk.map((item) => item.oid).join('\n') + '\n').stdout;
    let offset = 0;
    for (const item of chunk) {
      const newline = out.indexOf(10, offset);
      const header = out.subarray(offset, newline).toString('utf8');
      offset = newline + 1;
      if (header.endsWith(' missing')) continue;
      const size = Number(header.split(' ')[2]);
      const content = out.subarray(offset, offset + size);
      offset += size + 1;
      const destination = path.join(target, item.file);
      mkdirSync(path.dirname(destination), { recursive: true });
      if (item.mode === '120000') symlinkSync(content.toString('utf8'), destination);
      else writeFileSync(destination, content);
    }
  }
}

/** Lines of the files medsec parses, for the per-line figures. */
export function countSourceLines(dir) {
  const extensions = /\.(c|h|cpp|cc|cxx|hpp|hh|ino|py|java|kt|kts|js|jsx|mjs|cjs|ts|tsx)$/i;
  let lines = 0;
  const walk = (folder) => {
    for (const item of readdirSync(folder, { withFileTypes: true })) {
      if (item.name === '.git' || item.name === 'node_modules' || item.name === '.medsec-cache') continue;
      const full = path.join(folder, item.name);
      if (item.isDirectory()) walk(full);
      else if (item.isFile() && extensions.test(item.name)) {
        const text = readFileSync(full);
        for (let i = 0; i < text.length; i++) if (text[i] === 10) lines++;
      }
    }
  };
  walk(dir);
  return lines;
}
