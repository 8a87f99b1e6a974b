/** `medsec scan [paths..]`: load the config, scan, write one format, and say whether to fail the build. */
import * as path from 'path';
import { builtinRegistry } from '../../builtin-registry';
import { customRulesOf, loadCheckedConfig, loadConfig } from '../../core/config';
import { enabledRulesOfScan, nestedConfigLoader } from '../../core/nested-config';
import { scan } from '../../core/scan';
import type { ResolvedConfig, Rule, RuleRegistry, ScanResult } from '../../core/types';
import { toolVersion } from '../../core/version';
import { EXIT, UsageError } from '../errors';
import { formatJson } from '../format/json';
import { formatJunit } from '../format/junit';
import { countAtOrAbove, summarize } from '../format/results';
import { formatSarif } from '../format/sarif';
import { formatText } from '../format/text';
import { collectInventory } from '../../inventory/collect';
import type { Inventory } from '../../inventory/types';
import { formatHtmlReport } from '../../report/html';
import { formatMarkdownReport } from '../../report/markdown';
import { incrementalScan } from '../incremental';
import { openResultCache, scanAsked } from '../result-cache';
import { chooseRoot } from '../scan-root';
import { fingerprintScan } from '../fingerprints';
import { Progress, styleFor } from '../terminal';
import { writeReport } from '../write-report';
import { applyBaseline } from './apply-baseline';
import { changedScanPaths, emptyScan, restrictToChangedLines, type ChangedScan } from './scan-ci';

export { chooseRoot } from '../scan-root';

import type { ScanCommandOptions } from '../scan-options';

export { FAIL_ON_LEVELS, SCAN_FORMATS, type ScanCommandOptions, type ScanFormat } from '../scan-options';

export async function runScanCommand(paths: string[], options: ScanCommandOptions): Promise<number> {
  // Before any configuration is read: a configuration file changed after this is not trusted by its stamp.
  const startedAt = Date.now();
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
  const cache = openResultCache(root, config, options, startedAt);
  const wholeTree = !changed && !options.shard && (paths.length === 0 || paths.every((target) => path.resolve(target) === root));
  const asked = wholeTree ? scanAsked(root, options) : undefined;
  let result: ScanResult;
  try {
    // A whole-tree re-scan in which only some files changed checks just those (incremental.ts).
    const incremental = cache && asked && (await incrementalScan(config, cache.results, cache.scanCache, asked).catch(() => undefined));
    // Test-only (as in lsp/document-worker-loop.ts): which path answered, for tests that must know.
    if (incremental && process.env.MEDSEC_TEST_HOOKS === '1') process.stderr.write('medsec-test: incremental re-scan\n');
    result =
      changed && scanPaths.length === 0
        ? emptyScan(config)
        : incremental ||
          (await scan({
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
          }));
  } finally {
    progress?.clear();
  }
  // A whole-tree scan (never restricted to changed lines) is fingerprinted before it is saved: the scan
  // index keeps the fingerprints, so a replay need not read the files again.
  if (cache && wholeTree) fingerprintScan(result);
  cache?.save(result, asked);
  if (changed && options.changedLinesOnly) restrictToChangedLines(result, changed.changed);
  applyBaseline(result, options.baseline, scanPaths.length > 0 || changed ? scanPaths : [root]);

  // The evidence report carries the crypto and credential inventory, which needs the code models again.
  const inventory = options.format === 'markdown' || options.format === 'html' ? await collectInventory(result) : undefined;
  const report = render(result, options, inventory);
  writeReport(report, options.output, filesRead(result));
  const ignored = changed ? undefined : everyPathIgnored(paths, result);
  if (ignored) {
    // A CI job pointed at an ignored folder would otherwise pass having read nothing.
    process.stderr.write(`medsec: nothing was scanned: ${ignored}; name a folder that is not ignored, or scan from inside it\n`);
    return EXIT.usage;
  }
  return countAtOrAbove(summarize(result), options.failOn) > 0 ? EXIT.findings : EXIT.ok;
}

/** When the scan read no file because every path it was given is ignored: why, for the first of them. */
function everyPathIgnored(paths: string[], result: ScanResult): string | undefined {
  if (!paths.length || result.files.length) return undefined;
  const reasons = new Map(result.skipped.map((skipped) => [skipped.path, skipped.reason]));
  const named = paths.map((target) => path.relative(result.root, path.resolve(target)).split(path.sep).join('/'));
  if (!named.every((target) => reasons.get(target)?.startsWith('ignored by '))) return undefined;
  return `${named[0]} is ${reasons.get(named[0])}`;
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
