/**
 * What the scan pool and its workers say to each other. Everything here crosses a thread boundary by
 * structured clone, so it is plain data: no functions, no class instances (FileResult, Finding and Fix
 * are plain objects by design; test/pool.test.ts checks it).
 */
import { createHash } from 'crypto';
import type { DiscoveredFile } from '../discover';
import type { FileOutcome } from '../file-outcome';
import type { ResolvedConfig } from '../types';

/** The inputs `resolveConfig` took in the main thread for one configuration. */
export interface ConfigSetup {
  root: string;
  /** The config file the settings came from; undefined for the built-in default. */
  source?: string;
  /** The parsed configuration (ResolvedConfig.raw). */
  raw: unknown;
}

/**
 * How a worker rebuilds the scan's configurations: the root's and the nested ones (nested-config.ts),
 * with the registry the worker's entry script supplies. `ruleSet` is the main thread's `ruleSetSignature`
 * of them all: a worker whose rebuilt rules differ refuses to check anything.
 */
export interface WorkerSetup extends ConfigSetup {
  nested?: ConfigSetup[];
  ruleSet: string;
}

/** A scan worker's `workerData`: its setup, and the shared memory it reports its progress in (worker-progress.ts). */
export interface WorkerData {
  setup: WorkerSetup;
  progress: SharedArrayBuffer;
}

export function configSetup(config: ResolvedConfig): ConfigSetup {
  return { root: config.root, source: config.source, raw: config.raw };
}

export type ToWorker = { type: 'check'; id: number; file: DiscoveredFile };

export type FromWorker =
  | { type: 'ready' }
  /** The worker could not rebuild the same rules (another registry, a config it cannot load): check in-process. */
  | { type: 'refused'; reason: string }
  | { type: 'done'; id: number; outcome: FileOutcome }
  /** checkDiscoveredFile threw: a bug, reported as it would be without workers. */
  | { type: 'failed'; id: number; message: string };

/**
 * What identifies configurations' rules across threads: each enabled rule's metadata, severity and options,
 * per configuration. Rule objects cannot be compared across threads; a stand-in rule differs from the real
 * one in its metadata.
 */
export function ruleSetSignature(configs: readonly ResolvedConfig[]): string {
  const rules = configs.map((config) =>
    config.enabledRules().map((effective) => [effective.rule.meta, effective.severity, effective.options]),
  );
  return createHash('sha256').update(JSON.stringify(rules)).digest('hex');
}
