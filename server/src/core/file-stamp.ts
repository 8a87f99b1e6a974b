/**
 * A file's stamp: what `stat` says about it (size, modification and change times, inode, device), the way
 * git's index remembers each file. While the stamp is unchanged the bytes are taken to be unchanged, so an
 * unchanged re-scan stats each file instead of reading and hashing it (cache-scan.ts). Any write changes
 * the change time (ctime), which no user call can set back, so restoring the modification time (`touch -r`,
 * an archive extractor) does not hide an edit; a copied or freshly checked-out tree has new inodes and
 * change times, so its files are hashed again (their results still come from the cache when the bytes match).
 */
import type * as fs from 'fs';

/**
 * A write within this long of the read cannot be told from the read by its times on a file system with
 * coarse timestamps (FAT keeps 2 s); such a file is "racily clean", as git calls it, and gets no stamp.
 */
const RACY_MS = 2_000;

/**
 * The stamp of a file as `stats` (taken at `statAtMs`, before its bytes are read) describes it, or undefined
 * when the file was modified so recently that a later edit could leave the same times behind.
 */
export function trustedStamp(stats: fs.Stats, statAtMs = Date.now()): string | undefined {
  if (Math.max(stats.mtimeMs, stats.ctimeMs) >= statAtMs - RACY_MS) return undefined;
  return stampOf(stats);
}

/** The stamp `stats` describe, trusted or not: equal to a trusted stamp taken earlier, the file is unchanged since. */
export function stampOf(stats: fs.Stats): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}:${stats.dev}`;
}

/** The file a stamp is of, as device and inode (`ino:dev`): the same file, whatever path leads there. */
export function fileIdentityOf(stamp: string): string {
  const parts = stamp.split(':');
  return `${parts[3]}:${parts[4]}`;
}
