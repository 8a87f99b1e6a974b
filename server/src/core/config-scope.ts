/**
 * Where an `extends` may read from, and which configuration values an error may quote.
 *
 * A configuration comes with the repository, so it is as hostile as the repository: `"extends":
 * ["../../etc/passwd"]` or `"/proc/self/environ"` must not read the machine, and an error about a file it
 * did read (a local `creds.json`) must not print a token from it into a CI log.
 */
import * as fs from 'fs';
import * as path from 'path';

/**
 * The folders an extended file may lie in, by real path: the workspace (the configuration root and the
 * git repository holding it, so a monorepo package can extend a shared file), the folder of the
 * configuration file itself (named with `--config` or found in the workspace), and the folders of npm
 * packages resolved through `node_modules`, which `allowPackage` adds as they load.
 */
export class ExtendsScope {
  private readonly folders: string[];

  constructor(root: string, configFile: string | undefined) {
    const candidates = [root, repositoryTop(root), configFile && path.dirname(configFile)];
    this.folders = [...new Set(candidates.filter((folder): folder is string => !!folder).map(realPathOf))];
  }

  /** Why `file` may not be read as a rule set, or undefined when it may. Links are judged by their target. */
  refusal(file: string): string | undefined {
    const real = realPathOf(file);
    if (this.folders.some((folder) => isInside(real, folder))) return undefined;
    return 'it is outside the workspace; an extended file must be in the workspace, in its node_modules, or the file given to --config';
  }

  /** A package found in a `node_modules` folder: its own files (and only those) may be read. */
  allowPackage(packageFolder: string): string | undefined {
    const real = realPathOf(packageFolder);
    if (!real.split(path.sep).includes('node_modules')) {
      return 'the package is not installed in a node_modules folder';
    }
    if (!this.folders.includes(real)) this.folders.push(real);
    return undefined;
  }
}

/**
 * Whether a value read from a configuration file could be a secret, so an error must describe it rather than
 * quote it. What a configuration legitimately holds (rule ids, severities, globs, paths, package names) is
 * short and made of words; tokens, keys and passwords are long or mix letters with digits or case.
 */
export function couldBeSecret(value: string): boolean {
  if (value.length > 40) return true;
  if (/[\u0000-\u001f\u007f]/.test(value)) return true;
  return (value.match(/[A-Za-z0-9+=]{8,}/g) ?? []).some(looksRandom);
}

/** Letters mixed with digits, runs of capitals inside lower case, or base64 padding: not a word or a camelCase name. */
function looksRandom(run: string): boolean {
  const letters = /[A-Za-z]/.test(run);
  const digits = /[0-9]/.test(run);
  if (letters && digits) return true;
  if (/[a-z]/.test(run) && /[A-Z]{2}/.test(run)) return true;
  return /[+=]/.test(run) && (letters || digits);
}

/** The value in double quotes, or a description that does not reveal it. */
export function quoteUnlessSecret(value: string): string {
  return couldBeSecret(value) ? `a value of ${value.length} characters (not shown: it could be a secret)` : JSON.stringify(value);
}

function repositoryTop(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** The real path, or the resolved path of what does not exist (yet): the read then fails with its own error. */
function realPathOf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
