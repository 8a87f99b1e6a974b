/**
 * A tree-sitter (sub)tree read into typed arrays in one cursor walk: each node's type, start, end, field
 * and parent, in document order (a node before its descendants). The code model reads nodes from here.
 *
 * Why: web-tree-sitter's `Node` wrapper marshals the node into WASM memory on every property read and
 * builds a new object (with a position object) for every node it returns, so a model that asked nodes for
 * their fields, children and ends crossed into WASM about six times per call and allocated as much; query
 * captures built ~300k such objects per corpus. The walk here calls the cursor's C functions directly
 * (five calls per node, no objects), and every question after it is an array read.
 *
 * Nodes are numbered from 1 in walk order (the top is 1, so no node is falsy); `undefined` means "none".
 * A flat tree does not refer to its tree-sitter tree: it stays valid after the tree is deleted.
 */
import type { Language, Node, Tree } from 'web-tree-sitter';
import { treeSitterWasm } from './tree-sitter';

/** tree-sitter's symbol for error nodes, outside every grammar's table of types. */
const ERROR_SYMBOL = 0xffff;

/** What the flat tree needs of a grammar, read once per grammar. */
interface GrammarNames {
  /** Type name by type id, as `Node.type` says it ("ERROR" where the grammar has no public name). */
  types: string[];
  named: Uint8Array;
  fieldIds: Map<string, number>;
}

const GRAMMAR_NAMES = new WeakMap<Language, GrammarNames>();

function namesOf(language: Language): GrammarNames {
  let names = GRAMMAR_NAMES.get(language);
  if (names) return names;
  const count = language.types.length;
  const types: string[] = [];
  const named = new Uint8Array(count);
  for (let id = 0; id < count; id++) {
    types.push(language.types[id] || 'ERROR');
    named[id] = language.nodeTypeIsNamed(id) ? 1 : 0;
  }
  const fieldIds = new Map<string, number>();
  language.fields.forEach((name, id) => {
    if (name) fieldIds.set(name, id);
  });
  names = { types, named, fieldIds };
  GRAMMAR_NAMES.set(language, names);
  return names;
}

/** The walk's scratch arrays, reused across files and grown by doubling; each tree copies out its part. */
const SCRATCH_NODES = 1 << 14;
/** Past this many nodes (~5 MB) the scratch is let go after the walk: one data table must not keep it for good. */
const SCRATCH_KEPT = 1 << 18;
let scratch = allocate(SCRATCH_NODES);

function allocate(size: number) {
  return {
    typeIds: new Uint16Array(size),
    starts: new Uint32Array(size),
    ends: new Uint32Array(size),
    fields: new Uint16Array(size),
    parents: new Uint32Array(size),
    afters: new Uint32Array(size),
  };
}

function grow(): void {
  const bigger = allocate(scratch.typeIds.length * 2);
  bigger.typeIds.set(scratch.typeIds);
  bigger.starts.set(scratch.starts);
  bigger.ends.set(scratch.ends);
  bigger.fields.set(scratch.fields);
  bigger.parents.set(scratch.parents);
  bigger.afters.set(scratch.afters);
  scratch = bigger;
}

/** Reads `top` (the root when omitted) and everything under it. */
export function flattenTree(tree: Tree, top?: Node): FlatTree {
  const wasm = treeSitterWasm();
  const handle = (tree as unknown as { 0: number })[0];
  if (top) marshalNode(wasm, top);
  else wasm._ts_tree_root_node_wasm(handle);
  // The cursor lives in web-tree-sitter's transfer buffer between the calls below: nothing else runs meanwhile.
  wasm._ts_tree_cursor_new_wasm(handle);
  let count = 0;
  try {
    count = walk(wasm, handle);
  } finally {
    wasm._ts_tree_cursor_delete_wasm(handle);
  }
  const size = count + 1;
  const s = scratch;
  if (s.typeIds.length > SCRATCH_KEPT) scratch = allocate(SCRATCH_NODES);
  return new FlatTree(
    namesOf(tree.language),
    s.typeIds.slice(0, size),
    s.starts.slice(0, size),
    s.ends.slice(0, size),
    s.fields.slice(0, size),
    s.parents.slice(0, size),
    s.afters.slice(0, size),
  );
}

/** Writes a node where the cursor constructor reads it (the layout of web-tree-sitter's `marshalNode`). */
function marshalNode(wasm: ReturnType<typeof treeSitterWasm>, node: Node): void {
  const at = wasm._ts_init() >> 2;
  const heap = wasm.HEAP32;
  heap[at] = node.id;
  heap[at + 1] = node.startIndex;
  heap[at + 2] = node.startPosition.row;
  heap[at + 3] = node.startPosition.column;
  heap[at + 4] = (node as unknown as { 0: number })[0];
}

