/**
 * A value computed once from a per-file object (a model, one of its arrays) and kept on that object, for as
 * long as it lives: an index of a model array, the functions of a file by name, its call graph.
 *
 * A module-level WeakMap keyed by the object says the same, but V8's minor (young-generation) collector
 * traces a WeakMap's values strongly. An index holds the array it indexes, so the value keeps its own key
 * alive, and with it the file's whole model and, through the model's lazy parts, TypeScript's tree: every
 * file that was indexed survived every minor collection until a full one, was copied into the old
 * generation, and left there for a full collection to find (on cgm-remote-monitor, 75 MB promoted per
 * scan and about a third of the JS scan's CPU in the collector). A property on the object dies with it.
 */
export class ObjectMemo<K extends object, V> {
  private readonly slot: symbol;
  /** For an owner that takes no property (a frozen empty array, shared by every file): small and long-lived. */
  private readonly frozen = new WeakMap<K, V>();

  constructor(description: string) {
    this.slot = Symbol(description);
  }

  get(owner: K): V | undefined {
    return Object.hasOwn(owner, this.slot) ? (owner as Record<symbol, V>)[this.slot] : this.frozen.get(owner);
  }

  has(owner: K): boolean {
    return Object.hasOwn(owner, this.slot) || this.frozen.has(owner);
  }

  set(owner: K, value: V): V {
    // Not enumerable: invisible to Object.keys, spreads, JSON and deep equality, as the WeakMap entry was.
    if (Object.isExtensible(owner)) Object.defineProperty(owner, this.slot, { value, configurable: true, writable: true });
    else this.frozen.set(owner, value);
    return value;
  }
}

/**
 * `compute` of an owner, worked out on the first call and kept on the owner: a fact of a file (its model) that
 * several rules or calls ask for. `key` picks the owner from the argument (`ctx => ctx.model`).
 */
export function memoize<A, K extends object, V>(description: string, key: (arg: A) => K, compute: (arg: A) => V): (arg: A) => V {
  const memo = new ObjectMemo<K, V>(description);
  return (arg) => {
    const owner = key(arg);
    return memo.has(owner) ? (memo.get(owner) as V) : memo.set(owner, compute(arg));
  };
}
