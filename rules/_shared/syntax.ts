/** Shared pieces of the `tls-verification-disabled` detectors (one file per language family beside this one). */
import type { Expr, FunctionDef } from '../../server/src/core/model/types';
import type { Confidence, Fix, ProjectConditions, RuleContext, Span } from '../../server/src/core/types';

export const RULE_ID = 'tls-verification-disabled';

/** What a detector hands back; the rule turns it into a report. */
export interface TlsFinding {
  span: Span;
  message: string;
  fix?: Fix;
  confidence?: Confidence;
  /** Dropped when another file of the project provides this fact (the client is set up there). */
  unless?: ProjectConditions;
  /** Kept only when other files of the project provide these facts (a setting defined there). */
  when?: ProjectConditions;
}

export type Detector = (ctx: RuleContext) => TlsFinding[];

/** A fix that replaces one span. */
export function replaceFix(title: string, span: Span, newText: string, safety: Fix['safety'] = 'safe'): Fix {
  return { title, safety, edits: [{ span, newText }] };
}

const TOKEN_PATTERNS = new Map<string, RegExp>();

/** Every whole-identifier occurrence of one of `names` in an expression, as absolute spans. */
export function identifierTokens(expr: Expr, names: readonly string[]): { name: string; span: Span }[] {
  const found: { name: string; span: Span }[] = [];
  if (!names.some((name) => expr.text.includes(name))) return found;
  const key = names.join('|');
  let pattern = TOKEN_PATTERNS.get(key);
  if (!pattern) TOKEN_PATTERNS.set(key, (pattern = new RegExp(`(?<![\\w$])(${key})(?![\\w$])`, 'g')));
  for (const match of expr.text.matchAll(pattern)) {
    const start = expr.start + (match.index ?? 0);
    found.push({ name: match[1], span: { start, end: start + match[1].length } });
  }
  return found;
}

/** The last segment of a dotted name (`ssl.CERT_NONE` → `CERT_NONE`, `QSslSocket.VerifyNone` → `VerifyNone`). */
export function lastSegment(dotted: string): string {
  const parts = dotted.split('.');
  return parts[parts.length - 1];
}

/** `false`, `FALSE`, `0`, `0L`: a literal that turns a boolean or a libcurl long option off. */
export function isOffLiteral(expr: Expr | undefined): boolean {
  if (!expr) return false;
  if (expr.kind === 'boolean') return expr.text.toLowerCase() === 'false';
  if (expr.kind === 'number') return /^0+[uUlL]*$/.test(expr.text);
  if (expr.kind === 'name') return expr.value === 'FALSE';
  return false;
}

/** `true`, `TRUE`, `1`: a literal that switches a boolean option on. */
export function isOnLiteral(expr: Expr | undefined): boolean {
  if (!expr) return false;
  if (expr.kind === 'boolean') return expr.text.toLowerCase() === 'true';
  if (expr.kind === 'number') return /^0*1[uUlL]*$/.test(expr.text);
  if (expr.kind === 'name') return expr.value === 'TRUE';
  return false;
}

export function isFalseLiteral(expr: Expr | undefined): boolean {
  return expr?.kind === 'boolean' && expr.text.toLowerCase() === 'false';
}

/** Whether every value the function returns is the literal `true` (and it returns at least once). */
export function alwaysReturnsTrue(fn: FunctionDef): boolean {
  return fn.returns.length > 0 && !fn.throws && fn.returns.every((r) => r.kind === 'boolean' && r.text.toLowerCase() === 'true');
}

/** The function (or lambda) whose text starts inside `span`: the value of a property, an argument. */
export function functionAt(ctx: RuleContext, span: Span): FunctionDef | undefined {
  return ctx.model.functions.find((fn) => fn.start >= span.start && fn.end <= span.end && fn.start - span.start <= 1);
}

/** The span of `word` inside `within` (first whole-word occurrence), or `within` itself when absent. */
export function spanOfWord(ctx: RuleContext, within: Span, word: string): Span {
  const text = ctx.text.content.slice(within.start, within.end);
  const match = new RegExp(`(?<![\\w$])${word}(?![\\w$])`).exec(text);
  if (!match) return within;
  const start = within.start + match.index;
  return { start, end: start + word.length };
}
