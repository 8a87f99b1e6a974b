import { describe, expect, it } from 'vitest';
import { checkFile } from '../../server/src/core/check';
import type { EffectiveRule, Rule, RuleMeta } from '../../server/src/core/types';

const meta = (id: string): RuleMeta => ({
  id,
  title: id,
  severity: 'high',
  confidence: 'high',
  languages: ['c', 'python'],
  cwe: [798],
  fda: ['app1.A.5'],
  iec62443: [],
  fix: 'none',
  presets: ['recommended'],
  docs: { summary: 's', risk: 'r', fix: 'f', examples: [], fixSafety: 'n', references: [] },
});

/** Reports every string literal as a secret. */
const secretRule: Rule = {
  meta: meta('test-secret'),
  check(ctx) {
    for (const s of ctx.model.strings) ctx.report({ span: s, secret: s.content, message: `secret ${s.value} found` });
  },
};
const throwingRule: Rule = {
  meta: meta('test-throws'),
  check() {
    throw new Error('boom');
  },
};
const on = (...rules: Rule[]): EffectiveRule[] => rules.map((rule) => ({ rule, severity: rule.meta.severity, options: {} }));

describe('checkFile', () => {
  it('gives a finding the severity its report asks for, unless the configuration set one for the rule', async () => {
    const escalating: Rule = {
      meta: meta('test-escalates'),
      check(ctx) {
        for (const s of ctx.model.strings) ctx.report({ span: s, message: 'm', ...(s.value === 'dose' ? { severity: 'critical' } : {}) });
      },
    };
    const input = { path: '/x/a.py', relativePath: 'a.py', text: 'a = "dose"\nb = "read"\n', language: 'python' as const };
    const byDefault = await checkFile(input, on(escalating));
    expect(byDefault.findings.map((f) => f.severity)).toEqual(['critical', 'high']);
    const configured = await checkFile(input, [{ rule: escalating, severity: 'low', severityConfigured: true, options: {} }]);
    expect(configured.findings.map((f) => f.severity)).toEqual(['low', 'low']);
  });

  it('isolates a rule that throws: the others still report, the failure is recorded', async () => {
    const r = await checkFile(
      { path: '/x/a.c', relativePath: 'a.c', text: 'const char *pw = "hunter22";', language: 'c' },
      on(throwingRule, secretRule),
    );
    expect(r.findings.map((f) => f.ruleId)).toEqual(['test-secret']);
    expect(r.ruleFailures).toEqual([{ ruleId: 'test-throws', path: 'a.c', error: 'boom' }]);
  });

  it('masks the secret in the snippet and in the message', async () => {
    const r = await checkFile({ path: '/x/a.c', relativePath: 'a.c', text: 'const char *pw = "hunter22";', language: 'c' }, on(secretRule));
    const f = r.findings[0];
    expect(f.snippet).toBe('const char *pw = "hu****";');
    expect(f.message).toBe('secret hu**** found');
    expect(JSON.stringify(r)).not.toContain('hunter22');
    expect(f.range).toEqual({ start: { line: 0, column: 17 }, end: { line: 0, column: 27 } });
  });

  it('applies justified suppressions, re-raises expired ones and ignores unjustified ones', async () => {
    const text = [
      '# medsec-ignore-next-line test-secret -- bench fixture',
      'a = "one1"',
      'b = "two2"  # medsec-ignore test-secret -- old decision (until 2020-01-01)',
      'c = "three"  # medsec-ignore test-secret',
    ].join('\n');
    const r = await checkFile({ path: '/x/a.py', relativePath: 'a.py', text, language: 'python' }, on(secretRule));
    expect(r.findings.map((f) => [f.range.start.line, f.suppression?.justification ?? null])).toEqual([
      [1, 'bench fixture'],
      [2, null],
      [3, null],
    ]);
    expect(r.findings[1].message).toMatch(/suppression expired on 2020-01-01/);
  });

  it('cuts snippets of minified lines to a window around the finding', async () => {
    const text = `x = [${'1,'.repeat(50_000)}"needle"]`;
    const r = await checkFile({ path: '/x/m.py', relativePath: 'm.py', text, language: 'python' }, on(secretRule));
    expect(r.findings[0].snippet.length).toBeLessThan(200);
    expect(r.findings[0].snippet).toContain('"ne****"');
  });
});
