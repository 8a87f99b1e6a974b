/**
 * Where a name is read: every name expression (`cfg.sta.password`) inside the inputs of a call, a bound
 * value or a returned value, listed under each dotted prefix of its name (`cfg`, `cfg.sta`,
 * `cfg.sta.password`). The forward query of the data-flow layer (`uses`) asks this for the names a value
 * passes through.
 *
 * Answered per name, on demand: a name that does not occur in the file's text has no mention and costs one
 * `indexOf`; otherwise only the root inputs around each occurrence are descended, along the occurrence.
 * Indexing every name of a file at once walked every root expression and resolved every lazy part of the
 * model (most JS files ask for a name or two). The answer is the one a whole-file index gives, in the same
 * order; past a budget of text searched or expressions visited the whole-file index is built and used.
 */
import type { CodeModel, Expr, FunctionDef } from '../model/types';
import { lastSpanStartingBy, type Span } from '../span';

/** Where a mention sits: in an input of a call, a bound value, or a returned value (of `fn`). */
export type MentionRoot = { kind: 'call' | 'binding'; span: Span } | { kind: 'return'; span: Span; fn: FunctionDef };
export interface Mention {
  expr: Expr;
  root: MentionRoot;
}

/** How deeply a root expression is descended for names. */
const MAX_DEPTH = 24;
/** How many elements of an initializer are descended. */
const MAX_ELEMENTS = 64;
/** Text searched by name, in multiples of the file's length, before the whole-file index is cheaper. */
const SEARCH_PASSES = 8;

/** A root input: the expression, its root, and its place in the order a whole-file scan meets them. */
interface RootInput extends Span {
  expr: Expr;
  root: MentionRoot;
  order: number;
}

export class Mentions {
  private readonly byName = new Map<string, Mention[]>();
  private whole?: Map<string, Mention[]>;
  private inputs?: { sorted: RootInput[]; parent?: number[]; maxEnd: number[] };
  private escapes?: number[];
  /** Characters searched and expressions visited so far, against the budget. */
  private work = 0;

  constructor(
    private readonly model: CodeModel,
    /** The file's text, which the model's spans index; without it every query uses the whole-file index. */
    private readonly text?: string,
    /** Text searched by name, in multiples of the file's length (the suite raises it to compare both ways). */
    private readonly searchPasses = SEARCH_PASSES,
  ) {}

  /** The mentions of `name`, in the order of a scan of the calls, then the bindings, then the returns. */
  of(name: string): Mention[] {
    const known = this.byName.get(name) ?? this.whole?.get(name);
    if (known) return known;
    if (this.whole) return [];
    const word = searchableHead(name);
    if (this.text === undefined || word === undefined || this.work > this.searchPasses * this.text.length) {
      this.whole = indexMentions(this.model);
      return this.whole.get(name) ?? [];
    }
    const found = this.search(name, word, this.text);
    this.byName.set(name, found);
    return found;
  }

  /**
   * A name expression whose name starts with `word` holds `word` in its text, or an escape that spells it
   * (`\u0070w`, `this["p\x77"]`, decoded by TypeScript's model): each occurrence of either is followed down
   * the root inputs that hold it. Sub-expressions lie inside the expressions they are parts of.
   */
  private search(name: string, word: string, text: string): Mention[] {
    const hits = new Map<string, { input: RootInput; path: number[]; expr: Expr }>();
    const visit = (input: RootInput, expr: Expr, at: number, length: number, depth: number, path: number[]) => {
      this.work++;
      if (depth > MAX_DEPTH || expr.start > at || expr.end < at + length) return;
      if (expr.kind === 'name') {
        const value = expr.value ?? '';
        if (value === name || (value.startsWith(name) && value[name.length] === '.')) {
          hits.set(`${input.order}:${path.join(',')}`, { input, path: [...path], expr });
        }
        return;
      }
      forEachPart(expr, (part, i) => {
        path.push(i);
        visit(input, part, at, length, depth + 1, path);
        path.pop();
      });
    };
    const follow = (at: number, length: number) => {
      for (const input of this.inputsAround(at, at + length)) visit(input, input.expr, at, length, 0, []);
    };
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) follow(at, word.length);
    this.work += text.length;
    for (const at of this.escapePositions(text)) follow(at, 1);
    return [...hits.values()]
      .sort((a, b) => a.input.order - b.input.order || comparePaths(a.path, b.path))
      .map(({ input, expr }) => ({ expr, root: input.root }));
  }

  /** The root inputs that hold [from, to). */
  private inputsAround(from: number, to: number): RootInput[] {
    const { sorted, parent, maxEnd } = this.rootInputs();
    const out: RootInput[] = [];
    let i = lastSpanStartingBy(sorted, from);
    if (parent) {
      // Nested or apart, as syntax is: those that hold the range are the innermost one and its ancestors.
      while (i >= 0 && sorted[i].end < to) i = parent[i];
      for (; i >= 0; i = parent[i]) out.push(sorted[i]);
    } else {
      for (; i >= 0 && maxEnd[i] >= to; i--) if (sorted[i].end >= to) out.push(sorted[i]);
    }
    return out;
  }

  /**
   * Every root input by start (the outer first), with the one each is nested in when no two overlap
   * without nesting (else `parent` is undefined and the greatest end up to each is the way back).
   */
  private rootInputs(): { sorted: RootInput[]; parent?: number[]; maxEnd: number[] } {
    if (!this.inputs) {
      const sorted: RootInput[] = [];
      forEachRootInput(this.model, (root, expr) => sorted.push({ start: expr.start, end: expr.end, expr, root, order: sorted.length }));
      sorted.sort((a, b) => a.start - b.start || b.end - a.end || a.order - b.order);
      const maxEnd: number[] = [];
      let parent: number[] | undefined = [];
      const open: number[] = [];
      sorted.forEach((input, i) => {
        maxEnd.push(Math.max(input.end, i ? maxEnd[i - 1] : -1));
        while (open.length && sorted[open[open.length - 1]].end <= input.start) open.pop();
        const top = open.length ? sorted[open[open.length - 1]] : undefined;
        if (top && input.end > top.end) parent = undefined;
        parent?.push(top ? open[open.length - 1] : -1);
        open.push(i);
      });
      this.inputs = { sorted, parent, maxEnd };
    }
    return this.inputs;
  }

  private escapePositions(text: string): number[] {
    if (!this.escapes) {
      this.escapes = [];
      for (let at = text.indexOf('\\'); at >= 0; at = text.indexOf('\\', at + 1)) this.escapes.push(at);
    }
    return this.escapes;
  }
}

