/**
 * Where `medsec scan`'s result cache lives and whether it is used: on by default in a git working tree
 * (`--cache` / `--no-cache` to choose), in `.medsec-cache/` at the scan root or `--cache-dir`, which must lie
 * inside the root: a scan writes nothing outside the tree it scans. Light (no engine), for the warm re-scan.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cacheFile, DEFAULT_CACHE_FOLDER } from '../core/cache-storage';
import { gitTracks } from '../core/git-index';
import { medsecBuild, toolVersion } from '../core/version';
import { UsageError } from './errors';

export interface CacheOptions {
  /** `--cache` (true) or `--no-cache` (false); undefined: on in a git working tree. */
  cache?: boolean;
  cacheDir?: string;
}

export interface CacheLocation {
  folder: string;
  /** This build's cache file in the folder. */
  file: string;
  /** The medsec build the cache belongs to (version and build id). */
  build: string;
  /**
   * Why the cache must be neither read nor written, when it must not: git tracks the folder or something in
   * it, so a commit put it there, and a commit can forge every key of an entry (core/git-index.ts).
   */
  refused?: string;
}

/** The cache of a scan of `root`, or undefined when it is off. Throws a UsageError for a bad `--cache-dir`. */
export function cacheLocation(root: string, options: CacheOptions): CacheLocation | undefined {
  if (options.cacheDir !== undefined && options.cache === false)
    throw new UsageError('--cache-dir and --no-cache cannot be combined; pick one');
  const enabled = options.cache ?? (options.cacheDir !== undefined || inGitWorkTree(root));
  if (!enabled) return undefined;
  const folder = cacheFolder(root, options.cacheDir);
  const build = medsecBuild(toolVersion());
  const tracked = gitTracks(folder);
  const refused =
    tracked === 'untracked'
      ? undefined
      : tracked === 'tracked'
        ? 'git tracks it, so a commit could forge its results; remove it from git (git rm -r --cached) and let CI restore it'
        : 'the git index could not be read to check that git does not track it';
  return { folder, file: cacheFile(folder, build), build, ...(refused ? { refused } : {}) };
}

/** The cache folder: `--cache-dir` (relative to the current folder) or `.medsec-cache` at the root; inside the root either way. */
function cacheFolder(root: string, cacheDir: string | undefined): string {
  const folder = cacheDir === undefined ? path.join(root, DEFAULT_CACHE_FOLDER) : path.resolve(cacheDir);
  const realRoot = fs.realpathSync(root);
  if (!isInside(realRoot, realExisting(folder)) || path.resolve(folder) === path.resolve(root)) {
    throw new UsageError(
      `--cache-dir ${cacheDir} is not a folder inside the scanned root ${root}; medsec writes nothing outside the tree it scans`,
    );
  }
  return folder;
}

/** The real path of `target`, through its nearest existing ancestor (the folder may not exist yet). */
function realExisting(target: string): string {
  const absolute = path.resolve(target);
  if (fs.existsSync(absolute)) return fs.realpathSync(absolute);
  return path.join(realExisting(path.dirname(absolute)), path.basename(absolute));
}

function isInside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function inGitWorkTree(start: string): boolean {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}
