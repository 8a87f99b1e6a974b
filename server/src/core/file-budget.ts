/**
 * The time model building and the rules may take on one file (`fileBudgetMs`). Checked between phases and
 * between rules, so a pathological file (a 20,000-term expression, a huge generated table) ends the work on
 * that file, is reported as not analysed, and the scan goes on to write its output.
 *
 * The clock starts after parsing (parsers are linear; the budget guards the analysis). What the verdict rests
 * on is the work the file did: the checking thread's CPU time (thread-cpu.ts). A file is over budget only when
 * both the wall-clock time and that CPU time since the start exceed the budget: on a loaded machine (a CI
 * runner shared with other jobs) wall-clock time alone would cut ordinary files, and the process's CPU time
 * would count the other scan workers' files.
 */
import { performance } from 'perf_hooks';
import { threadCpuMs } from './thread-cpu';

/**
 * Hears what the file's check is doing (`building the code model`, `running the rule weak-hash`). The
 * checks between phases cannot stop one rule that never returns; a watchdog on another thread can, and
 * this says it what to name when it does (server/src/lsp/document-worker-client.ts).
 */
export type PhaseListener = (phase: string) => void;

/** The clocks a budget reads; tests hand in their own. */
export interface BudgetClock {
  wallMs(): number;
  /** The checking thread's CPU time. */
  cpuMs(): number;
}

const SYSTEM_CLOCK: BudgetClock = { wallMs: () => performance.now(), cpuMs: threadCpuMs };

export class FileBudget {
  private started?: { wall: number; cpu: number };
  /** While paused: the wall-clock and CPU time spent so far (checkFiles builds a batch's models, then runs their rules). */
  private paused?: { wall: number; cpu: number };
  private extended = false;

  constructor(
    readonly limitMs: number,
    private readonly onPhase?: PhaseListener,
    private readonly clock: BudgetClock = SYSTEM_CLOCK,
  ) {}

  /** Starts the clock (once: a later call does nothing). */
  start(): void {
    if (this.started) return;
    this.started = { wall: this.clock.wallMs(), cpu: this.clock.cpuMs() };
    this.enter('building the code model');
  }

  /**
   * Stops the clocks: the time until `resume` is another file's work, not this one's (a batch of files is
   * modelled first, and their rules run after; check.ts `checkFiles`).
   */
  pause(): void {
    if (!this.started || this.paused) return;
    this.paused = { wall: this.clock.wallMs() - this.started.wall, cpu: this.clock.cpuMs() - this.started.cpu };
  }

  /** Starts the clocks again where `pause` stopped them. */
  resume(): void {
    if (!this.paused) return;
    this.started = { wall: this.clock.wallMs() - this.paused.wall, cpu: this.clock.cpuMs() - this.paused.cpu };
    this.paused = undefined;
  }

  /** The check moves on to `phase`. */
  enter(phase: string): void {
    this.onPhase?.(phase);
  }

  /**
   * Wall-clock milliseconds left before the work on the file is stopped outright (interrupt.ts): first the
   * hard stop, then, once extended, the ceiling.
   */
  untilHardStop(): number {
    return Math.max(1, (this.extended ? this.ceilingMs() : this.hardStopMs()) - this.wallElapsed());
  }

  /** Whether the hard stop (or, once extended, the ceiling) has come: a cut now is this file's own. */
  atHardStop(): boolean {
    return this.untilHardStop() <= 1;
  }

  private wallElapsed(): number {
    if (this.paused) return this.paused.wall;
    return this.started ? this.clock.wallMs() - this.started.wall : 0;
  }

  private cpuElapsed(): number {
    if (this.paused) return this.paused.cpu;
    return this.started ? this.clock.cpuMs() - this.started.cpu : 0;
  }

  /**
   * Three times the budget plus a second from the start, so that on a loaded machine, where wall-clock time
   * runs well ahead of CPU time, the checks between rules (which ask for both) stop ordinary work first.
   */
  hardStopMs(): number {
    return 3 * this.limitMs + 1000;
  }

  /**
   * The wall-clock time after which the work on a file ends whatever its CPU time says: a file cut at the hard
   * stop while under its CPU budget (the machine was slow, not the file) gets until here, and a file whose work
   * is blocked rather than computing still ends.
   */
  ceilingMs(): number {
    return 4 * this.hardStopMs();
  }

  spent(): boolean {
    if (!this.started) return false;
    return this.wallElapsed() > this.limitMs && this.workSpent();
  }

  /** The file's own work, its thread's CPU time since the start, is over the budget. */
  workSpent(): boolean {
    return !!this.started && this.cpuElapsed() > this.limitMs;
  }

  /**
   * After the hard stop cut the work: moves the stop to the ceiling, once, when the file's own work is still
   * under the budget (the cut came from a loaded machine). False when the cut stands.
   */
  extend(): boolean {
    if (this.extended || this.workSpent()) return false;
    this.extended = true;
    return true;
  }

  /** The note for a file that ran out of time during `phase`. */
  reason(phase: string): string {
    const limit = this.limitMs >= 1000 ? `${this.limitMs / 1000} s` : `${this.limitMs} ms`;
    return `not analysed: it exceeded the ${limit} per-file budget while ${phase}; raise fileBudgetMs in .medsec.json to analyse it`;
  }
}
