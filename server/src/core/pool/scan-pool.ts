/**
 * Checks files on worker threads, so a large scan uses every core. The pool pulls from one shared
 * queue: a worker gets its next file only when it has finished the last one, so one huge file never
 * holds up a batch behind it. Outcomes are reported by queue index, so the caller's result order is the
 * discovery order whatever the scheduling.
 *
 * A worker that dies (out of memory on one file, a crash in a WASM parser) costs only the file it was
 * checking: that file gets a note saying it was not analysed, a fresh worker takes over, and the scan
 * goes on. Workers that cannot even start, or that refuse because they cannot rebuild the same rules, end
 * the pool with a WorkerStartupError; the caller checks the files that are left in-process.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { DiscoveredFile } from '../discover';
import type { FileOutcome } from '../file-outcome';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';

/** The worker bundle's file name; scripts/build.mjs writes it next to each bundle that scans. */
export const WORKER_SCRIPT_NAME = 'scan-worker.js';

/** Workers that die before they are ready, in a row, before the pool gives up. */
const MAX_STARTUP_FAILURES = 3;

export class WorkerStartupError extends Error {
  constructor(reason: string) {
    super(`scan workers could not start (${reason})`);
    this.name = 'WorkerStartupError';
  }
}

/**
 * The worker script next to the running bundle (dist/cli.js → dist/scan-worker.js). Undefined when
 * running from TypeScript sources (tests), where there is no bundle: the scan then runs in-process.
 */
export function bundledWorkerScript(): string | undefined {
  const candidate = path.join(__dirname, WORKER_SCRIPT_NAME);
  return fs.existsSync(candidate) ? candidate : undefined;
}

export interface PoolOptions {
  script: string;
  setup: WorkerSetup;
  /** Worker threads to run (at most one per file). */
  size: number;
  /** Per-worker old-generation heap limit; a file that needs more ends only that worker. */
  maxHeapMb?: number;
}

/** Checks every file on worker threads; `onOutcome(index, outcome)` fires once per file, in completion order. */
export function checkInWorkers(files: readonly DiscoveredFile[], options: PoolOptions, onOutcome: (index: number, outcome: FileOutcome) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (files.length === 0) return resolve();
    let next = 0;
    let finished = 0;
    let settled = false;
    let startupFailures = 0;
    const live = new Set<Worker>();

    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      for (const worker of live) void worker.terminate();
      live.clear();
      if (error) reject(error);
      else resolve();
    };
    const complete = (index: number, outcome: FileOutcome): void => {
      onOutcome(index, outcome);
      if (++finished === files.length) finish();
    };

    const spawn = (): void => {
      const worker = new Worker(options.script, {
        workerData: options.setup,
        ...(options.maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb } } : {}),
      });
      live.add(worker);
      let ready = false;
      let gone = false;
      let current: number | undefined;

      const retire = (): void => {
        gone = true;
        live.delete(worker);
        void worker.terminate();
      };
      const dispatch = (): void => {
        if (settled) return;
        if (next >= files.length) return retire();
        current = next++;
        const message: ToWorker = { type: 'check', id: current, file: files[current] };
        worker.postMessage(message);
      };
      const died = (reason: string): void => {
        if (gone) return;
        gone = true;
        live.delete(worker);
        if (settled) return;
        if (!ready) {
          startupFailures++;
          if (startupFailures >= MAX_STARTUP_FAILURES) return finish(new WorkerStartupError(reason));
        } else {
          startupFailures = 0;
        }
        if (current !== undefined) {
          const index = current;
          current = undefined;
          complete(index, crashedOutcome(files[index], reason));
        }
        if (!settled && next < files.length) spawn();
      };

      worker.on('message', (message: FromWorker) => {
        if (message.type === 'refused') return finish(new WorkerStartupError(message.reason));
        if (message.type === 'ready') {
          ready = true;
          startupFailures = 0;
          return dispatch();
        }
        if (message.id !== current) return;
        current = undefined;
        if (message.type === 'failed') return finish(new Error(message.message));
        complete(message.id, message.outcome);
        dispatch();
      });
      worker.on('error', (error: Error & { code?: string }) => died(describeWorkerError(error)));
      worker.on('exit', (code) => died(`the worker exited with code ${code}`));
    };

    for (let i = 0; i < Math.max(1, Math.min(options.size, files.length)); i++) spawn();
  });
}

function describeWorkerError(error: Error & { code?: string }): string {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') return 'it ran out of memory';
  return error.message.split('\n')[0];
}

/** The result for a file whose worker died: no findings, and a note that it was not analysed. */
function crashedOutcome(file: DiscoveredFile, reason: string): FileOutcome {
  return {
    kind: 'checked',
    result: {
      path: file.relativePath,
      language: file.language,
      findings: [],
      ruleFailures: [],
      notes: [`could not be analysed: the scan worker crashed on this file (${reason}); the other files were scanned`],
      lines: 0,
    },
  };
}
