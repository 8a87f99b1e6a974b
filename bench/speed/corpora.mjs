// The real code the speed benchmark scans: corpora.json names each by repository and commit; this module
// materialises a commit's chosen folders from a local git mirror into bench/.corpora/<name>/ (gitignored).
// Nothing is fetched from the network: the mirrors are the ones the realcode harness uses (/work/.mirror,
// or folders listed in $MEDSEC_REALCODE_MIRRORS), and a corpus without one is skipped with a note.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { findMirror, materialise } from '../git-mirror.mjs';
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
  const gitDir = findMirror(corpus.repo, corpus.commit);
  if (!gitDir) return { error: `no mirror of ${corpus.repo} with ${corpus.commit.slice(0, 12)}; fetch it into /work/.mirror` };
  materialise(gitDir, corpus.commit, dir, corpus.paths);
  writeFileSync(stamp, `${wanted}\n`);
  return { dir };
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
