/**
 * A rule's `meta.sees`: the phrase the evidence report's control coverage matrix shows for it, one for every
 * FDA item the rule maps to or one per key. Read here one way for the report, the metadata checks of the
 * built-in rules and the validation of custom rules.
 */
import type { RuleSees } from './types';

const hasOwn = (record: object, key: string) => Object.prototype.hasOwnProperty.call(record, key);

/** The rule's phrase for a row that stands for these FDA keys (a group row stands for several), if it gives one. */
export function seesPhrase(sees: RuleSees | undefined, keys: readonly string[]): string | undefined {
  if (sees === undefined || typeof sees === 'string') return sees;
  const key = keys.find((candidate) => hasOwn(sees, candidate));
  return key === undefined ? undefined : sees[key];
}

/** The keys of a per-key `sees` that the rule's `fda` does not name: phrases that no row would show. */
export function seesKeysNotMapped(sees: RuleSees | undefined, fda: readonly string[]): string[] {
  return typeof sees === 'object' ? Object.keys(sees).filter((key) => !fda.includes(key)) : [];
}
