/** The shape most rules share: one detector per language, each yielding what it found. */
import type { Confidence, Fix, LanguageId, RuleContext, Span } from '../../server/src/core/types';

export interface Detection {
  span: Span;
  message: string;
  fix?: Fix;
  confidence?: Confidence;
  secret?: Span;
}

export type Detector = (ctx: RuleContext) => Iterable<Detection>;

/**
 * Runs the detector for the file's language and reports what it yields, once per place: when two detection
 * paths reach the same code, the first one's wording wins.
 */
export function runDetectors(ctx: RuleContext, detectors: Partial<Record<LanguageId, Detector>>): void {
  const detect = detectors[ctx.language];
  if (!detect) return;
  const reported = new Set<number>();
  for (const found of detect(ctx)) {
    if (reported.has(found.span.start)) continue;
    reported.add(found.span.start);
    ctx.report({ span: found.span, message: found.message, confidence: found.confidence, secret: found.secret, fixes: found.fix ? [found.fix] : undefined });
  }
}
