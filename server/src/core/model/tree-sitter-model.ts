/**
 * Builds the code model from a tree-sitter tree, read once into arrays (parse/flat-tree.ts) and walked in
 * document order. Only node types listed in the grammar table are materialised as objects; everything else
 * is stepped over, and parts few rules read (call arguments, binding values, returns) are built on first use.
 */
import type { Language, Node, Tree } from 'web-tree-sitter';
import type { TreeSitterLanguage } from '../language';
import { EMPTY_FLAT_TREE, flattenTree, type FlatTree } from '../parse/flat-tree';
import type { Span } from '../span';
import { defineValueText } from './define-value';
import { decodeStringLiteral } from './string-literals';
import { GRAMMARS, type GrammarTable } from './tree-sitter-grammar';
import {
  callComparison,
  emptyModel,
  type Binding,
  type BindingKind,
  type Call,
  type ClassDef,
  type CodeModel,
  type Expr,
  type FunctionDef,
  type Property,
  type Variable,
} from './types';

interface Sets {
  strings: Set<string>;
  concatenated: Set<string>;
  numbers: Set<string>;
  booleans: Set<string>;
  nulls: Set<string>;
  names: Set<string>;
  calls: Set<string>;
  arrays: Set<string>;
  objects: Set<string>;
  transparent: Set<string>;
  functions: Set<string>;
  classes: Set<string>;
  comments: Set<string>;
  returns: Set<string>;
  throws: Set<string>;
  declarators: Set<string>;
  assignments: Set<string>;
  pairs: Set<string>;
  comparisons: Set<string>;
  defines: Set<string>;
  defaults: Set<string>;
  selfNames: Set<string>;
  /** Every type the walker stops at. */
  visited: Set<string>;
}

const SETS = new Map<TreeSitterLanguage, Sets>();

function setsFor(language: TreeSitterLanguage): Sets {
  let sets = SETS.get(language);
  if (sets) return sets;
  const g: GrammarTable = GRAMMARS[language];
  sets = {
    strings: new Set(g.strings),
    concatenated: new Set(g.concatenatedStrings),
    numbers: new Set(g.numbers),
    booleans: new Set(g.booleans),
    nulls: new Set(g.nulls),
    names: new Set(g.names),
    calls: new Set(g.calls),
    arrays: new Set(g.arrays),
    objects: new Set(g.objects),
    transparent: new Set(g.transparent),
    functions: new Set(g.functions),
    classes: new Set(g.classes),
    comments: new Set(g.comments),
    returns: new Set(g.returns),
    throws: new Set(g.throws),
    declarators: new Set(g.declarators),
    assignments: new Set(g.assignments),
    pairs: new Set(g.pairs),
    comparisons: new Set(g.comparisons),
    defines: new Set(g.defines),
    defaults: new Set(g.defaults),
    selfNames: new Set(g.selfNames),
    visited: new Set([
      ...g.strings,
      ...g.concatenatedStrings,
      ...g.calls,
      ...g.functions,
      ...g.classes,
      ...g.comments,
      ...g.returns,
      ...g.throws,
      ...g.declarators,
      ...g.assignments,
      ...g.pairs,
      ...g.comparisons,
      ...g.defines,
      ...g.defaults,
      'object_creation_expression',
      'ERROR',
      ...IMPORT_TYPES,
      ...VARIABLE_TYPES,
      ...DIRECTIVE_TYPES,
    ]),
  };
  SETS.set(language, sets);
  return sets;
}

const MAX_EXPR_DEPTH = 200;
const IMPORT_TYPES = ['preproc_include', 'import_statement', 'import_from_statement', 'import_declaration', 'import'];
const VARIABLE_TYPES = ['declaration', 'local_variable_declaration', 'field_declaration'];
const DIRECTIVE_TYPES = ['preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_else', 'preproc_call'];
/** Wrappers a call's result passes through on its way to where it is used. */
const RESULT_WRAPPERS = new Set([
  'parenthesized_expression',
  'condition_clause',
  'unary_expression',
  'not_operator',
  'prefix_expression',
  'await',
  'await_expression',
]);
const CONDITION_PARENTS = new Set([
  'if_statement',
  'while_statement',
  'do_statement',
  'for_statement',
  'conditional_expression',
  'ternary_expression',
  'if_expression',
  'while_expression',
  'do_while_statement',
  'assert_statement',
  'elif_clause',
  'when_entry',
]);
const LOGICAL_OPERATORS = new Set(['&&', '||', 'and', 'or']);
/** Java and Kotlin equality methods: `a.equals(b)` compares like `a == b`. */
const EQUALS_METHODS = new Set(['equals', 'equalsIgnoreCase', 'contentEquals']);
/** Binary and boolean operator nodes a call's result can be an operand of. */
const OPERATOR_PARENTS = new Set([
  'binary_expression',
  'boolean_operator',
  'comparison_operator',
  'equality_expression',
  'conjunction_expression',
  'disjunction_expression',
]);
const COMPARISON_OPERATORS = new Set(['==', '!=', '===', '!==', '<', '>', '<=', '>=', 'is', 'is not']);
const STATEMENT_PARENTS = new Set(['expression_statement', 'block', 'statements', 'source_file', 'compound_statement', 'module']);
const EQUALITY_OPERATORS = new Set(['==', '!=', '===', '!==', 'is', 'is not']);
/** Binary and logical operators: their `other` expressions carry the operator. */
const BINARY_TYPES = new Set([
  'binary_expression',
  'binary_operator',
  'boolean_operator',
  'additive_expression',
  'multiplicative_expression',
  'elvis_expression',
  'conjunction_expression',
  'disjunction_expression',
]);
const CONDITIONAL_TYPES = new Set(['conditional_expression', 'ternary_expression']);
/** The children that make a string literal interpolated, not a constant. */
const INTERPOLATION = /interpolation|template_substitution|string_template/;
const INTERPOLATING = new Map<TreeSitterLanguage, boolean>();

/** Whether a grammar has any node type that interpolates into a string (C and C++ have none). */
function interpolates(language: TreeSitterLanguage, grammar: Language): boolean {
  let known = INTERPOLATING.get(language);
  if (known === undefined) {
    known = false;
    for (let id = 0; id < grammar.nodeTypeCount && !known; id++) known = INTERPOLATION.test(grammar.nodeTypeForId(id) ?? '');
    INTERPOLATING.set(language, known);
  }
  return known;
}
/** Children that are never values: types, modifiers, the quotes of an interpolated string. */
const PART_SKIPPED = /type|modifier|annotation|^string_start$|^string_end$|^escape_sequence$|^format_specifier$/;
const STRCMP_LIKE = new Set([
  'strcmp',
  'strncmp',
  'strcasecmp',
  'strncasecmp',
  'memcmp',
  'bcmp',
  'stricmp',
  '_stricmp',
  'wcscmp',
  'lstrcmp',
  'lstrcmpi',
]);

export function buildTreeSitterModel(language: TreeSitterLanguage, tree: Tree, text: string): CodeModel {
  return new ModelBuilder(language).build(tree, text);
}

/**
 * The model of one subtree (a top-level declaration), for building a file's model piece by piece
 * (model-fragments.ts). `release` drops what resolving its lazy parts needs, once they are resolved.
 */
export function buildTreeSitterSubtreeModel(
  language: TreeSitterLanguage,
  node: Node,
  text: string,
): { model: CodeModel; release: () => void } {
  const builder = new ModelBuilder(language);
  // The model's strings are slices of the text it reads, and a slice keeps the whole string it was cut
  // from: a copy of just this subtree's text keeps a model kept between edits from holding every version.
  const own = copyOf(text.slice(node.startIndex, node.endIndex));
  return { model: builder.buildSubtree(node.tree, node, own, node.startIndex), release: () => builder.release() };
}

