/** `medsec baseline [paths..]`: record today's unsuppressed findings so `scan --baseline` reports only new ones. */
import * as path from 'path';
import { builtinRegistry } from '../../builtin-registry';
import { BASELINE_FILE_NAME, createBaseline, serializeBaseline } from '../../core/baseline';
import type { RuleRegistry } from '../../core/types';
import { toolVersion } from '../../core/version';
import { EXIT, UsageError } from '../errors';
import { fingerprintScan } from '../fingerprints';
import { sortedFindings } from '../format/results';
import { codeOf, whyNotWritable, writeAtomically } from '../safe-write';
import { filesRead, scanForCommand } from './scan';

export interface BaselineCommandOptions {
  output?: string;
  config?: string;
  /** `--follow-symlinks`: read through links that leave the root. */
  followSymlinks?: boolean;
}

export async function runBaselineCommand(
  paths: string[],
  options: BaselineCommandOptions,
  registry: RuleRegistry = builtinRegistry,
  out: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  const result = await scanForCommand(paths, options, registry);
  fingerprintScan(result);
  const baseline = createBaseline(sortedFindings(result), toolVersion());
  const file = path.resolve(options.output ?? BASELINE_FILE_NAME);
  // A committed `.medsec-baseline.json` may be a link to anywhere: it is refused, never written through.
  const unsafe = whyNotWritable(file);
  if (unsafe?.includes('symbolic link') || unsafe === 'it is not a regular file') {
    throw new UsageError(`will not write the baseline to ${file}: ${unsafe}; remove it or pass another --output`);
  }
  if (filesRead(result).some((read) => path.resolve(read) === file)) {
    throw new UsageError(`--output ${file} is a file this command reads; write the baseline somewhere else`);
  }
  try {
    writeAtomically(file, serializeBaseline(baseline));
  } catch (error) {
    throw new UsageError(`cannot write the baseline to ${file} (${codeOf(error)}); check that its folder exists and is writable`);
  }
  const suppressed = result.files.reduce((sum, f) => sum + f.findings.filter((finding) => finding.suppression).length, 0);
  out(
    `Wrote ${baseline.entries.length} baseline ${baseline.entries.length === 1 ? 'entry' : 'entries'} to ` +
      `${path.relative(process.cwd(), file) || file}` +
      `${suppressed ? ` (${suppressed} suppressed ${suppressed === 1 ? 'finding' : 'findings'} left out)` : ''}. ` +
      `Commit it and run \`medsec scan --baseline ${path.relative(process.cwd(), file) || file}\` to report only new findings.\n`,
  );
  return EXIT.ok;
}
