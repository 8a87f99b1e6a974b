/**
 * A code model as plain data, for comparing two builders of it (test/core/ts-model.test.ts and
 * bench/ts-model-check.mjs: the model from TypeScript's own tree against the one from its ESTree). Object
 * identity is replaced by spans (a call's function is named by its span), and an expression's `parts` are
 * resolved down to `depth` levels: below that they are not compared (they are resolved the same way).
 */
import type { Binding, Call, CodeModel, Comparison, Expr, FunctionDef } from '../../server/src/core/model/types';

export const PARTS_DEPTH = 6;

const fnRef = (fn: FunctionDef | undefined) => (fn ? `${fn.start}-${fn.end} ${fn.name}` : null);

function expr(e: Expr | undefined, depth: number): unknown {
  if (!e) return null;
  return {
    span: `${e.start}-${e.end}`,
    text: e.text,
    kind: e.kind,
    value: e.value,
    content: e.content ? `${e.content.start}-${e.content.end}` : undefined,
    standalone: e.standalone,
    operator: e.operator,
    call: e.call ? call(e.call, depth + 1) : undefined,
    elements: e.elements?.map((x) => expr(x, depth + 1)),
    entries: e.entries?.map((p) => ({
      span: `${p.start}-${p.end}`,
      key: p.key,
      keySpan: `${p.keySpan.start}-${p.keySpan.end}`,
      value: expr(p.value, depth + 1),
    })),
    parts: e.parts ? (depth < PARTS_DEPTH ? e.parts().map((x) => expr(x, depth + 1)) : 'not compared') : undefined,
  };
}

function call(c: Call, depth: number): unknown {
  if (depth > PARTS_DEPTH * 2) return `${c.start}-${c.end}`;
  return {
    span: `${c.start}-${c.end}`,
    callee: c.callee,
    name: c.name,
    isNew: c.isNew,
    args: c.args.map((a) => expr(a, depth)),
    named: c.named.length,
    calleeSpan: `${c.calleeSpan.start}-${c.calleeSpan.end}`,
    receiver: expr(c.receiver, depth),
    fn: fnRef(c.fn),
    resultUse: c.resultUse,
  };
}

const binding = (b: Binding) => ({
  kind: b.kind,
  span: `${b.start}-${b.end}`,
  name: b.name,
  target: b.target,
  targetSpan: `${b.targetSpan.start}-${b.targetSpan.end}`,
  value: expr(b.value, 0),
  declaredType: b.declaredType,
  constant: b.constant,
  fn: fnRef(b.fn),
});

const comparison = (c: Comparison) => ({
  span: `${c.start}-${c.end}`,
  operator: c.operator,
  left: expr(c.left, 0),
  right: expr(c.right, 0),
  fn: fnRef(c.fn),
});

/** The model as plain, comparable data, section by section. */
export function modelData(model: CodeModel): Record<string, unknown[] | boolean> {
  return {
    hasErrors: model.hasErrors,
    strings: model.strings.map((s) => expr(s, 0)),
    calls: model.calls.map((c) => call(c, 0)),
    bindings: model.bindings.map(binding),
    comparisons: model.comparisons.map(comparison),
    functions: model.functions.map((f) => ({
      span: `${f.start}-${f.end}`,
      name: f.name,
      params: f.params,
      calls: f.calls.map((c) => `${c.start}-${c.end}`),
      statementCount: f.statementCount,
      returns: f.returns.map((r) => expr(r, 0)),
      throws: f.throws,
      className: f.className,
      body: f.body ? `${f.body.start}-${f.body.end}` : undefined,
    })),
    classes: model.classes.map((c) => ({
      span: `${c.start}-${c.end}`,
      name: c.name,
      supertypes: c.supertypes,
      methods: c.methods.map(fnRef),
    })),
    comments: model.comments.map((c) => ({ span: `${c.start}-${c.end}`, text: c.text })),
    imports: model.imports.map((i) => ({ ...i })),
    variables: model.variables.map((v) => ({ span: `${v.start}-${v.end}`, name: v.name, type: v.type, fn: fnRef(v.fn) })),
    directives: model.directives.map((d) => ({ ...d })),
    conditionals: (model.conditionals ?? []).map((c) => ({ ...c })),
  };
}

/** The first difference between two models' data, as a path and both values; undefined when equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): { path: string; a: unknown; b: unknown } | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return { path, a, b };
  if (Array.isArray(a) !== Array.isArray(b)) return { path, a, b };
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return { path: `${path}.length`, a: a.length, b: b.length };
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const key of keys) {
    const d = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`,
    );
    if (d) return d;
  }
  return undefined;
}
