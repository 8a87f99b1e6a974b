/**
 * Where the language server's checking time goes: per check (parse and code model, rules, the whole
 * check) and per rule. Read with `medsec/stats` (bench/lsp-latency.mjs prints it); costs nothing to keep.
 */
import type { CheckCostSummary } from './protocol';

interface RuleCost {
  runs: number;
  totalMs: number;
}

export class CheckCosts {
  private checks = 0;
  private parseMs = 0;
  private rulesMs = 0;
  private totalMs = 0;
  private readonly rules = new Map<string, RuleCost>();

  /** The callback `runRules` reports each rule's time to. */
  readonly addRule = (ruleId: string, ms: number): void => {
    const cost = this.rules.get(ruleId);
    if (cost) {
      cost.runs++;
      cost.totalMs += ms;
    } else this.rules.set(ruleId, { runs: 1, totalMs: ms });
  };

  addCheck(parseMs: number, rulesMs: number, totalMs: number): void {
    this.checks++;
    this.parseMs += parseMs;
    this.rulesMs += rulesMs;
    this.totalMs += totalMs;
  }

  /** Means per check, and the `top` slowest rules by total time. */
  summary(top = 10): CheckCostSummary {
    const per = (ms: number) => (this.checks ? ms / this.checks : 0);
    const rules = [...this.rules]
      .map(([ruleId, cost]) => ({ ruleId, runs: cost.runs, totalMs: cost.totalMs, meanMs: cost.totalMs / cost.runs }))
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, top);
    return { checks: this.checks, parseMs: per(this.parseMs), rulesMs: per(this.rulesMs), totalMs: per(this.totalMs), rules };
  }

  reset(): void {
    this.checks = 0;
    this.parseMs = 0;
    this.rulesMs = 0;
    this.totalMs = 0;
    this.rules.clear();
  }
}
