/** `medsec baseline [paths..]`: record today's unsuppressed findings so `scan --baseline` reports only new ones. */
import * as fs from 'fs';
import * as path from 'path';
import { builtinRegistry } from '../../builtin-registry';
import { BASELINE_FILE_NAME, createBaseline, serializeBaseline } from '../../core/baseline';
import { loadConfig } from '../../core/config';
import { scan } from '../../core/scan';
import type { RuleRegistry } from '../../core/types';
import { toolVersion } from '../../core/version';
import { EXIT, UsageError } from '../errors';
import { fingerprintScan } from '../fingerprints';
import { sortedFindings } from '../format/results';
import { chooseRoot } from './scan';

export interface BaselineCommandOptions {
  output?: string;
  config?: string;
}

export async function runBaselineCommand(
  paths: string[],
  options: BaselineCommandOptions,
  registry: RuleRegistry = builtinRegistry,
  out: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  const root = chooseRoot(paths, options.config);
  const config = loadConfig(root, options.config, { registry });
  const result = await scan({ root, paths, config });
  fingerprintScan(result);
  const baseline = createBaseline(sortedFindings(result), toolVersion());
  const file = path.resolve(options.output ?? BASELINE_FILE_NAME);
  try {
    fs.writeFileSync(file, serializeBaseline(baseline));
  } catch (error) {
    throw new UsageError(
      `cannot write the baseline to ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); check that ` +
        `its folder exists and is writable`,
    );
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
