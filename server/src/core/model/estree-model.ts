/**
 * Builds the code model from an ESTree (TypeScript and JavaScript) in one recursive walk.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import * as ts from 'typescript';
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
} from './types';

type N = TSESTree.Node;

/** Assignment operators whose stored value is the right side itself. */
const PLAIN_OR_LOGICAL_ASSIGNMENT: ReadonlySet<string> = new Set(['=', '??=', '||=', '&&=']);
const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const EQUALITY = new Set(['==', '!=', '===', '!==']);

export function buildEstreeModel(program: TSESTree.Program, text: string): CodeModel {
  return new EstreeBuilder(text).build(program);
}

class EstreeBuilder {
  private readonly model = emptyModel();
  private readonly fnStack: FunctionDef[] = [];
  private readonly classStack: ClassDef[] = [];
  private readonly exprCache = new WeakMap<N, Expr>();
  private readonly ifStack: number[] = [];

  constructor(private readonly text: string) {}

  build(program: TSESTree.Program): CodeModel {
    for (const c of program.comments ?? []) {
      this.model.comments.push({ start: c.range[0], end: c.range[1], text: this.text.slice(c.range[0], c.range[1]) });
    }
    this.walk(program, undefined);
    return this.model;
  }

  private get fn(): FunctionDef | undefined {
    return this.fnStack[this.fnStack.length - 1];
  }

