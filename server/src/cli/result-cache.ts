/**
 * `medsec scan`'s result cache (where it lives and whether it is on: cache-location.ts). Besides each file's
 * result it keeps the scan index of the last whole-tree scan (scan-index.ts), which the next unchanged
 * re-scan replays without the engine. Saving is best effort: a cache that cannot be written costs the next
 * scan its speed, never this scan its result.
 */
import * as fs from 'fs';
import { ResultCache } from '../core/cache';
import { ScanCache } from '../core/cache-scan';
import { fileStorage } from '../core/cache-storage';
import { countFacts, serializeFactCounts } from '../core/fact-counts';
import { configFilesRead } from '../core/config';
import { trustedStamp } from '../core/file-stamp';
import type { ResolvedConfig, RuleMeta, ScanResult } from '../core/types';
import type { WalkRecord } from '../core/walk-record';
import { cacheLocation, type CacheOptions } from './cache-location';
import type { ScanAsked, ScanIndex } from './scan-index';

export { scanAsked } from './scan-index';

export type { CacheOptions } from './cache-location';

export interface OpenedCache {
  scanCache: ScanCache;
  /** The cache itself: its scan index and counted project facts, for the incremental re-scan (incremental.ts). */
  results: ResultCache;
  /**
   * Writes what the scan learned. `asked` when the scan covered the whole tree: vanished files are then
   * forgotten, and the result (fingerprinted, no baseline applied) becomes the scan index.
   */
  save(result: ScanResult, asked: ScanAsked | undefined): void;
}

/** `startedAt`: when the command started, before it read any configuration (see `indexOf`). */
export function openResultCache(root: string, config: ResolvedConfig, options: CacheOptions, startedAt: number): OpenedCache | undefined {
  const location = cacheLocation(root, options);
  if (!location) return undefined;
  if (location.refused) {
    process.stderr.write(`medsec: not using the result cache in ${location.folder}: ${location.refused}\n`);
    return undefined;
  }
  const results = ResultCache.open(fileStorage(location.file), location.build);
  if (results.damaged) process.stderr.write(`medsec: the result cache in ${location.folder} was damaged; checking every file again\n`);
  const scanCache = new ScanCache(results, config);
  scanCache.folder = location.folder;
  return {
    scanCache,
    results,
    save: (result, asked) => {
      if (asked) {
        results.retainOnly(new Set(result.files.map((file) => file.path)));
        const index = indexOf(result, asked, scanCache, startedAt);
        results.setIndex(index as unknown as Record<string, unknown> | undefined);
        if (!index) results.setFacts(undefined);
        else if (typeof scanCache.factCounts === 'string') results.setFacts(scanCache.factCounts);
        else results.setFacts(serializeFactCounts(scanCache.factCounts ?? countFacts(result.files)));
      }
      try {
        results.save();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        process.stderr.write(
          `medsec: could not write the result cache in ${location.folder} (${code}); the next scan will check every file again\n`,
        );
      }
    },
  };
}

/**
 * The scan index of a whole-tree scan, or undefined when it could not be replayed soundly: an unreadable
 * folder, a link, `.gitignore` or configuration changed too recently for its stamp to be trusted, a result
 * that is not in the cache (a rule failure, a file over its time budget), a configuration extending an npm
 * package. A scanned file changed too recently is vouched for by the hash of the bytes its result is of
 * (`#hash`), which a replay compares. Configuration files are stamped now but trusted only if unchanged
 * since `startedAt`, before they were read.
 */
function indexOf(result: ScanResult, asked: ScanAsked, scanCache: ScanCache, startedAt: number): ScanIndex | undefined {
  const walk = scanCache.walk;
  if (!walk || walk.unsettled || walk.links.some(([, state]) => state === '')) return undefined;
  const files = filesVouchedFor(walk, scanCache.resultHashes);
  if (!files) return undefined;
  if (result.files.some((file) => file.notAnalysed || file.ruleFailures.length > 0)) return undefined;
  const configFiles: [string, string][] = [];
  for (const config of [result.config, ...(result.nestedConfigs ?? [])]) {
    const files = configFilesRead(config);
    if (!files) return undefined;
    for (const file of files) {
      const stats = fs.statSync(file, { throwIfNoEntry: false });
      const stamp = stats && trustedStamp(stats, startedAt);
      if (!stamp) return undefined;
      configFiles.push([file, stamp]);
    }
  }
  const index: ScanIndex = {
    asked,
    configFiles,
    folders: walk.folders,
    files,
    links: walk.links,
    ...expiryOf(result),
    ...(result.nestedConfigs?.length ? { nested: true as const } : {}),
    rules: rulesNamed(result),
    configSource: result.config.source ?? null,
    // Facts and project folders have been resolved into the findings; the formats read neither.
    results: result.files.map(({ facts: _facts, project: _project, ...file }) => file),
    skipped: result.skipped,
  };
  return index;
}

/** The walk's probed files, each by its stamp or, for a scanned file with none to trust, `#` and its content hash. */
function filesVouchedFor(walk: WalkRecord, resultHashes: ReadonlyMap<string, string>): [string, string][] | undefined {
  const files: [string, string][] = [];
  for (const [file, stamp] of walk.files) {
    const vouch = stamp || (resultHashes.has(file) ? `#${resultHashes.get(file)}` : undefined);
    if (!vouch) return undefined;
    files.push([file, vouch]);
  }
  return files;
}

function expiryOf(result: ScanResult): { expires?: string } {
  let earliest: string | undefined;
  for (const file of result.files)
    for (const finding of file.findings) {
      const until = finding.suppression?.until;
      if (until && (!earliest || until < earliest)) earliest = until;
    }
  return earliest ? { expires: earliest } : {};
}

function rulesNamed(result: ScanResult): Record<string, Pick<RuleMeta, 'cwe' | 'fda'>> {
  const named = new Set(result.files.flatMap((file) => file.findings.map((finding) => finding.ruleId)));
  const rules: Record<string, Pick<RuleMeta, 'cwe' | 'fda'>> = {};
  for (const rule of result.config.registry.rules)
    if (named.has(rule.meta.id)) rules[rule.meta.id] = { cwe: rule.meta.cwe, fda: rule.meta.fda };
  return rules;
}
