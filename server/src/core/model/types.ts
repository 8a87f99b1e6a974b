/**
 * The code model: a small, language-neutral index of the facts security rules ask about (calls, bindings,
 * literals, comparisons, functions, classes, comments, config entries). It is built once per file from the
 * tree-sitter tree or TypeScript's tree, so every rule covers every language without its own per-grammar queries
 * and without walking the tree again. Rules that need more can still read `tree` / `ast` (the ESTree, built on first read).
 */
import type { XmlElement } from '../parse/xml';
import type { Span } from '../span';

export type ExprKind = 'string' | 'number' | 'boolean' | 'null' | 'name' | 'call' | 'array' | 'object' | 'other';

export interface Expr extends Span {
  kind: ExprKind;
  /** Raw source text of the expression. */
  text: string;
  /**
   * string: the decoded content; number/boolean: the literal text; name: the dotted path
   * (`ssl.CERT_NONE`, `cfg.sta.password`, `MBEDTLS_SSL_VERIFY_NONE`).
   */
  value?: string;
  /** string: offsets of the content between the quotes (what a redaction masks, what a fix replaces). */
  content?: Span;
  /** string: a literal that is a whole statement: a Python docstring, a JS directive ('use strict'). */
  standalone?: boolean;
  /** call: the call itself. */
  call?: Call;
  /** array / initializer list elements. */
  elements?: Expr[];
  /** object literal / dict / designated initializer entries. */
  entries?: Property[];
  /** other: the operator of a binary or logical expression (`+`, `%`, `||`, `??`), `?:` for a conditional. */
  operator?: string;
  /**
   * other: the sub-expressions it is built from, in source order: the operands of an operator, the pieces of
   * an interpolated string (literal text as `string` parts between the interpolated expressions), the
   * branches of a conditional (not its test), the operand of a cast or unary operator. A function, resolved
   * (and cached) on first call, so copying an expression never resolves it: the data-flow layer (core/flow)
   * calls it to follow values through expressions.
   */
  parts?: () => Expr[];
}

export interface Property extends Span {
  key: string;
  keySpan: Span;
  value: Expr;
}

export interface Call extends Span {
  /** Dotted callee path as written, without `this.`/`self.`: `hashlib.md5`, `Update.begin`, `SSL_CTX_set_verify`. */
  callee: string;
  /** Last segment of the callee: `md5`, `begin`, `SSL_CTX_set_verify`. For `new X(...)`, `X`. */
  name: string;
  /** `new X(...)` / Java object creation. */
  isNew: boolean;
  args: Expr[];
  /** The object a method is called on (`md` in `md.update(x)`, `"a"` in `"a".equals(b)`). */
  receiver?: Expr;
  /** Named / keyword arguments (Python `verify=False`, Kotlin `user = "u"`). */
  named: Property[];
  /** Offset span of the callee expression (for fixes that rename the function). */
  calleeSpan: Span;
  /** The function this call is in, if any. */
  fn?: FunctionDef;
  /**
   * How the call's result is used: `statement` (discarded), `condition` (tested by if/while/ternary or
   * negated there), `assignment` (stored), `argument` (passed on), `return`, `comparison` (`f() == 0`),
   * or `other`. `ignored-signature-result` style rules need this.
   */
  resultUse?: 'statement' | 'condition' | 'assignment' | 'argument' | 'return' | 'comparison' | 'other';
}

export type BindingKind =
  | 'declaration' // const char *pw = "x";  val pw = "x"; let pw = "x"
  | 'assignment' // pw = "x"; cfg.password = "x"
  | 'define' // #define WIFI_PASS "x"
  | 'property' // { password: "x" }, { .password = "x" }, {"password": "x"}
  | 'default'; // def f(password="x")

export interface Binding extends Span {
  kind: BindingKind;
  /** Last segment of the target: `password` for `cfg.sta.password`. */
  name: string;
  /** Full dotted target. */
  target: string;
  targetSpan: Span;
  value: Expr;
  /** The declared type where the language writes one (`HostnameVerifier`, `const char *` → `char`). */
  declaredType?: string;
  /** Declared constant (`const`, `final`, `val`, `#define`, `static final`). */
  constant: boolean;
  fn?: FunctionDef;
}

