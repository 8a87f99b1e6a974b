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
import { FileBudget } from '../file-budget';
import type { FileOutcome } from '../file-outcome';
import type { FromWorker, ToWorker, WorkerData, WorkerSetup } from './protocol';
import { checkOverdue, stoppedPhase, WorkerProgress } from './worker-progress';

/** The worker bundle's file name; scripts/build.mjs writes it next to each bundle that scans. */
export const WORKER_SCRIPT_NAME = 'scan-worker.js';

/** Workers that die before they are ready, in a row, before the pool gives up. */
const MAX_STARTUP_FAILURES = 3;

/** How often the watchdog looks at the files in flight. */
const WATCH_INTERVAL_MS = 100;

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
  /** Asked before each file is handed out: true ends the run there (a cancelled scan); files not handed out get no outcome. */
  stop?: () => boolean;
  /**
   * The file's `fileBudgetMs` (from the configuration that governs it). A worker stuck on a file far past it is
   * ended by the watchdog (worker-progress.ts), the file reported as not analysed; without it, no watchdog.
   */
  budgetMs?: (file: DiscoveredFile) => number;
}

/** Checks every file on worker threads; `onOutcome(index, outcome)` fires once per file, in completion order. */
export function checkInWorkers(
  files: readonly DiscoveredFile[],
  options: PoolOptions,
  onOutcome: (index: number, outcome: FileOutcome) => void,
): Promise<void> {
  if (files.length === 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    new PoolRun(files, options, onOutcome, (error) => (error ? reject(error) : resolve())).start();
  });
}

/** One worker thread of a run, and the file it is checking. */
interface PoolWorker {
  thread: Worker;
  /** What it is doing, read by the watchdog without waiting for the worker's event loop. */
  progress: WorkerProgress;
  /** When it was handed its current file (ms since the epoch). */
  handedOut: number;
  /** It said it is ready: it started, so a later death is about a file, not about starting. */
  ready: boolean;
  /** Retired or dead: its later events are ignored. */
  gone: boolean;
  /** The queue index of the file it is checking. */
  current?: number;
}

/** One `checkInWorkers` call: the shared queue, the live workers and how the run ends. */
class PoolRun {
  private next = 0;
  private finished = 0;
  private settled = false;
  private startupFailures = 0;
  private readonly live = new Set<Worker>();
  private readonly workers = new Set<PoolWorker>();
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly files: readonly DiscoveredFile[],
    private readonly options: PoolOptions,
    private readonly onOutcome: (index: number, outcome: FileOutcome) => void,
    private readonly settle: (error?: Error) => void,
  ) {}

  start(): void {
    for (let i = 0; i < Math.max(1, Math.min(this.options.size, this.files.length)); i++) this.spawn();
    if (this.options.budgetMs) this.watchdog = setInterval(() => this.watch(), WATCH_INTERVAL_MS);
  }

  private finish(error?: Error): void {
    if (this.settled) return;
    this.settled = true;
    clearInterval(this.watchdog);
    for (const thread of this.live) void thread.terminate();
    this.live.clear();
    this.workers.clear();
    this.settle(error);
  }

  private complete(index: number, outcome: FileOutcome): void {
    this.onOutcome(index, outcome);
    if (++this.finished === this.files.length) this.finish();
  }

  private spawn(): void {
    const { script, setup, maxHeapMb } = this.options;
    const progress = new WorkerProgress();
    const workerData: WorkerData = { setup, progress: progress.buffer };
    const thread = new Worker(script, {
      workerData,
      ...(maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } } : {}),
    });
    this.live.add(thread);
    const worker: PoolWorker = { thread, progress, handedOut: 0, ready: false, gone: false };
    this.workers.add(worker);
    thread.on('message', (message: FromWorker) => this.receive(worker, message));
    thread.on('error', (error: Error & { code?: string }) => this.died(worker, describeWorkerError(error)));
    thread.on('exit', (code) => this.died(worker, `the worker exited with code ${code}`));
  }

  private receive(worker: PoolWorker, message: FromWorker): void {
    if (message.type === 'refused') return this.finish(new WorkerStartupError(message.reason));
    if (message.type === 'ready') {
      worker.ready = true;
      this.startupFailures = 0;
      return this.dispatch(worker);
    }
    if (message.id !== worker.current) return;
    worker.current = undefined;
    if (message.type === 'failed') return this.finish(new Error(message.message));
    this.complete(message.id, message.outcome);
    this.dispatch(worker);
  }

  /** Gives the worker the next file of the queue, or retires it when there is none. */
  private dispatch(worker: PoolWorker): void {
    if (this.settled) return;
    if (this.options.stop?.()) return this.finish();
    if (this.next >= this.files.length) return this.retire(worker);
    const id = this.next++;
    worker.current = id;
    worker.handedOut = Date.now();
    const message: ToWorker = { type: 'check', id, file: this.files[id] };
    worker.thread.postMessage(message);
  }

  private retire(worker: PoolWorker): void {
    worker.gone = true;
    this.live.delete(worker.thread);
    this.workers.delete(worker);
    void worker.thread.terminate();
  }

  /**
   * Ends each worker stuck on a file far past its budget (a model builder or parser that never returns, which
   * the budget's checks between phases and the rules' hard stop cannot reach): the file is reported as not
   * analysed with the phase it was stuck in, a fresh worker takes over, and the scan goes on.
   */
  private watch(): void {
    const now = Date.now();
    for (const worker of [...this.workers]) {
      const index = worker.current;
      if (this.settled || worker.gone || index === undefined) continue;
      const limitMs = this.options.budgetMs?.(this.files[index]);
      if (!limitMs) continue;
      const budget = new FileBudget(limitMs);
      if (!checkOverdue(worker.progress, budget, worker.handedOut, now)) continue;
      const reason = budget.reason(stoppedPhase(worker.progress));
      worker.current = undefined;
      this.retire(worker);
      this.complete(index, notAnalysedOutcome(this.files[index], reason, reason));
      if (!this.settled && this.next < this.files.length) this.spawn();
    }
  }

  /** A worker died: its file is reported as not analysed and a fresh worker takes over, unless workers cannot start at all. */
  private died(worker: PoolWorker, reason: string): void {
    if (worker.gone) return;
    worker.gone = true;
    this.live.delete(worker.thread);
    this.workers.delete(worker);
    if (this.settled) return;
    if (!worker.ready) {
      if (++this.startupFailures >= MAX_STARTUP_FAILURES) return this.finish(new WorkerStartupError(reason));
    } else {
      this.startupFailures = 0;
    }
    if (worker.current !== undefined) {
      const index = worker.current;
      worker.current = undefined;
      const crashed = `could not be analysed: the scan worker crashed on this file (${reason})`;
      this.complete(index, notAnalysedOutcome(this.files[index], crashed, `${crashed}; the other files were scanned`));
    }
    if (!this.settled && this.next < this.files.length) this.spawn();
  }
}

function describeWorkerError(error: Error & { code?: string }): string {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') return 'it ran out of memory';
  return error.message.split('\n')[0];
}

/** The result for a file whose worker died or was stopped: no findings, and the note that says why. */
function notAnalysedOutcome(file: DiscoveredFile, notAnalysed: string, note: string): FileOutcome {
  return {
    kind: 'checked',
    result: { path: file.relativePath, language: file.language, findings: [], ruleFailures: [], notes: [note], notAnalysed, lines: 0 },
  };
}
