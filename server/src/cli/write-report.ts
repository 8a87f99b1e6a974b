/** Where a command's report goes: the `--output` file, or stdout. */
import * as fs from 'fs';
import { UsageError } from './errors';

/**
 * `read` lists the files the command read (sources, configuration): the report never replaces one of
 * them, whatever path or link leads there (`--output src/main.c` would silently destroy the source).
 */
export function writeReport(report: string, output: string | undefined, read: readonly string[] = []): void {
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
function refuseOverwritingInput(output: string, read: readonly string[]): void {
  const target = statOf(output);
  if (!target) return; // a file that does not exist yet was not read
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
