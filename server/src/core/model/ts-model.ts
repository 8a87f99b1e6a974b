/**
 * Builds the code model of a TypeScript / JavaScript file straight from TypeScript's `SourceFile`, in one
 * recursive walk, with no ESTree in between (issue 12 item 3, issue 15 items 1 and 4: converting a 5 MB
 * bundle to ESTree held both trees at once and doubled the parse's cost). The model is the one
 * estree-model.ts builds from typescript-estree's tree, node for node: the same spans (ESTree's ranges,
 * which drop parentheses, and start a method's function at its `(`), the same names, the same order. The
 * ESTree shapes that TypeScript lacks are read off TypeScript's nodes: a destructuring target is a pattern,
 * `a, b` is one sequence, a call in an optional chain sits in a chain expression (ts-shapes.ts).
 */
import * as ts from 'typescript';
import { commentSpans } from '../parse/comment-scan';
import {
  callComparison,
  emptyModel,
  type Binding,
  type BindingKind,
  type Call,
  type ClassDef,
  type CodeModel,
  type Conditional,
  type Expr,
  type FunctionDef,
  type Property,
} from './types';
import {
  classBodyChildren,
  classBodyRange,
  continuesPattern,
  declarationStart,
  assignmentChildren,
  assignmentRange,
  esChildren,
  openingChildren,
  functionStart,
  isFunctionLike,
  isMethodLike,
  keyOf,
  keywordSpan,
  literalString,
  loadSyntaxKinds,
  NodeFlags,
  nameRange,
  numberLiteralValue,
  S,
  startOf,
  T,
  unparen,
  type EsChild,
  type Marks,
  type FunctionLike,
} from './ts-shapes';

/** Operator kinds, read with the rest of TypeScript's SyntaxKind on the first TS/JS file (see loadSyntaxKinds). */
let EQUALITY: Set<ts.SyntaxKind>;
let LOGICAL: Set<ts.SyntaxKind>;

export function buildTsModel(sourceFile: ts.SourceFile, text: string): CodeModel {
  loadSyntaxKinds();
  EQUALITY ??= new Set([S.EqualsEqualsToken, S.ExclamationEqualsToken, S.EqualsEqualsEqualsToken, S.ExclamationEqualsEqualsToken]);
  LOGICAL ??= new Set([S.AmpersandAmpersandToken, S.BarBarToken, S.QuestionQuestionToken]);
  return new TsBuilder(text).build(sourceFile);
}

class TsBuilder {
  private readonly model = emptyModel();
  private readonly fnStack: FunctionDef[] = [];
  private readonly classStack: ClassDef[] = [];
  private readonly exprCache = new Map<ts.Node, Expr>();
  /** Methods, accessors and constructors as ESTree's FunctionExpression: they are one node in TypeScript. */
  private readonly fnExprCache = new Map<ts.Node, Expr>();
  private readonly classBodyCache = new Map<ts.Node, Expr>();
  private readonly syntheticCache = new Map<ts.Node, Expr>();
  private readonly jsxNames = new Set<ts.Node>();
  /** String values of JSX attributes: ESTree decodes their character references (`&amp;`). */
  private readonly jsxAttributeValues = new Set<ts.Node>();
  /** Typed or optional names of parameters and declarations: ESTree's range for them runs over the annotation. */
  private readonly namedRanges = new Map<ts.Node, { start: number; end: number }>();
  /** Object and array literals (and their parts) that are destructuring targets: ESTree patterns. */
  private readonly patterns = new Set<ts.Node>();
  private readonly ancestors: ts.Node[] = [];
  /** Indexes in `model.conditionals` of the `if` statements around the node being walked. */
  private readonly ifStack: number[] = [];
  /** Ranges of literals and JSX text, where `//` starts no comment (flattened start, end pairs). */
  private readonly opaque: number[] = [];

  constructor(private readonly text: string) {}

  /** Keeps no reference to `sourceFile`: what the model's lazy parts need they hold themselves. */
  build(sourceFile: ts.SourceFile): CodeModel {
    this.walkChildren(sourceFile);
    for (const c of commentSpans(this.text, sortedPairs(this.opaque))) {
      this.model.comments.push({ start: c.start, end: c.end, text: this.text.slice(c.start, c.end) });
    }
    return this.model;
  }

  private get fn(): FunctionDef | undefined {
    return this.fnStack[this.fnStack.length - 1];
  }

  private start(node: ts.Node): number {
    return startOf(node, this.text);
  }

  private walkChildren(node: ts.Node): void {
    this.ancestors.push(node);
    T.forEachChild(node, this.walkChild);
    this.ancestors.pop();
  }

  /** `walk` as forEachChild's callback, made once rather than a closure per node; returns nothing, so the walk goes on. */
  private readonly walkChild = (child: ts.Node): void => {
    this.walk(child);
  };

