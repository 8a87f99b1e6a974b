/**
 * ESTree's view of TypeScript's nodes, for model/ts-model.ts: which children ESTree gives a node (types
 * left out, parentheses dropped, `a, b, c` as one sequence, a method's function and a class body as nodes
 * of their own), the ranges it gives them, and the values of its literals.
 */
import * as ts from 'typescript';
import { pushAll } from '../arrays';

/**
 * TypeScript's SyntaxKind, read when the first TS/JS file is modelled (`loadSyntaxKinds`): reading it when
 * this module loads would load TypeScript's lazy bundle for a C-only scan.
 */
export let S: typeof ts.SyntaxKind;
export let NodeFlags: typeof ts.NodeFlags;
/**
 * TypeScript's functions the model calls per node, read from the module once with the kinds. Bundled,
 * `ts.isIdentifier` is a getter (esbuild's wrapper of a CommonJS module, and in the CLI the lazy bundle's
 * stub behind it): every read a call and a lookup among TypeScript's 3,000 exports.
 */
export let T: ReturnType<typeof tsFunctions>;
/** Keywords that are expressions in ESTree (the rest of the keywords are modifiers or type words). */
let EXPRESSION_KEYWORDS: Set<ts.SyntaxKind>;

export function loadSyntaxKinds(): void {
  if (S) return;
  S = ts.SyntaxKind;
  NodeFlags = ts.NodeFlags;
  T = tsFunctions();
  EXPRESSION_KEYWORDS = new Set<ts.SyntaxKind>([S.ThisKeyword, S.SuperKeyword, S.NullKeyword, S.TrueKeyword, S.FalseKeyword]);
}

/** A literal, so that V8 keeps it a small object of fixed shape (a keyed copy would make it a dictionary). */
function tsFunctions() {
  return {
    canHaveModifiers: ts.canHaveModifiers,
    forEachChild: ts.forEachChild,
    getModifiers: ts.getModifiers,
    isArrayLiteralExpression: ts.isArrayLiteralExpression,
    isBinaryExpression: ts.isBinaryExpression,
    isBindingElement: ts.isBindingElement,
    isBlock: ts.isBlock,
    isCallExpression: ts.isCallExpression,
    isClassDeclaration: ts.isClassDeclaration,
    isClassExpression: ts.isClassExpression,
    isElementAccessExpression: ts.isElementAccessExpression,
    isFunctionDeclaration: ts.isFunctionDeclaration,
    isFunctionExpression: ts.isFunctionExpression,
    isIdentifier: ts.isIdentifier,
    isJsxNamespacedName: ts.isJsxNamespacedName,
    isMetaProperty: ts.isMetaProperty,
    isNamedImports: ts.isNamedImports,
    isNamespaceImport: ts.isNamespaceImport,
    isNewExpression: ts.isNewExpression,
    isObjectBindingPattern: ts.isObjectBindingPattern,
    isObjectLiteralExpression: ts.isObjectLiteralExpression,
    isParameter: ts.isParameter,
    isPropertyAccessExpression: ts.isPropertyAccessExpression,
    isPropertyAssignment: ts.isPropertyAssignment,
    isStringLiteral: ts.isStringLiteral,
    isTypeNode: ts.isTypeNode,
    isVariableDeclaration: ts.isVariableDeclaration,
    isVariableDeclarationList: ts.isVariableDeclarationList,
    tokenToString: ts.tokenToString,
    // TypeScript's own trivia skipper (comments and blanks), which its public typings leave out.
    skipTrivia: (ts as unknown as { skipTrivia(text: string, pos: number): number }).skipTrivia,
  };
}

export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

/**
 * A node ESTree has and TypeScript does not: a method's FunctionExpression, a class's ClassBody, the
 * AssignmentPattern of a destructured name with a default, the opening element of a self-closing JSX element.
 */
export type Synthetic =
  | { fnOf: FunctionLike }
  | { classBody: ts.ClassLikeDeclaration }
  | { assignOf: ts.BindingElement }
  | { openingOf: ts.JsxSelfClosingElement }
  /** A keyword ESTree makes an Identifier of: a constructor's key, `new` / `import` of a meta property. */
  | { keywordOf: ts.ConstructorDeclaration | ts.MetaProperty }
  /** `{}` or `{/* comment *\/}` in JSX: ESTree's JSXEmptyExpression. */
  | { emptyOf: ts.JsxExpression };
export type EsChild = ts.Node | Synthetic;

/** What the walk learnt of nodes that ESTree shapes differently: destructuring targets, JSX names. */
export interface Marks {
  /** Object and array literals (and their parts) that are destructuring targets: ESTree patterns. */
  patterns: Set<ts.Node>;
  /** Tag and attribute names of JSX: ESTree's JSXIdentifier / JSXMemberExpression, not expressions. */
  jsxNames: Set<ts.Node>;
}

