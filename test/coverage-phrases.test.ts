/**
 * What the control coverage matrix says each rule sees. The phrases of the built-in rules are kept as a
 * snapshot of the matrix under three rule sets (every built-in rule, medsec:recommended, medsec:strict), so a
 * change of wording, or a phrase lost on its way between files, is a reviewed diff. A rule's phrases come from
 * its `meta.sees` (a custom rule's `sees`), checked against the items the matrix shows.
 */
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import { resolveConfig } from '../server/src/core/config';
import { presetRules } from '../server/src/core/presets';
import type { Rule, RuleMeta } from '../server/src/core/types';
import { coverageMatrix, describeSeen, seesProblems } from '../server/src/report/coverage';
import { BUILTIN } from './helpers/registry';

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

describe('a custom rule in the control coverage matrix', () => {
  const customRule = (id: string, extra: Record<string, unknown>) => ({
    id,
    title: `${id} title`,
    severity: 'medium',
    languages: ['c'],
    message: 'restart',
    match: { regex: 'esp_restart\\(', scope: 'code' },
    ...extra,
  });
  const rows = () => {
    const customRules = [
      customRule('acme/per-item', { fda: ['app1.G.4', 'app1.D.5'], sees: { 'app1.G.4': 'restarts that drop the infusion state' } }),
      customRule('acme/one-phrase', { fda: ['app1.D.5', '524b.b2'], sees: 'debug ports opened by the vendor SDK' }),
      customRule('acme/no-phrase', { fda: ['app1.D.5'] }),
    ];
    const config = resolveConfig({ extends: [], customRules }, undefined, process.cwd(), BUILTIN);
    return new Map(coverageMatrix(config.enabledRules(), builtinRules).map((row) => [row.key, row]));
  };

  it('shows the phrase its definition gives for an item, and its title where it gives none', () => {
    const matrix = rows();
    expect(matrix.get('app1.G.4')?.sees).toEqual(['restarts that drop the infusion state']);
    expect(matrix.get('app1.D.5')?.sees).toEqual(['acme/per-item title', 'debug ports opened by the vendor SDK', 'acme/no-phrase title']);
    // 524B b2 says one sentence for every rule that maps to it, a custom rule's phrase included.
    expect(matrix.get('524b.b2')?.sees).toEqual(['code-level weaknesses in the scanned source: the findings of this report']);
  });
});
