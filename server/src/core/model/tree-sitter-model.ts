/**
 * Builds the code model from a tree-sitter tree in one cursor walk. Only node types listed in the
 * grammar table are materialised as objects; everything else is stepped over, which keeps model building
 * a small fraction of parse time.
 */
import { Query, type Language, type Node, type Tree } from 'web-tree-sitter';
import type { TreeSitterLanguage } from '../language';
import { endOf } from './node-end';
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
  visitedList: string[];
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
    visitedList: [],
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
  sets.visitedList = [...sets.visited];
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
 * (model-fragments.ts). Its lazily resolved parts read `node`'s tree: `settle` them while it lives.
 */
export function buildTreeSitterSubtreeModel(
  language: TreeSitterLanguage,
  node: Node,
  text: string,
): { model: CodeModel; release: () => void } {
  const builder = new ModelBuilder(language);
  // The model's strings are slices of the text it reads, and a slice keeps the whole string it was cut
  // from: a copy of just this subtree's text keeps a model kept between edits from holding every version.
  const own = copyOf(text.slice(node.startIndex, endOf(node)));
  return { model: builder.buildSubtree(node, own, node.startIndex), release: () => builder.release() };
}

/** A string that shares no memory with `text` (a JSON round trip is exact, lone surrogates included). */
function copyOf(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

const QUERIES = new Map<TreeSitterLanguage, Query>();
let standaloneStringQuery: Query | undefined;

/**
 * Python strings that are a statement of their own (docstrings), by node id. Asked of the query rather than
 * of `node.parent`, which tree-sitter finds by walking down from the root: once per string in a
 * `"a"+"a"+…` chain nested 40,000 deep, that took minutes.
 */
function standaloneStrings(tree: Tree, under: Node): Set<number> {
  standaloneStringQuery ??= new Query(tree.language, '(expression_statement . [(string) (concatenated_string)] @standalone .)');
  return new Set(standaloneStringQuery.captures(under).map((capture) => capture.node.id));
}

/** `(type) @type` for every node type the model visits that the grammar has. */
function queryFor(language: TreeSitterLanguage, grammar: Language): Query {
  let query = QUERIES.get(language);
  if (query) return query;
  const patterns: string[] = [];
  for (const type of setsFor(language).visitedList) {
    if (!/^[a-z_]+$/.test(type) || grammar.idForNodeType(type, true) === null) continue;
    // One node per pattern, no field constraints: a pattern such as `(binary_expression operator: "==")`
    // keeps a pending match open for every enclosing expression until its operator is reached, which made
    // `a+a+…+a` (one expression nested 10,000 deep) quadratic inside the query. visitComparison checks the operator.
    patterns.push(`(${type}) @${type}`);
  }
  query = new Query(grammar, patterns.join('\n'));
  QUERIES.set(language, query);
  return query;
}

/** The languages whose calls can name their arguments (Python `verify=False`, Kotlin `user = "u"`). */
const NAMED_ARGUMENT_LANGUAGES: ReadonlySet<TreeSitterLanguage> = new Set(['python', 'kotlin']);
/** Shared by every call of the other languages; frozen, so a rule that would change it fails loudly. */
const NO_NAMED_ARGUMENTS: Property[] = Object.freeze([]) as unknown as Property[];

class ModelBuilder {
  private readonly s: Sets;
  private readonly model = emptyModel();
  private readonly fnStack: FunctionDef[] = [];
  private readonly classStack: ClassDef[] = [];
  private readonly exprCache = new Map<number, Expr>();
  /** Return-value nodes per function; resolved into `FunctionDef.returns` on first use. */
  private readonly returnNodes = new Map<FunctionDef, ReturnSource[]>();

  private src = '';
  /** Where `src` starts in the file. */
  private srcStart = 0;
  private standalone = new Set<number>();
  /** Whether the grammar can interpolate into a string literal. */
  private interpolates = true;

  constructor(private readonly language: TreeSitterLanguage) {
    this.s = setsFor(language);
  }

  /** Node text from the source string: `node.text` crosses into WASM, a slice does not. */
  private txt(node: Node): string {
    return this.slice(node.startIndex, endOf(node));
  }

  /** The source between two offsets of the file (`src` may hold only the part of it being modelled). */
  private slice(start: number, end: number): string {
    return this.src.slice(start - this.srcStart, end - this.srcStart);
  }

  build(tree: Tree, text: string): CodeModel {
    return this.buildSubtree(tree.rootNode, text);
  }

  /**
   * The model of `top` and everything under it (the whole file when it is the root). `text` is the file's
   * text, or with `textStart` the part of it from that offset on that covers `top`.
   */
  buildSubtree(top: Node, text: string, textStart = 0): CodeModel {
    this.src = text;
    this.srcStart = textStart;
    const tree = top.tree;
    this.model.hasErrors = top.hasError;
    this.interpolates = interpolates(this.language, tree.language);
    if (this.language === 'python') this.standalone = standaloneStrings(tree, top);
    // One query run inside WASM returns just the nodes the model needs, in document order, each tagged
    // with its type (the capture name), so dispatching costs no call back into WASM.
    const captures = queryFor(this.language, tree.language).captures(top);
    // Outer nodes first when two start together (`"a" "b"`, `strcmp(..) == 0`): the walk relies on
    // seeing a node before anything nested in it.
    captures.sort((a, b) => a.node.startIndex - b.node.startIndex || endOf(b.node) - endOf(a.node));
    let skipUntil = -1;
    for (const { name: type, node } of captures) {
      if (node.startIndex < skipUntil) continue;
      this.popScopes(node.startIndex);
      if (!this.visit(node, type)) skipUntil = endOf(node);
    }
    this.defineLazyVariables();
    return this.model;
  }

  /**
   * Drops what only resolving lazy parts needs (the text, the caches by node): called once every part of
   * the model has been resolved, so a model kept between edits does not hold every old version of the text.
   */
  release(): void {
    this.src = '';
    this.exprCache.clear();
    this.returnNodes.clear();
    this.standalone.clear();
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
  private visit(node: Node, type: string): boolean {
    const s = this.s;
    if (s.comments.has(type)) {
      this.model.comments.push({ start: node.startIndex, end: endOf(node), text: this.txt(node) });
      return false;
    }
    if (IMPORT_TYPES.includes(type)) {
      this.visitImport(node, type);
      return false;
    }
    if (VARIABLE_TYPES.includes(type)) this.visitVariables(node);
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
  private visitString(node: Node, type: string): boolean {
    const expr = this.expr(node, type);
    if (expr.kind !== 'string') return true;
    // Only Python has string statements worth knowing about (docstrings).
    if (this.standalone.has(node.id)) expr.standalone = true;
    this.model.strings.push(expr);
    return false;
  }

  // ---- expressions -------------------------------------------------------------------------------

  private depth = 0;

  /** The expression of a node; `type` is its type when the caller knows it (reading it crosses into WASM). */
  expr(node: Node, type?: string): Expr {
    const cached = this.exprCache.get(node.id);
    if (cached) return cached;
    // Pathological nesting (thousands of braces) must not exhaust the stack: past a depth, stop resolving.
    if (this.depth > MAX_EXPR_DEPTH) return { start: node.startIndex, end: endOf(node), text: this.txt(node), kind: 'other' };
    this.depth++;
    try {
      const expr = this.toExpr(node, type ?? node.type);
      this.exprCache.set(node.id, expr);
      return expr;
    } finally {
      this.depth--;
    }
  }

  private toExpr(node: Node, type: string): Expr {
    const s = this.s;
    const base = { start: node.startIndex, end: endOf(node), text: this.txt(node) };
    if (s.transparent.has(type)) {
      const inner = this.lastValueChild(node);
      if (inner) return { ...this.expr(inner), start: base.start, end: base.end, text: base.text };
    }
    if (s.strings.has(type)) return this.stringExpr(node, type);
    if (s.concatenated.has(type)) return this.concatenated(node, type, node.namedChildren.filter(isPresent));
    if (type === 'binary_expression' && this.operatorOf(node) === '+') {
      // Java/Kotlin "a" + "b": a constant when both sides are.
      const left = node.childForFieldName('left') ?? node.namedChild(0);
      const right = node.childForFieldName('right') ?? node.namedChild(1);
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
  private composite(node: Node, type: string, base: { start: number; end: number; text: string }): Expr {
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

  private partsOf(node: Node): Expr[] {
    const children = node.namedChildren.filter(isPresent).filter((c) => !this.s.comments.has(c.type));
    // A conditional's value is one of its branches; its test does not flow into it.
    const condition = CONDITIONAL_TYPES.has(node.type)
      ? (node.childForFieldName('condition') ?? children[this.language === 'python' ? 1 : 0])
      : undefined;
    const parts: Expr[] = [];
    for (const child of children) {
      if (child.id === condition?.id || PART_SKIPPED.test(child.type)) continue;
      if (child.type === 'string_content') this.pushStringContent(child, parts);
      else if (child.type === 'interpolation' || child.type === 'template_substitution') {
        const inner = child.childForFieldName('expression') ?? child.namedChildren.find((c) => c && !this.s.comments.has(c.type));
        if (inner) parts.push(this.expr(inner));
      } else parts.push(this.expr(child));
    }
    return parts;
  }

  /** Literal text of an interpolated string; in Kotlin, `$name` inside it is a reference, not text. */
  private pushStringContent(node: Node, parts: Expr[]): void {
    const text = this.txt(node);
    const at = node.startIndex;
    if (this.language !== 'kotlin' || !text.includes('$')) {
      parts.push({ start: at, end: endOf(node), text, kind: 'string', value: text });
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
    if (last < text.length)
      parts.push({ start: at + last, end: endOf(node), text: text.slice(last), kind: 'string', value: text.slice(last) });
  }

  private stringExpr(node: Node, type: string): Expr {
    const base = { start: node.startIndex, end: endOf(node), text: this.txt(node) };
    // Interpolated strings (f"..{x}", "$x", "${x}") are not constants. A grammar with no interpolation
    // node type (C, C++) is not asked for the children: reading them crosses into WASM once per child.
    if (this.interpolates) {
      for (const child of node.namedChildren) {
        if (child && INTERPOLATION.test(child.type)) return this.composite(node, type, base);
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
      content: { start: node.startIndex + decoded.contentStart, end: node.startIndex + decoded.contentEnd },
    };
  }

  private concatenated(node: Node, type: string, parts: Node[]): Expr {
    const base = { start: node.startIndex, end: endOf(node), text: this.txt(node) };
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

  private collection(node: Node, type: string): Expr {
    const base = { start: node.startIndex, end: endOf(node), text: this.txt(node) };
    let container = node;
    if (type === 'array_creation_expression') {
      const init = node.childForFieldName('value') ?? node.namedChildren.find((c) => c?.type === 'array_initializer');
      if (!init) return { start: base.start, end: base.end, text: base.text, kind: 'other' };
      container = init;
    }
    // A collection whose first element is a key/value pair is an object (designated initializer, dict);
    // deciding from the first element spares looking at every element of a large table.
    let first = container.firstNamedChild;
    while (first && this.s.comments.has(first.type)) first = first.nextNamedSibling;
    if (first && this.s.pairs.has(first.type)) {
      const children = container.namedChildren.filter(isPresent).filter((c) => !this.s.comments.has(c.type));
      const pairs = children.filter((c) => this.s.pairs.has(c.type));
      if (pairs.length === children.length) {
        const entries = pairs.map((p) => this.property(p)).filter(isPresent);
        return { start: base.start, end: base.end, text: base.text, kind: 'object', entries };
      }
    }
    // Firmware has large constant tables: their elements are resolved only if a rule asks.
    let elements: Expr[] | undefined;
    const builder = this;
    const elementsOf = () =>
      container.namedChildren
        .filter(isPresent)
        .filter((c) => !builder.s.comments.has(c.type))
        .map((c) => builder.expr(c));
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
  private lastValueChild(node: Node): Node | undefined {
    const value = node.childForFieldName('value') ?? node.childForFieldName('argument');
    if (value) return value;
    const named = node.namedChildren.filter(isPresent).filter((c) => !this.s.comments.has(c.type) && !/type/.test(c.type));
    return named[named.length - 1];
  }

  private operatorOf(node: Node): string | undefined {
    const op = node.childForFieldName('operator');
    if (op) return op.type;
    for (const child of node.children) {
      if (child && !child.isNamed) return child.type;
    }
    return undefined;
  }

  // ---- calls --------------------------------------------------------------------------------------

  private callOf(node: Node, type: string): Call | undefined {
    const language = this.language;
    let calleeNode: Node | null = null;
    let isNew = false;
    if (type === 'method_invocation') {
      const object = node.childForFieldName('object');
      const name = node.childForFieldName('name');
      if (!name) return undefined;
      const callee = object && !this.s.selfNames.has(object.type) ? `${normaliseName(this.txt(object))}.${this.txt(name)}` : this.txt(name);
      return this.makeCall(node, callee, this.txt(name), { start: (object ?? name).startIndex, end: endOf(name) }, false, () => ({
        argsNode: node.childForFieldName('arguments'),
        receiverNode: object,
      }));
    }
    if (type === 'object_creation_expression' || type === 'new_expression') {
      calleeNode = node.childForFieldName('type');
      isNew = true;
    } else if (language === 'kotlin') {
      calleeNode = node.namedChild(0);
    } else {
      calleeNode = node.childForFieldName('function');
    }
    if (!calleeNode) return undefined;
    const calleeType = calleeNode.type;
    // Strip generic arguments: Foo<Bar>(...) / template_function
    let calleeText = this.txt(calleeNode);
    if (calleeType === 'template_function' || calleeType === 'generic_type') {
      const inner = calleeNode.childForFieldName('name') ?? calleeNode.namedChild(0);
      if (inner) calleeText = this.txt(inner);
    }
    const callee = normaliseName(calleeText.includes('<') ? calleeText.replace(/<[^<>]*>/g, '') : calleeText);
    const name = callee.split('.').pop() ?? callee;
    const method = !isNew && (calleeType === 'field_expression' || calleeType === 'attribute' || calleeType === 'navigation_expression');
    const target = calleeNode;
    return this.makeCall(node, callee, name, { start: calleeNode.startIndex, end: endOf(calleeNode) }, isNew, () => {
      let receiverNode: Node | null = null;
      if (method) {
        const object = target.childForFieldName('argument') ?? target.childForFieldName('object') ?? target.namedChild(0);
        if (object && object.id !== target.id) receiverNode = object;
      }
      if (language === 'kotlin' && !isNew) return { ...kotlinCallArguments(node), receiverNode };
      return { argsNode: node.childForFieldName('arguments'), receiverNode };
    });
  }

  /**
   * Arguments and the receiver are found and resolved on first use: most calls are never looked at past
   * their name, and resolving every argument of every call was most of the cost of building the model (each
   * child found crosses into WASM). The model is therefore valid only while its tree is (checkFile and the
   * language server run rules before deleting it).
   */
  private makeCall(
    node: Node,
    callee: string,
    name: string,
    calleeSpan: { start: number; end: number },
    isNew: boolean,
    locate: () => CallParts,
  ): Call {
    let parts: CallParts | undefined;
    let resolved: { args: Expr[]; named: Property[] } | undefined;
    let receiver: Expr | undefined;
    let resultUse: Call['resultUse'];
    const builder = this;
    const resolve = () => {
      parts ??= locate();
      return (resolved ??= builder.argumentsOf(parts.argsNode, parts.lambdaArg));
    };
    // Rules ask every call for its named arguments; where the language has none, that costs no resolution.
    const hasNamed = NAMED_ARGUMENT_LANGUAGES.has(this.language);
    return {
      start: node.startIndex,
      end: endOf(node),
      callee,
      name,
      isNew,
      calleeSpan,
      fn: this.fn,
      get args() {
        return resolve().args;
      },
      get named() {
        return hasNamed ? resolve().named : NO_NAMED_ARGUMENTS;
      },
      get receiver() {
        parts ??= locate();
        if (!receiver && parts.receiverNode) receiver = builder.expr(parts.receiverNode);
        return receiver;
      },
      // Found by climbing the node's parents (each step crosses into WASM); one rule asks, of a few calls.
      get resultUse() {
        return (resultUse ??= builder.resultUseOf(node));
      },
    };
  }

  private argumentsOf(argsNode: Node | null, lambdaArg: Node | undefined): { args: Expr[]; named: Property[] } {
    const args: Expr[] = [];
    const named: Property[] = [];
    for (const child of argsNode?.namedChildren ?? []) {
      if (!child) continue;
      const type = child.type;
      if (this.s.comments.has(type)) continue;
      const argument = this.argument(child, type);
      if (argument?.kind === 'named') named.push(argument.property);
      else if (argument) args.push(argument.expr);
    }
    if (lambdaArg) args.push(this.expr(lambdaArg));
    return { args, named };
  }

  /** One argument: named (Python `verify=False`, Kotlin `name = value`) or positional; undefined when empty. */
  private argument(child: Node, type: string): { kind: 'named'; property: Property } | { kind: 'positional'; expr: Expr } | undefined {
    const named = (property: Property | undefined) => (property ? { kind: 'named' as const, property } : undefined);
    if (type === 'keyword_argument') return named(this.property(child));
    if (type !== 'value_argument') return { kind: 'positional', expr: this.expr(child, type) };
    const parts = child.namedChildren.filter(isPresent);
    if (parts.length >= 2 && (parts[0].type === 'identifier' || parts[0].type === 'simple_identifier')) return named(this.property(child));
    return parts.length ? { kind: 'positional', expr: this.expr(parts[parts.length - 1]) } : undefined;
  }

  private visitCall(node: Node, type: string): void {
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
      const body = node.namedChildren.find((c) => c?.type === 'class_body');
      if (body) this.pushClass(body, '', [lastSegment(call.callee)]);
    }
  }

  private resultUseOf(node: Node): Call['resultUse'] {
    let child: Node = node;
    let parent = node.parent;
    for (;;) {
      if (!parent) return 'other';
      if (RESULT_WRAPPERS.has(parent.type)) {
        child = parent;
        parent = parent.parent;
        continue;
      }
      if (OPERATOR_PARENTS.has(parent.type)) {
        const op =
          parent.type === 'conjunction_expression'
            ? '&&'
            : parent.type === 'disjunction_expression'
              ? '||'
              : (this.operatorOf(parent) ?? '');
        if (LOGICAL_OPERATORS.has(op)) {
          child = parent;
          parent = parent.parent;
          continue;
        }
        return COMPARISON_OPERATORS.has(op) ? 'comparison' : 'other';
      }
      break;
    }
    const type = parent.type;
    if (CONDITION_PARENTS.has(type)) {
      const condition = parent.childForFieldName('condition');
      return !condition ||
        condition.id === child.id ||
        (this.language === 'kotlin' && child.startIndex < (parent.namedChild(1)?.startIndex ?? Infinity))
        ? 'condition'
        : 'statement';
    }
    if (STATEMENT_PARENTS.has(type)) return 'statement';
    if (/return/.test(type) || (type === 'jump_expression' && parent.text.startsWith('return'))) return 'return';
    if (/declarator|assignment|property_declaration|variable_declaration|default_parameter/.test(type)) return 'assignment';
    if (/argument/.test(type)) return 'argument';
    return 'other';
  }

  // ---- imports, variables, preprocessor ---------------------------------------------------------

  private visitImport(node: Node, type: string): void {
    const span = { start: node.startIndex, end: endOf(node) };
    const push = (module: string, name?: string, local?: string) =>
      this.model.imports.push({ start: span.start, end: span.end, module, name, local });
    switch (type) {
      case 'preproc_include': {
        const path = node.childForFieldName('path');
        if (path) push(this.txt(path).replace(/^["<]|[">]$/g, ''));
        return;
      }
      case 'import_statement':
        for (const n of node.childrenForFieldName('name')) {
          if (!n) continue;
          if (n.type === 'aliased_import') push(n.childForFieldName('name')?.text ?? '', undefined, n.childForFieldName('alias')?.text);
          else push(n.text, undefined, n.text.split('.')[0]);
        }
        return;
      case 'import_from_statement': {
        const module = node.childForFieldName('module_name')?.text ?? '';
        const names = node.childrenForFieldName('name').filter(isPresent);
        if (!names.length && /\*/.test(node.text)) push(module, '*');
        for (const n of names) {
          if (n.type === 'aliased_import') push(module, n.childForFieldName('name')?.text, n.childForFieldName('alias')?.text);
          else push(module, n.text, n.text);
        }
        return;
      }
      case 'import_declaration': {
        const id = node.namedChildren.find((c) => c && (c.type === 'scoped_identifier' || c.type === 'identifier'));
        if (!id) return;
        const wildcard = node.namedChildren.some((c) => c?.type === 'asterisk');
        const full = id.text.replace(/\s+/g, '');
        if (wildcard) push(full, '*');
        else {
          const dot = full.lastIndexOf('.');
          push(dot > 0 ? full.slice(0, dot) : full, full.slice(dot + 1), full.slice(dot + 1));
        }
        return;
      }
      case 'import': {
        const id = node.namedChildren.find((c) => c && (c.type === 'qualified_identifier' || c.type === 'identifier'));
        if (!id) return;
        const full = id.text.replace(/\s+/g, '');
        const alias = node.namedChildren.filter(isPresent).find((c) => c.type === 'identifier' && c.id !== id.id)?.text;
        if (/\.\*$/.test(node.text.trim())) push(full, '*');
        else {
          const dot = full.lastIndexOf('.');
          push(dot > 0 ? full.slice(0, dot) : full, full.slice(dot + 1), alias ?? full.slice(dot + 1));
        }
        return;
      }
    }
  }

  /** Declarations whose variables are read only if a rule asks (`model.variables` resolves them). */
  private readonly pendingVariables: { node: Node; fn?: FunctionDef }[] = [];

  private visitVariables(node: Node): void {
    this.pendingVariables.push({ node, fn: this.fn });
  }

  private variablesOf({ node, fn }: { node: Node; fn?: FunctionDef }): Variable[] {
    const typeNode = node.childForFieldName('type');
    const type = typeNode ? this.txt(typeNode) : undefined;
    const variables: Variable[] = [];
    for (const d of node.childrenForFieldName('declarator')) {
      const kind = d?.type;
      if (!d || kind === 'function_declarator') continue;
      const id = kind === 'identifier' || kind === 'field_identifier' ? d : findIdentifier(d);
      if (id) variables.push({ start: d.startIndex, end: endOf(d), name: this.txt(id), type, fn });
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

  private visitDirective(node: Node, type: string): void {
    const span = { start: node.startIndex, end: endOf(node) };
    switch (type) {
      case 'preproc_ifdef': {
        const name = node.childForFieldName('name')?.text ?? '';
        this.model.directives.push({
          start: span.start,
          end: span.end,
          kind: this.src.startsWith('#ifndef', node.startIndex - this.srcStart) ? '#ifndef' : '#ifdef',
          condition: name,
        });
        return;
      }
      case 'preproc_if':
      case 'preproc_elif':
        this.model.directives.push({
          start: span.start,
          end: span.end,
          kind: type === 'preproc_if' ? '#if' : '#elif',
          condition: node.childForFieldName('condition')?.text ?? '',
        });
        return;
      case 'preproc_else':
        this.model.directives.push({ start: span.start, end: span.end, kind: '#else', condition: '' });
        return;
      case 'preproc_call':
        if (node.childForFieldName('directive')?.text === '#error') {
          this.model.directives.push({
            start: span.start,
            end: span.end,
            kind: '#error',
            condition: node.childForFieldName('argument')?.text.trim() ?? '',
          });
        }
        return;
    }
  }

  // ---- functions and classes --------------------------------------------------------------------

  private visitFunction(node: Node, type: string): void {
    let name = '';
    const nameNode = node.childForFieldName('name');
    if (nameNode) name = this.txt(nameNode);
    else if (type === 'function_definition') {
      // C/C++: the name sits inside nested declarators.
      let d = node.childForFieldName('declarator');
      while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
      const inner = d?.childForFieldName('declarator');
      if (inner) name = lastSegment(normaliseName(inner.text));
    } else if (type === 'function_declaration') {
      name = node.namedChildren.find((c) => c?.type === 'identifier' || c?.type === 'simple_identifier')?.text ?? '';
    }
    let body: Node | null = node.childForFieldName('body');
    if (!body && this.language === 'kotlin') {
      // function_body holds either a block or, for `fun f() = expr`, the expression itself.
      const functionBody = node.namedChildren.find((c) => c?.type === 'function_body');
      body = functionBody?.namedChildren.find((c) => c && !this.s.comments.has(c.type)) ?? null;
    }
    let params: string[] | undefined;
    // `returns` is resolved on first use, like call arguments: few rules look at return values.
    const returnNodes: ReturnSource[] = [];
    let returns: Expr[] | undefined;
    // A block's statements are counted on first use: reading them crosses into WASM once per statement, and
    // only a rule asking whether a function is empty needs the count.
    let statementCount: number | undefined;
    let block: Node | undefined;
    const builder = this;
    const fn: FunctionDef = {
      start: node.startIndex,
      end: endOf(node),
      name,
      calls: [],
      get statementCount() {
        return (statementCount ??= block ? builder.statementsIn(block) : 0);
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
      const statements = node.namedChildren.filter(isPresent).filter((c) => c.type !== 'lambda_parameters' && !this.s.comments.has(c.type));
      fn.statementCount = statements.length;
      const last = statements[statements.length - 1];
      if (last) returnNodes.push({ node: last, statement: false });
      fn.body = { start: node.startIndex, end: endOf(node) };
    } else if (body) {
      fn.body = { start: body.startIndex, end: endOf(body) };
      const isBlock = /block|compound_statement|class_body/.test(body.type);
      if (isBlock) {
        block = body;
      } else {
        // Expression body: lambda `-> true`, Kotlin `= expr`.
        fn.statementCount = 1;
        returnNodes.push({ node: body, statement: false });
      }
    }
    const cls = this.classStack[this.classStack.length - 1];
    if (cls && node.startIndex < cls.end && !/lambda|anonymous/.test(type)) cls.methods.push(fn);
    this.returnNodes.set(fn, returnNodes);
    this.model.functions.push(fn);
    this.fnStack.push(fn);
  }

  /** How many named children of a block are not comments. */
  private statementsIn(block: Node): number {
    return block.namedChildren.filter((c) => c && !this.s.comments.has(c.type)).length;
  }

  private paramsOf(node: Node): string[] {
    let list: Node | null = node.childForFieldName('parameters');
    if (!list && node.type === 'function_definition') {
      let d = node.childForFieldName('declarator');
      while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
      list = d?.childForFieldName('parameters') ?? null;
    }
    if (!list) list = node.namedChildren.find((c) => c?.type === 'function_value_parameters' || c?.type === 'lambda_parameters') ?? null;
    if (!list) return [];
    const names: string[] = [];
    for (const p of list.namedChildren) {
      if (!p) continue;
      const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? findIdentifier(p));
      if (id) names.push(id.text);
    }
    return names;
  }

  private visitReturn(node: Node, type: string): void {
    const fn = this.fn;
    if (!fn) return;
    if (type === 'jump_expression' && !node.text.startsWith('return')) return;
    // Its value is found when a rule reads the function's returns (few do).
    this.returnNodes.get(fn)?.push({ node, statement: true });
  }

  /** The returned expressions: a return statement's value (none for a bare `return;`) or an expression body. */
  private returnValues(sources: readonly ReturnSource[]): Expr[] {
    const values: Expr[] = [];
    for (const { node, statement } of sources) {
      const value = statement ? node.namedChildren.find((c) => c && !this.s.comments.has(c.type)) : node;
      if (value) values.push(this.expr(value));
    }
    return values;
  }

  private visitClass(node: Node): void {
    const name =
      node.childForFieldName('name')?.text ??
      node.namedChildren.find((c) => c?.type === 'type_identifier' || c?.type === 'identifier')?.text ??
      '';
    const supertypes: string[] = [];
    const collect = (n: Node | null) => {
      if (!n) return;
      for (const t of n.descendantsOfType(['type_identifier', 'identifier', 'scoped_type_identifier', 'user_type'])) {
        if (t && (t.type === 'type_identifier' || (t.type === 'identifier' && t.parent?.type === 'user_type'))) supertypes.push(t.text);
        if (t && t.type === 'identifier' && n.type === 'argument_list') supertypes.push(t.text);
      }
    };
    collect(node.childForFieldName('superclass'));
    collect(node.childForFieldName('interfaces'));
    collect(node.childForFieldName('superclasses'));
    for (const child of node.namedChildren) {
      if (
        child &&
        (child.type === 'base_class_clause' || child.type === 'delegation_specifiers' || child.type === 'delegation_specifier')
      ) {
        collect(child);
      }
    }
    this.pushClass(node, node.type === 'object_literal' ? '' : name, [...new Set(supertypes)]);
  }

  private pushClass(node: Node, name: string, supertypes: string[]): void {
    const cls: ClassDef = { start: node.startIndex, end: endOf(node), name, supertypes, methods: [] };
    this.model.classes.push(cls);
    this.classStack.push(cls);
  }

  // ---- bindings -----------------------------------------------------------------------------------

  private addBinding(kind: BindingKind, node: Node, targetNode: Node, valueNode: Node, constant: boolean, declaredType?: string): void {
    const target = normaliseName(this.txt(targetNode));
    let value: Expr | undefined;
    const builder = this;
    const binding: Binding = {
      kind,
      start: node.startIndex,
      end: endOf(node),
      name: lastSegment(target),
      target,
      targetSpan: { start: targetNode.startIndex, end: endOf(targetNode) },
      // Resolved on first use, like call arguments: most bindings are filtered out by name first.
      get value() {
        return (value ??= builder.expr(valueNode));
      },
      constant,
      fn: this.fn,
    };
    if (declaredType) binding.declaredType = declaredType;
    this.model.bindings.push(binding);
  }

  private visitDeclarator(node: Node, type: string): void {
    if (type === 'property_declaration') {
      // Kotlin: val|var <variable_declaration> [: type] = <expr>
      const decl = node.namedChildren.find((c) => c?.type === 'variable_declaration');
      const id = decl ? findIdentifier(decl) : undefined;
      if (id) {
        const declaredType = decl?.namedChildren.find((c) => c && /type$/.test(c.type))?.text;
        this.model.variables.push({ start: node.startIndex, end: endOf(node), name: id.text, type: declaredType, fn: this.fn });
      }
      const children = node.namedChildren.filter(isPresent);
      const value = children[children.length - 1];
      if (!id || !value || value === decl || value.type === 'modifiers') return;
      if (/type$/.test(value.type) || value.type === 'property_delegate' || value.type === 'getter' || value.type === 'setter') return;
      const constant =
        /^\s*(?:(?:private|public|internal|protected|const|override)\s+)*val\b/.test(node.text) || /\bconst\b/.test(node.text.slice(0, 40));
      const type = decl?.namedChildren.find((c) => c && /type$/.test(c.type))?.text;
      this.addBinding('declaration', node, id, value, constant, type);
      return;
    }
    const declarator = node.childForFieldName('declarator') ?? node.childForFieldName('name');
    let value = node.childForFieldName('value');
    // C++ direct initialisation `String pw("x")` / `std::string pw{"x"}`: the single argument is the value.
    if (
      value &&
      (value.type === 'argument_list' ||
        (value.type === 'initializer_list' && this.language === 'cpp' && declarator?.type !== 'array_declarator')) &&
      value.namedChildCount === 1
    ) {
      value = value.namedChild(0);
    }
    if (!declarator || !value) return;
    const id = declarator.type === 'identifier' ? declarator : (findIdentifier(declarator) ?? declarator);
    const decl = node.parent;
    const constant = !!decl && /\b(const|final|constexpr)\b/.test(this.slice(decl.startIndex, Math.max(decl.startIndex, node.startIndex)));
    const typeNode = decl?.childForFieldName('type');
    this.addBinding('declaration', node, id, value, constant, typeNode ? this.txt(typeNode) : undefined);
  }

  private visitAssignment(node: Node): void {
    const left = node.childForFieldName('left') ?? node.namedChild(0);
    const right = node.childForFieldName('right') ?? node.namedChild(node.namedChildCount - 1);
    if (!left || !right || left.id === right.id) return;
    if (this.visitKeyAssignment(node, left, right)) return;
    if (left.type === 'pattern_list' || left.type === 'tuple_pattern') return;
    this.addBinding('assignment', node, left, right, false);
  }

  /** Python `cfg["password"] = "x"` (and the like): the string key names the target. Returns whether it was one. */
  private visitKeyAssignment(node: Node, left: Node, right: Node): boolean {
    if (left.type !== 'subscript' && left.type !== 'subscript_expression' && left.type !== 'indexing_expression') return false;
    const key = left.childForFieldName('subscript') ?? left.childForFieldName('index') ?? left.namedChild(1);
    const k = key && this.expr(key);
    if (!key || !k || k.kind !== 'string' || !k.value) return false;
    this.model.bindings.push({
      kind: 'assignment',
      start: node.startIndex,
      end: endOf(node),
      name: k.value,
      target: k.value,
      targetSpan: { start: key.startIndex, end: endOf(key) },
      value: this.expr(right),
      constant: false,
      fn: this.fn,
    });
    return true;
  }

  private property(node: Node): Property | undefined {
    let keyNode: Node | null = null;
    let valueNode: Node | null = null;
    if (node.type === 'initializer_pair') {
      // `.a.b.password = x` has one designator per segment: the last one names the field.
      const designators = node.childrenForFieldName('designator').filter(isPresent);
      const designator = designators[designators.length - 1] ?? node.namedChild(0);
      keyNode = designator ? (findIdentifier(designator) ?? designator) : null;
      valueNode = node.childForFieldName('value');
    } else if (node.type === 'value_argument') {
      const parts = node.namedChildren.filter(isPresent);
      keyNode = parts[0] ?? null;
      valueNode = parts[parts.length - 1] ?? null;
    } else {
      keyNode = node.childForFieldName('key') ?? node.childForFieldName('name');
      valueNode = node.childForFieldName('value');
    }
    if (!keyNode || !valueNode || keyNode.id === valueNode.id) return undefined;
    const keyExpr = this.expr(keyNode);
    const key = keyExpr.kind === 'string' ? (keyExpr.value ?? '') : this.txt(keyNode).replace(/^\./, '');
    let value: Expr | undefined;
    const builder = this;
    const resolvedValueNode = valueNode;
    return {
      start: node.startIndex,
      end: endOf(node),
      key,
      keySpan: { start: keyNode.startIndex, end: endOf(keyNode) },
      get value() {
        return (value ??= builder.expr(resolvedValueNode));
      },
    };
  }

  private visitPair(node: Node): void {
    const p = this.property(node);
    if (!p) return;
    if (node.type === 'value_argument' && node.namedChildCount < 2) return;
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

  private visitDefine(node: Node): void {
    const name = node.childForFieldName('name');
    const value = node.childForFieldName('value');
    if (!name || !value) return;
    const raw = this.txt(value);
    const trimmed = raw.trim();
    const lead = raw.indexOf(trimmed);
    let expr: Expr;
    const decoded = /^(?:u8|u|U|L)?"/.test(trimmed) ? decodeAdjacentCStrings(trimmed) : undefined;
    if (decoded) {
      const start = value.startIndex + lead;
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
      expr = {
        start: value.startIndex + lead,
        end: value.startIndex + lead + trimmed.length,
        text: trimmed,
        kind: 'number',
        value: trimmed,
      };
    } else {
      expr = {
        start: value.startIndex + lead,
        end: value.startIndex + lead + trimmed.length,
        text: trimmed,
        kind: /^[A-Za-z_][\w.]*$/.test(trimmed) ? 'name' : 'other',
        value: trimmed,
      };
    }
    this.model.bindings.push({
      kind: 'define',
      start: node.startIndex,
      end: endOf(node),
      name: this.txt(name),
      target: this.txt(name),
      targetSpan: { start: name.startIndex, end: endOf(name) },
      value: expr,
      constant: true,
      fn: this.fn,
    });
  }

  /** False only when the node's text proves it holds no equality operator. */
  private mayCompareEquality(node: Node): boolean {
    if (endOf(node) - node.startIndex > EQUALITY_SCAN_LIMIT) return true;
    if (this.language === 'python') return /=|is/.test(this.txt(node));
    const src = this.src;
    for (let i = node.startIndex - this.srcStart, end = endOf(node) - this.srcStart; i < end; i++)
      if (src.charCodeAt(i) === 0x3d /* = */) return true;
    return false;
  }

  private visitDefault(node: Node): void {
    const name = node.childForFieldName('name') ?? findIdentifier(node);
    const value = node.childForFieldName('value') ?? node.childForFieldName('default_value');
    if (!name || !value || name.id === value.id) return;
    this.addBinding('default', node, name, value, false);
  }

  private visitComparison(node: Node): void {
    if (!this.mayCompareEquality(node)) return;
    let operator: string | undefined;
    let left: Node | null = null;
    let right: Node | null = null;
    if (node.type === 'comparison_operator') {
      const operands = node.namedChildren.filter(isPresent);
      if (operands.length !== 2) return;
      [left, right] = operands;
      operator = node.children
        .filter((c) => c && !c.isNamed)
        .map((c) => c!.type)
        .join(' ');
    } else {
      operator = this.operatorOf(node);
      left = node.childForFieldName('left') ?? node.namedChild(0);
      right = node.childForFieldName('right') ?? node.namedChild(1);
    }
    if (!operator || !EQUALITY_OPERATORS.has(operator) || !left || !right) return;
    this.model.comparisons.push({
      start: node.startIndex,
      end: endOf(node),
      operator,
      left: this.expr(left),
      right: this.expr(right),
      fn: this.fn,
    });
  }
}

/**
 * Most binary expressions are arithmetic or ordering (`a + b`, `i < n`); an equality operator (`==`, `!=`,
 * `===`, `!==`, `is`, `is not`) is part of the expression's text, so a text without `=` (or `is`) spares
 * reading the operator from the tree. Only short texts are searched, so nested operators stay linear.
 */
const EQUALITY_SCAN_LIMIT = 4096;

/** Where a function's return value is: a return statement (its value inside) or an expression body. */
interface ReturnSource {
  node: Node;
  statement: boolean;
}

/** Where a call's arguments and receiver are in the tree. */
interface CallParts {
  argsNode: Node | null;
  lambdaArg?: Node;
  receiverNode: Node | null;
}

/** A Kotlin call's argument list and trailing lambda, directly under the call or inside its call_suffix. */
function kotlinCallArguments(call: Node): { argsNode: Node | null; lambdaArg: Node | undefined } {
  let argsNode: Node | null = null;
  let lambdaArg: Node | undefined;
  const take = (child: Node | null) => {
    if (child?.type === 'value_arguments') argsNode = child;
    else if (child?.type === 'annotated_lambda') lambdaArg = child.namedChildren.find((c) => c?.type === 'lambda_literal') ?? undefined;
  };
  for (const child of call.namedChildren) {
    if (child?.type === 'call_suffix') child.namedChildren.forEach(take);
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

function findIdentifier(node: Node): Node | undefined {
  const type = node.type; // read once: each read crosses into WASM
  if (type === 'identifier' || type === 'field_identifier' || type === 'simple_identifier') return node;
  const named = node.childForFieldName('declarator') ?? node.childForFieldName('name');
  if (named) return findIdentifier(named);
  for (const child of node.namedChildren) {
    if (!child) continue;
    const found = findIdentifier(child);
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
