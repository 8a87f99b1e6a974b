/**
 * Python documents in strings: a docstring, or any string standing as a statement by itself, is prose that
 * shows examples (settings, URLs, calls), not a value the program uses.
 */
import type { Expr } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';

/** A Python string that is a statement by itself (a docstring or a bare string): documentation, not data. */
export function isStringStatement(ctx: RuleContext, literal: Expr): boolean {
  const text = ctx.text.content;
  const lineStart = text.lastIndexOf('\n', literal.start - 1) + 1;
  if (text.slice(lineStart, literal.start).trim() !== '') return false;
  const lineEnd = text.indexOf('\n', literal.end);
  const rest = text.slice(literal.end, lineEnd < 0 ? text.length : lineEnd).trim();
  if (rest !== '' && !rest.startsWith('#')) return false;
  const inside = (span: Span) => span.start < literal.start && literal.end <= span.end;
  return !ctx.model.calls.some(inside) && !ctx.model.bindings.some((b) => inside(b.value));
}