  private walk(node: ts.Node): void {
    const parent = this.ancestors[this.ancestors.length - 1];
    if (parent && this.patterns.has(parent) && continuesPattern(parent, node)) this.patterns.add(node);
    const pushedClass = this.visit(node);
    const pushedIf = node.kind === S.IfStatement && this.pushConditional(node as ts.IfStatement);
    if (isFunctionLike(node) && node.body) {
      this.walkFunction(node);
    } else this.walkChildren(node);
    if (pushedClass) this.classStack.pop();
    if (pushedIf) this.ifStack.pop();
  }

  private pushConditional(node: ts.IfStatement): true {
    const span = (n: ts.Node) => ({ start: this.start(n), end: n.end });
    const conditionals = (this.model.conditionals ??= []);
    const conditional: Conditional = {
      start: this.start(node),
      end: node.end,
      test: span(unparen(node.expression)),
      consequent: span(node.thenStatement),
    };
    if (node.elseStatement) conditional.alternate = span(node.elseStatement);
    if (this.ifStack.length) conditional.enclosing = this.ifStack[this.ifStack.length - 1];
    conditionals.push(conditional);
    this.ifStack.push(conditionals.length - 1);
    return true;
  }

  /** A function's modifiers and name outside it (ESTree: the method's key), the rest inside. */
  private walkFunction(node: FunctionLike): void {
    const method = isMethodLike(node);
    const parent = this.esParent();
    this.ancestors.push(node);
    if (method) {
      node.modifiers?.forEach((m) => this.walk(m));
      if (node.name) this.walk(node.name);
    }
    this.pushFunction(node, parent);
    T.forEachChild(node, (child) => {
      if (method && (child === node.name || node.modifiers?.includes(child as ts.ModifierLike))) return;
      this.walk(child);
    });
    this.fnStack.pop();
    this.ancestors.pop();
  }

  /** The ESTree parent of the node being walked: its nearest ancestor that is not parentheses. */
  private esParent(): ts.Node | undefined {
    for (let i = this.ancestors.length - 1; i >= 0; i--) {
      if (this.ancestors[i].kind !== S.ParenthesizedExpression) return this.ancestors[i];
    }
    return undefined;
  }

  /** Records what the model wants from one node; returns whether it opened a class scope. */
  private visit(node: ts.Node): boolean {
    switch (node.kind) {
      case S.StringLiteral:
      case S.NoSubstitutionTemplateLiteral:
      case S.RegularExpressionLiteral:
      case S.NumericLiteral:
      case S.BigIntLiteral: {
        this.opaque.push(this.start(node), node.end);
        if (node.kind === S.StringLiteral || node.kind === S.NoSubstitutionTemplateLiteral) this.model.strings.push(this.expr(node));
        break;
      }
      case S.TemplateHead:
      case S.TemplateMiddle:
      case S.TemplateTail:
        this.opaque.push(this.start(node), node.end);
        break;
      case S.JsxText:
        this.opaque.push(node.pos, node.end);
        break;
      case S.JsxAttribute: {
        const value = (node as ts.JsxAttribute).initializer;
        if (value?.kind === S.StringLiteral) this.jsxAttributeValues.add(value);
        break;
      }
      case S.TemplateExpression:
        this.expr(node);
        break;
      case S.CallExpression:
        if ((node as ts.CallExpression).expression.kind !== S.ImportKeyword) this.visitCall(node as ts.CallExpression);
        break;
      case S.NewExpression:
        this.visitCall(node as ts.NewExpression);
        break;
      case S.ImportDeclaration:
        this.visitImport(node as ts.ImportDeclaration);
        break;
      case S.ExpressionStatement: {
        const expression = unparen((node as ts.ExpressionStatement).expression);
        if (expression.kind === S.StringLiteral) this.expr(expression).standalone = true;
        break;
      }
      case S.VariableDeclaration:
        this.visitVariableDeclarator(node as ts.VariableDeclaration);
        break;
      case S.BinaryExpression:
        this.visitBinary(node as ts.BinaryExpression);
        break;
      case S.ForOfStatement:
      case S.ForInStatement: {
        const target = unparen((node as ts.ForOfStatement).initializer);
        if (T.isObjectLiteralExpression(target) || T.isArrayLiteralExpression(target)) this.patterns.add(target);
        break;
      }
      case S.PropertyAssignment:
      case S.ShorthandPropertyAssignment:
      case S.MethodDeclaration:
      case S.GetAccessor:
      case S.SetAccessor:
        this.visitProperty(node as ts.ObjectLiteralElementLike);
        break;
      case S.PropertyDeclaration: {
        const p = node as ts.PropertyDeclaration;
        const abstract = p.modifiers?.some((m) => m.kind === S.AbstractKeyword || m.kind === S.AccessorKeyword);
        if (p.initializer && !abstract) {
          const readonly = !!p.modifiers?.some((m) => m.kind === S.ReadonlyKeyword);
          this.addBinding('declaration', node, p.name, p.initializer, readonly);
        }
        break;
      }
      case S.Parameter:
        this.visitParameter(node as ts.ParameterDeclaration);
        break;
      case S.ClassDeclaration:
      case S.ClassExpression:
        this.pushClass(node as ts.ClassLikeDeclaration);
        return true;
      case S.ThrowStatement:
        if (this.fn) this.fn.throws = true;
        break;
      case S.ReturnStatement: {
        const argument = (node as ts.ReturnStatement).expression;
        if (this.fn && argument) this.fn.returns.push(this.expr(argument));
        break;
      }
      default:
        break;
    }
    return false;
  }

