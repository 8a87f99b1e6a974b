/**
 * Runs synchronous work with a hard time limit. The per-file budget is checked between phases and
 * between rules; one rule that never returns (a loop on pathological input, a regex that backtracks for
 * minutes) cannot be stopped that way. `vm`'s timeout can: V8's watchdog thread terminates whatever
 * JavaScript (or WebAssembly) runs below the script, and the call throws. One watchdog per call costs
 * about 0.1 ms, so it guards the rules of a file as a whole, not each rule.
 *
 * A terminated rule leaves no state behind in the engine (rules report into arrays the caller owns); a
 * tree-sitter tree it was walking is freed by the caller as usual.
 */
import * as vm from 'vm';

const context = vm.createContext({ work: undefined as (() => unknown) | undefined });
const script = new vm.Script('work()', { filename: 'medsec-interruptible-work' });

export type Interruptible<T> = { done: true; value: T } | { done: false };

/** Runs `work`, stopping it after `limitMs` of wall-clock time. */
export function runWithin<T>(limitMs: number, work: () => T): Interruptible<T> {
  const outer = context.work;
  context.work = work;
  try {
    return { done: true, value: script.runInContext(context, { timeout: Math.max(1, Math.ceil(limitMs)) }) as T };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { done: false };
    throw error;
  } finally {
    // Restored, not cleared: a rule may itself run work within a limit.
    context.work = outer;
  }
}