  private walk(node: N, parent: N | undefined): void {
    const pushedClass = this.visit(node, parent);
    const pushedIf = node.type === 'IfStatement' && this.pushConditional(node);
    const pushedFn = FUNCTION_TYPES.has(node.type);
    if (pushedFn) this.pushFunction(node as TSESTree.FunctionLike, parent);
    for (const key of visitorKeys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) for (const c of child) this.walkChild(c, node);
      else this.walkChild(child, node);
    }
    if (pushedFn) this.fnStack.pop();
    if (pushedClass) this.classStack.pop();
    if (pushedIf) this.ifStack.pop();
  }

  private pushConditional(node: TSESTree.IfStatement): true {
    const span = (n: N) => ({ start: n.range[0], end: n.range[1] });
    const conditionals = (this.model.conditionals ??= []);
    conditionals.push({
      ...span(node),
      test: span(node.test),
      consequent: span(node.consequent),
      ...(node.alternate ? { alternate: span(node.alternate) } : {}),
      ...(this.ifStack.length ? { enclosing: this.ifStack[this.ifStack.length - 1] } : {}),
    });
    this.ifStack.push(conditionals.length - 1);
    return true;
  }

  private walkChild(child: unknown, parent: N): void {
    if (child && typeof child === 'object' && 'type' in child) this.walk(child as N, parent);
  }

  /** Records what the model wants from one node; returns whether it opened a class scope. */
  private visit(node: N, parent: N | undefined): boolean {
    switch (node.type) {
      case 'Literal':
      case 'TemplateLiteral': {
        const e = this.expr(node);
        if (e.kind === 'string') this.model.strings.push(e);
        break;
      }
      case 'CallExpression':
      case 'NewExpression':
        this.visitCall(node, parent);
        break;
      case 'ImportDeclaration':
        this.visitImport(node);
        break;
      case 'ExpressionStatement':
        if (node.expression.type === 'Literal' && typeof node.expression.value === 'string') this.expr(node.expression).standalone = true;
        break;
      case 'VariableDeclarator':
        this.visitVariableDeclarator(node, parent);
        break;
      case 'AssignmentExpression':
        if (node.operator === '=') this.visitAssignment(node);
        break;
      case 'Property':
        if ((!node.computed || node.key.type === 'Literal') && parent?.type === 'ObjectExpression') {
          this.addBinding('property', node, node.key, node.value as N, false);
        }
        break;
      case 'PropertyDefinition':
        if (node.value) this.addBinding('declaration', node, node.key, node.value, !!node.readonly);
        break;
      case 'AssignmentPattern':
        if (node.left.type === 'Identifier' && parent && (FUNCTION_TYPES.has(parent.type) || parent.type === 'TSParameterProperty')) {
          this.addBinding('default', node, node.left, node.right, false);
        }
        break;
      case 'BinaryExpression':
        if (EQUALITY.has(node.operator)) {
          const { operator } = node;
          this.model.comparisons.push({
            start: node.range[0],
            end: node.range[1],
            operator,
            left: this.expr(node.left as N),
            right: this.expr(node.right),
            fn: this.fn,
          });
        }
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        this.pushClass(node);
        return true;
      case 'ThrowStatement':
        if (this.fn) this.fn.throws = true;
        break;
      case 'ReturnStatement':
        if (this.fn && node.argument) this.fn.returns.push(this.expr(node.argument));
        break;
      default:
        break;
    }
    return false;
  }

  private visitImport(node: TSESTree.ImportDeclaration): void {
    const module = String(node.source.value);
    const span = { start: node.range[0], end: node.range[1] };
    if (!node.specifiers.length) this.model.imports.push({ ...span, module });
    for (const spec of node.specifiers) {
      const imported =
        spec.type === 'ImportSpecifier'
          ? spec.imported.type === 'Identifier'
            ? spec.imported.name
            : String(spec.imported.value)
          : spec.type === 'ImportDefaultSpecifier'
            ? 'default'
            : '*';
      this.model.imports.push({ ...span, module, name: imported, local: spec.local.name });
    }
  }

  private visitVariableDeclarator(node: TSESTree.VariableDeclarator, parent: N | undefined): void {
    if (node.id.type === 'Identifier') {
      const annotation = node.id.typeAnnotation?.typeAnnotation;
      const type = annotation
        ? this.text.slice(annotation.range[0], annotation.range[1])
        : node.init?.type === 'NewExpression'
          ? this.nameOf(node.init.callee as N)
          : undefined;
      this.model.variables.push({ start: node.range[0], end: node.range[1], name: node.id.name, type, fn: this.fn });
    }
    this.visitRequire(node);
    if (node.init && node.id.type === 'Identifier') {
      const decl = parent as TSESTree.VariableDeclaration | undefined;
      this.addBinding('declaration', node, node.id, node.init, decl?.kind === 'const');
    }
  }

  /** `const x = require('m')` / `const { a: b } = require('m')`: an import. */
  private visitRequire(node: TSESTree.VariableDeclarator): void {
    const init = node.init;
    if (init?.type !== 'CallExpression' || init.callee.type !== 'Identifier' || init.callee.name !== 'require') return;
    const [first] = init.arguments;
    if (first?.type !== 'Literal' || typeof first.value !== 'string') return;
    const module = first.value;
    const span = { start: node.range[0], end: node.range[1] };
    if (node.id.type === 'Identifier') {
      this.model.imports.push({ ...span, module, name: 'default', local: node.id.name });
      return;
    }
    if (node.id.type !== 'ObjectPattern') return;
    for (const p of node.id.properties) {
      if (p.type !== 'Property' || p.key.type !== 'Identifier') continue;
      this.model.imports.push({ ...span, module, name: p.key.name, local: p.value.type === 'Identifier' ? p.value.name : p.key.name });
    }
  }

  private pushClass(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression): void {
    const supertypes: string[] = [];
    if (node.superClass) supertypes.push(lastSegment(this.nameOf(node.superClass)));
    for (const i of node.implements ?? []) supertypes.push(lastSegment(this.nameOf(i.expression)));
    const cls: ClassDef = { start: node.range[0], end: node.range[1], name: node.id?.name ?? '', supertypes, methods: [] };
    this.model.classes.push(cls);
    this.classStack.push(cls);
  }

  private pushFunction(node: TSESTree.FunctionLike, parent: N | undefined): void {
    let name = node.id?.name ?? '';
    if (!name && parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') name = parent.id.name;
    if (!name && (parent?.type === 'MethodDefinition' || parent?.type === 'Property') && parent.key.type === 'Identifier') {
      name = parent.key.name;
    }
    const body = node.body;
    const fn: FunctionDef = {
      start: node.range[0],
      end: node.range[1],
      name,
      params: node.params
        .map((p) => (p.type === 'Identifier' ? p.name : p.type === 'AssignmentPattern' && p.left.type === 'Identifier' ? p.left.name : ''))
        .filter(Boolean),
      calls: [],
      statementCount: 0,
      returns: [],
      throws: false,
      className: this.classStack[this.classStack.length - 1]?.name,
    };
    const cls = this.classStack[this.classStack.length - 1];
    if (cls && parent?.type === 'MethodDefinition') cls.methods.push(fn);
    this.model.functions.push(fn);
    // Pushed before the body is read: the calls of an expression body (`() => Math.random()`) are made here,
    // and belong to this function, not to the one around it.
    this.fnStack.push(fn);
    if (body) {
      fn.body = { start: body.range[0], end: body.range[1] };
      if (body.type === 'BlockStatement') fn.statementCount = body.body.length;
      else {
        fn.statementCount = 1;
        fn.returns.push(this.expr(body as N));
      }
    }
  }

  private visitAssignment(node: TSESTree.AssignmentExpression): void {
    const left = node.left;
    if (left.type === 'MemberExpression' && left.computed && left.property.type === 'Literal' && typeof left.property.value === 'string') {
      // process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0"
      const key = left.property.value;
      this.model.bindings.push({
        kind: 'assignment',
        start: node.range[0],
        end: node.range[1],
        name: key,
        target: `${this.nameOf(left.object)}.${key}`,
        targetSpan: { start: left.property.range[0], end: left.property.range[1] },
        value: this.expr(node.right),
        constant: false,
        fn: this.fn,
      });
      return;
    }
    // `token += suffix`, `mask |= bit`: the target combines its old value with the right side, so its value is the
    // whole expression, never the right side alone. `??=`, `||=` and `&&=` store the right side itself when they store.
    const value = PLAIN_OR_LOGICAL_ASSIGNMENT.has(node.operator) ? node.right : node;
    if (left.type === 'Identifier' || left.type === 'MemberExpression') this.addBinding('assignment', node, left, value, false);
  }

  private addBinding(kind: BindingKind, node: N, target: N, value: N, constant: boolean): void {
    let targetName: string;
    if (target.type === 'Literal') targetName = String(target.value);
    else targetName = this.nameOf(target);
    const binding: Binding = {
      kind,
      start: node.range[0],
      end: node.range[1],
      name: lastSegment(targetName),
      target: targetName,
      targetSpan: { start: target.range[0], end: target.range[1] },
      value: this.expr(value),
      constant,
      fn: this.fn,
    };
    this.model.bindings.push(binding);
  }

  private visitCall(node: TSESTree.CallExpression | TSESTree.NewExpression, parent: N | undefined): void {
    const call = this.expr(node).call;
    if (!call) return;
    call.resultUse = resultUseOf(node, parent);
    this.model.calls.push(call);
    this.fn?.calls.push(call);
    if ((call.name === 'timingSafeEqual' || call.name === 'equals') && call.receiver && call.args.length === 1) {
      this.model.comparisons.push(callComparison(call, call.receiver, call.args[0], this.fn));
    }
  }

  /** Dotted path of a name-like node: `crypto.createHash`, `process.env.NODE_TLS_REJECT_UNAUTHORIZED`. */
  nameOf(node: N): string {
    switch (node.type) {
      case 'Identifier':
        return node.name;
      case 'ThisExpression':
        return 'this';
      case 'Super':
        return 'super';
      case 'PrivateIdentifier':
        return node.name;
      case 'Literal':
        return String(node.value);
      case 'MemberExpression': {
        const object = this.nameOf(node.object);
        const prop =
          !node.computed || node.property.type === 'Literal'
            ? node.property.type === 'Literal'
              ? String(node.property.value)
              : this.nameOf(node.property)
            : '[]';
        return object === 'this' ? prop : `${object}.${prop}`;
      }
      case 'ChainExpression':
        return this.nameOf(node.expression);
      case 'TSNonNullExpression':
        return this.nameOf(node.expression);
      case 'CallExpression':
        return `${this.nameOf(node.callee)}()`;
      default:
        return this.text.slice(node.range[0], node.range[1]);
    }
  }

  expr(node: N): Expr {
    const cached = this.exprCache.get(node);
    if (cached) return cached;
    const e = this.toExpr(node);
    this.exprCache.set(node, e);
    return e;
  }

  private toExpr(node: N): Expr {
    const [start, end] = node.range;
    const base = { start, end, text: this.text.slice(start, end) };
    switch (node.type) {
      case 'Literal':
        if (typeof node.value === 'string') {
          return { ...base, kind: 'string', value: node.value, content: { start: start + 1, end: end - 1 } };
        }
        if (typeof node.value === 'number' || typeof node.value === 'bigint') return { ...base, kind: 'number', value: base.text };
        if (typeof node.value === 'boolean') return { ...base, kind: 'boolean', value: String(node.value) };
        if (node.value === null && base.text === 'null') return { ...base, kind: 'null', value: 'null' };
        return { ...base, kind: 'other' };
      case 'TemplateLiteral':
        if (node.expressions.length === 0) {
          return {
            ...base,
            kind: 'string',
            value: node.quasis[0]?.value.cooked ?? node.quasis[0]?.value.raw ?? '',
            content: { start: start + 1, end: end - 1 },
          };
        }
        return this.composite(base, undefined, () => this.templateParts(node));
      case 'UnaryExpression':
        if (node.operator === '-' && node.argument.type === 'Literal' && typeof node.argument.value === 'number') {
          return { ...base, kind: 'number', value: base.text };
        }
        if (node.operator === '!' && node.argument.type === 'Literal' && typeof node.argument.value === 'number') {
          return { ...base, kind: 'boolean', value: String(!node.argument.value) };
        }
        return { ...base, kind: 'other' };
      case 'Identifier':
        if (node.name === 'undefined') return { ...base, kind: 'null', value: 'undefined' };
        return { ...base, kind: 'name', value: node.name };
      case 'MemberExpression':
      case 'ThisExpression':
        return { ...base, kind: 'name', value: this.nameOf(node) };
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
      case 'ChainExpression':
        return { ...this.expr(node.expression), ...base };
      case 'AwaitExpression':
        return { ...this.expr(node.argument), ...base };
      case 'BinaryExpression':
        if (node.operator === '+') {
          const l = this.expr(node.left as N);
          const r = this.expr(node.right);
          if (l.kind === 'string' && r.kind === 'string') {
            return {
              ...base,
              kind: 'string',
              value: (l.value ?? '') + (r.value ?? ''),
              content: { start: l.content?.start ?? l.start, end: r.content?.end ?? r.end },
            };
          }
        }
        return this.composite(base, node.operator, () => [this.expr(node.left as N), this.expr(node.right)]);
      case 'LogicalExpression':
        return this.composite(base, node.operator, () => [this.expr(node.left), this.expr(node.right)]);
      case 'ConditionalExpression':
        return this.composite(base, '?:', () => [this.expr(node.consequent), this.expr(node.alternate)]);
      case 'ArrayExpression':
        return {
          ...base,
          kind: 'array',
          elements: node.elements.filter((e): e is TSESTree.Expression => !!e && e.type !== 'SpreadElement').map((e) => this.expr(e)),
        };
      case 'ObjectExpression':
        return { ...base, kind: 'object', entries: this.objectEntries(node) };
      case 'CallExpression':
      case 'NewExpression':
        return { ...base, kind: 'call', call: this.call(node) };
      default:
        return this.composite(base, undefined, () => this.childExpressions(node));
    }
  }

  /** The properties of an object literal whose key is known (a name or a literal, not computed). */
  private objectEntries(node: TSESTree.ObjectExpression): Property[] {
    const entries: Property[] = [];
    for (const p of node.properties) {
      if (p.type !== 'Property') continue;
      const key = p.key.type === 'Identifier' && !p.computed ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined;
      if (key === undefined) continue;
      entries.push({
        start: p.range[0],
        end: p.range[1],
        key,
        keySpan: { start: p.key.range[0], end: p.key.range[1] },
        value: this.expr(p.value as N),
      });
    }
    return entries;
  }

  private call(node: TSESTree.CallExpression | TSESTree.NewExpression): Call {
    const callee = node.callee;
    const calleeName = this.nameOf(callee as N);
    const receiver = callee.type === 'MemberExpression' ? this.expr(callee.object) : undefined;
    return {
      start: node.range[0],
      end: node.range[1],
      callee: calleeName,
      name: lastSegment(calleeName),
      isNew: node.type === 'NewExpression',
      args: node.arguments.map((a) => this.expr(a as N)),
      named: [],
      calleeSpan: { start: callee.range[0], end: callee.range[1] },
      receiver,
      fn: this.fn,
    };
  }

  /** An expression built from others: its parts resolved on first call (see `Expr.parts`). */
  private composite(base: { start: number; end: number; text: string }, operator: string | undefined, resolve: () => Expr[]): Expr {
    let parts: Expr[] | undefined;
    return { ...base, kind: 'other', ...(operator ? { operator } : {}), parts: () => (parts ??= resolve()) };
  }

  /** `a${x}b`: the literal text between the interpolations as string parts, in source order. */
  private templateParts(node: TSESTree.TemplateLiteral): Expr[] {
    const parts: Expr[] = [];
    node.quasis.forEach((quasi, i) => {
      const value = quasi.value.cooked ?? quasi.value.raw;
      // A quasi's range includes its delimiters (`, ${, }): the text itself sits one in from each end.
      const from = quasi.range[0] + 1;
      const to = quasi.range[1] - (quasi.tail ? 1 : 2);
      if (value) parts.push({ start: from, end: to, text: this.text.slice(from, to), kind: 'string', value });
      const expression = node.expressions[i];
      if (expression) parts.push(this.expr(expression as N));
    });
    return parts;
  }

  /** The value-carrying children of any other expression (operands, arguments of unary operators). */
  private childExpressions(node: N): Expr[] {
    const parts: Expr[] = [];
    for (const key of visitorKeys[node.type] ?? []) {
      if (/type/i.test(key)) continue;
      const child = (node as unknown as Record<string, unknown>)[key];
      for (const c of Array.isArray(child) ? child : [child]) {
        if (c && typeof c === 'object' && 'type' in c && 'range' in c) parts.push(this.expr(c as N));
      }
    }
    return parts;
  }
}

