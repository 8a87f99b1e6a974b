/**
 * The warm re-scan: `medsec scan` of a whole tree answered from the scan index (scan-index.ts) when nothing
 * it rested on changed, without loading the rules, the grammars, TypeScript or the engine. bin/medsec.js
 * tries it before the full CLI; undefined means "not answerable here", and the full CLI then runs the
 * command from the start: a changed file or configuration, another question (a shard, changed files only),
 * a format that needs the rules themselves (SARIF, JUnit, the evidence reports), and any usage error, which
 * the full CLI reports in its own words.
 */
import { Command } from 'commander';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { readCacheIndex } from '../core/cache-storage';
import { toolVersion } from '../core/version';
import { cacheLocation } from './cache-location';
import { applyBaseline } from './commands/apply-baseline';
import { EXIT } from './errors';
import { formatJson, type JsonRuleRefs } from './format/json';
import { countAtOrAbove, summarize, type ScanReport } from './format/results';
import { formatText } from './format/text';
import { readByIndex, replayable, scanAsked, type ScanIndex } from './scan-index';
import { defineScanCommand, type ScanCommandOptions } from './scan-options';
import { chooseRoot } from './scan-root';
import { styleFor } from './terminal';
import { writeReport } from './write-report';

/** The exit code of the scan `argv` asks for, answered from the scan index; undefined to run the full CLI. */
export function warmScan(argv: string[]): number | undefined {
  const started = performance.now();
  try {
    const command = parseScan(argv);
    return command && replay(command.paths, command.options, started);
  } catch {
    return undefined; // whatever went wrong, the full scan does it properly
  }
}

interface ScanCommand {
  paths: string[];
  options: ScanCommandOptions;
}

/** `argv` read as the full CLI reads it; undefined for anything else (help, an error, another command). */
function parseScan(argv: string[]): ScanCommand | undefined {
  let parsed: ScanCommand | undefined;
  const silent = { writeOut: () => {}, writeErr: () => {}, outputError: () => {} };
  const program = new Command('medsec').exitOverride().configureOutput(silent);
  defineScanCommand(program).action((paths: string[], options: ScanCommandOptions) => {
    parsed = { paths, options };
  });
  program.parse(argv);
  return parsed;
}

function replay(paths: string[], options: ScanCommandOptions, started: number): number | undefined {
  if (options.format !== 'json' && options.format !== 'text') return undefined;
  if (options.changedSince || options.changedLinesOnly || options.shard) return undefined;
  const root = chooseRoot(paths, options.config);
  if (!paths.every((target) => path.resolve(target) === root)) return undefined;
  const location = cacheLocation(root, options);
  if (location?.refused) return undefined; // the full CLI says why it scans without the cache
  const stored = location && readCacheIndex(location.file, location.build);
  const index = stored ? replayable(stored, scanAsked(root, options), location.folder) : undefined;
  if (!index) return undefined;
  const report: ScanReport = {
    root,
    files: index.results,
    skipped: index.skipped,
    config: index.configSource ? { source: index.configSource } : {},
    durationMs: Math.round(performance.now() - started),
  };
  applyBaseline(report, options.baseline, paths.length > 0 ? paths : [root]);
  writeReport(render(report, index, options), options.output, readByIndex(index));
  return countAtOrAbove(summarize(report), options.failOn) > 0 ? EXIT.findings : EXIT.ok;
}

function render(report: ScanReport, index: ScanIndex, options: ScanCommandOptions): string {
  if (options.format === 'text') return formatText(report, options.output ? styleFor({}) : styleFor(process.stdout));
  const rules: JsonRuleRefs = new Map(Object.entries(index.rules).map(([id, { cwe, fda }]) => [id, { meta: { id, cwe, fda } }]));
  return formatJson(report, { name: 'medsec', version: toolVersion() }, rules);
}