  private visitBinary(node: ts.BinaryExpression): void {
    const operator = node.operatorToken.kind;
    if (operator === S.EqualsToken && !this.patterns.has(node)) {
      const target = unparen(node.left);
      if (T.isObjectLiteralExpression(target) || T.isArrayLiteralExpression(target)) this.patterns.add(target);
      this.visitAssignment(node);
    } else if (EQUALITY.has(operator)) {
      this.model.comparisons.push({
        start: this.start(node),
        end: node.end,
        operator: T.tokenToString(operator)!,
        left: this.expr(node.left),
        right: this.expr(node.right),
        fn: this.fn,
      });
    }
  }

  /** An object literal's property (not a destructuring pattern's): a `property` binding. */
  private visitProperty(node: ts.ObjectLiteralElementLike): void {
    const parent = this.ancestors[this.ancestors.length - 1];
    if (parent?.kind !== S.ObjectLiteralExpression || this.patterns.has(parent)) return;
    const name = node.name!;
    const computed = name.kind === S.ComputedPropertyName;
    if (computed && !isLiteralKey(unparen(name.expression))) return;
    const value =
      node.kind === S.PropertyAssignment ? node.initializer : node.kind === S.ShorthandPropertyAssignment ? node.name : (node as ts.Node);
    this.addBinding(
      'property',
      node,
      name,
      value,
      false,
      node.kind !== S.PropertyAssignment && node.kind !== S.ShorthandPropertyAssignment,
    );
  }

  private visitParameter(node: ts.ParameterDeclaration): void {
    const left = nameRange(node, this.text);
    // A rest parameter's annotation belongs to ESTree's RestElement, not to its name.
    if ((node.type || node.questionToken) && !node.dotDotDotToken) this.namedRanges.set(node.name, left);
    if (!node.initializer || node.dotDotDotToken || node.name.kind !== S.Identifier) return;
    const owner = this.ancestors[this.ancestors.length - 1];
    // ESTree: a default of a function with a body, or of a parameter property (`private a = 1`); not of a type.
    const ownedByFunction = !!owner && isFunctionLike(owner) && !!owner.body;
    if (!ownedByFunction && !(owner?.kind === S.Constructor && hasParameterModifier(node))) return;
    const binding: Binding = {
      kind: 'default',
      start: left.start,
      end: node.initializer.end,
      name: lastSegment(node.name.text),
      target: node.name.text,
      targetSpan: left,
      value: this.expr(node.initializer),
      constant: false,
      fn: this.fn,
    };
    this.model.bindings.push(binding);
  }

  private visitImport(node: ts.ImportDeclaration): void {
    const module = literalString(node.moduleSpecifier);
    const span = { start: this.start(node), end: node.end };
    const clause = node.importClause;
    const bindings = clause?.namedBindings;
    if (!clause || (!clause.name && !bindings) || (bindings && T.isNamedImports(bindings) && !clause.name && !bindings.elements.length)) {
      this.model.imports.push({ ...span, module });
      return;
    }
    if (clause.name) this.model.imports.push({ ...span, module, name: 'default', local: clause.name.text });
    if (bindings && T.isNamespaceImport(bindings)) this.model.imports.push({ ...span, module, name: '*', local: bindings.name.text });
    else if (bindings) {
      for (const spec of bindings.elements) {
        const imported = spec.propertyName ?? spec.name;
        this.model.imports.push({ ...span, module, name: literalString(imported), local: spec.name.text });
      }
    }
  }

  private visitVariableDeclarator(node: ts.VariableDeclaration): void {
    if (node.type) this.namedRanges.set(node.name, nameRange(node, this.text));
    // A catch clause's binding is a VariableDeclaration in TypeScript, a plain parameter in ESTree.
    if (this.ancestors[this.ancestors.length - 1]?.kind === S.CatchClause) return;
    const init = node.initializer && unparen(node.initializer);
    if (T.isIdentifier(node.name)) {
      const type = node.type
        ? this.text.slice(this.start(node.type), node.type.end)
        : init && T.isNewExpression(init)
          ? this.nameOf(init.expression)
          : undefined;
      this.model.variables.push({ start: this.start(node), end: node.end, name: node.name.text, type, fn: this.fn });
    }
    this.visitRequire(node, init);
    if (init && T.isIdentifier(node.name)) {
      const list = this.ancestors[this.ancestors.length - 1];
      const constant = T.isVariableDeclarationList(list) && (list.flags & NodeFlags.BlockScoped) === NodeFlags.Const;
      this.addBinding('declaration', node, node.name, init, constant);
    }
  }

