/**
 * The time model building and the rules may take on one file (`fileBudgetMs`). Checked between phases and
 * between rules, so a pathological file (a 20,000-term expression, a huge generated table) ends the work on
 * that file, is reported as not analysed, and the scan goes on to write its output.
 *
 * The clock starts after parsing (parsers are linear; the budget guards the analysis). A file is over
 * budget only when both the wall-clock time and the process's CPU time since the start exceed it: on a
 * loaded machine (a CI runner shared with other jobs) wall-clock time alone would cut ordinary large files.
 */
import { performance } from 'perf_hooks';

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Hears what the file's check is doing (`building the code model`, `running the rule weak-hash`). The
 * checks between phases cannot stop one rule that never returns; a watchdog on another thread can, and
 * this says it what to name when it does (server/src/lsp/document-worker-client.ts).
 */
export type PhaseListener = (phase: string) => void;

export class FileBudget {
  private started?: { wall: number; cpu: number };

  constructor(
    readonly limitMs: number,
    private readonly onPhase?: PhaseListener,
  ) {}

  /** Starts the clock (once: a later call does nothing). */
  start(): void {
    if (this.started) return;
    this.started = { wall: performance.now(), cpu: cpuMs() };
    this.enter('building the code model');
  }

  /** The check moves on to `phase`. */
  enter(phase: string): void {
    this.onPhase?.(phase);
  }

  /**
   * Wall-clock milliseconds left before the work on the file is stopped outright (interrupt.ts): three
   * times the budget plus a second from the start, so that on a loaded machine, where wall-clock time runs
   * well ahead of CPU time, the checks between rules (which ask for both) stop ordinary work first.
   */
  untilHardStop(): number {
    const elapsed = this.started ? performance.now() - this.started.wall : 0;
    return Math.max(1, this.hardStopMs() - elapsed);
  }

  hardStopMs(): number {
    return 3 * this.limitMs + 1000;
  }

  spent(): boolean {
    if (!this.started) return false;
    return performance.now() - this.started.wall > this.limitMs && cpuMs() - this.started.cpu > this.limitMs;
  }

  /** The note for a file that ran out of time during `phase`. */
  reason(phase: string): string {
    const limit = this.limitMs >= 1000 ? `${this.limitMs / 1000} s` : `${this.limitMs} ms`;
    return `not analysed: it exceeded the ${limit} per-file budget while ${phase}; raise fileBudgetMs in .medsec.json to analyse it`;
  }
}