export interface Comparison extends Span {
  /** `==`, `!=`, `===`, `!==`, `is`, or the function name for strcmp-like and `.equals` calls. */
  operator: string;
  left: Expr;
  right: Expr;
  fn?: FunctionDef;
}

export interface FunctionDef extends Span {
  /** Name, or '' for an anonymous function/lambda. */
  name: string;
  params: string[];
  /** Calls directly in this function (not in nested functions), in source order. */
  calls: Call[];
  /** Number of statements in the body (0 for `{}`); an expression body counts 1. */
  statementCount: number;
  /** The expressions it returns (`return x;` and expression-bodied lambdas). */
  returns: Expr[];
  /** Whether its body throws (`throw`, `raise`). */
  throws: boolean;
  /** Enclosing class, if a method. */
  className?: string;
  body?: Span;
}

export interface ClassDef extends Span {
  /** '' for anonymous classes (`new X509TrustManager() { ... }`, Kotlin `object : X { }`). */
  name: string;
  /** Extended classes and implemented interfaces, last segment only. */
  supertypes: string[];
  methods: FunctionDef[];
}

/** `import`, `from m import x`, `require('m')`, `#include <m.h>`. */
export interface Import extends Span {
  /** Module path as written: `hashlib`, `java.security`, `crypto`, `mbedtls/md5.h`. */
  module: string;
  /** Imported name, if a specific one (`md5` in `from hashlib import md5`); `*` for wildcards. */
  name?: string;
  /** The name it is bound to locally (alias, or the name, or the module's last segment). */
  local?: string;
}

/** A declared variable, with or without an initializer: `MD5Builder md5;`, `val c: OkHttpClient`. */
export interface Variable extends Span {
  name: string;
  type?: string;
  fn?: FunctionDef;
}

/** A preprocessor conditional block (`#if`, `#ifdef`, `#ifndef`, `#elif`, `#else`) or an `#error`. */
export interface Directive extends Span {
  kind: '#if' | '#ifdef' | '#ifndef' | '#elif' | '#else' | '#error';
  /** The condition text (`SKIP_VERIFY`, `!defined(CONFIG_SECURE_BOOT) && X`), or the #error message. */
  condition: string;
}

/**
 * A runtime `if` statement of a TypeScript / JavaScript file, for rules that ask what code is conditional on
 * (the other languages answer from their tree-sitter tree).
 */
export interface Conditional extends Span {
  /** The condition, without its parentheses. */
  test: Span;
  consequent: Span;
  alternate?: Span;
  /** Index in `CodeModel.conditionals` of the innermost `if` around this one. */
  enclosing?: number;
}

export interface Comment extends Span {
  text: string;
}

/** A key = value line of a config format (sdkconfig, prj.conf, .env) or an attribute of a manifest. */
export interface ConfigEntry extends Span {
  key: string;
  /** Value with surrounding quotes removed. */
  value: string;
  keySpan: Span;
  valueSpan: Span;
}

export interface CodeModel {
  strings: Expr[];
  calls: Call[];
  bindings: Binding[];
  comparisons: Comparison[];
  functions: FunctionDef[];
  classes: ClassDef[];
  comments: Comment[];
  config: ConfigEntry[];
  imports: Import[];
  variables: Variable[];
  directives: Directive[];
  /** The element tree of an XML file (AndroidManifest.xml, Android XML resources); absent for other languages. */
  elements?: XmlElement[];
  /** TypeScript / JavaScript: the `if` statements, in source order. */
  conditionals?: Conditional[];
  /** Whether the parser hit syntax errors (the model still holds what parsed). */
  hasErrors: boolean;
}

/** A call that compares two values (`strcmp(a, b)`, `a.equals(b)`), as a comparison named after the function. */
export function callComparison(call: Call, left: Expr, right: Expr, fn: FunctionDef | undefined): Comparison {
  return { start: call.start, end: call.end, operator: call.name, left, right, fn };
}

export function emptyModel(): CodeModel {
  return {
    strings: [],
    calls: [],
    bindings: [],
    comparisons: [],
    functions: [],
    classes: [],
    comments: [],
    config: [],
    imports: [],
    variables: [],
    directives: [],
    hasErrors: false,
  };
}
