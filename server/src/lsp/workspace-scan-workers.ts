/**
 * Scan Workspace checks its files on the scan pool's worker threads (core/pool), as the CLI does, so the
 * language server's own thread only discovers files and publishes results: requests, edits and the open
 * documents' checks are answered while a large workspace is scanned. Where workers cannot be used (no
 * bundle, as under the TypeScript sources; rules a worker cannot rebuild, such as a configuration the
 * editor's settings changed) the caller checks the files in-process, between which it yields.
 */
import type { DiscoveredFile } from '../core/discover';
import type { FileOutcome } from '../core/file-outcome';
import type { NestedConfigs } from '../core/nested-config';
import { configSetup, ruleSetSignature } from '../core/pool/protocol';
import { bundledWorkerScript, checkInWorkers, WorkerStartupError } from '../core/pool/scan-pool';
import { rulesAreRebuildable } from '../core/scan';

/**
 * One worker: the server's thread stays free whatever the core count, and a second worker would compete
 * with the document worker that checks the open editors.
 */
const SCAN_WORKERS = 1;

/**
 * Checks `files` (all governed by `configs`) on a worker thread; `onOutcome` gets each file's outcome as it
 * comes. Resolves with the files it did not check: all of them when workers are unavailable or refuse the
 * configuration, none otherwise (a stopped run leaves the rest unchecked on purpose: see `stop`).
 */
export async function checkOffThread(
  files: readonly DiscoveredFile[],
  configs: NestedConfigs,
  stop: () => boolean,
  onOutcome: (file: DiscoveredFile, outcome: FileOutcome) => Promise<void> | void,
): Promise<DiscoveredFile[]> {
  const script = bundledWorkerScript();
  const all = [configs.root, ...configs.nested()];
  if (!script || files.length === 0 || !all.every(rulesAreRebuildable)) return [...files];
  const done = new Set<number>();
  const pending: Promise<void>[] = [];
  try {
    const setup = { ...configSetup(configs.root), nested: configs.nested().map(configSetup), ruleSet: ruleSetSignature(all) };
    await checkInWorkers(
      files,
      { script, size: SCAN_WORKERS, setup, stop, budgetMs: (file) => configs.budgetFor(file.path) },
      (index, outcome) => {
        done.add(index);
        pending.push(Promise.resolve(onOutcome(files[index], outcome)));
      },
    );
  } catch (error) {
    if (!(error instanceof WorkerStartupError)) throw error;
  }
  await Promise.all(pending);
  return stop() ? [] : files.filter((_, index) => !done.has(index));
}
