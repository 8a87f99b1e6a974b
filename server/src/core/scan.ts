/**
 * A whole scan: discover the files, check each one, collect the results.
 *
 * The per-file step (`checkDiscoveredFile`) depends only on its inputs, so larger scans run it on worker
 * threads (pool/scan-pool.ts): each worker rebuilds the same rules from the same config data and the registry
 * its entry script supplies. Results are in discovery order (sorted by path) however the work was scheduled.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { ScanCache } from './cache-scan';
import { checkFile, checkFiles, type CheckRequest } from './check';
import { discoverFiles, ruleReads, type DiscoveredFile } from './discover';
import type { PhaseListener } from './file-budget';
import type { FileOutcome } from './file-outcome';
import { NestedConfigs, type NestedConfigLoader } from './nested-config';
import { configSetup, ruleSetSignature } from './pool/protocol';
import { bundledWorkerScript, startPool, WorkerStartupError, type PoolHandle } from './pool/scan-pool';
import { inShard, type Shard } from './pool/shard';
import { keyContainerSource } from './key-container';
import { ReadAhead, readFile, type FileRead } from './read-ahead';
import { decodeSource, looksBinary, looksLikeText } from './text';
import type { FileResult, ResolvedConfig, ScanResult } from './types';
import { resolveProjectFacts } from './project-facts';
import { ProjectRoots } from './project-roots';

export interface ScanOptions {
  root: string;
  /** Files and folders to scan, relative to the current directory; the root when empty. */
  paths: string[];
  /** The root's configuration: its `.medsec.json`, the one given with `--config`, or the built-in preset. */
  config: ResolvedConfig;
  /**
   * Loads the `.medsec.json` files of folders below the root, each of which then governs its folder
   * (nested-config.ts). Without it, `config` governs every file (as with `--config`).
   */
  loadNested?: NestedConfigLoader;
  onProgress?: (done: number, total: number, path: string) => void;
  /** Threads for the checks, this one among them (default: `os.availableParallelism()`); 1 checks in-process. */
  workers?: number;
  /** Only the files of this shard (`--shard i/n`); see pool/shard.ts. */
  shard?: Shard;
  /** Read through links whose real path leaves the root (`--follow-symlinks`; see discover.ts). */
  followSymlinks?: boolean;
  /** The worker bundle; default: scan-worker.js next to the running bundle (none under the TS sources). */
  workerScript?: string;
  /** Results of earlier scans (cache-scan.ts): files whose entry still holds are not checked again. */
  cache?: ScanCache;
}

/**
 * Unless the caller asks for workers (`--jobs N`), a scan of less source than this stays in-process: each
 * worker pays its own start-up (about 0.3 CPU-s to load the 2.2 MB scan-worker bundle and rebuild the
 * configuration, 0.3 more for TypeScript's front end when it checks JS/TS files) and warms its own JIT, which
 * only pays off once the checking itself takes longer.
 */
const POOL_MIN_BYTES = 2_000_000;

