/**
 * What the scan pool and its workers say to each other. Everything here crosses a thread boundary by
 * structured clone, so it is plain data: no functions, no class instances (FileResult, Finding and Fix
 * are plain objects by design; test/pool.test.ts checks it).
 */
import { createHash } from 'crypto';
import type { DiscoveredFile } from '../discover';
import type { FileOutcome } from '../file-outcome';
import type { ResolvedConfig } from '../types';

/**
 * How a worker rebuilds the scan's configuration: the same inputs `resolveConfig` took in the main
 * thread, with the registry the worker's entry script supplies. `ruleSet` is the main thread's
 * `ruleSetSignature`: a worker whose rebuilt rules differ refuses to check anything.
 */
export interface WorkerSetup {
  root: string;
  /** The config file the settings came from; undefined for the built-in default. */
  source?: string;
  /** The parsed configuration (ResolvedConfig.raw). */
  raw: unknown;
  ruleSet: string;
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
 * What identifies a configuration's rules across threads: each enabled rule's metadata, severity and options.
 * Rule objects cannot be compared across threads; a stand-in rule differs from the real one in its metadata.
 */
export function ruleSetSignature(config: ResolvedConfig): string {
  const rules = config.enabledRules().map((effective) => [effective.rule.meta, effective.severity, effective.options]);
  return createHash('sha256').update(JSON.stringify(rules)).digest('hex');
}