export function unparen<T extends ts.Node>(node: T): T | ts.Expression {
  let n: ts.Node = node;
  while (n.kind === S.ParenthesizedExpression) n = (n as ts.ParenthesizedExpression).expression;
  return n as T;
}

export function isFunctionLike(node: ts.Node): node is FunctionLike {
  switch (node.kind) {
    case S.FunctionDeclaration:
    case S.FunctionExpression:
    case S.ArrowFunction:
    case S.MethodDeclaration:
    case S.Constructor:
    case S.GetAccessor:
    case S.SetAccessor:
      return true;
    default:
      return false;
  }
}

/** Whether ESTree splits the node into a key and a FunctionExpression value (methods, accessors, constructors). */
export function isMethodLike(node: ts.Node): node is ts.MethodDeclaration | ts.ConstructorDeclaration | ts.AccessorDeclaration {
  return node.kind === S.MethodDeclaration || node.kind === S.Constructor || node.kind === S.GetAccessor || node.kind === S.SetAccessor;
}

/** Where ESTree starts a function: a method's FunctionExpression at its `(` (or its type parameters). */
export function functionStart(node: FunctionLike, text: string): number {
  if (!isMethodLike(node)) return declarationStart(node, text);
  const paren = node.parameters.pos - 1;
  return node.typeParameters ? Math.min(paren, node.typeParameters.pos - 1) : paren;
}

/**
 * Where ESTree starts a node: an exported declaration after its `export` (and `default`), which ESTree
 * wraps in an export node of its own.
 */
export function declarationStart(node: ts.Node, text: string): number {
  const modifiers = T.canHaveModifiers(node) ? T.getModifiers(node) : undefined;
  const first = modifiers?.[0];
  if (first?.kind !== S.ExportKeyword) return startOf(node, text);
  const last = modifiers?.[1]?.kind === S.DefaultKeyword ? modifiers[1] : first;
  return skipTrivia(text, last.end);
}

/** Where the next token starts: read through `T`, like every per-node function (once per node and more). */
const skipTrivia = (text: string, pos: number): number => T.skipTrivia(text, pos);

/**
 * Where a node's first token starts: `node.getStart(sourceFile)` for the nodes a parse without JSDoc makes,
 * from the text alone, so that nothing the model keeps needs the SourceFile (its lazily resolved parts
 * keep only the subtrees they read, and the rest of the tree is freed before the rules run).
 */
export function startOf(node: ts.Node, text: string): number {
  return skipTrivia(text, node.pos);
}

/** A parameter's or declaration's name as ESTree ranges it: with its `?` and type annotation. */
export function nameRange(owner: ts.ParameterDeclaration | ts.VariableDeclaration, text: string): { start: number; end: number } {
  const start = startOf(owner.name, text);
  let end = owner.name.end;
  if (owner.type && owner.type.end > end) end = owner.type.end;
  const question = T.isParameter(owner) ? owner.questionToken : undefined;
  if (question && question.end > end) end = question.end;
  return { start, end };
}

/** The text of a string literal or identifier (a module name, an imported name). */
export function literalString(node: ts.Node): string {
  return (node as ts.StringLiteral | ts.Identifier).text;
}

export function numberLiteralValue(node: ts.NumericLiteral): number {
  return Number(node.text);
}

/** `String(value)` of the ESTree Literal this node is, or undefined when it is no Literal. */
export function keyOf(node: ts.Node): string | undefined {
  switch (node.kind) {
    case S.StringLiteral:
      return (node as ts.StringLiteral).text;
    case S.NumericLiteral:
      return String(Number((node as ts.NumericLiteral).text));
    case S.BigIntLiteral:
      return bigintValue((node as ts.BigIntLiteral).text);
    case S.TrueKeyword:
      return 'true';
    case S.FalseKeyword:
      return 'false';
    case S.NullKeyword:
      return 'null';
    case S.RegularExpressionLiteral:
      return regexValue((node as ts.RegularExpressionLiteral).text);
    default:
      return undefined;
  }
}

function bigintValue(text: string): string {
  try {
    return String(BigInt(text.slice(0, -1).replace(/_/g, '')));
  } catch {
    return 'null';
  }
}

/** A regex literal's value as ESTree holds it: the RegExp (printed normalised), or null where it is invalid. */
export function regexValue(text: string): string {
  const slash = text.lastIndexOf('/');
  try {
    return String(new RegExp(text.slice(1, slash), text.slice(slash + 1)));
  } catch {
    return 'null';
  }
}