export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const { config } = options;
  const configs = new NestedConfigs(config, options.loadNested);
  const discovery = await discoverFiles(options.root, options.paths, config, configs, {
    followSymlinks: options.followSymlinks,
    seenBefore: options.cache?.seenBefore,
    recordWalk: !!options.cache,
    ownFolder: options.cache?.folder,
  });
  if (options.cache) options.cache.walk = discovery.walk;
  const nested = configs.nested();
  const discovered = discovery.files.filter((file) => inShard(file.relativePath, options.shard));
  const skipped = discovery.skipped.filter((entry) => inShard(entry.path, options.shard));
  const outcomes = new Array<FileOutcome | undefined>(discovered.length);
  const total = discovered.length;
  let done = 0;
  const record = (index: number, outcome: FileOutcome): void => {
    outcomes[index] = outcome;
    options.onProgress?.(++done, total, discovered[index].relativePath);
  };

  options.cache?.governBy(configs);
  options.cache?.recordHits(discovered, record);
  const toCheck = discovered.flatMap((_, index) => (outcomes[index] ? [] : [index]));
  const byWorkers: number[] = [];
  const pool = await startWorkers(options, configs, toCheck, discovered, (i, outcome) => {
    byWorkers.push(toCheck[i]);
    record(toCheck[i], outcome);
  });
  // This thread checks files too, from the end of the queue while the workers take from its front.
  const order = pool ? [...toCheck].reverse() : toCheck;
  // Read a batch ahead as well as the usual few, so the next batch's files are read while this one is checked.
  const reads = new ReadAhead(
    order.map((index) => discovered[index].path),
    BATCH_FILES + 8,
  );
  // Files are checked in batches, under one watchdog each (checkFiles); a file a worker took ends the loop.
  for (let i = 0, claimed = true; claimed && i < order.length;) {
    const batch: { index: number; file: DiscoveredFile; read: FileRead }[] = [];
    for (let bytes = 0; i < order.length && batch.length < BATCH_FILES && bytes < BATCH_BYTES; i++) {
      if (pool && !pool.claim(order.length - 1 - i)) {
        claimed = false;
        break;
      }
      const read = await reads.take(i);
      batch.push({ index: order[i], file: discovered[order[i]], read });
      bytes += 'bytes' in read ? read.bytes.length : 0;
    }
    const checked = await checkDiscoveredFiles(
      batch.map((b) => b.file),
      configs,
      batch.map((b) => b.read),
    );
    batch.forEach(({ index, file, read }, k) => {
      if ('bytes' in read) options.cache?.store(file, read.bytes, checked[k]);
      record(index, checked[k]);
    });
  }
  if (pool) {
    // Workers that cannot start are not worth failing the scan over: what they left is checked here.
    await pool.done.catch((error: unknown) => {
      if (!(error instanceof WorkerStartupError)) throw error;
    });
    for (const i of pool.unchecked()) record(toCheck[i], await checkDiscoveredFile(discovered[toCheck[i]], configs));
    await options.cache?.storeFromWorkers(discovered, byWorkers, outcomes);
  }

  const files: FileResult[] = [];
  for (const outcome of outcomes) {
    if (outcome?.kind === 'checked') files.push(outcome.result);
    else if (outcome) skipped.push(outcome.skipped);
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // The walk's listing of each folder answers "is this a project root?" without a stat per name and folder.
  const sameRoot = path.resolve(options.root) === path.resolve(config.root);
  const projects = new ProjectRoots(config.root, sameRoot ? discovery.projectFiles : undefined);
  for (const file of files)
    if (file.facts || file.findings.some((finding) => finding.unless || finding.when)) file.project = projects.of(file.path);
  return {
    root: config.root,
    // A shard sees part of each project: it keeps the conditions and the facts for `medsec merge` to resolve.
    files: options.shard ? files : resolveProjectFacts(files),
    skipped,
    config,
    ...(nested.length ? { nestedConfigs: nested } : {}),
    durationMs: Math.round(performance.now() - started),
    ...(options.shard ? { shard: options.shard } : {}),
  };
}

/**
 * Starts `workers - 1` worker threads on the files to check (this thread is the N-th), when workers are
 * asked for (`--jobs N`) or pay (defaultWorkers, worthWorkers); undefined when the scan stays in-process.
 */
async function startWorkers(
  options: ScanOptions,
  configs: NestedConfigs,
  toCheck: readonly number[],
  discovered: readonly DiscoveredFile[],
  onOutcome: (index: number, outcome: FileOutcome) => void,
): Promise<PoolHandle | undefined> {
  const workers = Math.min(options.workers ?? defaultWorkers(), toCheck.length);
  const script = workers > 1 ? (options.workerScript ?? bundledWorkerScript()) : undefined;
  const all = [configs.root, ...configs.nested()];
  if (!script || !all.every(rulesAreRebuildable)) return undefined;
  const files = toCheck.map((i) => discovered[i]);
  if (options.workers === undefined && !(await worthWorkers(files))) return undefined;
  const setup = { ...configSetup(configs.root), nested: configs.nested().map(configSetup), ruleSet: ruleSetSignature(all) };
  const budgetMs = (file: DiscoveredFile) => configs.budgetFor(file.path);
  return startPool(files, { script, size: workers - 1, setup, budgetMs, workersOnly: workerTestHookFiles() }, onOutcome);
}

/**
 * With MEDSEC_TEST_HOOKS=1, the files the scan worker's test hooks act on (pool/worker.ts) are left to the
 * workers, so tests of a worker crashing or stuck on a file do not depend on which thread got to it first.
 */
function workerTestHookFiles(): ((file: DiscoveredFile) => boolean) | undefined {
  if (process.env.MEDSEC_TEST_HOOKS !== '1') return undefined;
  const hooked = [process.env.MEDSEC_TEST_CRASH_ON, process.env.MEDSEC_TEST_HANG_ON];
  return (file) => hooked.includes(file.relativePath);
}

/**
 * Workers rebuild the config from its data and the registry their entry script supplies, so only rules of
 * the config's registry can be rebuilt there: custom rules (whose time budget is per process) stay in-process.
 * Whether the worker's registry is the config's one is the worker's to check (it compares `ruleSetSignature`
 * and refuses on a mismatch, such as tests' stand-in rules, and the scan then runs here).
 */
export function rulesAreRebuildable(config: ResolvedConfig): boolean {
  const registered = new Set(config.registry.rules);
  return config.enabledRules().every((effective) => registered.has(effective.rule));
}

