/**
 * OkHttp's `HttpLoggingInterceptor` set to `Level.HEADERS` or `Level.BODY`: it writes every request's and response's
 * headers (the `Authorization` header, cookies, API-key headers an interceptor adds) and, at `BODY`, their bodies
 * (login forms, tokens, patient data) to logcat or the logger it is given. A level set only in a debug build
 * (`if (BuildConfig.DEBUG)`) or under a constant-false switch never ships; an interceptor whose credential headers
 * the same function redacts (`redactHeader("Authorization")`) was configured with them in mind.
 */
import type { Binding, Call, CodeModel, Expr } from '../../server/src/core/model/types';
import type { Span } from '../../server/src/core/types';
import { inGuard, isDebugCondition } from '../_shared/debug-build-guard';

export interface WireLogging {
  span: Span;
  level: string;
}

const VERBOSE_LEVEL = /(?:^|\.)Level\.(BODY|HEADERS)$/;

export function findHttpWireLogging(model: CodeModel, content: string): WireLogging[] {
  if (!content.includes('HttpLoggingInterceptor')) return [];
  const settings: { span: Span; value: Expr; fn: Call['fn'] }[] = [
    ...model.calls.filter((c) => c.name === 'setLevel' && c.args.length === 1).map((c) => ({ span: c, value: c.args[0], fn: c.fn })),
    ...model.bindings.filter(isLevelProperty).map((b) => ({ span: b, value: b.value, fn: b.fn })),
  ];
  const hits: WireLogging[] = [];
  for (const { span, value, fn } of settings) {
    const level = VERBOSE_LEVEL.exec(value.text.trim())?.[1];
    if (!level) continue;
    const scope: Span = fn ?? { start: 0, end: content.length };
    if (inGuard(content, scope, span.start, (condition) => isDebugCondition(condition) || isConstantFalse(condition, model))) continue;
    if (model.calls.some((c) => c.name === 'redactHeader' && c.fn === fn)) continue;
    hits.push({ span: value, level });
  }
  return hits;
}

/** `interceptor.level = …`, `it.level = …`, `level = …` in an `apply { }` block (Kotlin's property for `setLevel`). */
function isLevelProperty(binding: Binding): boolean {
  return binding.name === 'level' && (binding.kind === 'assignment' || binding.kind === 'declaration');
}

/**
 * A switch that is always off: `false`, `false & BuildConfig.DEBUG`, or a name bound only to `false` as a constant
 * (`private static final boolean D = false;`): the block is dead code.
 */
function isConstantFalse(condition: string, model: CodeModel): boolean {
  const text = condition.trim();
  if (/^false\b\s*(?:&&?|$)/.test(text)) return true;
  if (!/^[A-Za-z_]\w*$/.test(text)) return false;
  const values = model.bindings.filter((b) => b.name === text);
  return values.length > 0 && values.every((b) => b.constant && b.value.text.trim() === 'false');
}