/** Whether a child of a destructuring pattern is itself part of the pattern (ESTree: a pattern node). */
export function continuesPattern(parent: ts.Node, child: ts.Node): boolean {
  const target = (n: ts.Node) =>
    n.kind === S.ObjectLiteralExpression ||
    n.kind === S.ArrayLiteralExpression ||
    (n.kind === S.BinaryExpression && (n as ts.BinaryExpression).operatorToken.kind === S.EqualsToken) ||
    n.kind === S.SpreadElement;
  switch (parent.kind) {
    case S.ArrayLiteralExpression:
      return target(child);
    case S.ObjectLiteralExpression:
      return child.kind === S.PropertyAssignment || child.kind === S.ShorthandPropertyAssignment || child.kind === S.SpreadAssignment;
    case S.PropertyAssignment:
      return child === (parent as ts.PropertyAssignment).initializer && target(child);
    case S.BinaryExpression:
      return (
        child === (parent as ts.BinaryExpression).left &&
        (child.kind === S.ObjectLiteralExpression || child.kind === S.ArrayLiteralExpression)
      );
    case S.SpreadElement:
    case S.SpreadAssignment:
      return child.kind === S.ObjectLiteralExpression || child.kind === S.ArrayLiteralExpression;
    default:
      return false;
  }
}

function isSkipped(node: ts.Node): boolean {
  if (EXPRESSION_KEYWORDS.has(node.kind)) return false;
  // Punctuation (`*`, `?`, `!`, `=>`, operators) and keywords (modifiers, `async`, type words) are no ESTree nodes.
  if (node.kind >= S.FirstPunctuation && node.kind <= S.LastPunctuation) return true;
  if (node.kind >= S.FirstKeyword && node.kind <= S.LastKeyword) return true;
  return T.isTypeNode(node) || node.kind === S.TypeParameter;
}

/**
 * The children ESTree's visitor keys give a node, in order, minus its type annotations: what an Expr's
 * `parts` are built from. `asParams`: the node is a parameter list entry or a function body of a method's
 * FunctionExpression.
 */
export function esChildren(node: ts.Node, marks: Marks, asParams = false): EsChild[] {
  if (asParams) return [esParameter(node)];
  const out: EsChild[] = [];
  const add = (child: ts.Node | undefined) => {
    if (!child || isSkipped(child)) return;
    flatten(child, node, out);
  };
  const jsxName = (name: ts.Node) => {
    marks.jsxNames.add(name);
    out.push(name);
  };
  if (marks.jsxNames.has(node)) {
    if (T.isPropertyAccessExpression(node)) [node.expression, node.name].forEach(jsxName);
    else if (T.isJsxNamespacedName(node)) [node.namespace, node.name].forEach(jsxName);
    return out;
  }
  switch (node.kind) {
    case S.MetaProperty:
      out.push({ keywordOf: node as ts.MetaProperty }, (node as ts.MetaProperty).name);
      return out;
    case S.JsxExpression:
      if (!(node as ts.JsxExpression).expression) out.push({ emptyOf: node as ts.JsxExpression });
      else T.forEachChild(node, add);
      return out;
    case S.JsxOpeningElement:
    case S.JsxClosingElement:
    case S.JsxSelfClosingElement: {
      const element = node as ts.JsxOpeningElement | ts.JsxClosingElement;
      jsxName(element.tagName);
      if ('attributes' in element) (element as ts.JsxOpeningElement).attributes.properties.forEach(add);
      return out;
    }
    case S.JsxAttribute: {
      const attribute = node as ts.JsxAttribute;
      jsxName(attribute.name);
      add(attribute.initializer);
      return out;
    }
    case S.ArrayBindingPattern:
      for (const element of (node as ts.ArrayBindingPattern).elements) {
        if (T.isBindingElement(element))
          out.push(
            element.initializer && !element.dotDotDotToken ? { assignOf: element } : element.dotDotDotToken ? element : element.name,
          );
      }
      return out;
    case S.CallExpression: {
      const call = node as ts.CallExpression;
      if (call.expression.kind === S.ImportKeyword) call.arguments.forEach(add);
      else T.forEachChild(node, add);
      return out;
    }
    case S.ShorthandPropertyAssignment: {
      const p = node as ts.ShorthandPropertyAssignment;
      out.push(p.name, p.name);
      if (p.objectAssignmentInitializer) out.push(p.objectAssignmentInitializer);
      return out;
    }
    case S.CatchClause: {
      const c = node as ts.CatchClause;
      if (c.variableDeclaration) out.push(c.variableDeclaration.name);
      out.push(c.block);
      return out;
    }
    case S.ClassDeclaration:
    case S.ClassExpression: {
      const c = node as ts.ClassLikeDeclaration;
      c.modifiers?.forEach(add);
      if (c.name) out.push(c.name);
      for (const clause of c.heritageClauses ?? []) {
        if (clause.token === S.ExtendsKeyword) {
          if (clause.types[0]) out.push(unparen(clause.types[0].expression));
        } else pushAll(out, clause.types);
      }
      out.push({ classBody: c });
      return out;
    }
    case S.Parameter:
      return parameterChildren(node as ts.ParameterDeclaration);
    case S.BindingElement: {
      // In an object pattern, ESTree's Property (key, value) or RestElement; in an array pattern, a RestElement.
      const b = node as ts.BindingElement;
      if (b.dotDotDotToken) return [b.name];
      const key = b.propertyName
        ? b.propertyName.kind === S.ComputedPropertyName
          ? unparen(b.propertyName.expression)
          : b.propertyName
        : b.name;
      return [key, b.initializer ? { assignOf: b } : b.name];
    }
    default:
      break;
  }
  if (isMethodLike(node)) {
    node.modifiers?.forEach(add);
    if (node.kind === S.Constructor) out.push({ keywordOf: node });
    else add(node.name);
    out.push({ fnOf: node });
    return out;
  }
  if (isFunctionLike(node)) {
    T.forEachChild(node, (child) => {
      if (child.kind === S.Parameter) out.push(esParameter(child));
      else add(child);
    });
    return out;
  }
  T.forEachChild(node, add);
  return out;
}

