/** The shape most rules share: one detector per language, each yielding what it found. */
import type { Confidence, Fix, LanguageId, ProjectConditions, RuleContext, Span } from '../../server/src/core/types';

export interface Detection {
  span: Span;
  message: string;
  fix?: Fix;
  confidence?: Confidence;
  secret?: Span;
  unless?: ProjectConditions;
  when?: ProjectConditions;
}

export type Detector = (ctx: RuleContext) => Iterable<Detection>;

/**
 * Runs the detector for the file's language and reports what it yields (the runner keeps the first report
 * of each place, so when two detection paths reach the same code the first one's wording wins).
 */
export function runDetectors(ctx: RuleContext, detectors: Partial<Record<LanguageId, Detector>>): void {
  const detect = detectors[ctx.language];
  if (!detect) return;
  for (const found of detect(ctx)) {
    ctx.report({
      span: found.span,
      message: found.message,
      confidence: found.confidence,
      secret: found.secret,
      fixes: found.fix ? [found.fix] : undefined,
      unless: found.unless,
      when: found.when,
    });
  }
}
