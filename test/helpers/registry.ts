/** Registries for tests: the built-in one, or stand-in rules with the real taxonomy. */
import { builtinRegistry } from '../../server/src/builtin-registry';
import type { Rule, RuleRegistry } from '../../server/src/core/types';

export { builtinRegistry };

/** The given rules in place of the built-in ones, citing the built-in taxonomy. */
export function registryOf(rules: readonly Rule[]): RuleRegistry {
  return { rules, taxonomy: builtinRegistry.taxonomy };
}

/** `loadConfig` / `resolveConfig` options for the built-in rules. */
export const BUILTIN = { registry: builtinRegistry };
