/** Where a command's report goes: the `--output` file, or stdout. */
import * as fs from 'fs';
import { UsageError } from './errors';

/**
 * The files a command read (sources, configuration): their paths, or a test of a file's device and inode
 * when the command already knows those (the warm re-scan, from its stamps).
 */
export type FilesRead = readonly string[] | ((target: fs.Stats) => boolean);

/**
 * `read` is the files the command read: the report never replaces one of them, whatever path or link leads
 * there (`--output src/main.c` would silently destroy the source).
 */
export function writeReport(report: string, output: string | undefined, read: FilesRead = []): void {
  if (!output) {
    process.stdout.write(report);
    return;
  }
  refuseOverwritingInput(output, read);
  try {
    fs.writeFileSync(output, report);
  } catch (error) {
    throw new UsageError(
      `cannot write --output ${output} (${(error as NodeJS.ErrnoException).code ?? String(error)}); check that its ` +
        `folder exists and is writable`,
    );
  }
}

/**
 * The same file is the same device and inode, whatever path, link or hard link leads there: one `stat` per
 * file read (resolving each path's links instead costs a call per folder of the path).
 */
function refuseOverwritingInput(output: string, read: FilesRead): void {
  const target = statOf(output);
  if (!target) return; // a file that does not exist yet was not read
  if (typeof read === 'function') {
    if (read(target)) throw new UsageError(`--output ${output} is a file this command reads; write the report somewhere else`);
    return;
  }
  for (const file of read) {
    const stats = statOf(file);
    if (stats && stats.ino === target.ino && stats.dev === target.dev) {
      throw new UsageError(`--output ${output} is a file this command reads; write the report somewhere else`);
    }
  }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
