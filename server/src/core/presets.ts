/**
 * The presets `medsec:recommended` and `medsec:strict`, derived from each rule's `meta.presets`: there is no
 * list of rules to keep in sync. `strict` is a superset of `recommended`.
 */
import type { TestCodePolicy } from './test-code';
import type { Rule } from './types';

export const PRESET_NAMES = ['recommended', 'strict'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** How a configuration's `extends` names a preset: `medsec:recommended`. */
export const PRESET_PREFIX = 'medsec:';
export const PRESET_REFERENCES: readonly string[] = PRESET_NAMES.map((name) => `${PRESET_PREFIX}${name}`);

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** The rules a preset turns on, in the order given. */
export function presetRules(name: PresetName, rules: readonly Rule[]): Rule[] {
  const included: readonly PresetName[] = name === 'strict' ? ['recommended', 'strict'] : ['recommended'];
  return rules.filter((rule) => rule.meta.presets.some((preset) => included.includes(preset)));
}

/**
 * What each preset does with findings in test code (core/test-code.ts). recommended keeps only live secrets:
 * on the real-code set, 72 of the 76 other findings in test code were values the tests set up themselves
 * (the API secret of the server a test starts, dummy logins, test vectors), so lowering them still buried the
 * one real token among them. strict reports test code like any other, except the findings of rules that say
 * what a finding there must show (`RuleMeta.testCodeEvidence`: the credential rules), which need that
 * evidence: on the whole real-code set strict reported 353 hardcoded credentials in test code, of which the
 * 5 true ones were all live secrets, and 23 default credentials in test code, none true.
 */
export const PRESET_TEST_CODE_POLICY: Record<PresetName, TestCodePolicy> = { recommended: 'live-secrets', strict: 'evidence' };
