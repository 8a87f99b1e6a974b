import { parseSuppressions } from '../../server/src/core/suppressions';
import type { Rule } from '../../server/src/core/types';

/**
 * A suppression is an assessment: FDA reviewers expect a rationale for every finding that is not fixed
 * (premarket guidance V.C). A directive without a justification therefore suppresses nothing and is itself
 * reported, as is one with an unreadable expiry date.
 */
const rule: Rule = {
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
    docs: {
      summary:
        'Finds `medsec-ignore` and `medsec-ignore-next-line` comments that give no justification after `--`, name no rule, or carry an expiry date that is not a real date. Such a comment suppresses nothing: the finding it meant to hide is still reported.',
      risk:
        'The FDA premarket guidance asks for an assessment of every static-analysis finding and a rationale for each one that is left unfixed. A silenced finding with no recorded reason is an unassessed weakness in the submission, and nobody reviewing the code later can tell whether the risk was accepted on purpose.',
      fix:
        'Write why the finding is acceptable after ` -- `, and optionally when the decision must be revisited: `// medsec-ignore hardcoded-credential -- factory test fixture, never built into release (until 2027-03-31)`. Or fix the finding and delete the comment.',
      examples: [
        {
          language: 'c',
          bad: 'static const char *pw = "Inf0Pump!2024"; // medsec-ignore hardcoded-credential\n',
          good: 'static const char *pw = "Inf0Pump!2024"; // medsec-ignore hardcoded-credential -- bench rig only, excluded from release builds\n',
        },
        {
          language: 'python',
          bad: '# medsec-ignore-next-line weak-hash --\ndigest = hashlib.md5(data).hexdigest()\n',
          good: '# medsec-ignore-next-line weak-hash -- cache key for log deduplication, not a security control\ndigest = hashlib.md5(data).hexdigest()\n',
        },
      ],
      fixSafety: 'No automatic fix: only a person can state why a finding is acceptable.',
      references: [
        { title: 'medsec suppression syntax (design §4)', url: 'https://github.com/medsec-dev/medsec/blob/main/README.md#suppressing-a-finding' },
      ],
    },
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
};

export default rule;
