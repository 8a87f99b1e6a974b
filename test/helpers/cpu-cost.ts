/**
 * Costs for tests that guard against quadratic (or worse) work, measured so that machine load cannot fail them:
 * the process's CPU time, which a thread waiting for a core does not add to, and as a ratio between two input
 * sizes measured in the same test, which the speed of the machine cancels out of.
 */

/** Growth of a linear cost is about the size factor; a quadratic one's is its square: this lies well between. */
export const LINEAR_GROWTH_BOUND = 3;

function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Work below this much CPU time is repeated until it adds up to it, so a cost is never a timer's noise. */
const MEASURABLE_MS = 20;

/** CPU milliseconds of one run of `work`, the least over `rounds` measurements (a collection in one does not count). */
export function cpuCost(work: () => unknown, rounds = 3): number {
  let least = Infinity;
  for (let round = 0; round < rounds; round++) {
    const started = processCpuMs();
    let runs = 0;
    do {
      work();
      runs++;
    } while (processCpuMs() - started < MEASURABLE_MS);
    least = Math.min(least, (processCpuMs() - started) / runs);
  }
  return least;
}

/**
 * How many times the CPU time of `work(size)` grows when its size grows `factor`-fold: about `factor` for linear
 * work, `factor` squared for quadratic work. The smaller size runs first, and once more before it is measured,
 * so that loading and compiling count in neither.
 */
export function costGrowth(work: (size: number) => unknown, size: number, factor: number): number {
  const small = Math.round(size / factor);
  work(small);
  return cpuCost(() => work(size)) / cpuCost(() => work(small));
}

/** Whether a growth is linear: under LINEAR_GROWTH_BOUND times the size factor (a quadratic one is `factor` times that). */
export function linearBound(factor: number): number {
  return LINEAR_GROWTH_BOUND * factor;
}

/** `cpuCost` of asynchronous work (a whole check): its waits add no CPU time. */
export async function cpuCostOf(work: () => Promise<unknown>, rounds = 3): Promise<number> {
  let least = Infinity;
  for (let round = 0; round < rounds; round++) {
    const started = processCpuMs();
    let runs = 0;
    do {
      await work();
      runs++;
    } while (processCpuMs() - started < MEASURABLE_MS);
    least = Math.min(least, (processCpuMs() - started) / runs);
  }
  return least;
}

/** `costGrowth` of asynchronous work. */
export async function costGrowthOf(work: (size: number) => Promise<unknown>, size: number, factor: number): Promise<number> {
  const small = Math.round(size / factor);
  await work(small);
  return (await cpuCostOf(() => work(size))) / (await cpuCostOf(() => work(small)));
}