  /** `const x = require('m')` / `const { a: b } = require('m')`: an import. */
  private visitRequire(node: ts.VariableDeclaration, init: ts.Expression | undefined): void {
    if (!init || !T.isCallExpression(init) || !T.isIdentifier(init.expression) || init.expression.text !== 'require') return;
    const [first] = init.arguments;
    const firstArg = first && unparen(first);
    if (!firstArg || !T.isStringLiteral(firstArg)) return;
    const module = firstArg.text;
    const span = { start: this.start(node), end: node.end };
    if (T.isIdentifier(node.name)) {
      this.model.imports.push({ ...span, module, name: 'default', local: node.name.text });
      return;
    }
    if (!T.isObjectBindingPattern(node.name)) return;
    for (const p of node.name.elements) {
      if (p.dotDotDotToken) continue;
      const keyNode = p.propertyName ?? p.name;
      const key = keyNode.kind === S.ComputedPropertyName ? unparen(keyNode.expression) : keyNode;
      if (!T.isIdentifier(key)) continue;
      const local = !p.initializer && T.isIdentifier(p.name) ? p.name.text : key.text;
      this.model.imports.push({ ...span, module, name: key.text, local });
    }
  }

  private pushClass(node: ts.ClassLikeDeclaration): void {
    const supertypes: string[] = [];
    for (const clause of node.heritageClauses ?? []) {
      const types = clause.token === S.ExtendsKeyword ? clause.types.slice(0, 1) : clause.types;
      for (const t of types) supertypes.push(lastSegment(this.nameOf(t.expression)));
    }
    const cls: ClassDef = { start: declarationStart(node, this.text), end: node.end, name: node.name?.text ?? '', supertypes, methods: [] };
    this.model.classes.push(cls);
    this.classStack.push(cls);
  }

  private pushFunction(node: FunctionLike, parent: ts.Node | undefined): void {
    const ownName = (T.isFunctionDeclaration(node) || T.isFunctionExpression(node)) && node.name ? node.name.text : '';
    let name = ownName;
    if (!name && parent && T.isVariableDeclaration(parent) && T.isIdentifier(parent.name)) name = parent.name.text;
    if (!name && isMethodLike(node)) name = methodKeyName(node);
    else if (!name && parent && T.isPropertyAssignment(parent)) name = keyIdentifier(parent.name) ?? '';
    const body = node.body!;
    const fn: FunctionDef = {
      start: functionStart(node, this.text),
      end: node.end,
      name,
      params: node.parameters
        .map((p) => (p.dotDotDotToken || hasParameterModifier(p) || !T.isIdentifier(p.name) ? '' : p.name.text))
        .filter(Boolean),
      calls: [],
      statementCount: 0,
      returns: [],
      throws: false,
      className: this.classStack[this.classStack.length - 1]?.name,
      body: { start: this.start(unparen(body as ts.Expression)), end: unparen(body as ts.Expression).end },
    };
    const cls = this.classStack[this.classStack.length - 1];
    const inClass = !!parent && (T.isClassDeclaration(parent) || T.isClassExpression(parent));
    if (cls && inClass && isMethodLike(node)) cls.methods.push(fn);
    this.model.functions.push(fn);
    // Pushed before the body is read: the calls of an expression body (`() => Math.random()`) are made here,
    // and belong to this function, not to the one around it.
    this.fnStack.push(fn);
    if (T.isBlock(body)) fn.statementCount = body.statements.length;
    else {
      fn.statementCount = 1;
      fn.returns.push(this.expr(body));
    }
  }

  private visitAssignment(node: ts.BinaryExpression): void {
    const left = unparen(node.left);
    if (T.isElementAccessExpression(left) && T.isStringLiteral(unparen(left.argumentExpression))) {
      // process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0"
      const property = unparen(left.argumentExpression) as ts.StringLiteral;
      const key = property.text;
      this.model.bindings.push({
        kind: 'assignment',
        start: this.start(node),
        end: node.end,
        name: key,
        target: `${this.nameOf(left.expression)}.${key}`,
        targetSpan: { start: this.start(property), end: property.end },
        value: this.expr(node.right),
        constant: false,
        fn: this.fn,
      });
      return;
    }
    if (T.isIdentifier(left) || T.isPropertyAccessExpression(left) || T.isElementAccessExpression(left)) {
      this.addBinding('assignment', node, left, node.right, false);
    }
  }

  /** `asFunction`: the value is a method, whose ESTree value is a FunctionExpression starting at its `(`. */
  private addBinding(kind: BindingKind, node: ts.Node, target: ts.Node, value: ts.Node, constant: boolean, asFunction = false): void {
    const key =
      target.kind === S.ComputedPropertyName ? unparen((target as ts.ComputedPropertyName).expression) : unparen(target as ts.Expression);
    const literal = keyOf(key);
    const targetName = literal ?? this.nameOf(key);
    const binding: Binding = {
      kind,
      start: this.start(node),
      end: node.end,
      name: lastSegment(targetName),
      target: targetName,
      targetSpan: this.namedRanges.get(key) ?? { start: this.start(key), end: key.end },
      value: asFunction ? this.functionExpr(value as FunctionLike) : this.expr(value),
      constant,
      fn: this.fn,
    };
    this.model.bindings.push(binding);
  }

