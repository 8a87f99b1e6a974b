/**
 * The keys of the result cache (cache.ts): a file's content hash, and what its result depends on in the
 * configuration: every rule that applies to it (metadata, severity, options, and a custom rule's whole
 * definition) and any configuration setting that is not about which rules run or which files are read.
 */
import { createHash } from 'crypto';
import { customRulesOf } from './config';

export { contentHash } from './content-hash';
import type { EffectiveRule, ResolvedConfig } from './types';

/**
 * Settings whose effect reaches a file's result through `rulesFor` (rules, overrides, extends, custom rules)
 * or that only choose the files (ignore, maxFileSize). Every other top-level setting, including any added
 * later, is part of every file's key, so a new setting can never be served a result computed without it.
 */
const SETTINGS_SEEN_THROUGH_RULES = new Set(['$schema', 'extends', 'rules', 'overrides', 'customRules', 'ignore', 'maxFileSize']);

/** Makes the per-file settings key of one configuration; rule lists are shared between files, so each is hashed once. */
export function settingsKeyer(config: ResolvedConfig): (rules: readonly EffectiveRule[]) => string {
  const specs = new Map(customRulesOf(config).map((custom) => [custom.rule, custom.spec]));
  const raw = config.raw && typeof config.raw === 'object' ? (config.raw as Record<string, unknown>) : {};
  const otherSettings = Object.keys(raw)
    .sort()
    .filter((key) => !SETTINGS_SEEN_THROUGH_RULES.has(key))
    .map((key) => [key, raw[key]]);
  const keys = new WeakMap<readonly EffectiveRule[], string>();
  return (rules) => {
    let key = keys.get(rules);
    if (key === undefined) {
      const described = rules.map(({ rule, severity, options }) => [rule.meta, severity, options, specs.get(rule) ?? null]);
      key = createHash('sha256')
        .update(JSON.stringify([otherSettings, described]))
        .digest('base64url');
      keys.set(rules, key);
    }
    return key;
  };
}

export { medsecBuild } from './version';
