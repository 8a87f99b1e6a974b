/** The root of a scan, which configuration globs, output paths and the result cache are relative to. Light (no engine). */
import * as fs from 'fs';
import * as path from 'path';
import { findConfigRoot } from '../core/config-root';

/**
 * The folder that config globs and output paths are relative to: the folder of `--config` or of the
 * nearest `.medsec.json` above the first path, when it holds every path; otherwise the current folder
 * when it holds every path; otherwise the first path's folder.
 */
export function chooseRoot(paths: string[], configPath?: string): string {
  const cwd = process.cwd();
  const targets = (paths.length > 0 ? paths : [cwd]).map((target) => path.resolve(target));
  const contains = (folder: string) =>
    targets.every((target) => {
      const relative = path.relative(folder, target);
      return !relative.startsWith('..') && !path.isAbsolute(relative);
    });
  const configRoot = configPath ? path.dirname(path.resolve(configPath)) : findConfigRoot(targets[0]);
  if (configRoot && contains(configRoot)) return configRoot;
  if (contains(cwd)) return cwd;
  const first = targets[0];
  return fs.existsSync(first) && fs.statSync(first).isDirectory() ? first : path.dirname(first);
}