/** How a call's result is used (see Call.resultUse). Parents are known only one level up in this walk. */
function resultUseOf(node: N, parent: N | undefined): Call['resultUse'] {
  if (!parent) return 'other';
  switch (parent.type) {
    case 'ExpressionStatement':
      return 'statement';
    case 'IfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'ConditionalExpression':
      return (parent as { test?: N }).test === node ? 'condition' : 'other';
    case 'ForStatement':
      return parent.test === node ? 'condition' : 'statement';
    case 'UnaryExpression':
      return parent.operator === '!' ? 'condition' : 'other';
    case 'LogicalExpression':
      return 'condition';
    case 'ReturnStatement':
    case 'ArrowFunctionExpression':
      return 'return';
    case 'VariableDeclarator':
    case 'AssignmentExpression':
    case 'PropertyDefinition':
      return 'assignment';
    case 'CallExpression':
    case 'NewExpression':
      return parent.arguments.includes(node as TSESTree.CallExpressionArgument) ? 'argument' : 'other';
    case 'BinaryExpression':
      return EQUALITY.has(parent.operator) || /[<>]/.test(parent.operator) ? 'comparison' : 'other';
    case 'AwaitExpression':
      return 'other';
    default:
      return 'other';
  }
}

function lastSegment(name: string): string {
  const i = name.lastIndexOf('.');
  return i >= 0 ? name.slice(i + 1) : name;
}

/**
 * For a file that does not parse: string literals and comments from TypeScript's scanner, so rules that
 * look at literals still work on the valid parts.
 */
export function buildScannerModel(text: string, jsx: boolean): CodeModel {
  const model = emptyModel();
  model.hasErrors = true;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, jsx ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard, text);
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const start = scanner.getTokenStart();
    const end = scanner.getTokenEnd();
    if (kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral) {
      model.strings.push({
        start,
        end,
        text: text.slice(start, end),
        kind: 'string',
        value: scanner.getTokenValue(),
        content: { start: start + 1, end: end - 1 },
      });
    } else if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      model.comments.push({ start, end, text: text.slice(start, end) });
    }
  }
  return model;
}
