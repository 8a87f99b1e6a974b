/** Where a command's report goes: the `--output` file, or stdout. */
import * as fs from 'fs';
import * as path from 'path';
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

function refuseOverwritingInput(output: string, read: readonly string[]): void {
  const target = realPathOf(output);
  if (!target) return; // a file that does not exist yet was not read
  for (const file of read) {
    if (path.resolve(file) === target || realPathOf(file) === target) {
      throw new UsageError(`--output ${output} is a file this command reads; write the report somewhere else`);
    }
  }
}

function realPathOf(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}
