/**
 * Appending and reducing arrays without spreading them into a call: `push(...items)` and `Math.max(...items)`
 * put every element on the stack, and past about 100,000 elements (a hostile file's strings, a huge
 * configuration) that throws "Maximum call stack size exceeded". The lint config forbids such spreads.
 */

/** Appends every element of each list to `target`, in order; returns `target`. */
export function pushAll<T>(target: T[], ...lists: readonly Iterable<T>[]): T[] {
  for (const list of lists) for (const item of list) target.push(item);
  return target;
}

/** The largest of `values`, or `floor` when it is larger (or `values` is empty). */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let max = floor;
  for (const value of values) if (value > max) max = value;
  return max;
}

/** The index of the first of the ascending `sorted` that is at least `value` (`sorted.length` when none is). */
export function firstAtLeast(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The smallest of `values` (Infinity when empty). */
export function minOf(values: Iterable<number>): number {
  let min = Infinity;
  for (const value of values) if (value < min) min = value;
  return min;
}
