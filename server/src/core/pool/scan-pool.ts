/**
 * Checks files on worker threads, so a large scan uses every core. The pool pulls from one shared
 * queue: each worker holds at most two files (the one it checks and the next, so it never waits for a busy
 * main thread to hand it one), so one huge file never holds up a batch behind it. The caller's thread
 * may check files too, taking them from the other end of the queue (`claim`). Outcomes are reported by queue
 * index, so the caller's result order is the discovery order whatever the scheduling.
 *
 * A worker that dies (out of memory on one file, a crash in a WASM parser) costs only the file it was
 * checking: that file gets a note saying it was not analysed, the file queued behind it goes back to the
 * queue, a fresh worker takes over, and the scan goes on. A worker stuck on one file far past its budget is
 * ended the same way by the watchdog (worker-progress.ts). Workers that cannot even start, or that refuse
 * because they cannot rebuild the same rules, end the pool with a WorkerStartupError; the caller checks the
 * files that are left (`unchecked`) in-process.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { pushAll } from '../arrays';
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

/**
 * Files a worker holds at once: the one it checks and the next. One alone leaves the worker idle for as long
 * as the main thread takes to hear it finished (the main thread checks files too, a few ms each).
 */
const FILES_PER_WORKER = 2;

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
  /** Files the caller's thread may not `claim`: only a worker checks them (the test hooks' files). */
  workersOnly?: (file: DiscoveredFile) => boolean;
}

/** A run of the pool over a queue of files, which the caller's thread may share (`claim`). */
export interface PoolHandle {
  /**
   * The caller's thread takes the file at `index` to check itself: true unless a worker already has it. Call
   * with decreasing indexes from the end of the queue; workers take from the front.
   */
  claim(index: number): boolean;
  /** Settles when the workers have nothing left to check; rejects with a WorkerStartupError when they cannot start. */
  readonly done: Promise<void>;
  /** After `done`: the files neither a worker nor the caller checked (the run ended early). */
  unchecked(): number[];
}

/** Checks every file on worker threads; `onOutcome(index, outcome)` fires once per file, in completion order. */
export function checkInWorkers(
  files: readonly DiscoveredFile[],
  options: PoolOptions,
  onOutcome: (index: number, outcome: FileOutcome) => void,
): Promise<void> {
  return startPool(files, options, onOutcome).done;
}

/** Starts workers on `files`; the caller may check some of them itself (`PoolHandle.claim`). */
export function startPool(
  files: readonly DiscoveredFile[],
  options: PoolOptions,
  onOutcome: (index: number, outcome: FileOutcome) => void,
): PoolHandle {
  let run!: PoolRun;
  const done = new Promise<void>((resolve, reject) => {
    run = new PoolRun(files, options, onOutcome, (error) => (error ? reject(error) : resolve()));
  });
  // The caller may await `done` only after checking its own files: a rejection before then is not unhandled.
  done.catch(() => undefined);
  run.start();
  return { claim: (index) => run.claim(index), done, unchecked: () => run.unchecked() };
}

/** One worker thread of a run, and the files it holds. */
interface PoolWorker {
  thread: Worker;
  /** What it is doing, read by the watchdog without waiting for the worker's event loop. */
  progress: WorkerProgress;
  /** It said it is ready: it started, so a later death is about a file, not about starting. */
  ready: boolean;
  /** Retired or dead: its later events are ignored. */
  gone: boolean;
  /** The queue indexes of the files handed to it, in order: the first is the one it is checking. */
  held: number[];
}

