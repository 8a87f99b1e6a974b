/**
 * The result cache on disk: one file per medsec build in the cache folder (default `.medsec-cache/` at the
 * scan root). The folder holds a `.gitignore` of `*`, so git and medsec's own discovery leave it alone, and
 * everything in it can be deleted at any time. A whole write goes to a temporary file that is flushed and
 * then renamed over the cache, so a crash mid-write leaves the previous cache (or none), never half of one.
 * An appended segment is written in place after the bytes last read, only while the file is the same one
 * (inode) of the same length; one cut short by a crash fails its hash and reads as absent (cache-log.ts).
 * Writing a build's cache removes the caches other builds left there (they can never be read again) and
 * temporary files a crash left behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { indexFromHead, type CacheStorage } from './cache';

export const DEFAULT_CACHE_FOLDER = '.medsec-cache';

/** How a cache file starts (cache.ts); a file in the folder that starts otherwise is not medsec's and is left alone. */
const CACHE_FILE_START = '{"format":';
/** A temporary file older than this is what a crashed write left, not one a running scan is writing. */
const ABANDONED_MS = 60 * 60 * 1000;
/** What the warm re-scan reads of a cache at a time, until it has the header and the scan index. */
const HEAD_CHUNK = 1 << 20;

/** The file of build `build` in `folder` (a build string may hold characters a file name should not). */
export function cacheFile(folder: string, build: string): string {
  return path.join(folder, `${build.replace(/[^\w.-]+/g, '_')}.cache`);
}

export function fileStorage(file: string): CacheStorage {
  /** The file last read or written (device and inode), which an append must still find at the path. */
  let identity: string | undefined;
  return {
    read: () => {
      let descriptor: number | undefined;
      try {
        descriptor = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        const bytes = fs.readFileSync(descriptor);
        identity = identityOf(fs.fstatSync(descriptor));
        return bytes;
      } catch {
        return undefined;
      } finally {
        if (descriptor !== undefined) fs.closeSync(descriptor);
      }
    },
    append: (bytes, length) => {
      let descriptor: number | undefined;
      try {
        // Never through a link planted at the cache's name.
        descriptor = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW);
        const stats = fs.fstatSync(descriptor);
        if (!stats.isFile() || identityOf(stats) !== identity || stats.size !== length) return false;
        // No fsync: a segment a crash cuts short fails its hash and reads as absent.
        fs.writeSync(descriptor, bytes, 0, bytes.length, length);
        return true;
      } catch {
        return false;
      } finally {
        if (descriptor !== undefined) fs.closeSync(descriptor);
      }
    },
    write: (text) => {
      const folder = path.dirname(file);
      fs.mkdirSync(folder, { recursive: true });
      const ignoreFile = path.join(folder, '.gitignore');
      writeNew(ignoreFile, '# medsec result cache: safe to delete\n*\n');
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      try {
        // 'wx': never through a link planted at that name (a repository can commit one), never over a file.
        const descriptor = fs.openSync(temporary, 'wx');
        try {
          fs.writeFileSync(descriptor, text);
          fs.fsyncSync(descriptor);
          identity = identityOf(fs.fstatSync(descriptor));
        } finally {
          fs.closeSync(descriptor);
        }
        fs.renameSync(temporary, file);
      } catch (error) {
        fs.rmSync(temporary, { force: true });
        throw error;
      }
      removeLeftovers(folder, path.basename(file));
    },
  };
}

function identityOf(stats: fs.Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

/**
 * The scan index in the cache `file` of build `build` (cache.ts `indexFromHead`): its head read a chunk at a
 * time and the segments after the base, so that a large cache is not read whole for its index; undefined when
 * there is none or the file cannot be read.
 */
export function readCacheIndex(file: string, build: string): string | Record<string, unknown> | undefined {
  let descriptor: number;
  try {
    descriptor = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const head = readHeadLines(descriptor, 2);
    if (!head) return undefined;
    const size = fs.fstatSync(descriptor).size;
    return indexFromHead(head, build, (from) => {
      if (from >= size) return undefined;
      const tail = Buffer.allocUnsafe(size - from);
      let read = 0;
      while (read < tail.length) {
        const got = fs.readSync(descriptor, tail, read, tail.length - read, from + read);
        if (got === 0) break;
        read += got;
      }
      return tail.subarray(0, read);
    });
  } catch {
    return undefined;
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * The first `lines` whole lines of the open file (without their newlines), read a chunk at a time so that a
 * large cache is not read whole for its head; undefined when it has fewer lines.
 */
function readHeadLines(descriptor: number, lines: number): string[] | undefined {
  const chunks: Buffer[] = [];
  let newlines = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(HEAD_CHUNK);
    const read = fs.readSync(descriptor, chunk, 0, HEAD_CHUNK, null);
    if (read === 0) return undefined;
    chunks.push(chunk.subarray(0, read));
    for (let at = chunk.indexOf(10); at >= 0 && at < read; at = chunk.indexOf(10, at + 1)) {
      if (++newlines < lines) continue;
      const text = Buffer.concat(chunks).toString('utf8');
      return text.split('\n', lines);
    }
  }
}

/** Removes the caches of other builds in `folder` (all but `keep`) and temporary files abandoned by a crashed write. */
function removeLeftovers(folder: string, keep: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === keep) continue;
    const file = path.join(folder, name);
    try {
      const stat = fs.lstatSync(file); // never through a link
      if (!stat.isFile()) continue;
      const abandoned = /\.cache\.\d+\.\d+\.tmp$/.test(name) && Date.now() - stat.mtimeMs > ABANDONED_MS;
      if (abandoned || (name.endsWith('.cache') && startsAsCache(file))) fs.rmSync(file, { force: true });
    } catch {
      // Another scan removed it first, or it cannot be removed: it is only disk space.
    }
  }
}

function startsAsCache(file: string): boolean {
  const head = readHeadBytes(file, CACHE_FILE_START.length);
  return head === CACHE_FILE_START;
}

function readHeadBytes(file: string, length: number): string {
  const descriptor = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, fs.readSync(descriptor, buffer, 0, length, 0)).toString('utf8');
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * Creates `file` unless something is already there. Exclusive creation does not follow a symbolic link, so a
 * link committed in place of the file (even one pointing nowhere) cannot make medsec write outside the tree.
 */
function writeNew(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
