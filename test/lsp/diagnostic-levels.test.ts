/** The level a finding is shown at: the default mapping, `medsec.severityLevels` and `medsec.rules.customizations`. */
import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { levelOf, ruleMatches } from '../../server/src/lsp/diagnostic-levels';
import { DEFAULT_SETTINGS, normalizeSettings, type RuleCustomization } from '../../server/src/lsp/settings';
import type { Severity } from '../../server/src/core/types';

const settings = (ruleCustomizations: RuleCustomization[] = [], severityLevels = DEFAULT_SETTINGS.severityLevels) => ({
  severityLevels,
  ruleCustomizations,
});
const finding = (ruleId: string, severity: Severity) => ({ ruleId, severity });

describe('default levels', () => {
  it('shows critical as Error, high as Warning, medium and low as Information, info as Hint', () => {
    const levels = (['critical', 'high', 'medium', 'low', 'info'] as const).map((severity) => levelOf(finding('r', severity), settings()));
    expect(levels).toEqual([
      DiagnosticSeverity.Error,
      DiagnosticSeverity.Warning,
      DiagnosticSeverity.Information,
      DiagnosticSeverity.Information,
      DiagnosticSeverity.Hint,
    ]);
  });
});

describe('medsec.severityLevels', () => {
  it('remaps a severity and keeps the defaults for the others', () => {
    const remapped = normalizeSettings({ severityLevels: { high: 'error', low: 'nonsense' } });
    expect(levelOf(finding('r', 'high'), remapped)).toBe(DiagnosticSeverity.Error);
    expect(levelOf(finding('r', 'low'), remapped)).toBe(DiagnosticSeverity.Information);
  });
});

describe('medsec.rules.customizations', () => {
  it('sets a rule by id or glob; the last matching entry wins', () => {
    const custom = settings([
      { rule: 'weak-*', level: 'error' },
      { rule: 'weak-hash', level: 'hint' },
    ]);
    expect(levelOf(finding('weak-hash', 'medium'), custom)).toBe(DiagnosticSeverity.Hint);
    expect(levelOf(finding('weak-cipher-suite', 'medium'), custom)).toBe(DiagnosticSeverity.Error);
    expect(levelOf(finding('broken-cipher', 'medium'), custom)).toBe(DiagnosticSeverity.Information);
  });

  it('turns a rule off in the editor, and moves one level up or down from its severity', () => {
    expect(levelOf(finding('weak-hash', 'medium'), settings([{ rule: 'weak-hash', level: 'off' }]))).toBeUndefined();
    expect(levelOf(finding('weak-hash', 'medium'), settings([{ rule: '*', level: 'upgrade' }]))).toBe(DiagnosticSeverity.Warning);
    expect(levelOf(finding('x', 'critical'), settings([{ rule: '*', level: 'upgrade' }]))).toBe(DiagnosticSeverity.Error);
    expect(levelOf(finding('x', 'high'), settings([{ rule: '*', level: 'downgrade' }]))).toBe(DiagnosticSeverity.Information);
    expect(levelOf(finding('x', 'info'), settings([{ rule: '*', level: 'downgrade' }]))).toBe(DiagnosticSeverity.Hint);
    expect(
      levelOf(
        finding('x', 'high'),
        settings([
          { rule: 'x', level: 'error' },
          { rule: 'x', level: 'default' },
        ]),
      ),
    ).toBe(DiagnosticSeverity.Warning);
  });

  it('negates a glob with a leading !, and matches nothing else by accident', () => {
    expect(ruleMatches('!hardcoded-*', 'weak-hash')).toBe(true);
    expect(ruleMatches('!hardcoded-*', 'hardcoded-credential')).toBe(false);
    expect(ruleMatches('weak-hash', 'weak-hashes')).toBe(false);
    expect(ruleMatches('weak.hash', 'weak-hash')).toBe(false);
  });

  it('matches a hostile glob by a linear scan: 16 stars against a long id end at once', () => {
    // As a regex (`.*` per star) this took 2.4 s with 10 stars and grows about sevenfold per two more.
    expect(ruleMatches(`${'*-'.repeat(16)}*-z`, 'a-'.repeat(30))).toBe(false);
    expect(ruleMatches(`${'*-'.repeat(16)}*`, 'a-'.repeat(30))).toBe(true);
    expect(ruleMatches('weak?hash', 'weak-hash')).toBe(false);
  });

  it('keeps only well-formed entries from the settings', () => {
    const normalized = normalizeSettings({
      rules: { customizations: [{ rule: 'weak-hash', level: 'warning' }, { rule: 'x', level: 'loud' }, { level: 'error' }, 'weak-hash'] },
    });
    expect(normalized.ruleCustomizations).toEqual([{ rule: 'weak-hash', level: 'warning' }]);
    expect(normalizeSettings({ rules: { customizations: 'weak-hash' } }).ruleCustomizations).toEqual([]);
  });
});