/** One pool run: the shared queue, the live workers and how the run ends. */
class PoolRun {
  /** Workers take from `next` on, the caller's thread from `end` down. */
  private next = 0;
  private end: number;
  /** Files handed to a worker that died before it got to them: handed out again first. */
  private readonly requeued: number[] = [];
  private readonly completed = new Set<number>();
  private settled = false;
  private startupFailures = 0;
  private readonly workers = new Set<PoolWorker>();
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly files: readonly DiscoveredFile[],
    private readonly options: PoolOptions,
    private readonly onOutcome: (index: number, outcome: FileOutcome) => void,
    private readonly settle: (error?: Error) => void,
  ) {
    this.end = files.length;
  }

  start(): void {
    if (this.files.length === 0) return this.finish();
    for (let i = 0; i < Math.max(1, Math.min(this.options.size, this.files.length)); i++) this.spawn();
    if (this.options.budgetMs) this.watchdog = setInterval(() => this.watch(), WATCH_INTERVAL_MS);
  }

  claim(index: number): boolean {
    // Also once the run has ended: when workers could not start, the caller checks what they left.
    if (index < this.next || index >= this.end || this.options.workersOnly?.(this.files[index])) return false;
    this.end = index;
    this.finishWhenDrained();
    return true;
  }

  unchecked(): number[] {
    const left = [...this.requeued];
    for (let index = this.next; index < this.end; index++) left.push(index);
    for (const worker of this.workers) pushAll(left, worker.held);
    return left.filter((index) => !this.completed.has(index));
  }

  private finish(error?: Error): void {
    if (this.settled) return;
    this.settled = true;
    clearInterval(this.watchdog);
    for (const worker of this.workers) void worker.thread.terminate();
    this.settle(error);
  }

  private complete(index: number, outcome: FileOutcome): void {
    this.completed.add(index);
    this.onOutcome(index, outcome);
  }

  /** Nothing queued and nothing held: the workers are done. */
  private finishWhenDrained(): void {
    if (this.requeued.length > 0 || this.next < this.end) return;
    for (const worker of this.workers) if (worker.held.length > 0) return;
    this.finish();
  }

  private spawn(): void {
    const { script, setup, maxHeapMb } = this.options;
    const progress = new WorkerProgress();
    const workerData: WorkerData = { setup, progress: progress.buffer };
    const thread = new Worker(script, {
      workerData,
      ...(maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } } : {}),
    });
    const worker: PoolWorker = { thread, progress, ready: false, gone: false, held: [] };
    this.workers.add(worker);
    thread.on('message', (message: FromWorker) => this.receive(worker, message));
    thread.on('error', (error: Error & { code?: string }) => this.died(worker, describeWorkerError(error)));
    thread.on('exit', (code) => this.died(worker, `the worker exited with code ${code}`));
  }

  private receive(worker: PoolWorker, message: FromWorker): void {
    if (worker.gone) return;
    if (message.type === 'refused') return this.finish(new WorkerStartupError(message.reason));
    if (message.type === 'ready') {
      worker.ready = true;
      this.startupFailures = 0;
      return this.dispatch(worker);
    }
    // A worker checks its files in the order handed out, so an answer is about the first it holds.
    if (message.id !== worker.held[0]) return;
    worker.held.shift();
    if (message.type === 'failed') return this.finish(new Error(message.message));
    this.complete(message.id, message.outcome);
    this.dispatch(worker);
  }

  /** Tops the worker up to its files from the queue, retires it when it has none left, ends the run when all are done. */
  private dispatch(worker: PoolWorker): void {
    if (this.settled) return;
    if (this.options.stop?.()) return this.finish();
    while (worker.held.length < FILES_PER_WORKER) {
      const id = this.requeued.shift() ?? (this.next < this.end ? this.next++ : undefined);
      if (id === undefined) break;
      worker.held.push(id);
      const message: ToWorker = { type: 'check', id, file: this.files[id] };
      worker.thread.postMessage(message);
    }
    if (worker.held.length === 0) this.retire(worker);
    this.finishWhenDrained();
  }

  private retire(worker: PoolWorker): void {
    worker.gone = true;
    this.workers.delete(worker);
    void worker.thread.terminate();
  }

  /**
   * A worker is gone with files in hand: the one it was checking is reported as not analysed (`note`), the
   * others (one it finished whose answer was lost with it, one not begun) go back to the queue, and a fresh
   * worker takes over while there is work left.
   */
  private replace(worker: PoolWorker, notAnalysed: string, note: string): void {
    // The file it was on, as its progress says: the answer about the file before may not have arrived before its death.
    const onFile = worker.held.indexOf(worker.progress.checkId());
    const checking = worker.held[Math.max(0, onFile)];
    const queued = worker.held.filter((index) => index !== checking);
    worker.held = [];
    // Handed out again first, in their order.
    for (let i = queued.length - 1; i >= 0; i--) this.requeued.unshift(queued[i]);
    if (checking !== undefined) this.complete(checking, notAnalysedOutcome(this.files[checking], notAnalysed, note));
    if (this.settled) return;
    if (this.requeued.length > 0 || this.next < this.end) this.spawn();
    else this.finishWhenDrained();
  }

  /**
   * Ends each worker stuck on a file far past its budget (a model builder or parser that never returns, which
   * the budget's checks between phases and the rules' hard stop cannot reach).
   */
  private watch(): void {
    const now = Date.now();
    for (const worker of [...this.workers]) {
      const index = worker.held[0];
      // The worker may have moved on to its next file before its answer about this one arrived.
      if (this.settled || index === undefined || worker.progress.checkId() !== index || worker.progress.checkStarted() <= 0) continue;
      const limitMs = this.options.budgetMs?.(this.files[index]);
      if (!limitMs) continue;
      const budget = new FileBudget(limitMs);
      if (!checkOverdue(worker.progress, budget, worker.progress.checkStarted(), now)) continue;
      const reason = budget.reason(stoppedPhase(worker.progress));
      this.retire(worker);
      this.replace(worker, reason, reason);
    }
  }

  /** A worker died: its file is reported as not analysed and a fresh worker takes over, unless workers cannot start at all. */
  private died(worker: PoolWorker, reason: string): void {
    if (worker.gone) return;
    worker.gone = true;
    this.workers.delete(worker);
    if (this.settled) return;
    if (!worker.ready) {
      if (++this.startupFailures >= MAX_STARTUP_FAILURES) return this.finish(new WorkerStartupError(reason));
    } else {
      this.startupFailures = 0;
    }
    const crashed = `could not be analysed: the scan worker crashed on this file (${reason})`;
    this.replace(worker, crashed, `${crashed}; the other files were scanned`);
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
