/**
 * What the scan pool and its workers say to each other. Everything here crosses a thread boundary by
 * structured clone, so it is plain data: no functions, no class instances (FileResult, Finding and Fix
 * are plain objects by design; test/pool.test.ts checks it).
 */
import type { DiscoveredFile } from '../discover';
import type { FileOutcome } from '../file-outcome';

/**
 * How a worker rebuilds the scan's configuration: the same inputs `resolveConfig` took in the main
 * thread. Rules come from the built-in index inside the worker, so only configs whose rules are all
 * built-in (or, later, declarative data in `raw`) can be checked in a worker.
 */
export interface WorkerSetup {
  root: string;
  /** The config file the settings came from; undefined for the built-in default. */
  source?: string;
  /** The parsed configuration (ResolvedConfig.raw). */
  raw: unknown;
}

export type ToWorker = { type: 'check'; id: number; file: DiscoveredFile };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; outcome: FileOutcome }
  /** checkDiscoveredFile threw: a bug, reported as it would be without workers. */
  | { type: 'failed'; id: number; message: string };