/** Walks the cursor's tree in document order, recording each node; returns how many it recorded. */
function walk(wasm: ReturnType<typeof treeSitterWasm>, t: number): number {
  let n = 0;
  const record = (parent: number): number => {
    if (++n >= scratch.typeIds.length) grow();
    const s = scratch;
    s.typeIds[n] = wasm._ts_tree_cursor_current_node_type_id_wasm(t);
    s.starts[n] = wasm._ts_tree_cursor_start_index_wasm(t);
    s.ends[n] = wasm._ts_tree_cursor_end_index_wasm(t);
    s.fields[n] = wasm._ts_tree_cursor_current_field_id_wasm(t);
    s.parents[n] = parent;
    return n;
  };
  const ancestors: number[] = [];
  let current = record(0);
  for (;;) {
    if (wasm._ts_tree_cursor_goto_first_child_wasm(t)) {
      ancestors.push(current);
      current = record(current);
      continue;
    }
    // `current` has no more children: close it and its ancestors until one has a next sibling.
    for (;;) {
      scratch.afters[current] = n + 1;
      if (wasm._ts_tree_cursor_goto_next_sibling_wasm(t)) {
        current = record(ancestors[ancestors.length - 1] ?? 0);
        break;
      }
      if (!wasm._ts_tree_cursor_goto_parent_wasm(t)) return n;
      current = ancestors.pop()!;
    }
  }
}

export class FlatTree {
  constructor(
    private readonly names: GrammarNames,
    private readonly typeIds: Uint16Array,
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    private readonly fields: Uint16Array,
    private readonly parents: Uint32Array,
    /** The number of the first node after each node's subtree. */
    private readonly afters: Uint32Array,
  ) {}

  /** How many nodes: they are numbered 1 to `count`. */
  get count(): number {
    return this.typeIds.length - 1;
  }

  typeId(node: number): number {
    return this.typeIds[node];
  }

  type(node: number): string {
    return this.names.types[this.typeIds[node]] ?? 'ERROR';
  }

  isNamed(node: number): boolean {
    const id = this.typeIds[node];
    return id === ERROR_SYMBOL || this.names.named[id] === 1;
  }

  start(node: number): number {
    return this.starts[node];
  }

  end(node: number): number {
    return this.ends[node];
  }

  /** The first node after `node`'s subtree (`count + 1` at the end). */
  after(node: number): number {
    return this.afters[node];
  }

  parent(node: number): number | undefined {
    return this.parents[node] || undefined;
  }

  children(node: number): number[] {
    const out: number[] = [];
    for (let c = node + 1, end = this.afters[node]; c < end; c = this.afters[c]) out.push(c);
    return out;
  }

  namedChildren(node: number): number[] {
    const out: number[] = [];
    for (let c = node + 1, end = this.afters[node]; c < end; c = this.afters[c]) if (this.isNamed(c)) out.push(c);
    return out;
  }

  namedChildCount(node: number): number {
    let count = 0;
    for (let c = node + 1, end = this.afters[node]; c < end; c = this.afters[c]) if (this.isNamed(c)) count++;
    return count;
  }

  namedChild(node: number, index: number): number | undefined {
    for (let c = node + 1, end = this.afters[node]; c < end; c = this.afters[c]) if (this.isNamed(c) && index-- === 0) return c;
    return undefined;
  }

  firstNamedChild(node: number): number | undefined {
    return this.namedChild(node, 0);
  }

  nextNamedSibling(node: number): number | undefined {
    const parent = this.parents[node];
    if (!parent) return undefined;
    for (let c = this.afters[node], end = this.afters[parent]; c < end; c = this.afters[c]) if (this.isNamed(c)) return c;
    return undefined;
  }

  /** The first child in the field `name` (tree-sitter's `childForFieldName`). */
  field(node: number, name: string): number | undefined {
    const id = this.names.fieldIds.get(name);
    if (id === undefined) return undefined;
    for (let c = node + 1, end = this.afters[node]; c < end; c = this.afters[c]) if (this.fields[c] === id) return c;
    return undefined;
  }

  /** Every child in the field `name`. */
  fieldAll(node: number, name: string): number[] {
    const id = this.names.fieldIds.get(name);
    const out: number[] = [];
    if (id === undefined) return out;
    for (let c = node + 1, end = this.afters[node]; c < end; c = this.afters[c]) if (this.fields[c] === id) out.push(c);
    return out;
  }

  /** `node` and its descendants whose type is one of `types`, in document order. */
  descendantsOfType(node: number, types: ReadonlySet<string>): number[] {
    const out: number[] = [];
    for (let d = node, end = this.afters[node]; d < end; d++) if (types.has(this.type(d))) out.push(d);
    return out;
  }
}

/** A tree of no nodes: what a builder that let go of its tree reads. */
export const EMPTY_FLAT_TREE = new FlatTree(
  { types: [], named: new Uint8Array(0), fieldIds: new Map() },
  new Uint16Array(1),
  new Uint32Array(1),
  new Uint32Array(1),
  new Uint16Array(1),
  new Uint32Array(1),
  new Uint32Array(1),
);
