/**
 * What the control coverage matrix says each rule sees. The phrases of the built-in rules are kept as a
 * snapshot of the matrix under three rule sets (every built-in rule, medsec:recommended, medsec:strict), so a
 * change of wording, or a phrase lost on its way between files, is a reviewed diff.
 */
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import { presetRules } from '../server/src/core/presets';
import type { Rule } from '../server/src/core/types';
import { coverageMatrix, describeSeen } from '../server/src/report/coverage';

/** One line per row: key, status and what the row says is seen. */
function matrixText(enabled: readonly Rule[]): string {
  const effective = enabled.map((rule) => ({ rule, severity: rule.meta.severity, options: {} }));
  return coverageMatrix(effective, builtinRules)
    .map((row) => `${row.key} (${row.status}): ${describeSeen(row)}`)
    .join('\n');
}

describe('the control coverage matrix', () => {
  it('says what the built-in rules see, as the snapshot holds', async () => {
    const sets: [string, readonly Rule[]][] = [
      ['every built-in rule', builtinRules],
      ['medsec:recommended', presetRules('recommended', builtinRules)],
      ['medsec:strict', presetRules('strict', builtinRules)],
    ];
    const text = sets.map(([name, rules]) => `## ${name}\n\n${matrixText(rules)}\n`).join('\n');
    await expect(text).toMatchFileSnapshot('__snapshots__/coverage-phrases.md');
  });
});