/** A class body's members, as ESTree's ClassBody holds them. */
export function classBodyChildren(node: ts.ClassLikeDeclaration): ts.Node[] {
  return node.members.filter((m) => m.kind !== S.SemicolonClassElement && m.kind !== S.IndexSignature);
}

/** The ClassBody's range: from the `{` to the end of the class. */
export function classBodyRange(node: ts.ClassLikeDeclaration): { start: number; end: number } {
  return { start: node.members.pos - 1, end: node.end };
}

function flatten(child: ts.Node, parent: ts.Node, out: EsChild[]): void {
  switch (child.kind) {
    case S.OmittedExpression:
      return;
    case S.ParenthesizedExpression:
      out.push(unparen(child));
      return;
    case S.ComputedPropertyName:
      out.push(unparen((child as ts.ComputedPropertyName).expression));
      return;
    case S.VariableDeclarationList:
      if (parent.kind === S.VariableStatement) pushAll(out, (child as ts.VariableDeclarationList).declarations);
      else out.push(child);
      return;
    case S.CaseBlock:
      pushAll(out, (child as ts.CaseBlock).clauses);
      return;
    case S.JsxAttributes:
      pushAll<EsChild>(out, (child as ts.JsxAttributes).properties);
      return;
    case S.TemplateSpan:
      out.push(unparen((child as ts.TemplateSpan).expression), (child as ts.TemplateSpan).literal);
      return;
    case S.Parameter:
      out.push(esParameter(child));
      return;
    default:
      out.push(child);
  }
}

/** A parameter as ESTree holds it: its name, or the AssignmentPattern / RestElement the Parameter stands for. */
function esParameter(node: ts.Node): ts.Node {
  if (node.kind !== S.Parameter) return node.kind === S.ParenthesizedExpression ? unparen(node) : node;
  const p = node as ts.ParameterDeclaration;
  return p.initializer || p.dotDotDotToken ? p : p.name;
}

function parameterChildren(p: ts.ParameterDeclaration): ts.Node[] {
  return p.initializer ? [p.name, unparen(p.initializer)] : [p.name];
}

/** A destructured name with a default (`{ a = 1 }`, `[a = 1]`) as ESTree's AssignmentPattern. */
export function assignmentChildren(b: ts.BindingElement): ts.Node[] {
  return [b.name, unparen(b.initializer!)];
}

export function assignmentRange(b: ts.BindingElement, text: string): { start: number; end: number } {
  return { start: startOf(b.name, text), end: b.initializer!.end };
}

/** The span and name of the keyword a `keywordOf` stands for. */
export function keywordSpan(node: ts.ConstructorDeclaration | ts.MetaProperty, text: string): { start: number; end: number; name: string } {
  if (T.isMetaProperty(node)) {
    const name = node.keywordToken === S.NewKeyword ? 'new' : 'import';
    const start = startOf(node, text);
    return { start, end: start + name.length, name };
  }
  const modifiers = T.getModifiers(node);
  const last = modifiers?.[modifiers.length - 1];
  const start = last ? skipTrivia(text, last.end) : startOf(node, text);
  const quoted = text[start] === '"' || text[start] === "'";
  return { start, end: start + 'constructor'.length + (quoted ? 2 : 0), name: 'constructor' };
}

/** A self-closing JSX element's opening element: the same span, its name and attributes. */
export function openingChildren(node: ts.JsxSelfClosingElement, marks: Marks): EsChild[] {
  return esChildren(node, marks);
}
