import { GOOD_JUSTIFICATION, WHAT_A_JUSTIFICATION_NAMES } from '../../shared/justification';
import { parseSuppressions } from '../../server/src/core/suppressions';
import { configSuppressionProblems } from './config-entries';

import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

const GOOD_CONFIG_ENTRY =
  `${WHAT_A_JUSTIFICATION_NAMES}: ` + '`"justification": "<why it is safe>", "reviewedBy": "<name>", "until": "YYYY-MM-DD"`';

export default defineRule({
  meta: {
    id: 'unjustified-suppression',
    title: 'Suppression without an informative justification',
    severity: 'medium',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript', 'kconfig', 'dotenv', 'json'],
    cwe: [1395],
    fda: ['V.C', '524b.b2'],
    iec62443: ['SI-1'],
    fix: 'none',
    presets: ['recommended'],
    // A suppression comment (`medsec-ignore`, core/suppressions.ts) or `.medsec.json`'s `suppressions` list.
    needs: ['medsec-ignore', 'suppressions'],
    docs,
  },
  check(ctx) {
    for (const d of parseSuppressions(ctx.model.comments, ctx.text, ctx.justificationPolicy)) {
      if (!d.problems.length) continue;
      ctx.report({
        span: { start: d.start, end: d.end },
        message: `This suppression is ignored because ${d.problems.join(' and ')}. ${GOOD_JUSTIFICATION}.`,
      });
    }
    if (ctx.language !== 'json') return;
    for (const entry of configSuppressionProblems(ctx.path, ctx.text.content, ctx.justificationPolicy)) {
      ctx.report({
        span: entry.span,
        message: `This .medsec.json suppression is ignored because ${entry.problems.join(' and ')}. ${GOOD_CONFIG_ENTRY}.`,
      });
    }
  },
});
