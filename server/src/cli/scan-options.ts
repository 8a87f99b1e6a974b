/**
 * The `scan` command's arguments and options, defined once: for the full CLI (main.ts) and for the warm
 * re-scan (warm.ts), which must read a command line exactly as the full CLI would. Light (no engine).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseShard, type Shard } from '../core/pool/shard';
import type { FailOn } from './format/results';

export const SCAN_FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown', 'html'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];
export const FAIL_ON_LEVELS: readonly FailOn[] = ['critical', 'high', 'medium', 'low', 'none'];

export interface ScanCommandOptions {
  format: ScanFormat;
  output?: string;
  config?: string;
  failOn: FailOn;
  /** Accepted findings (`medsec baseline`): only findings not in it are reported and counted. */
  baseline?: string;
  /** Scan only files changed since this git ref (plus untracked files). */
  changedSince?: string;
  /** With --changed-since: report only findings on added or changed lines. */
  changedLinesOnly?: boolean;
  /** Threads that check files, the main one among them (`--jobs N`; 1 = in-process); default: one per core. */
  jobs?: number;
  /** `--follow-symlinks`: read through links whose real path leaves the root. */
  followSymlinks?: boolean;
  /** `--shard i/n`: scan only this shard of the files (for a CI matrix; `medsec merge` joins the SARIF). */
  shard?: Shard;
  /** `--cache` / `--no-cache`; default: on in a git working tree (see result-cache.ts). */
  cache?: boolean;
  /** `--cache-dir`: where the result cache lives (inside the root); default `.medsec-cache/` at the root. */
  cacheDir?: string;
}

export const CONFIG_OPTION = ['--config <file>', 'configuration file (default: the nearest .medsec.json)'] as const;
export const FOLLOW_SYMLINKS_OPTION = [
  '--follow-symlinks',
  'read through symbolic links that lead out of the scanned folder (never written through)',
] as const;

/** Adds the `scan` command, with its arguments and options, to `program`; the caller adds the action. */
export function defineScanCommand(program: Command): Command {
  return program
    .command('scan')
    .description('scan files and folders (default: the current folder)')
    .argument('[paths...]', 'files and folders to scan')
    .addOption(new Option('--format <format>', 'output format').choices(SCAN_FORMATS).default('text'))
    .option('--output <file>', 'write the report to this file instead of stdout')
    .option(...CONFIG_OPTION)
    .addOption(
      new Option('--fail-on <severity>', 'exit with 1 when a finding is at or above this severity').choices(FAIL_ON_LEVELS).default('high'),
    )
    .option('--baseline <file>', 'report only findings not in this baseline (see `medsec baseline`)')
    .option(...FOLLOW_SYMLINKS_OPTION)
    .option('--changed-since <git-ref>', 'scan only files changed since this git ref, plus untracked files')
    .option('--changed-lines-only', 'with --changed-since: report only findings on added or changed lines')
    .option('--jobs <n>', 'threads that check files, the main one among them (default: one per core; 1 = no workers)', parseJobs)
    .option('--shard <i/n>', 'scan only shard i of n (a stable split by path, for CI matrices; join with `medsec merge`)', parseShardOption)
    .option('--cache', 'reuse the results of unchanged files from earlier scans (default in a git working tree)')
    .option('--no-cache', 'check every file; neither read nor write the result cache')
    .option('--cache-dir <dir>', 'where the result cache lives, inside the scanned root (default: .medsec-cache)');
}

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(jobs) || jobs < 1) {
    throw new InvalidArgumentError('expected a whole number of worker threads, 1 or more.');
  }
  return jobs;
}

function parseShardOption(value: string) {
  try {
    return parseShard(value);
  } catch {
    throw new InvalidArgumentError('expected i/n with 1 <= i <= n, such as 2/4.');
  }
}
