/** `medsec scan [paths..]`: load the config, scan, write one format, and say whether to fail the build. */
import * as fs from 'fs';
import * as path from 'path';
import { builtinRegistry } from '../../builtin-registry';
import { customRulesOf, findConfigRoot, loadCheckedConfig, loadConfig } from '../../core/config';
import { enabledRulesOfScan, nestedConfigLoader } from '../../core/nested-config';
import type { Shard } from '../../core/pool/shard';
import { scan } from '../../core/scan';
import type { ResolvedConfig, Rule, RuleRegistry, ScanResult } from '../../core/types';
import { toolVersion } from '../../core/version';
import { EXIT, UsageError } from '../errors';
import { formatJson } from '../format/json';
import { formatJunit } from '../format/junit';
import { countAtOrAbove, summarize, type FailOn } from '../format/results';
import { formatSarif } from '../format/sarif';
import { formatText } from '../format/text';
import { collectInventory } from '../../inventory/collect';
import type { Inventory } from '../../inventory/types';
import { formatHtmlReport } from '../../report/html';
import { formatMarkdownReport } from '../../report/markdown';
import { openResultCache } from '../result-cache';
import { Progress, styleFor } from '../terminal';
import { writeReport } from '../write-report';
import { applyBaseline, changedScanPaths, emptyScan, restrictToChangedLines, type ChangedScan } from './scan-ci';

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
  /** Worker threads (`--jobs N`; 1 = in-process); default: one per core. */
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

export async function runScanCommand(paths: string[], options: ScanCommandOptions): Promise<number> {
  const root = chooseRoot(paths, options.config);
  const config = await loadCommandConfig(root, options.config, builtinRegistry);
  // stdout carries only the report; the counter goes to stderr, and only when someone watches it.
  const showProgress = !!process.stderr.isTTY && (options.format === 'text' || !!options.output);
  const progress = showProgress ? new Progress(process.stderr) : undefined;
  if (options.changedLinesOnly && !options.changedSince) throw new UsageError('--changed-lines-only needs --changed-since <git-ref>');
  const changed: ChangedScan | undefined = options.changedSince
    ? changedScanPaths(paths, root, config, options.changedSince, !!options.changedLinesOnly)
    : undefined;
  const scanPaths = changed ? changed.paths : paths;
  const cache = openResultCache(root, config, options);
  let result: ScanResult;
  try {
    result =
      changed && scanPaths.length === 0
        ? emptyScan(config)
        : await scan({
            root,
            paths: scanPaths,
            config,
            // A .medsec.json below the root governs its folder, unless --config names the one configuration.
            loadNested: options.config ? undefined : nestedConfigLoader({ registry: builtinRegistry }),
            workers: options.jobs,
            shard: options.shard,
            followSymlinks: options.followSymlinks,
            cache: cache?.scanCache,
            onProgress: progress && ((done, total, file) => progress.update(done, total, file)),
          });
  } finally {
    progress?.clear();
  }
  const wholeTree = !changed && !options.shard && (paths.length === 0 || paths.every((target) => path.resolve(target) === root));
  cache?.save(result, wholeTree);
  if (changed && options.changedLinesOnly) restrictToChangedLines(result, changed.changed);
  applyBaseline(result, options.baseline, scanPaths.length > 0 || changed ? scanPaths : [root]);

  // The evidence report carries the crypto and credential inventory, which needs the code models again.
  const inventory = options.format === 'markdown' || options.format === 'html' ? await collectInventory(result) : undefined;
  const report = render(result, options, inventory);
  writeReport(report, options.output, filesRead(result));
  return countAtOrAbove(summarize(result), options.failOn) > 0 ? EXIT.findings : EXIT.ok;
}

/** The sources and the configuration a scan read: `--output` must not replace any of them. */
export function filesRead(result: ScanResult): string[] {
  const files = result.files.map((file) => path.join(result.root, file.path));
  return result.config.source ? [...files, result.config.source] : files;
}

/**
 * The configuration, checked as loadCheckedConfig checks it. The tree-sitter grammars that checking needs
 * (for custom rules' queries and examples) are loaded only when there are custom rules: a scan loads the
 * grammars of the files it reads, not all five.
 */
/**
 * The configuration of a command that scans: checked (custom rules' examples parsed, their fixes verified to
 * parse) when it has custom rules, which needs the grammars loaded first; plain otherwise, which is cheaper.
 */
export async function loadCommandConfig(root: string, configPath: string | undefined, registry: RuleRegistry): Promise<ResolvedConfig> {
  const config = loadConfig(root, configPath, { registry });
  return customRulesOf(config).length > 0 ? loadCheckedConfig(root, configPath, { registry }) : config;
}

/** The scan that `baseline`, `fix` and `inventory` act on: the same root, configuration and files as `scan`. */
export async function scanForCommand(
  paths: string[],
  options: { config?: string; followSymlinks?: boolean },
  registry: RuleRegistry,
): Promise<ScanResult> {
  const root = chooseRoot(paths, options.config);
  const config = await loadCommandConfig(root, options.config, registry);
  const loadNested = options.config ? undefined : nestedConfigLoader({ registry });
  return scan({ root, paths, config, loadNested, followSymlinks: options.followSymlinks });
}

function render(result: ScanResult, options: ScanCommandOptions, inventory?: Inventory): string {
  const rulesById = new Map<string, Rule>(result.config.registry.rules.map((rule) => [rule.meta.id, rule]));
  switch (options.format) {
    case 'json':
      return formatJson(result, { name: 'medsec', version: toolVersion() }, rulesById);
    case 'sarif':
      return formatSarif(result, { toolVersion: toolVersion(), enabledRules: enabledRulesOfScan(result), rulesById });
    case 'junit':
      return formatJunit(result, { failOn: options.failOn, enabledRules: enabledRulesOfScan(result), rulesById });
    case 'markdown':
    case 'html': {
      const meta = {
        tool: { name: 'medsec', version: toolVersion() },
        date: new Date(),
        rulesById,
        inventory,
        command: `medsec ${process.argv.slice(2).join(' ')}`,
      };
      return options.format === 'html' ? formatHtmlReport(result, meta) : formatMarkdownReport(result, meta);
    }
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
  const contains = (folder: string) =>
    targets.every((target) => {
      const relative = path.relative(folder, target);
      return !relative.startsWith('..') && !path.isAbsolute(relative);
    });
  const configRoot = configPath ? path.dirname(path.resolve(configPath)) : findConfigRoot(targets[0]);
  if (configRoot && contains(configRoot)) return configRoot;
  if (contains(cwd)) return cwd;
  const first = targets[0];
  return fs.existsSync(first) && fs.statSync(first).isDirectory() ? first : path.dirname(first);
}
