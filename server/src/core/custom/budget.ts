/**
 * The time budget of one custom rule on one file. Matching code calls `tick()` between matches; past the
 * budget it throws, the rule is disabled for the rest of the run, and the runner reports a rule failure
 * while the other rules' results still arrive. Single regex calls are bounded by running them on one
 * string, comment, identifier or line at a time, never on the whole file.
 */
import { performance } from 'perf_hooks';

/**
 * The process's CPU time: a rule is over budget only when both wall-clock and CPU time are past it, so a
 * loaded machine (a thread waiting for a core) does not disable a rule for the run. Not the thread's own
 * clock (thread-cpu.ts): a budget starts per rule and file, and reading the process's costs about a
 * microsecond against tens for the thread's; custom rules run in-process (scan.ts keeps them off the scan
 * workers), and the process's CPU time is never below the thread's, so it can only stop a rule sooner.
 */
function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

const wallMs = () => performance.now();
let clock: () => number = wallMs;
let cpuClock: () => number = processCpuMs;

/**
 * Test-only: replace the clocks (deterministic budget tests); `undefined` restores the real ones. `cpu`
 * defaults to `fake` itself: time that passes is time spent working.
 */
export function setCustomRuleClockForTests(fake: (() => number) | undefined, cpu?: () => number): void {
  clock = fake ?? wallMs;
  cpuClock = cpu ?? fake ?? processCpuMs;
}

export class BudgetExceeded extends Error {}

export class Budget {
  private readonly deadline: number;
  private readonly cpuDeadline: number;
  constructor(
    readonly ruleId: string,
    readonly limitMs: number,
    readonly path: string,
  ) {
    this.deadline = clock() + limitMs;
    this.cpuDeadline = cpuClock() + limitMs;
  }

  /** Wall-clock time first: the CPU clock is read only once that is past. */
  expired(): boolean {
    return clock() > this.deadline && cpuClock() > this.cpuDeadline;
  }

  tick(): void {
    if (this.expired()) {
      throw new BudgetExceeded(`${this.ruleId} exceeded its ${this.limitMs} ms budget on ${this.path} and was disabled for this run`);
    }
  }
}
