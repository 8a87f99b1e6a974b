/**
 * The time budget of one custom rule on one file. Matching code calls `tick()` between matches; past the
 * budget it throws, the rule is disabled for the rest of the run, and the runner reports a rule failure
 * while the other rules' results still arrive. Single regex calls are bounded by running them on one
 * string, comment, identifier or line at a time, never on the whole file.
 */
import { performance } from 'perf_hooks';

let clock: () => number = () => performance.now();

/** Test-only: replace the clock (deterministic budget tests); `undefined` restores the real one. */
export function setCustomRuleClockForTests(fake: (() => number) | undefined): void {
  clock = fake ?? (() => performance.now());
}

export class BudgetExceeded extends Error {}

export class Budget {
  private readonly deadline: number;
  constructor(
    readonly ruleId: string,
    readonly limitMs: number,
    readonly path: string,
  ) {
    this.deadline = clock() + limitMs;
  }

  expired(): boolean {
    return clock() > this.deadline;
  }

  tick(): void {
    if (this.expired()) {
      throw new BudgetExceeded(`${this.ruleId} exceeded its ${this.limitMs} ms budget on ${this.path} and was disabled for this run`);
    }
  }
}
