/**
 * The main thread's side of the document worker (document-worker-loop.ts): sends it one check at a time,
 * with the configuration it refers to sent once per worker, and watches the check in flight.
 *
 * The per-file budget is checked between phases and between rules on the worker, and the rules run under
 * a hard limit there (core/interrupt.ts). What neither reaches (a model builder stuck on one file, a
 * parser that never returns) this watchdog does: it ends the worker thread a second after the hard limit
 * (measured from the end of parsing, as the budget is) when the worker thread's own CPU time is over the
 * budget, or a second after the ceiling whatever it is (core/pool/worker-progress.ts), reports the document as not analysed
 * with the phase it was stuck in, and the next check starts a fresh worker. A worker that dies (out of memory, a
 * crash in a WASM parser) costs the same.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import { FileBudget } from '../core/file-budget';
import { ruleSetSignature } from '../core/pool/protocol';
import { checkOverdue, stoppedPhase } from '../core/pool/worker-progress';
import type { ResolvedConfig } from '../core/types';
import { DOCUMENT_WORKER_YOUNG_GENERATION_MB } from './heap-policy';
import {
  WorkerProgress,
  type CheckReply,
  type CheckRequest,
  type FromDocumentWorker,
  type ToDocumentWorker,
  type WorkerMemory,
} from './document-worker-protocol';

export const DOCUMENT_WORKER_SCRIPT = 'document-worker.js';

/** How often the watchdog looks at the check in flight. */
const WATCH_INTERVAL_MS = 100;
/** Workers that die in a row before checking anything, after which the server stops starting them. */
const MAX_STARTUP_FAILURES = 3;

export type CheckOutcome =
  | { kind: 'done'; reply: CheckReply }
  /** Not analysed: over budget and stopped, or the worker died on it. */
  | { kind: 'stopped'; reason: string }
  /** The check threw, or no worker can start: a bug to log. */
  | { kind: 'failed'; message: string };

export interface DocumentCheck extends Omit<CheckRequest, 'configId'> {
  config: ResolvedConfig;
  workspaceRoot: string;
}

interface Pending {
  check: DocumentCheck;
  resolve: (outcome: CheckOutcome) => void;
}

interface RunningWorker {
  thread: Worker;
  progress: WorkerProgress;
  /** Configurations this thread was sent. */
  sent: Set<number>;
  /** It answered once: a later death is about a document, not about starting. */
  answered: boolean;
}

interface InFlight extends Pending {
  id: number;
  started: number;
  watch: NodeJS.Timeout;
}

export class DocumentWorkerClient {
  private worker?: RunningWorker;
  private readonly queue: Pending[] = [];
  private current?: InFlight;
  private nextId = 1;
  private readonly configIds = new WeakMap<ResolvedConfig, number>();
  private nextConfigId = 1;
  private startupFailures = 0;
  private startupProblem?: string;
  /** The documents whose trees the worker keeps, as of its last answer, less those closed since. */
  private held: string[] = [];
  /** The worker's memory as of its last answer; undefined while no worker runs. */
  private memory?: WorkerMemory;
  /** End the worker when its queue runs dry (releaseIdle); a new check cancels that. */
  private releaseWhenIdle = false;

