/**
 * What a worker thread checking a file tells the thread that watches it, and when the watcher stops it.
 * Shared by the CLI's scan workers (scan-pool.ts) and the language server's document worker
 * (lsp/document-worker-client.ts), so both stop a stuck check on the same verdict.
 *
 * The per-file budget is checked between phases and between rules, and the rules run under a hard limit
 * (interrupt.ts); what neither reaches (a model builder stuck on one file, a parser that never returns) only
 * a watcher on another thread can end, by ending the worker thread.
 */
import { FileBudget } from '../file-budget';
import { cpuMsOfThread, threadCpuMs } from '../thread-cpu';

/** Parsing is linear, but a parser stuck on input it was never meant for must not hold the worker for ever. */
export const PARSE_LIMIT_MS = 60_000;

/**
 * Shared memory the worker writes and the watching thread reads without waiting for the worker's event
 * loop (which a slow rule blocks): when the current check's analysis started, and what it is doing; and the
 * worker thread's kernel id with its CPU time when the analysis started, so the watcher can judge the
 * check by the work it did (thread-cpu.ts), not by wall-clock time on a loaded machine.
 */
export class WorkerProgress {
  static readonly PHASE_BYTES = 256;
  private readonly times: Float64Array;
  private readonly counters: Int32Array;
  private readonly phase: Uint8Array;

  /** The watcher creates the shared memory (no `buffer`); the worker wraps the one it was given. */
  constructor(shared?: SharedArrayBuffer) {
    this.buffer = shared ?? new SharedArrayBuffer(24 + 12 + WorkerProgress.PHASE_BYTES);
    // times: [analysis start (ms since the epoch), the thread's CPU ms then, check start (ms since the epoch)];
    // counters: [phase length, thread id, the check's id].
    this.times = new Float64Array(this.buffer, 0, 3);
    this.counters = new Int32Array(this.buffer, 24, 3);
    this.phase = new Uint8Array(this.buffer, 36, WorkerProgress.PHASE_BYTES);
    // No check under way until the worker begins one: a fresh worker must not pass for one stuck on check 0.
    if (!shared) this.counters[2] = -1;
  }

  readonly buffer: SharedArrayBuffer;

  /** Worker: the thread's kernel id (thread-cpu.ts kernelThreadId), once; 0 where there is none. */
  setThread(tid: number | undefined): void {
    Atomics.store(this.counters, 1, tid ?? 0);
  }

  /** Worker: the check `id` (the caller's name for it, ≥ 0) begins; no analysis yet. */
  beginCheck(id = 0): void {
    this.times[0] = 0;
    this.times[2] = Date.now();
    this.setPhase('parsing');
    Atomics.store(this.counters, 2, id);
  }

  /** Worker: the check is over; until the next one begins, nothing of it is left for the watcher to judge. */
  endCheck(): void {
    Atomics.store(this.counters, 2, -1);
    this.times[0] = 0;
    this.setPhase('');
  }

  /** Watcher: the id of the check under way; -1 between checks. */
  checkId(): number {
    return Atomics.load(this.counters, 2);
  }

  /** Watcher: when the check under way began (ms since the epoch). */
  checkStarted(): number {
    return this.times[2];
  }

  /** Worker: the check entered `phase`; the first phase after parsing starts the analysis clocks. */
  enter(phase: string): void {
    if (this.times[0] === 0 && phase !== 'parsing') {
      this.times[1] = threadCpuMs();
      this.times[0] = Date.now();
    }
    this.setPhase(phase);
  }

  /** Watcher: when the current check's analysis started (ms since the epoch), 0 while still parsing. */
  analysisStarted(): number {
    return this.times[0];
  }

  /** Watcher: the worker thread's CPU milliseconds since the analysis started; undefined where unknown. */
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

/**
 * Whether the check in flight since `checkStarted` (ms since the epoch) is so far over `budget` that its
 * worker must be ended. While parsing: past the parse limit plus the budget. Once the analysis started: a
 * second past the hard stop when the worker thread has done more than the budget's CPU time (or its CPU time
 * cannot be read); a check that has not is running on a loaded machine, and the worker has extended its own
 * hard stop to the ceiling (core/check.ts), so it is stopped only a second past that.
 */
export function checkOverdue(progress: WorkerProgress, budget: FileBudget, checkStarted: number, now: number): boolean {
  const analysisStarted = progress.analysisStarted();
  if (analysisStarted <= 0) return now - checkStarted > PARSE_LIMIT_MS + budget.limitMs;
  const elapsedMs = now - analysisStarted;
  if (elapsedMs > budget.ceilingMs() + 1000) return true;
  if (elapsedMs <= budget.hardStopMs() + 1000) return false;
  const cpu = progress.analysisCpuMs();
  return cpu === undefined || cpu > budget.limitMs;
}

/** The phase a stopped check was in, for its note (`budget.reason`). */
export function stoppedPhase(progress: WorkerProgress): string {
  return `${progress.currentPhase() || 'parsing'}, and its check was stopped`;
}
