/**
 * The innermost binding whose value holds a span (`{ url: "http://…" }` → `url`), without a walk over every
 * binding per question: a rule that asks it for each URL or literal of a large file would be quadratic. The
 * bindings that pass a filter are sorted once per file into a containment forest (binding values are syntax
 * nodes, so two of them are nested or apart); a question is a binary search and a climb up the few levels
 * of nesting.
 */
import type { Binding, CodeModel } from '../../server/src/core/model/types';
import { ObjectMemo } from '../../server/src/core/model/object-memo';
import type { Span } from '../../server/src/core/span';

/** The bindings of one filter in containment order, each with the index of its nearest container. */
interface ContainerForest {
  byStart: Binding[];
  parent: Int32Array;
}

/** Kept on the bindings array, not in a WeakMap: a forest holds the bindings (see object-memo.ts). */
const forests = new ObjectMemo<readonly Binding[], Map<string, ContainerForest>>('medsec.bindingContainers');

/**
 * The innermost binding passing `test` whose value holds `span`; among bindings with the same value span, the
 * first in model order. `key` names the filter: one forest is kept per key and file.
 */
export function innermostBindingHolding(model: CodeModel, span: Span, key: string, test: (b: Binding) => boolean): Binding | undefined {
  const forest = forestOf(model.bindings, key, test);
  const { byStart, parent } = forest;
  // The last binding whose value starts at or before the span: the innermost holder is it or one of its containers.
  let low = 0;
  let high = byStart.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (byStart[mid].value.start <= span.start) low = mid + 1;
    else high = mid;
  }
  for (let i = low - 1; i >= 0; i = parent[i]) {
    if (byStart[i].value.end >= span.end) return byStart[i];
  }
  return undefined;
}

function forestOf(bindings: readonly Binding[], key: string, test: (b: Binding) => boolean): ContainerForest {
  let byKey = forests.get(bindings);
  if (!byKey) forests.set(bindings, (byKey = new Map()));
  let forest = byKey.get(key);
  if (forest) return forest;
  const order = bindings.map((b, index) => ({ b, index })).filter(({ b }) => test(b));
  // Outer before inner; of equal spans the first in model order last, so that it is the innermost one found.
  order.sort((x, y) => x.b.value.start - y.b.value.start || y.b.value.end - x.b.value.end || y.index - x.index);
  const byStart = order.map(({ b }) => b);
  const parent = new Int32Array(byStart.length);
  const open: number[] = [];
  for (let i = 0; i < byStart.length; i++) {
    const end = byStart[i].value.end;
    while (open.length && byStart[open[open.length - 1]].value.end < end) open.pop();
    parent[i] = open.length ? open[open.length - 1] : -1;
    open.push(i);
  }
  forest = { byStart, parent };
  byKey.set(key, forest);
  return forest;
}
