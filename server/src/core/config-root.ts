/**
 * Where a project's configuration lives: the name of the file and the folder it makes the root. Apart from
 * core/config.ts so that the CLI's warm re-scan finds the root without loading the configuration machinery.
 */
import * as fs from 'fs';
import * as path from 'path';

export const CONFIG_FILE_NAME = '.medsec.json';

/**
 * The directory that holds the nearest `.medsec.json` at or above `start`, stopping at a repository
 * boundary (a folder with `.git`) or the filesystem root; undefined when there is none.
 */
export function findConfigRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  for (;;) {
    if (fs.existsSync(path.join(dir, CONFIG_FILE_NAME))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir || fs.existsSync(path.join(dir, '.git'))) return undefined;
    dir = parent;
  }
}
