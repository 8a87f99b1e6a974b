/**
 * The difference between two versions of a JSON document whose large parts are keyed lists (the scan index:
 * folders, files and results by path; the counted facts: files and projects), as a patch that names only what
 * changed, so that the result cache appends a one-file edit instead of rewriting every file's record
 * (cache.ts). A list is keyed when every item is a `[key, ...]` tuple or an object with a string `path`, and
 * no key repeats; anything else is replaced whole when it differs. Applying a patch to the old document gives
 * a document equal to the new one, items in the same order.
 */

type Doc = Record<string, unknown>;

export interface ListPatch {
  /** Keys removed. */
  del?: string[];
  /** Items whose key stayed in place with another value. */
  upd?: unknown[];
  /** New items, each after the key of the item before it in the new list (null: first). */
  ins?: [string | null, unknown][];
}

export interface DocPatch {
  /** Fields replaced whole (a value of undefined is not JSON: removed fields are in `unset`). */
  set?: Doc;
  unset?: string[];
  lists?: Record<string, ListPatch>;
}

/** The patch that turns `before` into `after`; undefined when they are equal. */
export function diffDoc(before: Doc, after: Doc): DocPatch | undefined {
  const patch: DocPatch = {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[field];
    const now = after[field];
    if (old === now) continue;
    if (now === undefined) {
      (patch.unset ??= []).push(field);
      continue;
    }
    const list = keyedList(old) && keyedList(now) ? diffList(old as unknown[], now as unknown[]) : undefined;
    if (list === 'same') continue;
    if (list) (patch.lists ??= {})[field] = list;
    else if (!sameJson(old, now)) (patch.set ??= {})[field] = now;
  }
  return patch.set || patch.unset || patch.lists ? patch : undefined;
}

/** `doc` with `patch` applied, as a new document (`doc` itself is left as it was). */
export function applyPatch(doc: Doc, patch: DocPatch): Doc {
  const out: Doc = { ...doc, ...patch.set };
  for (const field of patch.unset ?? []) delete out[field];
  for (const [field, list] of Object.entries(patch.lists ?? {})) out[field] = applyList((doc[field] as unknown[]) ?? [], list);
  return out;
}

/** The key of a list item: a tuple's first element or an object's `path`. */
function keyOf(item: unknown): string | undefined {
  if (Array.isArray(item)) return typeof item[0] === 'string' ? item[0] : undefined;
  if (item && typeof item === 'object') {
    const key = (item as { path?: unknown }).path;
    return typeof key === 'string' ? key : undefined;
  }
  return undefined;
}

function keyedList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  const keys = new Set<string>();
  for (const item of value) {
    const key = keyOf(item);
    if (key === undefined || keys.has(key)) return false;
    keys.add(key);
  }
  return true;
}

/**
 * The list patch from `before` to `after` (both keyed); 'same' when equal; undefined when the items both hold
 * changed order, which a patch does not express (the list is then replaced whole).
 */
function diffList(before: unknown[], after: unknown[]): ListPatch | 'same' | undefined {
  const old = new Map(before.map((item) => [keyOf(item)!, item]));
  const kept = new Set<string>();
  const patch: Required<ListPatch> = { del: [], upd: [], ins: [] };
  let previous: string | null = null;
  for (const item of after) {
    const key = keyOf(item)!;
    const was = old.get(key);
    if (was === undefined) patch.ins.push([previous, item]);
    else {
      kept.add(key);
      if (was !== item && !sameJson(was, item)) patch.upd.push(item);
    }
    previous = key;
  }
  let at = 0;
  const keptInOrder = after.map((item) => keyOf(item)!).filter((key) => kept.has(key));
  for (const item of before) {
    const key = keyOf(item)!;
    if (!kept.has(key)) patch.del.push(key);
    else if (keptInOrder[at++] !== key) return undefined;
  }
  if (!patch.del.length && !patch.upd.length && !patch.ins.length) return 'same';
  return {
    ...(patch.del.length ? { del: patch.del } : {}),
    ...(patch.upd.length ? { upd: patch.upd } : {}),
    ...(patch.ins.length ? { ins: patch.ins } : {}),
  };
}

function applyList(list: unknown[], patch: ListPatch): unknown[] {
  const deleted = new Set(patch.del);
  const updated = new Map((patch.upd ?? []).map((item) => [keyOf(item), item]));
  const inserted = new Map<string | null, unknown[]>();
  for (const [after, item] of patch.ins ?? []) {
    const group = inserted.get(after);
    if (group) group.push(item);
    else inserted.set(after, [item]);
  }
  const out: unknown[] = [];
  // An inserted item is followed by the items inserted after it (a run of new items), iteratively.
  const emitAfter = (key: string | null) => {
    const stack = [...(inserted.get(key) ?? [])].reverse();
    while (stack.length) {
      const item = stack.pop();
      out.push(item);
      const next = inserted.get(keyOf(item)!);
      if (next) for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]);
    }
  };
  emitAfter(null);
  for (const item of list) {
    const key = keyOf(item)!;
    if (deleted.has(key)) continue;
    out.push(updated.has(key) ? updated.get(key) : item);
    emitAfter(key);
  }
  return out;
}

/**
 * Whether two JSON values are equal: the same object, the same fields holding the same objects (a result
 * copied without its facts), or the same JSON text.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    const shallow = keysA.length === keysB.length && keysA.every((key) => (a as Doc)[key] === (b as Doc)[key] && Object.hasOwn(b, key));
    if (shallow) return true;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}
