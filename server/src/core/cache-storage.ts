/**
 * The result cache on disk: one file per medsec build in the cache folder (default `.medsec-cache/` at the
 * scan root). The folder holds a `.gitignore` of `*`, so git and medsec's own discovery leave it alone, and
 * everything in it can be deleted at any time. A write goes to a temporary file that is flushed and then
 * renamed over the cache, so a crash mid-write leaves the previous cache (or none), never half of one.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { CacheStorage } from './cache';

export const DEFAULT_CACHE_FOLDER = '.medsec-cache';

/** The file of build `build` in `folder` (a build string may hold characters a file name should not). */
export function cacheFile(folder: string, build: string): string {
  return path.join(folder, `${build.replace(/[^\w.-]+/g, '_')}.cache`);
}

export function fileStorage(file: string): CacheStorage {
  return {
    read: () => {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
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
        } finally {
          fs.closeSync(descriptor);
        }
        fs.renameSync(temporary, file);
      } catch (error) {
        fs.rmSync(temporary, { force: true });
        throw error;
      }
    },
  };
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