  private visitCall(node: ts.CallExpression | ts.NewExpression): void {
    const call = this.expr(node).call;
    if (!call) return;
    call.resultUse = this.resultUseOf(node);
    this.model.calls.push(call);
    this.fn?.calls.push(call);
    if ((call.name === 'timingSafeEqual' || call.name === 'equals') && call.receiver && call.args.length === 1) {
      this.model.comparisons.push(callComparison(call, call.receiver, call.args[0], this.fn));
    }
  }

  /** How a call's result is used (see Call.resultUse), judged by its ESTree parent. */
  private resultUseOf(node: ts.CallExpression | ts.NewExpression): Call['resultUse'] {
    // A call that ends an optional chain sits in ESTree's ChainExpression.
    if (node.flags & NodeFlags.OptionalChain) return 'other';
    let child: ts.Node = node;
    let parent = this.ancestors[this.ancestors.length - 1];
    for (
      let i = this.ancestors.length - 1;
      parent && (parent.kind === S.ParenthesizedExpression || parent.kind === S.ComputedPropertyName);
    ) {
      child = parent;
      parent = this.ancestors[--i];
    }
    if (!parent) return 'other';
    switch (parent.kind) {
      case S.ExpressionStatement:
        return 'statement';
      case S.IfStatement:
      case S.WhileStatement:
      case S.DoStatement:
        return (parent as ts.IfStatement).expression === child ? 'condition' : 'other';
      case S.ConditionalExpression:
        return (parent as ts.ConditionalExpression).condition === child ? 'condition' : 'other';
      case S.ForStatement:
        return (parent as ts.ForStatement).condition === child ? 'condition' : 'statement';
      case S.PrefixUnaryExpression:
        return (parent as ts.PrefixUnaryExpression).operator === S.ExclamationToken ? 'condition' : 'other';
      case S.BinaryExpression: {
        const operator = (parent as ts.BinaryExpression).operatorToken.kind;
        if (this.patterns.has(parent)) return 'other';
        if (LOGICAL.has(operator)) return 'condition';
        if (operator >= S.FirstAssignment && operator <= S.LastAssignment) return 'assignment';
        if (operator === S.CommaToken) return 'other';
        return EQUALITY.has(operator) || /[<>]/.test(T.tokenToString(operator) ?? '') ? 'comparison' : 'other';
      }
      case S.ReturnStatement:
      case S.ArrowFunction:
        return 'return';
      case S.VariableDeclaration:
        return 'assignment';
      case S.PropertyDeclaration:
        return (parent as ts.PropertyDeclaration).modifiers?.some((m) => m.kind === S.AbstractKeyword || m.kind === S.AccessorKeyword)
          ? 'other'
          : 'assignment';
      case S.CallExpression:
      case S.NewExpression:
        if (parent.kind === S.CallExpression && (parent as ts.CallExpression).expression.kind === S.ImportKeyword) return 'other';
        return (parent as ts.CallExpression).arguments?.includes(child as ts.Expression) ? 'argument' : 'other';
      default:
        return 'other';
    }
  }

  /** Dotted path of a name-like node: `crypto.createHash`, `process.env.NODE_TLS_REJECT_UNAUTHORIZED`. */
  nameOf(input: ts.Node): string {
    const node = unparen(input as ts.Expression);
    switch (node.kind) {
      case S.Identifier:
        return (node as ts.Identifier).text;
      case S.ThisKeyword:
        return 'this';
      case S.SuperKeyword:
        return 'super';
      case S.PrivateIdentifier:
        return (node as ts.PrivateIdentifier).text.slice(1);
      case S.StringLiteral:
      case S.NumericLiteral:
      case S.BigIntLiteral:
      case S.TrueKeyword:
      case S.FalseKeyword:
      case S.NullKeyword:
      case S.RegularExpressionLiteral:
        return keyOf(node) ?? '';
      case S.PropertyAccessExpression: {
        const access = node as ts.PropertyAccessExpression;
        const object = this.nameOf(access.expression);
        const prop = this.nameOf(access.name);
        return object === 'this' ? prop : `${object}.${prop}`;
      }
      case S.ElementAccessExpression: {
        const access = node as ts.ElementAccessExpression;
        const object = this.nameOf(access.expression);
        const prop = keyOf(unparen(access.argumentExpression)) ?? '[]';
        return object === 'this' ? prop : `${object}.${prop}`;
      }
      case S.NonNullExpression:
        return this.nameOf((node as ts.NonNullExpression).expression);
      case S.CallExpression:
        if ((node as ts.CallExpression).expression.kind !== S.ImportKeyword)
          return `${this.nameOf((node as ts.CallExpression).expression)}()`;
        return this.text.slice(this.start(node), node.end);
      default:
        return this.text.slice(this.start(node), node.end);
    }
  }

  expr(input: ts.Node): Expr {
    const node = unparen(input as ts.Expression);
    const cached = this.exprCache.get(node);
    if (cached) return cached;
    const e = this.toExpr(node);
    this.exprCache.set(node, e);
    return e;
  }

