/**
 * A whole scan: discover the files, check each one, collect the results.
 *
 * The per-file step (`checkDiscoveredFile`) depends only on its inputs, so a worker pool can replace the
 * loop in `scan` later: each worker gets the file and rebuilds the same rules from the same config.
 */
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { checkFile } from './check';
import { discoverFiles, ruleReads, type DiscoveredFile } from './discover';
import { decodeSource, looksBinary } from './text';
import type { EffectiveRule, FileResult, ResolvedConfig, ScanResult, SkippedFile } from './types';

export interface ScanOptions {
  root: string;
  /** Files and folders to scan, relative to the current directory; the root when empty. */
  paths: string[];
  config: ResolvedConfig;
  onProgress?: (done: number, total: number, path: string) => void;
}

export type FileOutcome = { kind: 'checked'; result: FileResult } | { kind: 'skipped'; skipped: SkippedFile };

export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const { config } = options;
  const discovery = await discoverFiles(options.root, options.paths, config);
  const files: FileResult[] = [];
  const skipped = [...discovery.skipped];
  const work = discovery.files.map((file) => ({ file, rules: config.rulesFor(file.relativePath).filter((effective) => ruleReads(effective, file.language)) }));
  const total = work.length;
  let done = 0;
  for (const { file, rules } of work) {
    const outcome = await checkDiscoveredFile(file, rules);
    if (outcome.kind === 'checked') files.push(outcome.result);
    else skipped.push(outcome.skipped);
    options.onProgress?.(++done, total, file.relativePath);
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root: config.root, files, skipped, config, durationMs: Math.round(performance.now() - started) };
}

/** Reads and checks one file. A file that vanished or turned binary since discovery is skipped, not fatal. */
export async function checkDiscoveredFile(file: DiscoveredFile, rules: EffectiveRule[]): Promise<FileOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.promises.readFile(file.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { kind: 'skipped', skipped: { path: file.relativePath, reason: `cannot read file (${code})` } };
  }
  if (looksBinary(bytes)) return { kind: 'skipped', skipped: { path: file.relativePath, reason: 'binary file (NUL bytes in its first 8 KB)' } };
  const { text, invalidUtf8 } = decodeSource(bytes);
  try {
    const result = await checkFile({ path: file.path, relativePath: file.relativePath, text, language: file.language, invalidUtf8 }, rules);
    return { kind: 'checked', result };
  } catch (error) {
    // The engine isolates rule failures itself; anything reaching here is a bug. Say which file hit it.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`while checking ${file.relativePath}: ${message}`, { cause: error });
  }
}