  constructor(
    private readonly script = path.join(__dirname, DOCUMENT_WORKER_SCRIPT),
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  check(check: DocumentCheck): Promise<CheckOutcome> {
    this.releaseWhenIdle = false;
    return new Promise((resolve) => {
      this.queue.push({ check, resolve });
      this.dispatch();
    });
  }

  /** The document closed: its tree is freed (a worker busy on another document frees it afterwards). */
  forget(document: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].check.document !== document) continue;
      const [pending] = this.queue.splice(i, 1);
      pending.resolve({ kind: 'stopped', reason: 'the document closed' });
    }
    this.held = this.held.filter((held) => held !== document);
    this.worker?.thread.postMessage({ type: 'forget', document } satisfies ToDocumentWorker);
  }

  /**
   * The documents whose trees the worker keeps: known here, so a busy worker does not delay the answer.
   * An answer computed before a close arrived may still list the closed document; callers keep the open ones.
   */
  treesHeld(): readonly string[] {
    return this.held;
  }

  /** The running worker's memory as of its last answer (`medsec/stats`). */
  workerMemory(): WorkerMemory | undefined {
    return this.worker ? this.memory : undefined;
  }

  /**
   * Replaces the worker with a fresh one once it has nothing to do (no document is open any more): its JS
   * heap and tree-sitter's WebAssembly memory, which only grows, go back to the system with the thread,
   * and the next document opened does not wait for a thread to start.
   */
  releaseIdle(): void {
    this.releaseWhenIdle = true;
    this.dispatch();
  }

  dispose(): void {
    for (const pending of this.queue.splice(0)) pending.resolve({ kind: 'failed', message: 'the server is shutting down' });
    if (this.current) this.finish({ kind: 'failed', message: 'the server is shutting down' });
    void this.worker?.thread.terminate();
    this.worker = undefined;
  }

  private dispatch(): void {
    if (this.current) return;
    const next = this.queue.shift();
    if (!next) {
      if (this.releaseWhenIdle && this.worker) this.renew(this.worker);
      this.releaseWhenIdle = false;
      return;
    }
    if (this.startupProblem) {
      next.resolve({ kind: 'failed', message: this.startupProblem });
      return this.dispatch();
    }
    const worker = (this.worker ??= this.spawn());
    const configId = this.sendConfig(worker, next.check);
    const id = this.nextId++;
    const { document, input, edits } = next.check;
    const message: ToDocumentWorker = { type: 'check', id, request: { document, input, edits, configId } };
    const watch = setInterval(() => this.watch(), WATCH_INTERVAL_MS);
    this.current = { ...next, id, started: Date.now(), watch };
    worker.thread.postMessage(message);
  }

  private sendConfig(worker: RunningWorker, check: DocumentCheck): number {
    const { config, workspaceRoot } = check;
    let configId = this.configIds.get(config);
    if (configId === undefined) this.configIds.set(config, (configId = this.nextConfigId++));
    if (!worker.sent.has(configId)) {
      worker.sent.add(configId);
      const setup = { root: config.root, source: config.source, raw: config.raw, workspaceRoot, ruleSet: ruleSetSignature([config]) };
      worker.thread.postMessage({ type: 'config', configId, config: setup } satisfies ToDocumentWorker);
    }
    return configId;
  }

  private spawn(): RunningWorker {
    const progress = new WorkerProgress();
    const resourceLimits = { maxYoungGenerationSizeMb: DOCUMENT_WORKER_YOUNG_GENERATION_MB };
    const thread = new Worker(this.script, { workerData: progress.buffer, resourceLimits });
    const worker: RunningWorker = { thread, progress, sent: new Set(), answered: false };
    thread.on('message', (message: FromDocumentWorker) => this.receive(worker, message));
    thread.on('error', (error: Error & { code?: string }) => this.died(worker, describeWorkerError(error)));
    thread.on('exit', (code) => this.died(worker, `the document worker exited with code ${code}`));
    // An idle worker must not keep the server process alive after the client has gone.
    thread.unref();
    return worker;
  }

  private receive(worker: RunningWorker, message: FromDocumentWorker): void {
    worker.answered = true;
    this.startupFailures = 0;
    if (worker !== this.worker || message.id !== this.current?.id) return;
    if (message.type === 'done') {
      this.held = message.reply.trees;
      this.memory = message.reply.memory;
    }
    this.finish(message.type === 'done' ? { kind: 'done', reply: message.reply } : { kind: 'failed', message: message.message });
  }

  /** Stops the worker when the check in flight is far over its budget. */
  private watch(): void {
    const current = this.current;
    const worker = this.worker;
    if (!current || !worker) return;
    const budget = new FileBudget(current.check.config.fileBudgetMs);
    if (!checkOverdue(worker.progress, budget, current.started, Date.now())) return;
    const phase = worker.progress.currentPhase() || 'parsing';
    this.log(`medsec: stopped checking ${current.check.input.relativePath} while ${phase}: it ran far over its time budget`);
    this.retire(worker);
    this.finish({ kind: 'stopped', reason: budget.reason(stoppedPhase(worker.progress)) });
  }

  private died(worker: RunningWorker, reason: string): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.held = [];
    this.memory = undefined;
    if (!worker.answered && ++this.startupFailures >= MAX_STARTUP_FAILURES) {
      this.startupProblem = `the document worker cannot start (${reason})`;
      this.log(`medsec: ${this.startupProblem}; open documents are not checked`);
    }
    if (this.current) this.finish({ kind: 'stopped', reason: `could not be analysed: ${reason} while checking it` });
    else this.dispatch();
  }

  /** Starts a worker ahead of the first check, so that check does not wait for the thread and its bundle to load. */
  warmUp(): void {
    if (!this.startupProblem) this.worker ??= this.spawn();
  }

  private renew(worker: RunningWorker): void {
    this.retire(worker);
    this.warmUp();
  }

  private retire(worker: RunningWorker): void {
    if (this.worker === worker) this.worker = undefined;
    this.held = [];
    this.memory = undefined;
    void worker.thread.terminate();
  }

  private finish(outcome: CheckOutcome): void {
    const current = this.current;
    if (!current) return;
    clearInterval(current.watch);
    this.current = undefined;
    current.resolve(outcome);
    this.dispatch();
  }
}

function describeWorkerError(error: Error & { code?: string }): string {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') return 'the document worker ran out of memory';
  return `the document worker crashed (${error.message.split('\n')[0]})`;
}