/**
 * One thread per core (the main thread and cores - 1 workers), but no workers on two cores or fewer: V8's
 * compiler and collector threads already keep the second core busy, and a worker's start-up and JIT warm-up
 * cost 3-29% more CPU on the real corpora (bench/workers-bench.mjs), which a loaded 2-core machine pays in wall
 * time. `--jobs N` still forces them.
 */
function defaultWorkers(): number {
  const cores = os.availableParallelism();
  return cores <= 2 ? 1 : cores;
}

async function worthWorkers(files: readonly DiscoveredFile[]): Promise<boolean> {
  let bytes = 0;
  for (const file of files) {
    bytes += (await fs.promises.stat(file.path).catch(() => undefined))?.size ?? 0;
    if (bytes > POOL_MIN_BYTES) return true;
  }
  return false;
}

/**
 * A batch of the in-process scan: at most this many files or (past the first file) this much source, so the
 * batch's trees and models, alive together until its rules have run, stay small.
 */
const BATCH_FILES = 16;
const BATCH_BYTES = 512 * 1024;

/**
 * Reads (unless `read` holds the read already done) and checks one file. A file that vanished or turned
 * binary since discovery is skipped, not fatal. `onPhase` hears the phases of the budgeted work (checkFile).
 */
export async function checkDiscoveredFile(
  file: DiscoveredFile,
  configs: NestedConfigs,
  read?: FileRead,
  onPhase?: PhaseListener,
): Promise<FileOutcome> {
  const prepared = await prepareDiscoveredFile(file, configs, read);
  if (prepared.kind === 'skipped') return prepared;
  const { input, rules, budgetMs } = prepared.request;
  try {
    return { kind: 'checked', result: await checkFile(input, rules, budgetMs, onPhase) };
  } catch (error) {
    // The engine isolates rule failures itself; anything reaching here is a bug. Say which file hit it.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`while checking ${file.relativePath}: ${message}`, { cause: error });
  }
}

/** Checks files already read, as checkDiscoveredFile checks each, with one watchdog for the batch (checkFiles). */
async function checkDiscoveredFiles(
  files: readonly DiscoveredFile[],
  configs: NestedConfigs,
  reads: readonly FileRead[],
): Promise<FileOutcome[]> {
  const prepared = [];
  for (let k = 0; k < files.length; k++) prepared.push(await prepareDiscoveredFile(files[k], configs, reads[k]));
  const requests = prepared.flatMap((p) => (p.kind === 'request' ? [p.request] : []));
  // checkFiles names the file an error (a bug) came from.
  const results = (await checkFiles(requests)).values();
  return prepared.map((p) => (p.kind === 'skipped' ? p : { kind: 'checked', result: results.next().value! }));
}

/** What checking a discovered file takes (its text, rules and budget), or why it is skipped. */
async function prepareDiscoveredFile(
  file: DiscoveredFile,
  configs: NestedConfigs,
  read?: FileRead,
): Promise<Extract<FileOutcome, { kind: 'skipped' }> | { kind: 'request'; request: CheckRequest }> {
  const done = read ?? (await readFile(file.path));
  if (!('bytes' in done)) {
    return { kind: 'skipped', skipped: { path: file.relativePath, reason: `cannot read file (${done.error})` } };
  }
  const { bytes } = done;
  // A key container is checked as the one-line description of it (never its bytes); other binaries are skipped.
  const container = file.language === 'key-container' ? keyContainerSource(bytes) : undefined;
  if (looksBinary(bytes) && container === undefined) {
    return { kind: 'skipped', skipped: { path: file.relativePath, reason: 'binary file (NUL bytes in its first 8 KB)' } };
  }
  // Discovery takes a text format's name for granted; a file that is not text after all is left out here.
  if (file.language === 'text' && !looksLikeText(bytes)) {
    return { kind: 'skipped', skipped: { path: file.relativePath, reason: 'binary file (not text)' } };
  }
  const { text, invalidUtf8 } = container !== undefined ? { text: container, invalidUtf8: false } : decodeSource(bytes);
  try {
    // The configuration that governs the file (a nested .medsec.json or the root one) decides all three.
    const rules = configs.rulesFor(file.path).filter((effective) => ruleReads(effective, file.language));
    const testCode = configs.testCodeFor(file.path);
    const budgetMs = configs.budgetFor(file.path);
    const input = { path: file.path, relativePath: file.relativePath, text, language: file.language, invalidUtf8, testCode };
    return { kind: 'request', request: { input, rules, budgetMs } };
  } catch (error) {
    // Anything reaching here is a bug. Say which file hit it.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`while checking ${file.relativePath}: ${message}`, { cause: error });
  }
}
