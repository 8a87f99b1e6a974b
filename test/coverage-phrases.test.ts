/**
 * What the control coverage matrix says each rule sees. The phrases of the built-in rules are kept as a
 * snapshot of the matrix under three rule sets (every built-in rule, medsec:recommended, medsec:strict), so a
 * change of wording, or a phrase lost on its way between files, is a reviewed diff.
 */
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import { presetRules } from '../server/src/core/presets';
import type { Rule, RuleMeta } from '../server/src/core/types';
import { coverageMatrix, describeSeen, seesProblems } from '../server/src/report/coverage';

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

describe('seesProblems', () => {
  const base = builtinRules.find((rule) => rule.meta.id === 'weak-password-hash')!.meta;
  const meta = (sees: RuleMeta['sees']): RuleMeta => ({ ...base, fda: ['app1.C.2', 'app1.A.5', '524b.b2', 'V.C'], sees });

  it('accepts one phrase for every item, or a phrase for each item the matrix shows per rule', () => {
    expect(seesProblems(meta('password hashes'))).toEqual([]);
    expect(seesProblems(meta({ 'app1.C.2': 'fast hashes', 'app1.A.5': 'password hashes' }))).toEqual([]);
  });

  it('names an item the rule maps to that would show the rule by its title', () => {
    expect(seesProblems(meta(undefined))).toEqual([
      expect.stringContaining('no phrase for app1.C.2'),
      expect.stringContaining('no phrase for app1.A.5'),
    ]);
    expect(seesProblems(meta({ 'app1.C.2': 'fast hashes' }))).toEqual([expect.stringContaining('no phrase for app1.A.5')]);
  });

  it('names a phrase for a key that no row shows per rule (524B b2 speaks for every rule; V.C has no row)', () => {
    const problems = seesProblems(meta({ 'app1.C.2': 'a', 'app1.A.5': 'b', '524b.b2': 'c', 'V.C': 'd' }));
    expect(problems).toEqual([expect.stringContaining('phrase for 524b.b2'), expect.stringContaining('phrase for V.C')]);
  });
});
