/**
 * The time one file may take to parse, model and check (`fileBudgetMs`). Checked between phases and between
 * rules, so a pathological file (a 20,000-term expression, a huge generated table) ends the work on that
 * file, is reported as not analysed, and the scan goes on to write its output.
 */
import { performance } from 'perf_hooks';

export class FileBudget {
  private readonly started = performance.now();

  constructor(readonly limitMs: number) {}

  spent(): boolean {
    return performance.now() - this.started > this.limitMs;
  }

  /** The note for a file that ran out of time during `phase`. */
  reason(phase: string): string {
    const limit = this.limitMs >= 1000 ? `${this.limitMs / 1000} s` : `${this.limitMs} ms`;
    return `not analysed: it exceeded the ${limit} per-file budget while ${phase}; raise fileBudgetMs in .medsec.json to analyse it`;
  }
}