  /** A method, accessor or constructor as the FunctionExpression ESTree makes of it. */
  private functionExpr(node: FunctionLike): Expr {
    const cached = this.fnExprCache.get(node);
    if (cached) return cached;
    const start = functionStart(node, this.text);
    const e = this.composite({ start, end: node.end, text: this.text.slice(start, node.end) }, undefined, () =>
      [...node.parameters, ...(node.body ? [node.body] : [])].flatMap((c) => esChildren(c, this.marks, true)).map((c) => this.exprOf(c)),
    );
    this.fnExprCache.set(node, e);
    return e;
  }

  /** A class's body as ESTree's ClassBody: from its `{`, with its members as parts. */
  private classBodyExpr(node: ts.ClassLikeDeclaration): Expr {
    const cached = this.classBodyCache.get(node);
    if (cached) return cached;
    const { start, end } = classBodyRange(node);
    const e = this.composite({ start, end, text: this.text.slice(start, end) }, undefined, () =>
      classBodyChildren(node).map((m) => this.expr(m)),
    );
    this.classBodyCache.set(node, e);
    return e;
  }

  private exprOf(child: EsChild): Expr {
    if ('fnOf' in child) return this.functionExpr(child.fnOf);
    if ('classBody' in child) return this.classBodyExpr(child.classBody);
    if ('assignOf' in child) {
      const b = child.assignOf;
      return this.synthetic(b, assignmentRange(b, this.text), () => assignmentChildren(b));
    }
    if ('openingOf' in child) {
      const element = child.openingOf;
      return this.synthetic(element, { start: this.start(element), end: element.end }, () => openingChildren(element, this.marks));
    }
    if ('keywordOf' in child) {
      const keyword = child.keywordOf;
      const cached = this.syntheticCache.get(keyword);
      if (cached) return cached;
      const { start, end, name } = keywordSpan(keyword, this.text);
      const text = this.text.slice(start, end);
      const e: Expr = /^["']/.test(text)
        ? { start, end, text, kind: 'string', value: name, content: { start: start + 1, end: end - 1 } }
        : { start, end, text, kind: 'name', value: name };
      this.syntheticCache.set(keyword, e);
      return e;
    }
    if ('emptyOf' in child) {
      // ESTree's JSXEmptyExpression spans the inside of the braces.
      const braces = child.emptyOf;
      return this.synthetic(braces, { start: this.start(braces) + 1, end: braces.end - 1 }, () => []);
    }
    return this.expr(child);
  }

  /** An ESTree node TypeScript folds into another one (one per TypeScript node): its own span and parts. */
  private synthetic(node: ts.Node, span: { start: number; end: number }, children: () => EsChild[]): Expr {
    const cached = this.syntheticCache.get(node);
    if (cached) return cached;
    const e = this.composite({ ...span, text: this.text.slice(span.start, span.end) }, undefined, () =>
      children().map((c) => this.exprOf(c)),
    );
    this.syntheticCache.set(node, e);
    return e;
  }

  private get marks(): Marks {
    return { patterns: this.patterns, jsxNames: this.jsxNames };
  }

  private toExpr(node: ts.Node): Expr {
    const range = this.namedRanges.get(node) ?? esRange(node, this.text);
    const start = range.start;
    const end = range.end;
    const text = this.text.slice(start, end);
    const base = { start, end, text };
    if (this.patterns.has(node) || this.jsxNames.has(node)) return this.composite(base, undefined, () => this.childExpressions(node));
    if (node.kind === S.JsxSelfClosingElement) {
      return this.composite(base, undefined, () => [this.exprOf({ openingOf: node as ts.JsxSelfClosingElement })]);
    }
    switch (node.kind) {
      case S.StringLiteral: {
        const value = this.jsxAttributeValues.has(node) ? decodeJsxEntities(literalString(node)) : literalString(node);
        return { start, end, text, kind: 'string', value, content: { start: start + 1, end: end - 1 } };
      }
      case S.NumericLiteral:
      case S.BigIntLiteral:
        return { start, end, text, kind: 'number', value: text };
      case S.TrueKeyword:
      case S.FalseKeyword:
        return { start, end, text, kind: 'boolean', value: String(node.kind === S.TrueKeyword) };
      case S.NullKeyword:
        return { start, end, text, kind: 'null', value: 'null' };
      case S.RegularExpressionLiteral:
        return { start, end, text, kind: 'other' };
      case S.NoSubstitutionTemplateLiteral:
        return {
          start,
          end,
          text,
          kind: 'string',
          value: templateText(node as ts.NoSubstitutionTemplateLiteral),
          content: { start: start + 1, end: end - 1 },
        };
      case S.TemplateExpression:
        return this.composite(base, undefined, () => this.templateParts(node as ts.TemplateExpression));
      case S.PrefixUnaryExpression: {
        const unary = node as ts.PrefixUnaryExpression;
        const operand = unparen(unary.operand);
        if (unary.operator === S.PlusPlusToken || unary.operator === S.MinusMinusToken) {
          return this.composite(base, undefined, () => this.childExpressions(node));
        }
        if (unary.operator === S.MinusToken && operand.kind === S.NumericLiteral) return { start, end, text, kind: 'number', value: text };
        if (unary.operator === S.ExclamationToken && operand.kind === S.NumericLiteral) {
          return { start, end, text, kind: 'boolean', value: String(!numberLiteralValue(operand as ts.NumericLiteral)) };
        }
        return { start, end, text, kind: 'other' };
      }
      case S.TypeOfExpression:
      case S.VoidExpression:
      case S.DeleteExpression:
        return { start, end, text, kind: 'other' };
      case S.Identifier:
        if ((node as ts.Identifier).text === 'undefined') return { start, end, text, kind: 'null', value: 'undefined' };
        return { start, end, text, kind: 'name', value: (node as ts.Identifier).text };
      case S.PropertyAccessExpression:
      case S.ElementAccessExpression:
      case S.ThisKeyword:
        return { start, end, text, kind: 'name', value: this.nameOf(node) };
      case S.AsExpression:
      case S.NonNullExpression:
      case S.SatisfiesExpression:
      case S.TypeAssertionExpression:
        return { ...this.expr((node as ts.AsExpression).expression), ...base };
      case S.AwaitExpression:
        return { ...this.expr((node as ts.AwaitExpression).expression), ...base };
      case S.BinaryExpression:
        return this.binaryExpr(node as ts.BinaryExpression, base);
      case S.ConditionalExpression: {
        const c = node as ts.ConditionalExpression;
        return this.composite(base, '?:', () => [this.expr(c.whenTrue), this.expr(c.whenFalse)]);
      }
      case S.ArrayLiteralExpression:
        return {
          start,
          end,
          text,
          kind: 'array',
          elements: (node as ts.ArrayLiteralExpression).elements
            .filter((e) => e.kind !== S.OmittedExpression && e.kind !== S.SpreadElement)
            .map((e) => this.expr(e)),
        };
      case S.ObjectLiteralExpression:
        return { start, end, text, kind: 'object', entries: this.objectEntries(node as ts.ObjectLiteralExpression) };
      case S.CallExpression:
        if ((node as ts.CallExpression).expression.kind === S.ImportKeyword)
          return this.composite(base, undefined, () => this.childExpressions(node));
        return { start, end, text, kind: 'call', call: this.call(node as ts.CallExpression) };
      case S.NewExpression:
        return { start, end, text, kind: 'call', call: this.call(node as ts.NewExpression) };
      default:
        return this.composite(base, undefined, () => this.childExpressions(node));
    }
  }

  private binaryExpr(node: ts.BinaryExpression, base: { start: number; end: number; text: string }): Expr {
    const operator = node.operatorToken.kind;
    if (operator === S.CommaToken) return this.composite(base, undefined, () => sequence(node).map((e) => this.expr(e)));
    if (operator >= S.FirstAssignment && operator <= S.LastAssignment) {
      return this.composite(base, undefined, () => [this.expr(node.left), this.expr(node.right)]);
    }
    if (operator === S.PlusToken) {
      const l = this.expr(node.left);
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
    return this.composite(base, T.tokenToString(operator), () => [this.expr(node.left), this.expr(node.right)]);
  }

  /** The properties of an object literal whose key is known (a name or a literal, not computed). */
  private objectEntries(node: ts.ObjectLiteralExpression): Property[] {
    const entries: Property[] = [];
    for (const p of node.properties) {
      if (p.kind === S.SpreadAssignment) continue;
      const name = p.name;
      const keyNode = name.kind === S.ComputedPropertyName ? unparen(name.expression) : name;
      const literal = keyOf(keyNode);
      const key = name.kind === S.Identifier ? name.text : literal !== undefined && keyNode.kind !== S.Identifier ? literal : undefined;
      if (key === undefined) continue;
      const value =
        p.kind === S.PropertyAssignment
          ? this.expr(p.initializer)
          : p.kind === S.ShorthandPropertyAssignment
            ? this.expr(p.name)
            : this.functionExpr(p);
      entries.push({ start: this.start(p), end: p.end, key, keySpan: { start: this.start(keyNode), end: keyNode.end }, value });
    }
    return entries;
  }

  private call(node: ts.CallExpression | ts.NewExpression): Call {
    const callee = unparen(node.expression);
    const calleeName = this.nameOf(callee);
    // `(a?.b)()`: ESTree's callee is the chain expression around the member, which has no receiver.
    const chainCallee = !!(callee.flags & NodeFlags.OptionalChain) && !(node.flags & NodeFlags.OptionalChain);
    const member = T.isPropertyAccessExpression(callee) || T.isElementAccessExpression(callee);
    const receiver = member && !chainCallee ? this.expr(callee.expression) : undefined;
    return {
      start: this.start(node),
      end: node.end,
      callee: calleeName,
      name: lastSegment(calleeName),
      isNew: node.kind === S.NewExpression,
      args: (node.arguments ?? []).map((a) => this.expr(a)),
      named: [],
      calleeSpan: { start: this.start(callee), end: callee.end },
      receiver,
      fn: this.fn,
    };
  }

  /** An expression built from others: its parts resolved on first call (see `Expr.parts`). */
  private composite(base: { start: number; end: number; text: string }, operator: string | undefined, resolve: () => Expr[]): Expr {
    let parts: Expr[] | undefined;
    const resolved = () => (parts ??= resolve());
    const { start, end, text } = base;
    // Literals of one shape each (no spread copies): every composite shares V8's hidden class.
    return operator ? { start, end, text, kind: 'other', operator, parts: resolved } : { start, end, text, kind: 'other', parts: resolved };
  }

  /** `a${x}b`: the literal text between the interpolations as string parts, in source order. */
  private templateParts(node: ts.TemplateExpression): Expr[] {
    const parts: Expr[] = [];
    const quasis: ts.TemplateLiteralLikeNode[] = [node.head, ...node.templateSpans.map((s) => s.literal)];
    quasis.forEach((quasi, i) => {
      const value = templateText(quasi);
      // A quasi's range includes its delimiters (`, ${, }): the text itself sits one in from each end.
      const from = this.start(quasi) + 1;
      const to = quasi.end - (quasi.kind === S.TemplateTail ? 1 : 2);
      if (value) parts.push({ start: from, end: to, text: this.text.slice(from, to), kind: 'string', value });
      const expression = node.templateSpans[i]?.expression;
      if (expression) parts.push(this.expr(expression));
    });
    return parts;
  }

  /** The value-carrying children of any other expression: ESTree's children of the node, types left out. */
  private childExpressions(node: ts.Node): Expr[] {
    return esChildren(node, this.marks).map((c) => this.exprOf(c));
  }
}

/** ESTree's range of a node (parentheses are dropped before): JSX text with its leading blanks, a default parameter from its name. */
function esRange(node: ts.Node, text: string): { start: number; end: number } {
  if (node.kind === S.JsxText) return { start: node.pos, end: node.end };
  if (node.kind === S.Parameter && (node as ts.ParameterDeclaration).initializer) {
    return { start: startOf((node as ts.ParameterDeclaration).name, text), end: node.end };
  }
  return { start: declarationStart(node, text), end: node.end };
}

/** XML's named character references; the numeric ones are decoded from their code point. */
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * A JSX attribute string as ESTree holds it: `&amp;`, `&#38;`, `&#x26;` decoded. typescript-estree knows
 * every HTML entity name; the rarer names (`&copy;`) stay as written here.
 */
function decodeJsxEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#\d+|#x[\da-fA-F]+|[0-9a-zA-Z]+);/g, (entity: string, item: string) => {
    if (item[0] !== '#') return NAMED_ENTITIES[item] ?? entity;
    const codePoint = item[1] === 'x' ? parseInt(item.slice(2), 16) : parseInt(item.slice(1), 10);
    return codePoint > 0x10ffff ? entity : String.fromCodePoint(codePoint);
  });
}

