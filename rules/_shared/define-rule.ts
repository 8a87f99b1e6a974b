/**
 * The one shape of a rule: `export default defineRule({ meta, check })`, metadata first, with the prose docs
 * in the rule's own `docs.md`. The CWE references come from the taxonomy, so no page types them again.
 */
import type { Rule, RuleContext, RuleDocs, RuleMeta } from '../../server/src/core/types';
import { cweTitle, cweUrl } from '../taxonomy';
import { parseRuleDocs } from './rule-docs';

export interface RuleDefinition {
  /** The rule's metadata; `docs` is the Markdown of `rules/<id>/docs.md`. */
  meta: Omit<RuleMeta, 'docs'> & { docs: string };
  check(context: RuleContext): void;
}

function cweReferences(cwe: readonly number[]): RuleDocs['references'] {
  return cwe.map((id) => ({ title: `CWE-${id}: ${cweTitle(id) ?? 'unknown CWE'}`, url: cweUrl(id) }));
}

export function defineRule(definition: RuleDefinition): Rule {
  const { meta, check } = definition;
  const docs = parseRuleDocs(meta.docs, `rules/${meta.id}/docs.md`);
  return {
    meta: { ...meta, docs: { ...docs, references: [...cweReferences(meta.cwe), ...docs.references] } },
    check,
  };
}
