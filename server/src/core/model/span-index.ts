/**
 * Items of the code model (strings, calls, functions) looked up by position. Rules ask "which strings lie
 * inside this span" once per binding or call; a linear search each time makes a large file quadratic (a
 * 1 MB minified bundle took minutes), so items are sorted once and found by binary search.
 */
import type { Span } from '../span';
import { ObjectMemo } from './object-memo';

export class SpanIndex<T extends Span> {
  private readonly byStart: T[];

  constructor(items: readonly T[]) {
    this.byStart = [...items].sort((a, b) => a.start - b.start || b.end - a.end);
  }

  /** Items that lie wholly inside `span`, in source order (outer before inner at the same start). */
  within(span: Span): T[] {
    const found: T[] = [];
    for (let i = this.firstAtOrAfter(span.start); i < this.byStart.length && this.byStart[i].start < span.end; i++) {
      if (this.byStart[i].end <= span.end) found.push(this.byStart[i]);
    }
    return found;
  }

  /** The first item in source order inside `span` that passes `test`. */
  firstWithin(span: Span, test: (item: T) => boolean = () => true): T | undefined {
    for (let i = this.firstAtOrAfter(span.start); i < this.byStart.length && this.byStart[i].start < span.end; i++) {
      const item = this.byStart[i];
      if (item.end <= span.end && test(item)) return item;
    }
    return undefined;
  }

  /** Items that start exactly at `offset`. */
  startingAt(offset: number): T[] {
    const found: T[] = [];
    for (let i = this.firstAtOrAfter(offset); i < this.byStart.length && this.byStart[i].start === offset; i++) found.push(this.byStart[i]);
    return found;
  }

  /** How many items start before `offset`. */
  countBefore(offset: number): number {
    return this.firstAtOrAfter(offset);
  }

  private firstAtOrAfter(offset: number): number {
    let low = 0;
    let high = this.byStart.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.byStart[mid].start < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** Kept on the array, not in a WeakMap: an index holds its array (see object-memo.ts). */
const indexes = new ObjectMemo<readonly Span[], SpanIndex<Span>>('medsec.spanIndex');

/** The index of a model array, built on first use and kept as long as the array lives. */
export function spanIndex<T extends Span>(items: readonly T[]): SpanIndex<T> {
  let index = indexes.get(items) as SpanIndex<T> | undefined;
  if (!index) {
    index = new SpanIndex(items);
    indexes.set(items, index as unknown as SpanIndex<Span>);
  }
  return index;
}