function templateText(node: ts.TemplateLiteralLikeNode): string {
  // An invalid escape (allowed in a tagged template) has no cooked value: ESTree then gives the raw text.
  if ((node as { templateFlags?: number }).templateFlags && node.rawText !== undefined && node.text === '') return node.rawText;
  return node.text;
}

/** `a, b, c`: TypeScript nests the commas, ESTree makes one sequence. */
function sequence(node: ts.BinaryExpression): ts.Expression[] {
  const out: ts.Expression[] = [];
  let current: ts.Expression = node;
  const rights: ts.Expression[] = [];
  while (T.isBinaryExpression(current) && current.operatorToken.kind === S.CommaToken) {
    rights.push(current.right);
    current = current.left;
  }
  out.push(current);
  for (let i = rights.length - 1; i >= 0; i--) out.push(rights[i]);
  return out;
}

function isLiteralKey(node: ts.Node): boolean {
  return (
    node.kind === S.StringLiteral ||
    node.kind === S.NumericLiteral ||
    node.kind === S.BigIntLiteral ||
    node.kind === S.TrueKeyword ||
    node.kind === S.FalseKeyword ||
    node.kind === S.NullKeyword ||
    node.kind === S.RegularExpressionLiteral
  );
}

/** ESTree's `key.name` of a property whose key is an Identifier (computed or not). */
function keyIdentifier(name: ts.PropertyName): string | undefined {
  const key = name.kind === S.ComputedPropertyName ? unparen(name.expression) : name;
  return T.isIdentifier(key) ? key.text : undefined;
}

/** The name ESTree gives a method's function through its parent: its key, when that is an Identifier. */
function methodKeyName(node: ts.MethodDeclaration | ts.ConstructorDeclaration | ts.AccessorDeclaration): string {
  if (node.kind === S.Constructor) return 'constructor';
  return keyIdentifier(node.name) ?? '';
}

function hasParameterModifier(p: ts.ParameterDeclaration): boolean {
  return !!p.modifiers?.some((m) => m.kind !== S.Decorator);
}

function sortedPairs(flat: number[]): number[] {
  let sorted = true;
  for (let i = 2; i < flat.length && sorted; i += 2) if (flat[i] < flat[i - 2]) sorted = false;
  if (sorted) return flat;
  const pairs: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  return pairs.flat();
}

function lastSegment(name: string): string {
  const i = name.lastIndexOf('.');
  return i >= 0 ? name.slice(i + 1) : name;
}
