/**
 * Writing files the user's tree holds (`medsec fix`, `medsec baseline`) without surprises: never through a
 * symbolic link (a committed link could point anywhere on the machine), and each file replaced whole
 * through a temporary file and a rename, so a failure never leaves a half-written file.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Why `file` cannot be written safely, or undefined. `root`, when given, must hold it by its real path. */
export function whyNotWritable(file: string, root?: string): string | undefined {
  const absolute = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(absolute);
  } catch (error) {
    return codeOf(error) === 'ENOENT' ? undefined : `cannot read its status (${codeOf(error)})`;
  }
  if (stat.isSymbolicLink()) return 'it is a symbolic link, which medsec never writes through';
  if (!stat.isFile()) return 'it is not a regular file';
  if (root && realPathOf(absolute) !== path.join(realPathOf(root) ?? root, path.relative(root, absolute))) {
    return 'it is reached through a symbolic link, which medsec never writes through';
  }
  try {
    fs.accessSync(absolute, fs.constants.W_OK);
    fs.accessSync(path.dirname(absolute), fs.constants.W_OK);
  } catch (error) {
    return `it is not writable (${codeOf(error)})`;
  }
  return undefined;
}

/** Replaces `file` with `text` through a temporary file in its folder and a rename; keeps its mode. */
export function writeAtomically(file: string, text: string): void {
  const absolute = path.resolve(file);
  const existing = fs.existsSync(absolute) ? fs.statSync(absolute) : undefined;
  const temporary = path.join(path.dirname(absolute), `.${path.basename(absolute)}.medsec-${process.pid}-${Date.now()}.tmp`);
  try {
    // 'wx': never reuse (or follow a link planted at) an existing temporary name.
    fs.writeFileSync(temporary, text, { flag: 'wx', mode: 0o600 });
    if (existing) keepOwnerAndMode(temporary, existing);
    fs.renameSync(temporary, absolute);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function keepOwnerAndMode(file: string, like: fs.Stats): void {
  fs.chmodSync(file, like.mode & 0o7777);
  try {
    fs.chownSync(file, like.uid, like.gid);
  } catch {
    // Only root may give a file away; anyone else writes files they own.
  }
}

export function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
}

function realPathOf(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}