/**
 * The part of a name a text search can look for: its first segment, when that is an identifier written as
 * it is spelled. `Infinity` and `NaN` can also be a numeric key's value (`this[1e999]`); other first
 * segments (`f()`, `[]`, numbers, non-ASCII) are left to the whole-file index.
 */
function searchableHead(name: string): string | undefined {
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  if (!/^[A-Za-z_$][\w$]*$/.test(head) || head === 'Infinity' || head === 'NaN') return undefined;
  return head;
}

function comparePaths(a: number[], b: number[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The root inputs of a file in the order a whole-file scan meets them: call inputs, bound values, returns. */
function forEachRootInput(model: CodeModel, each: (root: MentionRoot, expr: Expr) => void): void {
  for (const call of model.calls) {
    const root: MentionRoot = { kind: 'call', span: call };
    if (call.receiver) each(root, call.receiver);
    for (const arg of call.args) if (arg) each(root, arg);
    for (const named of call.named) if (named.value) each(root, named.value);
  }
  for (const b of model.bindings) if (b.kind !== 'property' && b.value) each({ kind: 'binding', span: b }, b.value);
  for (const fn of model.functions) for (const r of fn.returns) each({ kind: 'return', span: r, fn }, r);
}

/** The sub-expressions a mention may sit in, with their index in that order. Plain loops: this is hot. */
function forEachPart(expr: Expr, each: (part: Expr, index: number) => void): void {
  let i = 0;
  if (expr.kind === 'call' && expr.call) {
    const { receiver, args, named } = expr.call;
    if (receiver) each(receiver, i++);
    for (const arg of args) if (arg) each(arg, i++);
    for (const p of named) if (p.value) each(p.value, i++);
  } else if (expr.kind === 'other') {
    if (expr.parts) for (const part of expr.parts()) if (part) each(part, i++);
  } else if (expr.kind === 'array') {
    const elements = expr.elements ?? [];
    for (let k = 0; k < elements.length && k < MAX_ELEMENTS; k++) if (elements[k]) each(elements[k], i++);
  } else if (expr.kind === 'object') for (const p of expr.entries ?? []) if (p.value) each(p.value, i++);
}

/**
 * Every name expression of the file under every dotted prefix of its name, with the root it was reached
 * from, in the order a scan of the calls, then the bindings, then the returns meets them: one walk of the file.
 */
export function indexMentions(model: CodeModel): Map<string, Mention[]> {
  const index = new Map<string, Mention[]>();
  forEachRootInput(model, (root, expr) => {
    for (const name of namesMentioned(expr)) {
      const value = name.value ?? '';
      for (let dot = value.indexOf('.'); ; dot = value.indexOf('.', dot + 1)) {
        const key = dot < 0 ? value : value.slice(0, dot);
        const list = index.get(key);
        if (list) list.push({ expr: name, root });
        else index.set(key, [{ expr: name, root }]);
        if (dot < 0) break;
      }
    }
  });
  return index;
}

/** The name expressions inside an expression (a mention of `cfg` may be `cfg.password`). */
function namesMentioned(expr: Expr, depth = 0, out: Expr[] = []): Expr[] {
  if (depth > MAX_DEPTH) return out;
  if (expr.kind === 'name') out.push(expr);
  else forEachPart(expr, (part) => namesMentioned(part, depth + 1, out));
  return out;
}
