/**
 * The scan index: the last whole-tree scan as its outputs read it, with everything it rested on, kept on
 * the line after the result cache's header (core/cache.ts). A re-scan that finds the same folders holding
 * the same names, every file it probed with the same stamp, the same configuration files with the same
 * stamps and the same question asked, would discover the same files, get every result from the cache and
 * resolve the same project facts: it replays the index instead (cli/warm.ts), without loading the rules,
 * the grammars or the engine. Any difference, however small, sends it down the full scan, which writes a
 * new index. Light on purpose: the warm re-scan imports it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { contentHash } from '../core/content-hash';
import { fileIdentityOf, stampOf } from '../core/file-stamp';
import { isExpired } from '../core/suppressions';
import type { FileResult, RuleMeta, SkippedFile } from '../core/types';
import { linkState, listingOf, withoutOwnFolder } from '../core/walk-record';

/** How the index marks a file it vouches for by content hash rather than stamp (cli/result-cache.ts). */
const HASHED = '#';

/** What a scan was asked, beyond the medsec build (the cache file is per build): a replay answers only the same. */
export interface ScanAsked {
  root: string;
  /** The root's real path: a root reached through a link that now leads elsewhere is another tree. */
  realRoot: string;
  /** `--config`, resolved; null for the nearest `.medsec.json` and the nested ones. */
  config: string | null;
  followSymlinks: boolean;
}

export interface ScanIndex {
  asked: ScanAsked;
  /** Every configuration file read (absolute path) with its stamp: the root's, nested ones, what they extend. */
  configFiles: [string, string][];
  /**
   * The walk (core/walk-record.ts): per folder its listing, per probed file its stamp, or `#` and the hash of
   * its bytes for a scanned file changed too recently for its stamp to be trusted.
   */
  folders: [string, string][];
  files: [string, string][];
  links: [string, string][];
  /** The earliest `until` date of a suppression the findings applied: after it, the scan must run again. */
  expires?: string;
  /** Set when `.medsec.json` files below the root governed their folders (the incremental re-scan leaves those to the full scan). */
  nested?: true;
  /** What the formats print of each rule the findings name. */
  rules: Record<string, Pick<RuleMeta, 'cwe' | 'fda'>>;
  /** The result, as the formats read it: project facts resolved, fingerprints attached, no baseline applied. */
  configSource: string | null;
  results: FileResult[];
  skipped: SkippedFile[];
}

/** What a scan of `root` was asked, for its index (`asked` is what the command's options say). */
export function scanAsked(root: string, options: { config?: string; followSymlinks?: boolean }): ScanAsked {
  return {
    root,
    realRoot: fs.realpathSync.native(root),
    config: options.config ? path.resolve(options.config) : null,
    followSymlinks: !!options.followSymlinks,
  };
}

/** The index (its text, or parsed) when it answers `asked` and nothing it rested on changed; undefined otherwise. */
export function replayable(
  stored: string | Record<string, unknown>,
  asked: ScanAsked,
  cacheFolder: string,
  today = new Date(),
): ScanIndex | undefined {
  let index: ScanIndex;
  try {
    index = (typeof stored === 'string' ? JSON.parse(stored) : stored) as ScanIndex;
  } catch {
    return undefined;
  }
  if (!sameAsked(index.asked, asked) || isExpired(index.expires, today)) return undefined;
  if (!index.configFiles.every(([file, stamp]) => stampNow(file) === stamp)) return undefined;
  const { root } = asked;
  if (!index.folders.every(([folder, listing]) => listingNow(path.join(root, folder), cacheFolder) === listing)) return undefined;
  if (!index.files.every(([file, vouch]) => unchanged(path.join(root, file), vouch))) return undefined;
  if (!index.links.every(([link, state]) => state !== '' && linkState(path.join(root, link)) === state)) return undefined;
  return index;
}

/**
 * Whether the file at `target` (device and inode) is one the scan read, a scanned file or the configuration
 * (what the full scan's `filesRead` lists): `--output` must not replace it. From the stamps, without a stat,
 * but for a file vouched for by its hash, which has no stamp to tell.
 */
export function readByIndex(index: ScanIndex): (target: fs.Stats) => boolean {
  return (target) => {
    // A stamp ends with the file's inode and device (file-stamp.ts): compared as text, nothing split.
    const identity = `:${target.ino}:${target.dev}`;
    const isTarget = ([file, vouch]: [string, string]) =>
      vouch.startsWith(HASHED)
        ? sameFile(path.join(index.asked.root, file), target)
        : vouch.endsWith(identity) && fileIdentityOf(vouch) === identity.slice(1);
    const candidates = index.files.filter((entry) => entry[1].startsWith(HASHED) || entry[1].endsWith(identity));
    const scanned = candidates.length ? new Set(index.results.map((file) => file.path)) : undefined;
    return (
      candidates.some((entry) => scanned!.has(entry[0]) && isTarget(entry)) ||
      index.configFiles.some((entry) => entry[0] === index.configSource && isTarget(entry))
    );
  };
}

function sameFile(file: string, target: fs.Stats): boolean {
  const stats = fs.statSync(file, { throwIfNoEntry: false });
  return !!stats && stats.ino === target.ino && stats.dev === target.dev;
}

export function sameAsked(recorded: ScanAsked | undefined, asked: ScanAsked): boolean {
  return (
    !!recorded &&
    recorded.root === asked.root &&
    recorded.realRoot === asked.realRoot &&
    recorded.config === asked.config &&
    recorded.followSymlinks === asked.followSymlinks
  );
}

/** Whether a file is as the index saw it: the same stamp, or for one whose stamp was too recent, the same bytes. */
export function unchanged(file: string, vouch: string): boolean {
  if (!vouch.startsWith(HASHED)) return stampNow(file) === vouch;
  try {
    return contentHash(fs.readFileSync(file)) === vouch.slice(HASHED.length);
  } catch {
    return false;
  }
}

export function stampNow(file: string): string | undefined {
  const stats = fs.statSync(file, { throwIfNoEntry: false });
  return stats && stampOf(stats);
}

/** The listing of `folder` as the walk makes it (leaving out the cache folder, which is not part of the tree). */
export function listingNow(folder: string, cacheFolder: string): string | undefined {
  try {
    return listingOf(withoutOwnFolder(folder, fs.readdirSync(folder, { withFileTypes: true }), cacheFolder));
  } catch {
    return undefined;
  }
}
