/** Where a command's report goes: the `--output` file, or stdout. */
import * as fs from 'fs';
import { UsageError } from './errors';

export function writeReport(report: string, output: string | undefined): void {
  if (!output) {
    process.stdout.write(report);
    return;
  }
  try {
    fs.writeFileSync(output, report);
  } catch (error) {
    throw new UsageError(
      `cannot write --output ${output} (${(error as NodeJS.ErrnoException).code ?? String(error)}); check that its ` +
        `folder exists and is writable`,
    );
  }
}