/** A string that shares no memory with `text` (a JSON round trip is exact, lone surrogates included). */
function copyOf(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** A node of the flat tree the builder reads (flat-tree.ts numbers them from 1). */
type N = number;

const VISITED = new WeakMap<Language, Uint8Array>();

/**
 * Which type ids the walk stops at: the named node types of the visited set (what the query `(type)` of each
 * matched before), as a table by type id.
 */
function visitedTypes(language: TreeSitterLanguage, grammar: Language): Uint8Array {
  let table = VISITED.get(grammar);
  if (table) return table;
  const visited = setsFor(language).visited;
  table = new Uint8Array(0x10000);
  for (let id = 0; id < grammar.types.length; id++) {
    const type = grammar.types[id];
    if (type && visited.has(type) && grammar.nodeTypeIsNamed(id)) table[id] = 1;
  }
  VISITED.set(grammar, table);
  return table;
}

/** The languages whose calls can name their arguments (Python `verify=False`, Kotlin `user = "u"`). */
const NAMED_ARGUMENT_LANGUAGES: ReadonlySet<TreeSitterLanguage> = new Set(['python', 'kotlin']);
/** Shared by every call of the other languages; frozen, so a rule that would change it fails loudly. */
const NO_NAMED_ARGUMENTS: Property[] = Object.freeze([]) as unknown as Property[];
const SUPERTYPE_NODES: ReadonlySet<string> = new Set(['type_identifier', 'identifier', 'scoped_type_identifier', 'user_type']);
const STANDALONE_STRINGS: ReadonlySet<string> = new Set(['string', 'concatenated_string']);

class ModelBuilder {
  private readonly s: Sets;
  private readonly model = emptyModel();
  private readonly fnStack: FunctionDef[] = [];
  private readonly classStack: ClassDef[] = [];
  private readonly exprCache = new Map<N, Expr>();
  /** Return-value nodes per function; resolved into `FunctionDef.returns` on first use. */
  private readonly returnNodes = new Map<FunctionDef, ReturnSource[]>();
  /** The tree being modelled, read once into arrays: no question below crosses into WASM. */
  private t!: FlatTree;

  private src = '';
  /** Where `src` starts in the file. */
  private srcStart = 0;
  /** Whether the grammar can interpolate into a string literal. */
  private interpolates = true;

  constructor(private readonly language: TreeSitterLanguage) {
    this.s = setsFor(language);
  }

  /** Node text from the source string. */
  private txt(node: N): string {
    return this.slice(this.t.start(node), this.t.end(node));
  }

  /** The source between two offsets of the file (`src` may hold only the part of it being modelled). */
  private slice(start: number, end: number): string {
    return this.src.slice(start - this.srcStart, end - this.srcStart);
  }

  /** The named children of a node that are not comments. */
  private valueChildren(node: N): N[] {
    return this.t.namedChildren(node).filter((c) => !this.s.comments.has(this.t.type(c)));
  }

  build(tree: Tree, text: string): CodeModel {
    return this.buildSubtree(tree, undefined, text);
  }

  /**
   * The model of `top` and everything under it (the whole file when it is undefined). `text` is the file's
   * text, or with `textStart` the part of it from that offset on that covers `top`.
   */
  buildSubtree(tree: Tree, top: Node | undefined, text: string, textStart = 0): CodeModel {
    this.src = text;
    this.srcStart = textStart;
    this.model.hasErrors = (top ?? tree.rootNode).hasError;
    this.interpolates = interpolates(this.language, tree.language);
    const t = (this.t = flattenTree(tree, top));
    const visited = visitedTypes(this.language, tree.language);
    // Document order, each node before anything nested in it (`"a" "b"`, `strcmp(..) == 0`): the walk relies on that.
    let skipUntil = -1;
    for (let node = 1, count = t.count; node <= count; node++) {
      if (!visited[t.typeId(node)]) continue;
      const start = t.start(node);
      if (start < skipUntil) continue;
      this.popScopes(start);
      if (!this.visit(node, t.type(node))) skipUntil = t.end(node);
    }
    this.defineLazyVariables();
    return this.model;
  }

  /**
   * Drops what only resolving lazy parts needs (the text, the tree, the caches by node): called once every
   * part of the model has been resolved, so a model kept between edits does not hold every old version.
   */
  release(): void {
    this.src = '';
    this.t = EMPTY_FLAT_TREE;
    this.exprCache.clear();
    this.returnNodes.clear();
    this.pendingVariables.length = 0;
  }

  private popScopes(offset: number): void {
    while (this.fnStack.length && offset >= this.fnStack[this.fnStack.length - 1].end) this.fnStack.pop();
    while (this.classStack.length && offset >= this.classStack[this.classStack.length - 1].end) this.classStack.pop();
  }

  private get fn(): FunctionDef | undefined {
    return this.fnStack[this.fnStack.length - 1];
  }

  /** Returns whether to walk into the node's children. */
  private visit(node: N, type: string): boolean {
    const s = this.s;
    if (s.comments.has(type)) {
      this.model.comments.push({ start: this.t.start(node), end: this.t.end(node), text: this.txt(node) });
      return false;
    }
    if (IMPORT_TYPES.includes(type)) {
      this.visitImport(node, type);
      return false;
    }
    if (VARIABLE_TYPES.includes(type)) this.visitVariables(node);
    if (type === 'field_declaration' && this.language === 'cpp') this.visitMemberInitializer(node);
    if (DIRECTIVE_TYPES.includes(type)) this.visitDirective(node, type);
    if (s.strings.has(type) || s.concatenated.has(type)) return this.visitString(node, type);
    if (s.calls.has(type) || type === 'object_creation_expression') this.visitCall(node, type);
    else if (s.functions.has(type)) this.visitFunction(node, type);
    else if (s.classes.has(type)) this.visitClass(node);
    else if (s.declarators.has(type)) this.visitDeclarator(node, type);
    else if (s.assignments.has(type)) this.visitAssignment(node);
    else if (s.pairs.has(type)) this.visitPair(node);
    else if (s.comparisons.has(type)) this.visitComparison(node);
    else if (s.defines.has(type)) this.visitDefine(node);
    else if (s.defaults.has(type)) this.visitDefault(node);
    if (s.returns.has(type)) this.visitReturn(node, type);
    if (s.throws.has(type) && this.fn && (type !== 'jump_expression' || this.txt(node).startsWith('throw'))) this.fn.throws = true;
    return true;
  }

  /** Records a string literal; returns whether to walk into it (interpolations can hold calls, plain literals hold nothing). */
  private visitString(node: N, type: string): boolean {
    const expr = this.expr(node, type);
    if (expr.kind !== 'string') return true;
    // Only Python has string statements worth knowing about (docstrings).
    if (this.language === 'python' && this.isStandalone(node, type)) expr.standalone = true;
    this.model.strings.push(expr);
    return false;
  }

  /** A Python string that is a statement of its own (a docstring): its statement's only named child. */
  private isStandalone(node: N, type: string): boolean {
    const parent = this.t.parent(node);
    if (!STANDALONE_STRINGS.has(type) || !parent || this.t.type(parent) !== 'expression_statement') return false;
    const named = this.t.namedChildren(parent);
    return named.length === 1 && named[0] === node;
  }

  // ---- expressions -------------------------------------------------------------------------------

  private depth = 0;

  /** The expression of a node; `type` is its type when the caller knows it. */
  expr(node: N, type?: string): Expr {
    const cached = this.exprCache.get(node);
    if (cached) return cached;
    // Pathological nesting (thousands of braces) must not exhaust the stack: past a depth, stop resolving.
    if (this.depth > MAX_EXPR_DEPTH) return { start: this.t.start(node), end: this.t.end(node), text: this.txt(node), kind: 'other' };
    this.depth++;
    try {
      const expr = this.toExpr(node, type ?? this.t.type(node));
      this.exprCache.set(node, expr);
      return expr;
    } finally {
      this.depth--;
    }
  }

  private toExpr(node: N, type: string): Expr {
    const s = this.s;
    const t = this.t;
    const base = { start: t.start(node), end: t.end(node), text: this.txt(node) };
    if (s.transparent.has(type)) {
      const inner = this.lastValueChild(node);
      if (inner) return { ...this.expr(inner), start: base.start, end: base.end, text: base.text };
    }
    if (s.strings.has(type)) return this.stringExpr(node, type);
    if (s.concatenated.has(type)) return this.concatenated(node, type, t.namedChildren(node));
    if (type === 'binary_expression' && this.operatorOf(node) === '+') {
      // Java/Kotlin "a" + "b": a constant when both sides are.
      const left = t.field(node, 'left') ?? t.namedChild(node, 0);
      const right = t.field(node, 'right') ?? t.namedChild(node, 1);
      if (left && right) {
        const l = this.expr(left);
        const r = this.expr(right);
        if (l.kind === 'string' && r.kind === 'string') {
          return {
            start: base.start,
            end: base.end,
            text: base.text,
            kind: 'string',
            value: (l.value ?? '') + (r.value ?? ''),
            content: { start: l.content?.start ?? l.start, end: r.content?.end ?? r.end },
          };
        }
      }
    }
    if (s.numbers.has(type)) return { start: base.start, end: base.end, text: base.text, kind: 'number', value: base.text };
    if ((type === 'unary_expression' || type === 'prefix_expression') && /^-\s*\d/.test(base.text)) {
      return { start: base.start, end: base.end, text: base.text, kind: 'number', value: base.text.replace(/\s+/g, '') };
    }
    if (s.booleans.has(type)) {
      return {
        start: base.start,
        end: base.end,
        text: base.text,
        kind: 'boolean',
        value: base.text === 'True' ? 'true' : base.text === 'False' ? 'false' : base.text,
      };
    }
    if (s.nulls.has(type)) return { start: base.start, end: base.end, text: base.text, kind: 'null', value: base.text };
    if (s.names.has(type) || s.selfNames.has(type)) {
      if (this.language === 'kotlin' && (base.text === 'true' || base.text === 'false')) {
        return { start: base.start, end: base.end, text: base.text, kind: 'boolean', value: base.text };
      }
      return { start: base.start, end: base.end, text: base.text, kind: 'name', value: normaliseName(base.text) };
    }
    if (s.calls.has(type) || type === 'object_creation_expression') {
      const call = this.callOf(node, type);
      if (call) return { start: base.start, end: base.end, text: base.text, kind: 'call', call };
    }
    if (s.arrays.has(type) || s.objects.has(type)) return this.collection(node, type);
    return this.composite(node, type, base);
  }

  /** An expression built from others (operators, casts, conditionals, interpolations): its parts on demand. */
  private composite(node: N, type: string, base: { start: number; end: number; text: string }): Expr {
    const operator = CONDITIONAL_TYPES.has(type) ? '?:' : BINARY_TYPES.has(type) ? this.operatorOf(node) : undefined;
    let parts: Expr[] | undefined;
    const builder = this;
    return {
      start: base.start,
      end: base.end,
      text: base.text,
      kind: 'other',
      ...(operator ? { operator } : {}),
      parts: () => (parts ??= builder.partsOf(node)),
    };
  }

  private partsOf(node: N): Expr[] {
    const t = this.t;
    const children = this.valueChildren(node);
    // A conditional's value is one of its branches; its test does not flow into it.
    const condition = CONDITIONAL_TYPES.has(t.type(node))
      ? (t.field(node, 'condition') ?? children[this.language === 'python' ? 1 : 0])
      : undefined;
    const parts: Expr[] = [];
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      const type = t.type(child);
      if (child === condition || PART_SKIPPED.test(type)) continue;
      if (type === 'string_content') {
        // The Kotlin grammar splits `bind key: $value` into `bind key: `, `$` and `value`: one run of text, read at once.
        let last = child;
        while (i + 1 < children.length && t.type(children[i + 1]) === 'string_content' && t.start(children[i + 1]) === t.end(last))
          last = children[++i];
        this.pushStringContent(t.start(child), t.end(last), parts);
      } else if (type === 'interpolation' || type === 'template_substitution') {
        const inner = t.field(child, 'expression') ?? this.valueChildren(child)[0];
        if (inner) parts.push(this.expr(inner));
      } else parts.push(this.expr(child, type));
    }
    return parts;
  }

  /** Literal text of an interpolated string; in Kotlin, `$name` inside it is a reference, not text. */
  private pushStringContent(at: number, end: number, parts: Expr[]): void {
    const text = this.slice(at, end);
    if (this.language !== 'kotlin' || !text.includes('$')) {
      parts.push({ start: at, end, text, kind: 'string', value: text });
      return;
    }
    let last = 0;
    for (const m of text.matchAll(/\$([A-Za-z_]\w*)/g)) {
      if (m.index > last)
        parts.push({
          start: at + last,
          end: at + m.index,
          text: text.slice(last, m.index),
          kind: 'string',
          value: text.slice(last, m.index),
        });
      const nameStart = at + m.index + 1;
      parts.push({ start: nameStart, end: nameStart + m[1].length, text: m[1], kind: 'name', value: m[1] });
      last = m.index + m[0].length;
    }
    if (last < text.length) parts.push({ start: at + last, end, text: text.slice(last), kind: 'string', value: text.slice(last) });
  }

  private stringExpr(node: N, type: string): Expr {
    const t = this.t;
    const base = { start: t.start(node), end: t.end(node), text: this.txt(node) };
    // Interpolated strings (f"..{x}", "$x", "${x}") are not constants. A grammar with no interpolation
    // node type (C, C++) need not look at the children.
    if (this.interpolates) {
      for (const child of t.namedChildren(node)) {
        if (INTERPOLATION.test(t.type(child))) return this.composite(node, type, base);
      }
    }
    // tree-sitter-kotlin reads `"$ip"` as plain content; a `$name` template is still not a constant.
    if (this.language === 'kotlin' && /(^|[^\\])\$[A-Za-z_{]/.test(base.text)) return this.composite(node, type, base);
    const decoded = decodeStringLiteral(this.language, base.text);
    if (!decoded) return { start: base.start, end: base.end, text: base.text, kind: 'other' };
    return {
      start: base.start,
      end: base.end,
      text: base.text,
      kind: 'string',
      value: decoded.value,
      content: { start: base.start + decoded.contentStart, end: base.start + decoded.contentEnd },
    };
  }

  private concatenated(node: N, type: string, parts: N[]): Expr {
    const base = { start: this.t.start(node), end: this.t.end(node), text: this.txt(node) };
    let value = '';
    let contentStart = -1;
    let contentEnd = -1;
    for (const part of parts) {
      const e = this.expr(part);
      if (e.kind !== 'string') return this.composite(node, type, base);
      value += e.value ?? '';
      if (contentStart < 0) contentStart = e.content?.start ?? e.start;
      contentEnd = e.content?.end ?? e.end;
    }
    return { start: base.start, end: base.end, text: base.text, kind: 'string', value, content: { start: contentStart, end: contentEnd } };
  }

  private collection(node: N, type: string): Expr {
    const t = this.t;
    const base = { start: t.start(node), end: t.end(node), text: this.txt(node) };
    let container = node;
    if (type === 'array_creation_expression') {
      const init = t.field(node, 'value') ?? t.namedChildren(node).find((c) => t.type(c) === 'array_initializer');
      if (!init) return { start: base.start, end: base.end, text: base.text, kind: 'other' };
      container = init;
    }
    // A collection whose first element is a key/value pair is an object (designated initializer, dict);
    // deciding from the first element spares looking at every element of a large table.
    let first = t.firstNamedChild(container);
    while (first && this.s.comments.has(t.type(first))) first = t.nextNamedSibling(first);
    if (first && this.s.pairs.has(t.type(first))) {
      const children = this.valueChildren(container);
      const pairs = children.filter((c) => this.s.pairs.has(t.type(c)));
      if (pairs.length === children.length) {
        const entries = pairs.map((p) => this.property(p)).filter(isPresent);
        return { start: base.start, end: base.end, text: base.text, kind: 'object', entries };
      }
    }
    // Firmware has large constant tables: their elements are resolved only if a rule asks.
    let elements: Expr[] | undefined;
    const builder = this;
    const elementsOf = () => builder.valueChildren(container).map((c) => builder.expr(c));
    return {
      start: base.start,
      end: base.end,
      text: base.text,
      kind: 'array',
      get elements() {
        return (elements ??= elementsOf());
      },
    };
  }

  /** The value-carrying child of a wrapper: the last named child that is not a type or a comment. */
  private lastValueChild(node: N): N | undefined {
    const t = this.t;
    const value = t.field(node, 'value') ?? t.field(node, 'argument');
    if (value) return value;
    const named = this.valueChildren(node).filter((c) => !/type/.test(t.type(c)));
    return named[named.length - 1];
  }

  private operatorOf(node: N): string | undefined {
    const t = this.t;
    const op = t.field(node, 'operator');
    if (op) return t.type(op);
    for (const child of t.children(node)) {
      if (!t.isNamed(child)) return t.type(child);
    }
    return undefined;
  }

  // ---- calls --------------------------------------------------------------------------------------

  private callOf(node: N, type: string): Call | undefined {
    const t = this.t;
    const language = this.language;
    let calleeNode: N | undefined;
    let isNew = false;
    if (type === 'method_invocation') {
      const object = t.field(node, 'object');
      const name = t.field(node, 'name');
      if (!name) return undefined;
      const callee =
        object && !this.s.selfNames.has(t.type(object)) ? `${normaliseName(this.txt(object))}.${this.txt(name)}` : this.txt(name);
      return this.makeCall(node, callee, this.txt(name), { start: t.start(object ?? name), end: t.end(name) }, false, () => ({
        argsNode: t.field(node, 'arguments'),
        receiverNode: object,
      }));
    }
    if (type === 'object_creation_expression' || type === 'new_expression') {
      calleeNode = t.field(node, 'type');
      isNew = true;
    } else if (language === 'kotlin') {
      calleeNode = t.namedChild(node, 0);
    } else {
      calleeNode = t.field(node, 'function');
    }
    if (!calleeNode) return undefined;
    const calleeType = t.type(calleeNode);
    // Strip generic arguments: Foo<Bar>(...) / template_function
    let calleeText = this.txt(calleeNode);
    if (calleeType === 'template_function' || calleeType === 'generic_type') {
      const inner = t.field(calleeNode, 'name') ?? t.namedChild(calleeNode, 0);
      if (inner) calleeText = this.txt(inner);
    }
    const callee = normaliseName(calleeText.includes('<') ? calleeText.replace(/<[^<>]*>/g, '') : calleeText);
    const name = callee.split('.').pop() ?? callee;
    const method = !isNew && (calleeType === 'field_expression' || calleeType === 'attribute' || calleeType === 'navigation_expression');
    const target = calleeNode;
    return this.makeCall(node, callee, name, { start: t.start(calleeNode), end: t.end(calleeNode) }, isNew, () => {
      let receiverNode: N | undefined;
      if (method) {
        const object = t.field(target, 'argument') ?? t.field(target, 'object') ?? t.namedChild(target, 0);
        if (object && object !== target) receiverNode = object;
      }
      if (language === 'kotlin' && !isNew) return { ...kotlinCallArguments(t, node), receiverNode };
      return { argsNode: t.field(node, 'arguments'), receiverNode };
    });
  }

  private makeCall(node: N, callee: string, name: string, calleeSpan: Span, isNew: boolean, locate: () => CallParts): Call {
    const t = this.t;
    return new LazyCall(
      this,
      node,
      locate,
      NAMED_ARGUMENT_LANGUAGES.has(this.language),
      t.start(node),
      t.end(node),
      callee,
      name,
      isNew,
      calleeSpan,
      this.fn,
    );
  }

  argumentsOf(argsNode: N | undefined, lambdaArg: N | undefined): { args: Expr[]; named: Property[] } {
    const args: Expr[] = [];
    const named: Property[] = [];
    for (const child of argsNode ? this.t.namedChildren(argsNode) : []) {
      const type = this.t.type(child);
      if (this.s.comments.has(type)) continue;
      const argument = this.argument(child, type);
      if (argument?.kind === 'named') named.push(argument.property);
      else if (argument) args.push(argument.expr);
    }
    if (lambdaArg) args.push(this.expr(lambdaArg));
    return { args, named };
  }

  /** One argument: named (Python `verify=False`, Kotlin `name = value`) or positional; undefined when empty. */
  private argument(child: N, type: string): { kind: 'named'; property: Property } | { kind: 'positional'; expr: Expr } | undefined {
    const named = (property: Property | undefined) => (property ? { kind: 'named' as const, property } : undefined);
    if (type === 'keyword_argument') return named(this.property(child));
    if (type !== 'value_argument') return { kind: 'positional', expr: this.expr(child, type) };
    const parts = this.t.namedChildren(child);
    const firstType = parts.length ? this.t.type(parts[0]) : '';
    if (parts.length >= 2 && (firstType === 'identifier' || firstType === 'simple_identifier')) return named(this.property(child));
    return parts.length ? { kind: 'positional', expr: this.expr(parts[parts.length - 1]) } : undefined;
  }

  private visitCall(node: N, type: string): void {
    const expr = this.expr(node, type);
    const call = expr.call;
    if (!call) return;
    call.fn = this.fn;
    this.model.calls.push(call);
    this.fn?.calls.push(call);
    if (STRCMP_LIKE.has(call.name) && call.args.length >= 2) {
      this.model.comparisons.push(callComparison(call, call.args[0], call.args[1], this.fn));
    } else if (EQUALS_METHODS.has(call.name) && call.receiver && call.args.length === 1) {
      this.model.comparisons.push(callComparison(call, call.receiver, call.args[0], this.fn));
    }
    // An anonymous class body: new X509TrustManager() { ... }
    if (type === 'object_creation_expression') {
      const body = this.t.namedChildren(node).find((c) => this.t.type(c) === 'class_body');
      if (body) this.pushClass(body, '', [lastSegment(call.callee)]);
    }
  }

  resultUseOf(node: N): Call['resultUse'] {
    const t = this.t;
    let child: N = node;
    let parent = t.parent(node);
    for (;;) {
      if (!parent) return 'other';
      const type = t.type(parent);
      if (RESULT_WRAPPERS.has(type)) {
        child = parent;
        parent = t.parent(parent);
        continue;
      }
      if (OPERATOR_PARENTS.has(type)) {
        const op = type === 'conjunction_expression' ? '&&' : type === 'disjunction_expression' ? '||' : (this.operatorOf(parent) ?? '');
        if (LOGICAL_OPERATORS.has(op)) {
          child = parent;
          parent = t.parent(parent);
          continue;
        }
        return COMPARISON_OPERATORS.has(op) ? 'comparison' : 'other';
      }
      break;
    }
    const type = t.type(parent);
    if (CONDITION_PARENTS.has(type)) {
      const condition = t.field(parent, 'condition');
      const second = () => {
        const node = t.namedChild(parent, 1);
        return node ? t.start(node) : Infinity;
      };
      return !condition || condition === child || (this.language === 'kotlin' && t.start(child) < second()) ? 'condition' : 'statement';
    }
    if (STATEMENT_PARENTS.has(type)) return 'statement';
    if (/return/.test(type) || (type === 'jump_expression' && this.txt(parent).startsWith('return'))) return 'return';
    if (/declarator|assignment|property_declaration|variable_declaration|default_parameter/.test(type)) return 'assignment';
    if (/argument/.test(type)) return 'argument';
    return 'other';
  }

  // ---- imports, variables, preprocessor ---------------------------------------------------------

  private visitImport(node: N, type: string): void {
    const t = this.t;
    const span = { start: t.start(node), end: t.end(node) };
    const push = (module: string, name?: string, local?: string) =>
      this.model.imports.push({ start: span.start, end: span.end, module, name, local });
    const text = (n: N | undefined) => (n ? this.txt(n) : undefined);
    switch (type) {
      case 'preproc_include': {
        const path = t.field(node, 'path');
        if (path) push(this.txt(path).replace(/^["<]|[">]$/g, ''));
        return;
      }
      case 'import_statement':
        for (const n of t.fieldAll(node, 'name')) {
          if (t.type(n) === 'aliased_import') push(text(t.field(n, 'name')) ?? '', undefined, text(t.field(n, 'alias')));
          else push(this.txt(n), undefined, this.txt(n).split('.')[0]);
        }
        return;
      case 'import_from_statement': {
        const module = text(t.field(node, 'module_name')) ?? '';
        const names = t.fieldAll(node, 'name');
        if (!names.length && /\*/.test(this.txt(node))) push(module, '*');
        for (const n of names) {
          if (t.type(n) === 'aliased_import') push(module, text(t.field(n, 'name')), text(t.field(n, 'alias')));
          else push(module, this.txt(n), this.txt(n));
        }
        return;
      }
      case 'import_declaration': {
        const id = t.namedChildren(node).find((c) => t.type(c) === 'scoped_identifier' || t.type(c) === 'identifier');
        if (!id) return;
        const wildcard = t.namedChildren(node).some((c) => t.type(c) === 'asterisk');
        const full = this.txt(id).replace(/\s+/g, '');
        if (wildcard) push(full, '*');
        else {
          const dot = full.lastIndexOf('.');
          push(dot > 0 ? full.slice(0, dot) : full, full.slice(dot + 1), full.slice(dot + 1));
        }
        return;
      }
      case 'import': {
        const id = t.namedChildren(node).find((c) => t.type(c) === 'qualified_identifier' || t.type(c) === 'identifier');
        if (!id) return;
        const full = this.txt(id).replace(/\s+/g, '');
        const alias = text(t.namedChildren(node).find((c) => t.type(c) === 'identifier' && c !== id));
        if (/\.\*$/.test(this.txt(node).trim())) push(full, '*');
        else {
          const dot = full.lastIndexOf('.');
          push(dot > 0 ? full.slice(0, dot) : full, full.slice(dot + 1), alias ?? full.slice(dot + 1));
        }
        return;
      }
    }
  }

  /** Declarations whose variables are read only if a rule asks (`model.variables` resolves them). */
  private readonly pendingVariables: { node: N; fn?: FunctionDef }[] = [];

  private visitVariables(node: N): void {
    this.pendingVariables.push({ node, fn: this.fn });
  }

  private variablesOf({ node, fn }: { node: N; fn?: FunctionDef }): Variable[] {
    const t = this.t;
    const typeNode = t.field(node, 'type');
    const type = typeNode ? this.txt(typeNode) : undefined;
    const variables: Variable[] = [];
    for (const d of t.fieldAll(node, 'declarator')) {
      const kind = t.type(d);
      if (kind === 'function_declarator') continue;
      const id = kind === 'identifier' || kind === 'field_identifier' ? d : findIdentifier(t, d);
      if (id) variables.push({ start: t.start(d), end: t.end(d), name: this.txt(id), type, fn });
    }
    return variables;
  }

  /** Makes `model.variables` resolve the pending declarations on first use, merged in source order. */
  private defineLazyVariables(): void {
    const eager = this.model.variables;
    let all: Variable[] | undefined;
    Object.defineProperty(this.model, 'variables', {
      enumerable: true,
      get: () => (all ??= [...eager, ...this.pendingVariables.flatMap((p) => this.variablesOf(p))].sort((a, b) => a.start - b.start)),
    });
  }

  private visitDirective(node: N, type: string): void {
    const t = this.t;
    const span = { start: t.start(node), end: t.end(node) };
    const fieldText = (name: string) => {
      const child = t.field(node, name);
      return child ? this.txt(child) : undefined;
    };
    switch (type) {
      case 'preproc_ifdef': {
        this.model.directives.push({
          start: span.start,
          end: span.end,
          kind: this.src.startsWith('#ifndef', span.start - this.srcStart) ? '#ifndef' : '#ifdef',
          condition: fieldText('name') ?? '',
        });
        return;
      }
      case 'preproc_if':
      case 'preproc_elif':
        this.model.directives.push({
          start: span.start,
          end: span.end,
          kind: type === 'preproc_if' ? '#if' : '#elif',
          condition: fieldText('condition') ?? '',
        });
        return;
      case 'preproc_else':
        this.model.directives.push({ start: span.start, end: span.end, kind: '#else', condition: '' });
        return;
      case 'preproc_call':
        if (fieldText('directive') === '#error') {
          this.model.directives.push({
            start: span.start,
            end: span.end,
            kind: '#error',
            condition: fieldText('argument')?.trim() ?? '',
          });
        }
        return;
    }
  }

  // ---- functions and classes --------------------------------------------------------------------

  private visitFunction(node: N, type: string): void {
    const t = this.t;
    let name = '';
    const nameNode = t.field(node, 'name');
    if (nameNode) name = this.txt(nameNode);
    else if (type === 'function_definition') {
      // C/C++: the name sits inside nested declarators.
      let d = t.field(node, 'declarator');
      while (d && t.type(d) !== 'function_declarator') d = t.field(d, 'declarator');
      const inner = d && t.field(d, 'declarator');
      if (inner) name = lastSegment(normaliseName(this.txt(inner)));
    } else if (type === 'function_declaration') {
      const id = t.namedChildren(node).find((c) => t.type(c) === 'identifier' || t.type(c) === 'simple_identifier');
      name = id ? this.txt(id) : '';
    }
    let body = t.field(node, 'body');
    if (!body && this.language === 'kotlin') {
      // function_body holds either a block or, for `fun f() = expr`, the expression itself.
      const functionBody = t.namedChildren(node).find((c) => t.type(c) === 'function_body');
      body = functionBody ? this.valueChildren(functionBody)[0] : undefined;
    }
    let params: string[] | undefined;
    // `returns` is resolved on first use, like call arguments: few rules look at return values.
    const returnNodes: ReturnSource[] = [];
    let returns: Expr[] | undefined;
    // A block's statements are counted on first use: only a rule asking whether a function is empty needs it.
    let statementCount: number | undefined;
    let block: N | undefined;
    const builder = this;
    const fn: FunctionDef = {
      start: t.start(node),
      end: t.end(node),
      name,
      calls: [],
      get statementCount() {
        return (statementCount ??= block ? builder.valueChildren(block).length : 0);
      },
      set statementCount(count: number) {
        statementCount = count;
      },
      get params() {
        return (params ??= builder.paramsOf(node));
      },
      get returns() {
        return (returns ??= builder.returnValues(returnNodes));
      },
      throws: false,
      className: this.classStack[this.classStack.length - 1]?.name,
    };
    if (type === 'lambda_literal') {
      const statements = this.valueChildren(node).filter((c) => t.type(c) !== 'lambda_parameters');
      fn.statementCount = statements.length;
      const last = statements[statements.length - 1];
      if (last) returnNodes.push({ node: last, statement: false });
      fn.body = { start: t.start(node), end: t.end(node) };
    } else if (body) {
      fn.body = { start: t.start(body), end: t.end(body) };
      const isBlock = /block|compound_statement|class_body/.test(t.type(body));
      if (isBlock) {
        block = body;
      } else {
        // Expression body: lambda `-> true`, Kotlin `= expr`.
        fn.statementCount = 1;
        returnNodes.push({ node: body, statement: false });
      }
    }
    const cls = this.classStack[this.classStack.length - 1];
    if (cls && t.start(node) < cls.end && !/lambda|anonymous/.test(type)) cls.methods.push(fn);
    this.returnNodes.set(fn, returnNodes);
    this.model.functions.push(fn);
    this.fnStack.push(fn);
  }

  private paramsOf(node: N): string[] {
    const t = this.t;
    let list = t.field(node, 'parameters');
    // C/C++: the parameters sit on the (abstract, for a C++ lambda) function declarator.
    if (!list && (t.type(node) === 'function_definition' || t.type(node) === 'lambda_expression')) {
      let d = t.field(node, 'declarator');
      while (d && t.type(d) !== 'function_declarator' && t.type(d) !== 'abstract_function_declarator') d = t.field(d, 'declarator');
      list = d && t.field(d, 'parameters');
    }
    if (!list) list = t.namedChildren(node).find((c) => t.type(c) === 'function_value_parameters' || t.type(c) === 'lambda_parameters');
    if (!list) return [];
    const names: string[] = [];
    for (const p of t.namedChildren(list)) {
      const id = t.type(p) === 'identifier' ? p : (t.field(p, 'name') ?? findIdentifier(t, p));
      if (id) names.push(this.txt(id));
    }
    return names;
  }

  private visitReturn(node: N, type: string): void {
    const fn = this.fn;
    if (!fn) return;
    if (type === 'jump_expression' && !this.txt(node).startsWith('return')) return;
    // Its value is found when a rule reads the function's returns (few do).
    this.returnNodes.get(fn)?.push({ node, statement: true });
  }

  /** The returned expressions: a return statement's value (none for a bare `return;`) or an expression body. */
  private returnValues(sources: readonly ReturnSource[]): Expr[] {
    const values: Expr[] = [];
    for (const { node, statement } of sources) {
      const value = statement ? this.valueChildren(node)[0] : node;
      if (value) values.push(this.expr(value));
    }
    return values;
  }

  private visitClass(node: N): void {
    const t = this.t;
    const nameNode =
      t.field(node, 'name') ?? t.namedChildren(node).find((c) => t.type(c) === 'type_identifier' || t.type(c) === 'identifier');
    const name = nameNode ? this.txt(nameNode) : '';
    const supertypes: string[] = [];
    const collect = (n: N | undefined) => {
      if (!n) return;
      const listType = t.type(n);
      for (const d of t.descendantsOfType(n, SUPERTYPE_NODES)) {
        const type = t.type(d);
        const parent = t.parent(d);
        if (type === 'type_identifier' || (type === 'identifier' && parent && t.type(parent) === 'user_type')) supertypes.push(this.txt(d));
        if (type === 'identifier' && listType === 'argument_list') supertypes.push(this.txt(d));
      }
    };
    collect(t.field(node, 'superclass'));
    collect(t.field(node, 'interfaces'));
    collect(t.field(node, 'superclasses'));
    for (const child of t.namedChildren(node)) {
      const type = t.type(child);
      if (type === 'base_class_clause' || type === 'delegation_specifiers' || type === 'delegation_specifier') collect(child);
    }
    this.pushClass(node, t.type(node) === 'object_literal' ? '' : name, [...new Set(supertypes)]);
  }

  private pushClass(node: N, name: string, supertypes: string[]): void {
    const cls: ClassDef = { start: this.t.start(node), end: this.t.end(node), name, supertypes, methods: [] };
    this.model.classes.push(cls);
    this.classStack.push(cls);
  }

  // ---- bindings -----------------------------------------------------------------------------------

  private addBinding(kind: BindingKind, node: N, targetNode: N, valueNode: N, constant: boolean, declaredType?: string): void {
    const t = this.t;
    const target = normaliseName(this.txt(targetNode));
    const targetSpan = { start: t.start(targetNode), end: t.end(targetNode) };
    const binding = new LazyBinding(
      this,
      valueNode,
      kind,
      t.start(node),
      t.end(node),
      lastSegment(target),
      target,
      targetSpan,
      constant,
      this.fn,
    );
    if (declaredType) binding.declaredType = declaredType;
    this.model.bindings.push(binding);
  }

  private visitDeclarator(node: N, type: string): void {
    const t = this.t;
    if (type === 'property_declaration') {
      // Kotlin: val|var <variable_declaration> [: type] = <expr>
      const decl = t.namedChildren(node).find((c) => t.type(c) === 'variable_declaration');
      const id = decl ? findIdentifier(t, decl) : undefined;
      const typeOf = (d: N | undefined) => {
        const typeNode = d && t.namedChildren(d).find((c) => /type$/.test(t.type(c)));
        return typeNode ? this.txt(typeNode) : undefined;
      };
      if (id) {
        this.model.variables.push({ start: t.start(node), end: t.end(node), name: this.txt(id), type: typeOf(decl), fn: this.fn });
      }
      const children = t.namedChildren(node);
      const value = children[children.length - 1];
      if (!id || !value || value === decl || t.type(value) === 'modifiers') return;
      const valueType = t.type(value);
      if (/type$/.test(valueType) || valueType === 'property_delegate' || valueType === 'getter' || valueType === 'setter') return;
      const text = this.txt(node);
      const constant =
        /^\s*(?:(?:private|public|internal|protected|const|override)\s+)*val\b/.test(text) || /\bconst\b/.test(text.slice(0, 40));
      this.addBinding('declaration', node, id, value, constant, typeOf(decl));
      return;
    }
    const declarator = t.field(node, 'declarator') ?? t.field(node, 'name');
    let value = t.field(node, 'value');
    // C++ direct initialisation `String pw("x")` / `std::string pw{"x"}`: the single argument is the value.
    if (value) {
      const valueType = t.type(value);
      if (
        (valueType === 'argument_list' ||
          (valueType === 'initializer_list' && this.language === 'cpp' && (!declarator || t.type(declarator) !== 'array_declarator'))) &&
        t.namedChildCount(value) === 1
      ) {
        value = t.namedChild(value, 0);
      }
    }
    if (!declarator || !value) return;
    const id = t.type(declarator) === 'identifier' ? declarator : (findIdentifier(t, declarator) ?? declarator);
    const decl = t.parent(node);
    const constant = !!decl && /\b(const|final|constexpr)\b/.test(this.slice(t.start(decl), Math.max(t.start(decl), t.start(node))));
    const typeNode = decl && t.field(decl, 'type');
    this.addBinding('declaration', node, id, value, constant, typeNode ? this.txt(typeNode) : undefined);
  }

  /**
   * C++11 default member initializer: `const String apPassword = "admin1234";` (or `{"admin1234"}`) in a class
   * body is the value every object of the class starts with, so the field is bound to it as a variable is.
   */
  private visitMemberInitializer(node: N): void {
    const t = this.t;
    const declarator = t.field(node, 'declarator');
    let value = t.field(node, 'default_value');
    if (!declarator || !value) return;
    if (t.type(value) === 'initializer_list' && t.type(declarator) !== 'array_declarator' && t.namedChildCount(value) === 1) {
      value = t.namedChild(value, 0);
    }
    const id = findIdentifier(t, declarator);
    if (!id || !value) return;
    const constant = /\b(const|constexpr)\b/.test(this.slice(t.start(node), t.start(declarator)));
    const typeNode = t.field(node, 'type');
    this.addBinding('declaration', node, id, value, constant, typeNode ? this.txt(typeNode) : undefined);
  }

  private visitAssignment(node: N): void {
    const t = this.t;
    const left = t.field(node, 'left') ?? t.namedChild(node, 0);
    const right = t.field(node, 'right') ?? t.namedChild(node, t.namedChildCount(node) - 1);
    if (!left || !right || left === right) return;
    if (this.visitKeyAssignment(node, left, right)) return;
    const leftType = t.type(left);
    if (leftType === 'pattern_list' || leftType === 'tuple_pattern') return;
    // `passkey += 100000`, `flags |= BIT(3)`: the target combines its old value with the right side, so its value
    // is the whole expression (unknown here), never the right side alone.
    this.addBinding('assignment', node, left, this.isCompoundAssignment(node) ? node : right, false);
  }

  /** `x += k` (C, C++, Java) or Kotlin's `x += k` (an `assignment_and_operator` child): not a plain `=`. */
  private isCompoundAssignment(node: N): boolean {
    const t = this.t;
    const op = this.operatorOf(node);
    if (op !== undefined && op !== '=') return op.endsWith('=') && op !== '==';
    return t.namedChildren(node).some((c) => t.type(c) === 'assignment_and_operator');
  }

  /** Python `cfg["password"] = "x"` (and the like): the string key names the target. Returns whether it was one. */
  private visitKeyAssignment(node: N, left: N, right: N): boolean {
    const t = this.t;
    const leftType = t.type(left);
    if (leftType !== 'subscript' && leftType !== 'subscript_expression' && leftType !== 'indexing_expression') return false;
    const key = t.field(left, 'subscript') ?? t.field(left, 'index') ?? t.namedChild(left, 1);
    const k = key && this.expr(key);
    if (!key || !k || k.kind !== 'string' || !k.value) return false;
    this.model.bindings.push({
      kind: 'assignment',
      start: t.start(node),
      end: t.end(node),
      name: k.value,
      target: k.value,
      targetSpan: { start: t.start(key), end: t.end(key) },
      value: this.expr(right),
      constant: false,
      fn: this.fn,
    });
    return true;
  }

  private property(node: N): Property | undefined {
    const t = this.t;
    let keyNode: N | undefined;
    let valueNode: N | undefined;
    const type = t.type(node);
    if (type === 'initializer_pair') {
      // `.a.b.password = x` has one designator per segment: the last one names the field.
      const designators = t.fieldAll(node, 'designator');
      const designator = designators[designators.length - 1] ?? t.namedChild(node, 0);
      keyNode = designator ? (findIdentifier(t, designator) ?? designator) : undefined;
      valueNode = t.field(node, 'value');
    } else if (type === 'value_argument') {
      const parts = t.namedChildren(node);
      keyNode = parts[0];
      valueNode = parts[parts.length - 1];
    } else {
      keyNode = t.field(node, 'key') ?? t.field(node, 'name');
      valueNode = t.field(node, 'value');
    }
    if (!keyNode || !valueNode || keyNode === valueNode) return undefined;
    const keyExpr = this.expr(keyNode);
    const key = keyExpr.kind === 'string' ? (keyExpr.value ?? '') : this.txt(keyNode).replace(/^\./, '');
    let value: Expr | undefined;
    const builder = this;
    const resolvedValueNode = valueNode;
    return {
      start: t.start(node),
      end: t.end(node),
      key,
      keySpan: { start: t.start(keyNode), end: t.end(keyNode) },
      get value() {
        return (value ??= builder.expr(resolvedValueNode));
      },
    };
  }

  private visitPair(node: N): void {
    const p = this.property(node);
    if (!p) return;
    if (this.t.type(node) === 'value_argument' && this.t.namedChildCount(node) < 2) return;
    this.model.bindings.push({
      kind: 'property',
      start: p.start,
      end: p.end,
      name: lastSegment(p.key),
      target: p.key,
      targetSpan: p.keySpan,
      get value() {
        return p.value;
      },
      constant: false,
      fn: this.fn,
    });
  }

  private visitDefine(node: N): void {
    const t = this.t;
    const name = t.field(node, 'name');
    const value = t.field(node, 'value');
    if (!name || !value) return;
    const raw = defineValueText(this.slice(t.start(value), t.end(node)));
    const trimmed = raw.trim();
    const lead = raw.indexOf(trimmed);
    const start = t.start(value) + lead;
    let expr: Expr;
    const decoded = /^(?:u8|u|U|L)?"/.test(trimmed) ? decodeAdjacentCStrings(trimmed) : undefined;
    if (decoded) {
      expr = {
        start,
        end: start + trimmed.length,
        text: trimmed,
        kind: 'string',
        value: decoded.value,
        content: { start: start + decoded.contentStart, end: start + decoded.contentEnd },
      };
      this.model.strings.push(expr);
    } else if (/^-?(0x[0-9a-f]+|\d+)[ul]*$/i.test(trimmed)) {
      expr = { start, end: start + trimmed.length, text: trimmed, kind: 'number', value: trimmed };
    } else {
      expr = {
        start,
        end: start + trimmed.length,
        text: trimmed,
        kind: /^[A-Za-z_][\w.]*$/.test(trimmed) ? 'name' : 'other',
        value: trimmed,
      };
    }
    this.model.bindings.push({
      kind: 'define',
      start: t.start(node),
      end: t.end(node),
      name: this.txt(name),
      target: this.txt(name),
      targetSpan: { start: t.start(name), end: t.end(name) },
      value: expr,
      constant: true,
      fn: this.fn,
    });
  }

  /** False only when the node's text proves it holds no equality operator. */
  private mayCompareEquality(node: N): boolean {
    const start = this.t.start(node);
    const end = this.t.end(node);
    if (end - start > EQUALITY_SCAN_LIMIT) return true;
    if (this.language === 'python') return /=|is/.test(this.txt(node));
    const src = this.src;
    for (let i = start - this.srcStart, last = end - this.srcStart; i < last; i++) if (src.charCodeAt(i) === 0x3d /* = */) return true;
    return false;
  }

  private visitDefault(node: N): void {
    const t = this.t;
    const name = t.field(node, 'name') ?? findIdentifier(t, node);
    const value = t.field(node, 'value') ?? t.field(node, 'default_value');
    if (!name || !value || name === value) return;
    this.addBinding('default', node, name, value, false);
  }

  private visitComparison(node: N): void {
    if (!this.mayCompareEquality(node)) return;
    const t = this.t;
    let operator: string | undefined;
    let left: N | undefined;
    let right: N | undefined;
    if (t.type(node) === 'comparison_operator') {
      const operands = t.namedChildren(node);
      if (operands.length !== 2) return;
      [left, right] = operands;
      operator = t
        .children(node)
        .filter((c) => !t.isNamed(c))
        .map((c) => t.type(c))
        .join(' ');
    } else {
      operator = this.operatorOf(node);
      left = t.field(node, 'left') ?? t.namedChild(node, 0);
      right = t.field(node, 'right') ?? t.namedChild(node, 1);
    }
    if (!operator || !EQUALITY_OPERATORS.has(operator) || !left || !right) return;
    this.model.comparisons.push({
      start: t.start(node),
      end: t.end(node),
      operator,
      left: this.expr(left),
      right: this.expr(right),
      fn: this.fn,
    });
  }
}

/**
 * A call whose arguments, receiver and result use are found on first use: most calls are never looked at
 * past their name, and resolving every argument of every call was most of the cost of building the model.
 * A class, not an object literal with getters: a literal's getters are new closures for every call.
 */
class LazyCall implements Call {
  readonly #builder: ModelBuilder;
  readonly #node: N;
  readonly #locate: () => CallParts;
  /** Rules ask every call for its named arguments; where the language has none, that costs no resolution. */
  readonly #hasNamed: boolean;
  #parts: CallParts | undefined;
  #resolved: { args: Expr[]; named: Property[] } | undefined;
  #receiver: Expr | undefined;
  #resultUse: Call['resultUse'];

  constructor(
    builder: ModelBuilder,
    node: N,
    locate: () => CallParts,
    hasNamed: boolean,
    public start: number,
    public end: number,
    public callee: string,
    public name: string,
    public isNew: boolean,
    public calleeSpan: Span,
    public fn: FunctionDef | undefined,
  ) {
    this.#builder = builder;
    this.#node = node;
    this.#locate = locate;
    this.#hasNamed = hasNamed;
  }

  get args(): Expr[] {
    return this.#resolve().args;
  }

  get named(): Property[] {
    return this.#hasNamed ? this.#resolve().named : NO_NAMED_ARGUMENTS;
  }

  get receiver(): Expr | undefined {
    this.#parts ??= this.#locate();
    if (!this.#receiver && this.#parts.receiverNode) this.#receiver = this.#builder.expr(this.#parts.receiverNode);
    return this.#receiver;
  }

  /** Found by climbing the node's parents; one rule asks, of a few calls. */
  get resultUse(): Call['resultUse'] {
    return (this.#resultUse ??= this.#builder.resultUseOf(this.#node));
  }

  #resolve(): { args: Expr[]; named: Property[] } {
    this.#parts ??= this.#locate();
    return (this.#resolved ??= this.#builder.argumentsOf(this.#parts.argsNode, this.#parts.lambdaArg));
  }
}

/** A binding whose value is resolved on first use, like call arguments: most bindings are filtered out by name first. */
class LazyBinding implements Binding {
  readonly #builder: ModelBuilder;
  readonly #valueNode: N;
  #value: Expr | undefined;
  declare declaredType?: string;

  constructor(
    builder: ModelBuilder,
    valueNode: N,
    public kind: BindingKind,
    public start: number,
    public end: number,
    public name: string,
    public target: string,
    public targetSpan: Span,
    public constant: boolean,
    public fn: FunctionDef | undefined,
  ) {
    this.#builder = builder;
    this.#valueNode = valueNode;
  }

  get value(): Expr {
    return (this.#value ??= this.#builder.expr(this.#valueNode));
  }
}

/**
 * Makes a class's getters enumerable, as an object literal's are: code that walks a model's objects with
 * `for...in` (model-fragments.ts shifting spans) reaches the lazily resolved parts too.
 */
function enumerableGetters(prototype: object, names: string[]): void {
  for (const name of names) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (descriptor) Object.defineProperty(prototype, name, { ...descriptor, enumerable: true });
  }
}
enumerableGetters(LazyCall.prototype, ['args', 'named', 'receiver', 'resultUse']);
enumerableGetters(LazyBinding.prototype, ['value']);

/**
 * Most binary expressions are arithmetic or ordering (`a + b`, `i < n`); an equality operator (`==`, `!=`,
 * `===`, `!==`, `is`, `is not`) is part of the expression's text, so a text without `=` (or `is`) spares
 * reading the operator from the tree. Only short texts are searched, so nested operators stay linear.
 */
const EQUALITY_SCAN_LIMIT = 4096;

/** Where a function's return value is: a return statement (its value inside) or an expression body. */
interface ReturnSource {
  node: N;
  statement: boolean;
}

/** Where a call's arguments and receiver are in the tree. */
interface CallParts {
  argsNode: N | undefined;
  lambdaArg?: N;
  receiverNode: N | undefined;
}

/** A Kotlin call's argument list and trailing lambda, directly under the call or inside its call_suffix. */
function kotlinCallArguments(t: FlatTree, call: N): { argsNode: N | undefined; lambdaArg: N | undefined } {
  let argsNode: N | undefined;
  let lambdaArg: N | undefined;
  const take = (child: N) => {
    const type = t.type(child);
    if (type === 'value_arguments') argsNode = child;
    else if (type === 'annotated_lambda') lambdaArg = t.namedChildren(child).find((c) => t.type(c) === 'lambda_literal');
  };
  for (const child of t.namedChildren(call)) {
    if (t.type(child) === 'call_suffix') t.namedChildren(child).forEach(take);
    else take(child);
  }
  return { argsNode, lambdaArg };
}

function isPresent<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

const PLAIN_IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `self.cfg->sta.password` → `cfg.sta.password`; `Update::begin` → `Update.begin`. */
export function normaliseName(text: string): string {
  // Most names are one plain identifier, which every step below leaves as it is.
  if (PLAIN_IDENTIFIER.test(text)) return text;
  return (
    withoutComments(text)
      // `new URL(u).openStream` keeps the space that separates `new` from the type.
      .replace(/\bnew\s+/g, 'new\u0000')
      .replace(/\s+/g, '')
      .replace(/\u0000/g, ' ')
      .replace(/->|::|\?\.|!!\./g, '.')
      .replace(/^[*&]+/, '')
      .replace(/^(this|self)\./, '')
  );
}

/**
 * A call chain's text without its comments (`.a()  // note\n  .b()`): `//` to the end of the line when it
 * starts the text or follows a blank, `;` or `)` (right after a colon it is a URL in a string argument,
 * `get("http://x").json`), and closed `/* … *\/`. A scan, not a global regex: /\/\*[\s\S]*?\*\// tried
 * at every `/*` of a text with no `*\/` is quadratic.
 */
function withoutComments(text: string): string {
  let out = '';
  let copied = 0;
  let at = 0;
  let unclosed = false; // once a `/*` finds no `*/`, none after it can either
  for (;;) {
    const slash = text.indexOf('/', at);
    if (slash < 0 || slash + 1 >= text.length) break;
    const next = text.charCodeAt(slash + 1);
    if (next === 0x2a /* * */) {
      const close = unclosed ? -1 : text.indexOf('*/', slash + 2);
      if (close < 0) unclosed = true;
      else out += text.slice(copied, slash);
      at = close < 0 ? slash + 1 : (copied = close + 2);
    } else if (next === 0x2f /* / */ && (slash === 0 || /\s|[;)]/.test(text[slash - 1]))) {
      const end = text.indexOf('\n', slash + 2);
      out += text.slice(copied, slash);
      at = copied = end < 0 ? text.length : end;
    } else at = slash + 1;
  }
  return out + text.slice(copied);
}

function lastSegment(name: string): string {
  const i = name.lastIndexOf('.');
  return i >= 0 ? name.slice(i + 1) : name;
}

function findIdentifier(t: FlatTree, node: N): N | undefined {
  const type = t.type(node);
  if (type === 'identifier' || type === 'field_identifier' || type === 'simple_identifier') return node;
  const named = t.field(node, 'declarator') ?? t.field(node, 'name');
  if (named) return findIdentifier(t, named);
  for (const child of t.namedChildren(node)) {
    const found = findIdentifier(t, child);
    if (found) return found;
  }
  return undefined;
}

/** `"a" "b"` in a #define body. */
function decodeAdjacentCStrings(text: string): { value: string; contentStart: number; contentEnd: number } | undefined {
  const parts = adjacentCStrings(text);
  if (!parts?.length) return undefined;
  let value = '';
  for (const p of parts) value += decodeStringLiteral('c', p.literal)?.value ?? '';
  const first = parts[0];
  const last = parts[parts.length - 1];
  return { value, contentStart: first.index + first.literal.indexOf('"') + 1, contentEnd: last.index + last.literal.length - 1 };
}

/**
 * The C string literals (`u8"…"`, `L"…"`, …) of a text made only of them and blanks, else undefined. A
 * scan, as a lexer reads them: a global string regex restarted after an unclosed quote at every escaped
 * quote is quadratic.
 */
function adjacentCStrings(text: string): { literal: string; index: number }[] | undefined {
  const parts: { literal: string; index: number }[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) return parts;
    const start = i;
    if (text.startsWith('u8"', i)) i += 2;
    else if ('uUL'.includes(text[i]) && text[i + 1] === '"') i += 1;
    if (text[i] !== '"') return undefined;
    const end = closingQuote(text, i + 1);
    if (end < 0) return undefined;
    i = end + 1;
    parts.push({ literal: text.slice(start, i), index: start });
  }
}

/** Where the string literal whose content starts at `from` closes, or -1 (a line end or the text's end first). */
function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return i;
    if (c === '\n') return -1;
    if (c === '\\') {
      // An escape takes any next character but a line terminator (as `.` in the regex it replaces).
      if (i + 1 >= text.length || /[\n\r\u2028\u2029]/.test(text[i + 1])) return -1;
      i++;
    }
  }
  return -1;
}
