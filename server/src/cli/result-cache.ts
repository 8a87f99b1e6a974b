/**
 * `medsec scan`'s result cache: on by default in a git working tree (`--cache` / `--no-cache` to choose),
 * kept in `.medsec-cache/` at the scan root or `--cache-dir`, which must lie inside the root: a scan
 * writes nothing outside the tree it scans. Saving is best effort: a cache that cannot be written costs the
 * next scan its speed, never this scan its result.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ResultCache } from '../core/cache';
import { medsecBuild } from '../core/cache-key';
import { ScanCache } from '../core/cache-scan';
import { cacheFile, DEFAULT_CACHE_FOLDER, fileStorage } from '../core/cache-storage';
import type { ResolvedConfig, ScanResult } from '../core/types';
import { toolVersion } from '../core/version';
import { UsageError } from './errors';

export interface CacheOptions {
  /** `--cache` (true) or `--no-cache` (false); undefined: on in a git working tree. */
  cache?: boolean;
  cacheDir?: string;
}

export interface OpenedCache {
  scanCache: ScanCache;
  /** Writes what the scan learned; `wholeTree` when the scan covered the root, so vanished files are forgotten. */
  save(result: ScanResult, wholeTree: boolean): void;
}

export function openResultCache(root: string, config: ResolvedConfig, options: CacheOptions): OpenedCache | undefined {
  if (options.cacheDir !== undefined && options.cache === false)
    throw new UsageError('--cache-dir and --no-cache cannot be combined; pick one');
  const enabled = options.cache ?? (options.cacheDir !== undefined || inGitWorkTree(root));
  if (!enabled) return undefined;
  const folder = cacheFolder(root, options.cacheDir);
  const storage = fileStorage(cacheFile(folder, medsecBuild(toolVersion())));
  const results = ResultCache.open(storage, medsecBuild(toolVersion()));
  return {
    scanCache: new ScanCache(results, config),
    save: (result, wholeTree) => {
      if (wholeTree) results.retainOnly(new Set(result.files.map((file) => file.path)));
      try {
        results.save();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        process.stderr.write(
          `medsec: could not write the result cache in ${folder} (${code}); the next scan will check every file again\n`,
        );
      }
    },
  };
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
