/**
 * What the language server's main thread and its document worker say to each other. The worker owns the
 * engine's work on open documents (parse, code model, rules) so the main thread's event loop stays free to
 * answer requests while a pathological document is analysed. Everything here crosses the thread boundary
 * by structured clone: plain data only.
 */
import type { CheckInput } from '../core/check';
import type { ConfigSetup } from '../core/pool/protocol';
import { cpuMsOfThread, threadCpuMs } from '../core/thread-cpu';
import type { FileResult, LanguageId } from '../core/types';
import type { TreeEdit } from './incremental';

/** A configuration the worker rebuilds once and then refers to by `configId`. */
export interface WorkerConfig extends ConfigSetup {
  /** Where its `extends` may read (the workspace folder), as on the main thread. */
  workspaceRoot: string;
  /** The main thread's `ruleSetSignature([config])`: a worker that rebuilds other rules refuses to check. */
  ruleSet: string;
}

export interface CheckRequest {
  /** The document (its URI), whose tree the worker keeps between checks; absent for a one-off check. */
  document?: string;
  configId: number;
  input: CheckInput;
  /** Edits since the text of the document's previous check, for re-parsing its kept tree incrementally. */
  edits: TreeEdit[] | 'reset';
}

export type ToDocumentWorker =
  | { type: 'config'; configId: number; config: WorkerConfig }
  | { type: 'check'; id: number; request: CheckRequest }
  /** The document closed: free its tree. */
  | { type: 'forget'; document: string };

export interface CheckReply {
  result: FileResult;
  /** What the file was parsed as (a .h file may turn out to be C++). */
  language: LanguageId;
  /** Lines on which a comment starts. */
  commentLines: number[];
  parseMs: number;
  rulesMs: number;
  ruleCosts: [ruleId: string, ms: number][];
  /** The documents whose trees the worker keeps after this check (`medsec/stats`). */
  trees: string[];
  /** The worker's JS heap and buffers after this check, in bytes (`medsec/stats`). */
  memory: WorkerMemory;
}

export interface WorkerMemory {
  heapUsed: number;
  heapTotal: number;
  /** ArrayBuffers; not tree-sitter's WebAssembly memory, which process.memoryUsage() does not count. */
  arrayBuffers: number;
}

export type FromDocumentWorker =
  | { type: 'done'; id: number; reply: CheckReply }
  /** The check threw (a bug, or a configuration the worker cannot rebuild): the document is not checked. */
  | { type: 'failed'; id: number; message: string };

/**
 * Shared memory the worker writes and the main thread reads without waiting for the worker's event loop
 * (which a slow rule blocks): when the current check's analysis started, and what it is doing; and the
 * worker thread's kernel id with its CPU time when the analysis started, so the watchdog can judge the
 * check by the work it did (core/thread-cpu.ts), not by wall-clock time on a loaded machine.
 */
export class WorkerProgress {
  static readonly PHASE_BYTES = 256;
  private readonly times: Float64Array;
  private readonly counters: Int32Array;
  private readonly phase: Uint8Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(16 + 8 + WorkerProgress.PHASE_BYTES)) {
    // times: [analysis start (ms since the epoch), the thread's CPU ms then]; counters: [phase length, thread id].
    this.times = new Float64Array(buffer, 0, 2);
    this.counters = new Int32Array(buffer, 16, 2);
    this.phase = new Uint8Array(buffer, 24, WorkerProgress.PHASE_BYTES);
  }

  /** Worker: the thread's kernel id (thread-cpu.ts kernelThreadId), once; 0 where there is none. */
  setThread(tid: number | undefined): void {
    Atomics.store(this.counters, 1, tid ?? 0);
  }

  /** Worker: a check begins (no analysis yet). */
  beginCheck(): void {
    this.times[0] = 0;
    this.setPhase('parsing');
  }

  /** Worker: the check entered `phase`; the first phase after parsing starts the analysis clocks. */
  enter(phase: string): void {
    if (this.times[0] === 0 && phase !== 'parsing') {
      this.times[1] = threadCpuMs();
      this.times[0] = Date.now();
    }
    this.setPhase(phase);
  }

  /** Main thread: when the current check's analysis started (ms since the epoch), 0 while still parsing. */
  analysisStarted(): number {
    return this.times[0];
  }

  /** Main thread: the worker thread's CPU milliseconds since the analysis started; undefined where unknown. */
  analysisCpuMs(): number | undefined {
    const tid = Atomics.load(this.counters, 1);
    const now = tid > 0 && this.times[0] > 0 ? cpuMsOfThread(tid) : undefined;
    return now === undefined ? undefined : now - this.times[1];
  }

  currentPhase(): string {
    const length = Atomics.load(this.counters, 0);
    return new TextDecoder().decode(this.phase.slice(0, length));
  }

  private setPhase(phase: string): void {
    const { written } = new TextEncoder().encodeInto(phase, this.phase);
    Atomics.store(this.counters, 0, written);
  }
}
