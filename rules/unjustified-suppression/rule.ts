import { parseSuppressions } from '../../server/src/core/suppressions';

import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'unjustified-suppression',
    title: 'Suppression comment without a justification',
    severity: 'medium',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript', 'kconfig', 'dotenv'],
    cwe: [1395],
    fda: ['V.C', '524b.b2'],
    iec62443: ['SI-1'],
    fix: 'none',
    presets: ['recommended'],
    docs,
  },
  check(ctx) {
    for (const d of parseSuppressions(ctx.model.comments, ctx.text)) {
      if (!d.problems.length) continue;
      ctx.report({
        span: { start: d.start, end: d.end },
        message: `This suppression is ignored because ${d.problems.join(' and ')}. Add the reason after \` -- \` so the finding has a recorded assessment.`,
      });
    }
  },
});
