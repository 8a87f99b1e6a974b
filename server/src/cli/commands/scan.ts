/** `medsec scan [paths..]`: load the config, scan, write one format, and say whether to fail the build. */
import * as fs from 'fs';
import * as path from 'path';
import { builtinRules } from '../../../../rules/index';
import { findConfigRoot, loadConfig } from '../../core/config';
import { scan } from '../../core/scan';
import type { Rule, ScanResult } from '../../core/types';
import { toolVersion } from '../../core/version';
import { EXIT, UsageError } from '../errors';
import { formatJson } from '../format/json';
import { countAtOrAbove, summarize, type FailOn } from '../format/results';
import { formatSarif } from '../format/sarif';
import { formatText } from '../format/text';
import { Progress, styleFor } from '../terminal';

export const SCAN_FORMATS = ['text', 'json', 'sarif'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];
export const FAIL_ON_LEVELS: readonly FailOn[] = ['critical', 'high', 'medium', 'low', 'none'];

export interface ScanCommandOptions {
  format: ScanFormat;
  output?: string;
  config?: string;
  failOn: FailOn;
}

export async function runScanCommand(paths: string[], options: ScanCommandOptions): Promise<number> {
  const root = chooseRoot(paths, options.config);
  const config = loadConfig(root, options.config);
  // stdout carries only the report; the counter goes to stderr, and only when someone watches it.
  const showProgress = !!process.stderr.isTTY && (options.format === 'text' || !!options.output);
  const progress = showProgress ? new Progress(process.stderr) : undefined;
  let result: ScanResult;
  try {
    result = await scan({ root, paths, config, onProgress: progress && ((done, total, file) => progress.update(done, total, file)) });
  } finally {
    progress?.clear();
  }

  const report = render(result, options);
  if (options.output) {
    try {
      fs.writeFileSync(options.output, report);
    } catch (error) {
      throw new UsageError(`cannot write --output ${options.output} (${(error as NodeJS.ErrnoException).code ?? String(error)}); check that its folder exists and is writable`);
    }
  } else {
    process.stdout.write(report);
  }
  return countAtOrAbove(summarize(result), options.failOn) > 0 ? EXIT.findings : EXIT.ok;
}

function render(result: ScanResult, options: ScanCommandOptions): string {
  const rulesById = new Map<string, Rule>(builtinRules.map((rule) => [rule.meta.id, rule]));
  switch (options.format) {
    case 'json':
      return formatJson(result, { name: 'medsec', version: toolVersion() }, rulesById);
    case 'sarif':
      return formatSarif(result, { toolVersion: toolVersion(), enabledRules: result.config.enabledRules(), rulesById });
    case 'text':
      return formatText(result, options.output ? styleFor({}) : styleFor(process.stdout));
  }
}

/**
 * The folder that config globs and output paths are relative to: the folder of `--config` or of the
 * nearest `.medsec.json` above the first path, when it holds every path; otherwise the current folder
 * when it holds every path; otherwise the first path's folder.
 */
export function chooseRoot(paths: string[], configPath?: string): string {
  const cwd = process.cwd();
  const targets = (paths.length > 0 ? paths : [cwd]).map((target) => path.resolve(target));
  const contains = (folder: string) => targets.every((target) => {
    const relative = path.relative(folder, target);
    return !relative.startsWith('..') && !path.isAbsolute(relative);
  });
  const configRoot = configPath ? path.dirname(path.resolve(configPath)) : findConfigRoot(targets[0]);
  if (configRoot && contains(configRoot)) return configRoot;
  if (contains(cwd)) return cwd;
  const first = targets[0];
  return fs.existsSync(first) && fs.statSync(first).isDirectory() ? first : path.dirname(first);
}
